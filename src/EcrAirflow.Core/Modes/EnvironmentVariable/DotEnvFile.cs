using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using EcrAirflow.Core.Internal;
using EcrAirflow.Core.Internal.Files;
using EcrAirflow.Core.Internal.Files.Native;

namespace EcrAirflow.Core.Modes.EnvironmentVariable
{
    /// <summary>
    /// Adds or replaces KEY=VALUE lines in a dotenv file (docker compose's .env, python-dotenv) and
    /// leaves every other byte as it was: comments, blank lines, other variables, CRLF or LF endings,
    /// a UTF-8 BOM, even bytes that are not UTF-8. The file is rewritten atomically (a temporary file in
    /// the same folder, then a rename), so a reader sees the old or the new file, never half of one.
    /// </summary>
    internal static class DotEnvFile
    {
        /// <summary>
        /// Applies the assignments to the file's text (as read with <see cref="DotEnvSyntax.Bytes"/>) and says, per
        /// name, whether the line was Created, Updated or already Unchanged. Every definition of a name is
        /// replaced in place (keeping an "export " prefix and a trailing comment); a missing one is appended.
        /// </summary>
        internal static string Apply(string text, IReadOnlyList<KeyValuePair<string, string>> assignments, IDictionary<string, SyncAction> actions)
        {
            var lines = DotEnvSyntax.SplitLines(text);
            var newline = DotEnvSyntax.DetectNewline(text);
            var wanted = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in assignments)
            {
                // A line of UTF-8 bytes, seen through the byte-per-char view.
                wanted[pair.Key] = DotEnvSyntax.Bytes.GetString(Encoding.UTF8.GetBytes(pair.Key + "=" + DotEnvSyntax.Quote(pair.Key, pair.Value)));
            }

            var output = new StringBuilder(text.Length + 256);
            var found = new Dictionary<string, bool>(StringComparer.Ordinal);
            for (var i = 0; i < lines.Count; i++)
            {
                var entry = DotEnvSyntax.ReadEntry(lines, i, i == 0 && text.StartsWith(DotEnvSyntax.Bom, StringComparison.Ordinal) ? DotEnvSyntax.Bom.Length : 0);
                if (entry == null)
                {
                    output.Append(lines[i]);
                    continue;
                }

                if (!wanted.TryGetValue(entry.Key, out var replacement))
                {
                    // Another variable, copied as it is: all its lines, so that a line inside its
                    // multi-line quoted value is never taken for a definition.
                    output.Append(DotEnvSyntax.Concat(lines, entry.FirstLine, entry.LastLine));
                    i = entry.LastLine;
                    continue;
                }

                var first = lines[entry.FirstLine];
                var last = lines[entry.LastLine];
                var oldText = DotEnvSyntax.Concat(lines, entry.FirstLine, entry.LastLine);
                // Keep what stood before the key (indentation, BOM, "export ") and after the value (a
                // comment) and the last line's own ending; replace KEY=VALUE in between.
                var ending = DotEnvSyntax.LineEnding(last);
                var newText = first.Substring(0, entry.KeyStart) + replacement + entry.Trailer + ending;
                output.Append(newText);
                var unchanged = string.Equals(oldText, newText, StringComparison.Ordinal);
                if (!found.TryGetValue(entry.Key, out var allUnchanged) || allUnchanged)
                {
                    found[entry.Key] = unchanged;
                }

                i = entry.LastLine;
            }

            foreach (var pair in assignments)
            {
                if (found.TryGetValue(pair.Key, out var unchanged))
                {
                    actions[pair.Key] = unchanged ? SyncAction.Unchanged : SyncAction.Updated;
                    continue;
                }

                if (output.Length > 0 && output[output.Length - 1] != '\n')
                {
                    output.Append(newline);
                }

                output.Append(wanted[pair.Key]).Append(newline);
                found[pair.Key] = false;
                actions[pair.Key] = SyncAction.Created;
            }

            return output.ToString();
        }

        /// <summary>The largest dotenv file read (16 MB): a compose .env is a few kilobytes.</summary>
        internal const int MaxFileBytes = 16 * 1024 * 1024;

        /// <summary>
        /// Reads, edits and atomically rewrites the file (creating it owner-only when missing). Only a regular
        /// file this user owns and may write is edited; a symbolic link is followed only where no other user
        /// controls it and never to a file that does not exist (see <see cref="FileTrust.ResolveFileToEdit"/>).
        /// </summary>
        public static IDictionary<string, SyncAction> Update(string path, IReadOnlyList<KeyValuePair<string, string>> assignments, IOperationLog? log = null)
        {
            var target = Checked(FileTrust.ResolveFileToEdit(path));
            path = target.Path;
            var directory = Path.GetDirectoryName(path);
            if (string.IsNullOrEmpty(directory) || !Directory.Exists(directory))
            {
                throw new EcrAirflowException("DotEnvFolderNotFound", FailureKind.ObjectNotFound,
                    $"The folder of the dotenv file '{path}' does not exist.", "Create the folder first, or give -Path a file in an existing folder.")
                { TargetObject = path };
            }

            // Read, edit and replace under a lock: two runs writing the same file at once would otherwise
            // both read the old text and the second rename would drop the first one's variable.
            using (DotEnvLock.Acquire(path))
            {
                // Again under the lock: another run may have created the file meanwhile.
                target = Checked(FileTrust.ResolveFileToEdit(path));
                var exists = target.Exists;
                var original = exists ? DotEnvSyntax.Bytes.GetString(ReadBounded(path)) : string.Empty;
                var actions = new Dictionary<string, SyncAction>(StringComparer.Ordinal);
                var updated = Apply(original, assignments, actions);
                if (exists && string.Equals(original, updated, StringComparison.Ordinal))
                {
                    return actions;
                }

                if (target.Status is UnixFileStatus status && FileTrust.IsReadableByOthers(status))
                {
                    // A compose .env is often 0644: refusing would only teach users to work around it, so say it.
                    log?.Warning($"The dotenv file '{path}' can be read by other users (mode {FileTrust.Octal(status.Permissions)}) and now holds a registry token: run chmod 600 '{path}' unless another account must read it.");
                }

                // A new file is owner-only; an existing one keeps its mode (e.g. 0640 for a group that reads it).
                var mode = exists ? target.Status?.Permissions ?? OwnerOnlyFile.GetUnixMode(path) ?? OwnerOnlyFile.OwnerReadWrite : OwnerOnlyFile.OwnerReadWrite;
                AtomicFile.Replace(path, DotEnvSyntax.Bytes.GetBytes(updated), mode, exists);
                return actions;
            }
        }

        /// <summary>
        /// The variables the file defines (<see cref="DotEnvSyntax.ReadValues"/>); null when there is no file. What is
        /// never read: a FIFO, device or folder (a read would hang or never end) and a link another user controls. With
        /// <paramref name="forEdit"/> (a refresh, which writes next) the edit's rules apply too: a file of another user
        /// or a read-only one is refused here, before anything is merged, with the error the write would give.
        /// </summary>
        public static Dictionary<string, string>? Read(string path, bool forEdit = true)
        {
            var target = FileTrust.ResolveFileToEdit(path);
            if (forEdit || (target.Rule != "ReadOnly" && target.Rule != "NotOwned"))
            {
                target = Checked(target);
            }

            if (!target.Exists)
            {
                return null;
            }

            return DotEnvSyntax.ReadValues(DotEnvSyntax.Bytes.GetString(ReadBounded(target.Path)));
        }

        /// <summary>The file's refusal, if any, as the error a user sees.</summary>
        private static FileTrust.EditTarget Checked(FileTrust.EditTarget target)
        {
            if (target.Refusal == null)
            {
                return target;
            }

            var (id, kind, hint) = target.Rule switch
            {
                "ReadOnly" => ("DotEnvReadOnly", FailureKind.PermissionDenied,
                    "Make the file writable for this user (chmod u+w, or clear the read-only attribute), or give -Path another file."),
                "NotOwned" => ("DotEnvOwnedByOtherUser", FailureKind.SecurityError,
                    "Run the command as the file's owner, or let its owner hand it over (chown), or give -Path a file of your own."),
                "NotRegular" => ("DotEnvNotRegularFile", FailureKind.InvalidArgument,
                    "Give -Path a regular file (or a path where one can be created), not a folder, pipe or device."),
                _ => ("DotEnvLinkNotFollowed", FailureKind.SecurityError,
                    "Give -Path the file itself, or a link in a folder only you (and root) can write to, pointing at a file that exists."),
            };
            throw new EcrAirflowException(id, kind, $"The dotenv file '{target.Path}' was not written: {target.Refusal}. Nothing was written.", hint)
            { TargetObject = target.Path };
        }

        /// <summary>The whole file, refused beyond <see cref="MaxFileBytes"/> (a dotenv file is kilobytes).</summary>
        private static byte[] ReadBounded(string path)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            if (stream.Length > MaxFileBytes)
            {
                throw new EcrAirflowException("DotEnvTooLarge", FailureKind.InvalidData,
                    $"The dotenv file '{path}' is larger than {MaxFileBytes / (1024 * 1024)} MB, which no dotenv file is. Nothing was written.",
                    "Check -Path: it must be a dotenv file (KEY=VALUE lines), such as docker compose's .env.")
                { TargetObject = path };
            }

            var bytes = new byte[stream.Length];
            var read = 0;
            while (read < bytes.Length)
            {
                var n = stream.Read(bytes, read, bytes.Length - read);
                if (n <= 0)
                {
                    Array.Resize(ref bytes, read);
                    break;
                }

                read += n;
            }

            return bytes;
        }

    }
}
