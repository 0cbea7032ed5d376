using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
#if NET8_0_OR_GREATER
using System.Security.AccessControl;
using System.Security.Principal;
#endif

namespace EcrAirflow.Core.Internal.Files
{
    /// <summary>
    /// Creates files that hold secrets so that no other user can read them at any moment: the
    /// permissions are set by the create call itself (Unix mode 0600, or a protected owner-only ACL on
    /// Windows), never by a chmod after the content is written.
    /// </summary>
    /// <remarks>
    /// netstandard2.0 is only loaded by Windows PowerShell 5.1. It has no API to pass an ACL to the
    /// create call, so there the file inherits the ACL of its folder (the user's temp folder is
    /// owner-only by default); <see cref="ProtectionNote"/> says so for verbose output.
    /// </remarks>
    internal static class OwnerOnlyFile
    {
        public const int OwnerReadWrite = 0x180; // 0600

        /// <summary>Whether this build can create owner-only files by itself on this system.</summary>
        public static string? ProtectionNote
        {
            get
            {
#if NET8_0_OR_GREATER
                return null;
#else
                return "This build (Windows PowerShell) cannot set an owner-only ACL; the file inherits the permissions of its folder.";
#endif
            }
        }

        /// <summary>
        /// Creates a new file (never opens an existing one, never follows a planted symlink) readable and
        /// writable by the current user only, and returns it open for writing.
        /// </summary>
        public static FileStream CreateNew(string path, int unixMode = OwnerReadWrite)
        {
#if NET8_0_OR_GREATER
            if (OperatingSystem.IsWindows())
            {
                return CreateWithOwnerOnlyAcl(path);
            }

            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                UnixCreateMode = (UnixFileMode)(unixMode & OwnerReadWrite),
            };
            var stream = new FileStream(path, options);
            try
            {
                // The create mode was masked by the umask; now give the exact mode asked for (e.g. an
                // existing .env file's 0640 that the replacement must keep).
                File.SetUnixFileMode(stream.SafeFileHandle, (UnixFileMode)unixMode);
            }
            catch
            {
                stream.Dispose();
                TryDelete(path);
                throw;
            }

            return stream;
#else
            return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
#endif
        }

        /// <summary>The Unix permission bits of an existing file, or null where there are none (Windows).</summary>
        public static int? GetUnixMode(string path)
        {
#if NET8_0_OR_GREATER
            if (OperatingSystem.IsWindows())
            {
                return null;
            }

            return (int)File.GetUnixFileMode(path);
#else
            return null;
#endif
        }

        public static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>Deletes a file if it is there; never throws (used in finally blocks).</summary>
        public static bool TryDelete(string path)
        {
            try
            {
                File.Delete(path);
                return !File.Exists(path);
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return false;
            }
        }

#if NET8_0_OR_GREATER
        [System.Runtime.Versioning.SupportedOSPlatform("windows")]
        private static FileStream CreateWithOwnerOnlyAcl(string path)
        {
            var user = WindowsIdentity.GetCurrent().User
                ?? throw new InvalidOperationException("The current Windows user has no SID.");
            var security = new FileSecurity();
            security.SetSecurityDescriptorSddlForm(OwnerOnlyDescriptor.For(user.Value).ToSddl());
            return new FileInfo(path).Create(FileMode.CreateNew, FileSystemRights.FullControl, FileShare.None, 4096, FileOptions.None, security);
        }
#endif
    }

    /// <summary>
    /// The Windows security descriptor of a new secret file, as data (System.Security.AccessControl
    /// throws PlatformNotSupportedException off Windows, so this part is kept free of it and tested
    /// everywhere): owner = the user, a protected DACL (nothing inherited from the folder) and one entry
    /// allowing that user full control, inherited by nothing.
    /// </summary>
    internal sealed record OwnerOnlyDescriptor(string OwnerSid, bool DaclProtected, IReadOnlyList<OwnerOnlyDescriptor.AllowEntry> Allow)
    {
        /// <summary>FILE_ALL_ACCESS, which FileSystemRights.FullControl is and SDDL spells FA.</summary>
        public const int FileAllAccess = 0x1F01FF;

        /// <summary>One allow entry: whom, which rights, and no inheritance flags (SDDL's empty ace_flags).</summary>
        public sealed record AllowEntry(string Sid, int AccessMask);

        public static OwnerOnlyDescriptor For(string sid)
        {
            // A SID string is S-1-<authority>-<sub authorities>; anything else would change the SDDL's meaning.
            if (sid == null || !Regex.IsMatch(sid, @"^S-1-[0-9]+(-[0-9]+)+$", RegexOptions.CultureInvariant))
            {
                throw new ArgumentException("Not a SID string (S-1-...).", nameof(sid));
            }

            return new OwnerOnlyDescriptor(sid, DaclProtected: true, new[] { new AllowEntry(sid, FileAllAccess) });
        }

        /// <summary>
        /// SDDL: O:owner, D:P = a protected DACL, each entry (A;;FA;;;sid) = allow, no inheritance flags,
        /// file all access, to that SID.
        /// </summary>
        public string ToSddl()
        {
            var sb = new StringBuilder();
            sb.Append("O:").Append(OwnerSid).Append("D:");
            if (DaclProtected)
            {
                sb.Append('P');
            }

            foreach (var entry in Allow)
            {
                if (entry.AccessMask != FileAllAccess)
                {
                    throw new InvalidOperationException("Only full-control entries are described.");
                }

                sb.Append("(A;;FA;;;").Append(entry.Sid).Append(')');
            }

            return sb.ToString();
        }
    }
}
