using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using EcrAirflow.Internal;

namespace EcrAirflow.Airflow.EnvironmentVariables
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
        /// Every byte maps to the char of the same number, so the text can be edited as a string and
        /// written back byte for byte.
        /// </summary>
        private static readonly Encoding Bytes = Encoding.GetEncoding(28591);

        private const string Bom = "\u00EF\u00BB\u00BF";

        /// <summary>
        /// Quotes a value so docker compose and python-dotenv both read back exactly the same string.
        /// Single quotes are literal in both (no escapes, no ${...} interpolation) and take any value
        /// without ' \ or a line break — every URI value qualifies. Otherwise double quotes with \\ and
        /// \" escapes, which both decode alike, as long as there is no $ (both would interpolate it);
        /// JSON values written by EcrAirflow never contain ' or $ (they are \u-escaped).
        /// </summary>
        public static string Quote(string name, string value)
        {
            if (value.IndexOf('\r') >= 0 || value.IndexOf('\n') >= 0)
            {
                throw NotRepresentable(name, "it contains a line break");
            }

            if (value.IndexOf('\'') < 0 && value.IndexOf('\\') < 0)
            {
                return "'" + value + "'";
            }

            if (value.IndexOf('$') >= 0)
            {
                throw NotRepresentable(name, "it contains both a quote or backslash and a '$'");
            }

            return "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
        }

        /// <summary>
        /// Applies the assignments to the file's text (as read with <see cref="Bytes"/>) and says, per
        /// name, whether the line was Created, Updated or already Unchanged. Every definition of a name is
        /// replaced in place (keeping an "export " prefix and a trailing comment); a missing one is appended.
        /// </summary>
        internal static string Apply(string text, IReadOnlyList<KeyValuePair<string, string>> assignments, IDictionary<string, SyncAction> actions)
        {
            var lines = SplitLines(text);
            var newline = DetectNewline(text);
            var wanted = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in assignments)
            {
                // A line of UTF-8 bytes, seen through the byte-per-char view.
                wanted[pair.Key] = Bytes.GetString(Encoding.UTF8.GetBytes(pair.Key + "=" + Quote(pair.Key, pair.Value)));
            }

            var output = new StringBuilder(text.Length + 256);
            var found = new Dictionary<string, bool>(StringComparer.Ordinal);
            for (var i = 0; i < lines.Count; i++)
            {
                var entry = ReadEntry(lines, i, i == 0 && text.StartsWith(Bom, StringComparison.Ordinal) ? Bom.Length : 0);
                if (entry == null)
                {
                    output.Append(lines[i]);
                    continue;
                }

                if (!wanted.TryGetValue(entry.Key, out var replacement))
                {
                    // Another variable, copied as it is: all its lines, so that a line inside its
                    // multi-line quoted value is never taken for a definition.
                    output.Append(Concat(lines, entry.FirstLine, entry.LastLine));
                    i = entry.LastLine;
                    continue;
                }

                var first = lines[entry.FirstLine];
                var last = lines[entry.LastLine];
                var oldText = Concat(lines, entry.FirstLine, entry.LastLine);
                // Keep what stood before the key (indentation, BOM, "export ") and after the value (a
                // comment) and the last line's own ending; replace KEY=VALUE in between.
                var ending = LineEnding(last);
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
                var original = exists ? Bytes.GetString(ReadBounded(path)) : string.Empty;
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
                WriteAtomically(path, Bytes.GetBytes(updated), mode, exists);
                return actions;
            }
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

        private static void WriteAtomically(string path, byte[] content, int mode, bool replace)
        {
            var temp = Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + "." + RandomSuffix() + ".tmp");
            var created = false;
            try
            {
                using (var stream = OwnerOnlyFile.CreateNew(temp, mode))
                {
                    created = true;
                    stream.Write(content, 0, content.Length);
                    stream.Flush(flushToDisk: true);
                }

                if (replace && OwnerOnlyFile.IsWindows)
                {
                    // ReplaceFile keeps the replaced file's ACL and attributes.
                    File.Replace(temp, path, null);
                }
                else
                {
#if NET8_0_OR_GREATER
                    File.Move(temp, path, overwrite: true); // rename(2): atomic on the same file system
#else
                    if (replace)
                    {
                        File.Replace(temp, path, null);
                    }
                    else
                    {
                        File.Move(temp, path);
                    }
#endif
                }

                created = false;
            }
            finally
            {
                if (created)
                {
                    OwnerOnlyFile.TryDelete(temp);
                }
            }
        }

        private static EcrAirflowException NotRepresentable(string name, string why) => new EcrAirflowException(
            "DotEnvValueNotRepresentable",
            FailureKind.InvalidData,
            $"The value of {name} cannot be written to a dotenv file so that docker compose and python-dotenv read it back unchanged: {why}.",
            "Use -Format Uri (always representable), or remove the quote, backslash or '$' from -Description / -Email.")
        { TargetObject = name };

        private sealed class Entry
        {
            public string Key = "";
            public int KeyStart;
            public int FirstLine;
            public int LastLine;
            public string Trailer = "";
        }

        /// <summary>
        /// Reads the definition that starts at line <paramref name="index"/>, if there is one: optional
        /// indentation and "export ", KEY, '=', and a value that may be quoted across several lines.
        /// </summary>
        private static Entry? ReadEntry(List<string> lines, int index, int offset)
        {
            var line = lines[index];
            var pos = offset;
            while (pos < line.Length && (line[pos] == ' ' || line[pos] == '\t'))
            {
                pos++;
            }

            if (pos >= line.Length || line[pos] == '#' || line[pos] == '\r' || line[pos] == '\n')
            {
                return null;
            }

            var keyStart = pos;
            if (string.CompareOrdinal(line, pos, "export", 0, 6) == 0 && pos + 6 < line.Length && (line[pos + 6] == ' ' || line[pos + 6] == '\t'))
            {
                pos += 6;
                while (pos < line.Length && (line[pos] == ' ' || line[pos] == '\t'))
                {
                    pos++;
                }

                keyStart = pos;
            }

            var eq = line.IndexOf('=', pos);
            if (eq < 0)
            {
                return null;
            }

            var key = line.Substring(pos, eq - pos).TrimEnd(' ', '\t');
            if (key.Length == 0 || key.IndexOfAny(new[] { ' ', '\t', '#', '\'', '"' }) >= 0)
            {
                return null;
            }

            var v = eq + 1;
            while (v < line.Length && (line[v] == ' ' || line[v] == '\t'))
            {
                v++;
            }

            var entry = new Entry { Key = key, KeyStart = keyStart, FirstLine = index, LastLine = index };
            if (v < line.Length && (line[v] == '\'' || line[v] == '"'))
            {
                // A quoted value ends at the next unescaped quote of the same kind, possibly lines later.
                var quote = line[v];
                var l = index;
                var p = v + 1;
                var text = line;
                while (true)
                {
                    var close = FindClosingQuote(text, p, quote);
                    if (close >= 0)
                    {
                        entry.LastLine = l;
                        entry.Trailer = Comment(StripEnding(text).Substring(Math.Min(close + 1, StripEnding(text).Length)));
                        return entry;
                    }

                    if (l + 1 >= lines.Count)
                    {
                        // Unterminated: treat it as one line, as a lenient reader would.
                        entry.Trailer = string.Empty;
                        return entry;
                    }

                    l++;
                    text = lines[l];
                    p = 0;
                }
            }

            var body = StripEnding(line);
            var hash = body.IndexOf(" #", v, StringComparison.Ordinal);
            var tab = body.IndexOf("\t#", v, StringComparison.Ordinal);
            if (tab >= 0 && (hash < 0 || tab < hash))
            {
                hash = tab;
            }

            entry.Trailer = hash >= 0 ? body.Substring(hash) : string.Empty;
            return entry;
        }

        private static int FindClosingQuote(string text, int start, char quote)
        {
            for (var i = start; i < text.Length; i++)
            {
                if (text[i] == '\\')
                {
                    i++;
                    continue;
                }

                if (text[i] == quote)
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>What follows a quoted value: kept only when it is a comment (after white space).</summary>
        private static string Comment(string rest)
        {
            var trimmed = rest.TrimStart(' ', '\t');
            return trimmed.StartsWith("#", StringComparison.Ordinal) && trimmed.Length < rest.Length ? rest : string.Empty;
        }

        private static List<string> SplitLines(string text)
        {
            var lines = new List<string>();
            var start = 0;
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] == '\n')
                {
                    lines.Add(text.Substring(start, i + 1 - start));
                    start = i + 1;
                }
            }

            if (start < text.Length)
            {
                lines.Add(text.Substring(start));
            }

            return lines;
        }

        private static string Concat(List<string> lines, int first, int last)
        {
            var sb = new StringBuilder();
            for (var i = first; i <= last; i++)
            {
                sb.Append(lines[i]);
            }

            return sb.ToString();
        }

        private static string StripEnding(string line)
        {
            var end = line.Length;
            if (end > 0 && line[end - 1] == '\n')
            {
                end--;
            }

            if (end > 0 && line[end - 1] == '\r')
            {
                end--;
            }

            return line.Substring(0, end);
        }

        private static string LineEnding(string line) => line.Substring(StripEnding(line).Length);

        /// <summary>The file's own convention: CRLF when its first line ends so, else LF.</summary>
        private static string DetectNewline(string text)
        {
            var lf = text.IndexOf('\n');
            return lf > 0 && text[lf - 1] == '\r' ? "\r\n" : "\n";
        }

        private static string RandomSuffix()
        {
            var bytes = new byte[6];
            using (var rng = RandomNumberGenerator.Create())
            {
                rng.GetBytes(bytes);
            }

            return BitConverter.ToString(bytes).Replace("-", string.Empty).ToLowerInvariant();
        }
    }
}
