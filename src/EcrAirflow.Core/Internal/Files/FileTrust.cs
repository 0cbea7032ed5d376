using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using EcrAirflow.Core.Internal.Files.Native;

namespace EcrAirflow.Core.Internal.Files
{
    /// <summary>
    /// Whether another local user controls a file or folder we are about to put a token in, the way ssh's
    /// StrictModes judges its files: a folder is trusted when it belongs to us or root and no one else may
    /// write to it (group or world write only with the sticky bit, as /tmp has), and so is every folder
    /// above it; a file we edit must be a regular file that belongs to us. The rules for the Cli import
    /// file's folder, a dotenv file and $GITHUB_ENV, in one place. Unix only (<see cref="UnixFile.Supported"/>);
    /// elsewhere every check passes.
    /// </summary>
    internal static class FileTrust
    {
        private const int GroupOrOtherWrite = 0x12; // 0022
        private const int Sticky = 0x200;           // 01000
        private const int GroupOrOtherRead = 0x24;  // 0044
        private const int OwnerWrite = 0x80;        // 0200

        /// <summary>The most symbolic links followed to reach a dotenv file (the kernel's own limit is 40).</summary>
        private const int MaxLinks = 40;

        public static string Octal(int permissions) => "0" + Convert.ToString(permissions & 0xFFF, 8).PadLeft(3, '0');

        /// <summary>
        /// Why another user could change what is in <paramref name="directory"/> (rename our file away, put
        /// their own in its place), or null when no one but us and root can: the folder and every folder above
        /// it, along the path as given and along its real path (symbolic links resolved).
        /// </summary>
        public static string? WhyFolderNotTrusted(string directory)
        {
#if NET8_0_OR_GREATER
            if (!UnixFile.Supported)
            {
                return null;
            }

            var me = UnixFile.EffectiveUserId;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var paths = new List<string> { Path.GetFullPath(directory) };
            var real = UnixFile.RealPath(directory);
            if (real != null)
            {
                paths.Add(real);
            }

            foreach (var start in paths)
            {
                for (var dir = start; !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
                {
                    if (!seen.Add(dir))
                    {
                        continue;
                    }

                    var status = UnixFile.Stat(dir);
                    if (status == null)
                    {
                        continue; // not there: the caller reports a missing folder itself
                    }

                    var why = WhyNotTrusted(status.Value, me);
                    if (why != null)
                    {
                        return dir == start || dir == paths[0] ? $"'{dir}' {why}" : $"its parent folder '{dir}' {why}";
                    }
                }
            }
#endif
            return null;
        }

        /// <summary>Why another user controls this folder, or null: owned by someone other than us or root, or writable by others without the sticky bit.</summary>
        public static string? WhyNotTrusted(UnixFileStatus folder, uint me)
        {
            if (folder.Uid != me && folder.Uid != 0)
            {
                return $"belongs to another user (uid {folder.Uid.ToString(CultureInfo.InvariantCulture)})";
            }

            if ((folder.Permissions & GroupOrOtherWrite) != 0 && (folder.Permissions & Sticky) == 0)
            {
                return $"can be written by other users (mode {Octal(folder.Permissions)}, no sticky bit)";
            }

            return null;
        }

        /// <summary>What a file to edit (a dotenv file, $GITHUB_ENV) turned out to be.</summary>
        internal sealed class EditTarget
        {
            /// <summary>The regular file to read and replace (the end of any symbolic links), or where a new one is created.</summary>
            public string Path { get; set; } = "";

            public bool Exists { get; set; }

            /// <summary>Its status when it exists (Unix only).</summary>
            public UnixFileStatus? Status { get; set; }

            /// <summary>Set when the file must not be used: the error id's reason, in words.</summary>
            public string? Refusal { get; set; }

            /// <summary>Which rule refused it: NotRegular, NotOwned, Link, ReadOnly.</summary>
            public string? Rule { get; set; }
        }

        /// <summary>
        /// Follows <paramref name="path"/> to the regular file it names, refusing what another user controls or
        /// what is not a plain file: a symbolic link in a folder others can write to, or owned by another user;
        /// a link whose target does not exist (the file would be created in another folder); a FIFO, device,
        /// socket or folder (a FIFO hangs the read, /dev/zero never ends); a file owned by another user; a file
        /// this user cannot write (access(2), and the owner's write bit: root is not exempt here).
        /// </summary>
        public static EditTarget ResolveFileToEdit(string path)
        {
            var full = System.IO.Path.GetFullPath(path);
            var target = new EditTarget { Path = full };
#if NET8_0_OR_GREATER
            if (!UnixFile.Supported)
            {
                return ResolveWithoutUnix(target);
            }

            var me = UnixFile.EffectiveUserId;
            for (var hop = 0; ; hop++)
            {
                var status = UnixFile.LStat(target.Path);
                if (status == null)
                {
                    if (hop > 0)
                    {
                        return Refuse(target, "Link", $"it is a symbolic link to '{target.Path}', which does not exist; EcrAirflow does not create a file in another folder through a link");
                    }

                    return target; // a new file, created beside it with create-new semantics
                }

                if (status.Value.IsSymbolicLink)
                {
                    if (hop >= MaxLinks)
                    {
                        return Refuse(target, "Link", "it is a chain of more than 40 symbolic links");
                    }

                    var folder = System.IO.Path.GetDirectoryName(target.Path)!;
                    var folderStatus = UnixFile.Stat(folder);
                    var why = folderStatus == null ? null : WhyNotTrusted(folderStatus.Value, me);
                    if (why != null)
                    {
                        return Refuse(target, "Link", $"it is a symbolic link in '{folder}', which {why}, so another user could point it anywhere");
                    }

                    if (status.Value.Uid != me && status.Value.Uid != 0)
                    {
                        return Refuse(target, "Link", $"it is a symbolic link that belongs to another user (uid {status.Value.Uid.ToString(CultureInfo.InvariantCulture)})");
                    }

                    var link = new FileInfo(target.Path).LinkTarget;
                    if (string.IsNullOrEmpty(link))
                    {
                        return Refuse(target, "Link", "it is a symbolic link that cannot be read");
                    }

                    target.Path = System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, link));
                    continue;
                }

                target.Exists = true;
                target.Status = status;
                if (!status.Value.IsRegularFile)
                {
                    return Refuse(target, "NotRegular", $"'{target.Path}' is {status.Value.Kind}, not a regular file");
                }

                if (status.Value.Uid != me)
                {
                    return Refuse(target, "NotOwned", $"'{target.Path}' belongs to another user (uid {status.Value.Uid.ToString(CultureInfo.InvariantCulture)}), who could read or change what EcrAirflow writes");
                }

                if ((status.Value.Permissions & OwnerWrite) == 0 || !UnixFile.CanWrite(target.Path))
                {
                    return Refuse(target, "ReadOnly", $"'{target.Path}' is read-only for this user (mode {Octal(status.Value.Permissions)})");
                }

                return target;
            }
#else
            return ResolveWithoutUnix(target);
#endif
        }

        /// <summary>Whether a file's mode lets the group or everyone read it (a token written there is theirs too).</summary>
        public static bool IsReadableByOthers(UnixFileStatus status) => (status.Permissions & GroupOrOtherRead) != 0;

        /// <summary>Windows: a folder is not a file to edit, and the read-only attribute is honoured.</summary>
        private static EditTarget ResolveWithoutUnix(EditTarget target)
        {
            if (Directory.Exists(target.Path))
            {
                return Refuse(target, "NotRegular", $"'{target.Path}' is a folder, not a regular file");
            }

            if (File.Exists(target.Path))
            {
                target.Exists = true;
                if ((File.GetAttributes(target.Path) & FileAttributes.ReadOnly) != 0)
                {
                    return Refuse(target, "ReadOnly", $"'{target.Path}' is read-only");
                }
            }

            return target;
        }

        private static EditTarget Refuse(EditTarget target, string rule, string why)
        {
            target.Rule = rule;
            target.Refusal = why;
            return target;
        }
    }
}
