using System;
using System.Collections.Generic;
using System.Text;

namespace EcrAirflow.Core.Modes.EnvironmentVariable
{
    /// <summary>
    /// The dotenv syntax that docker compose's .env and python-dotenv share: KEY=VALUE lines with an optional
    /// "export ", comments, quoted values that may span lines, and how a value must be quoted so both read it
    /// back unchanged. The text is handled byte for byte (<see cref="Bytes"/>), so an edit keeps every other byte.
    /// </summary>
    internal static class DotEnvSyntax
    {
        /// <summary>
        /// Every byte maps to the char of the same number, so the text can be edited as a string and
        /// written back byte for byte.
        /// </summary>
        internal static readonly Encoding Bytes = Encoding.GetEncoding(28591);

        internal const string Bom = "\u00EF\u00BB\u00BF";

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
        /// The variables a dotenv file defines, as docker compose and python-dotenv read them: single quotes literal,
        /// double quotes with \\, \" and \n escapes, an unquoted value up to a " #" comment. The last definition of a
        /// name wins. The text is the file's bytes seen through <see cref="Bytes"/>; values come back as UTF-8.
        /// </summary>
        internal static Dictionary<string, string> ReadValues(string text)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            var lines = SplitLines(text);
            for (var i = 0; i < lines.Count; i++)
            {
                var entry = ReadEntry(lines, i, i == 0 && text.StartsWith(Bom, StringComparison.Ordinal) ? Bom.Length : 0);
                if (entry == null)
                {
                    continue;
                }

                var definition = Concat(lines, entry.FirstLine, entry.LastLine);
                var start = definition.IndexOf('=', entry.KeyStart) + 1;
                var body = StripEnding(definition).Substring(start).TrimStart(' ', '\t');
                string value;
                if (body.Length > 0 && (body[0] == '\'' || body[0] == '"'))
                {
                    var close = FindClosingQuote(body, 1, body[0]);
                    var inner = close > 0 ? body.Substring(1, close - 1) : body.Substring(1);
                    value = body[0] == '\'' ? inner : Unescape(inner);
                }
                else
                {
                    var trailer = entry.Trailer.Length > 0 ? body.LastIndexOf(entry.Trailer.Trim(), StringComparison.Ordinal) : -1;
                    value = (trailer > 0 ? body.Substring(0, trailer) : body).TrimEnd(' ', '\t');
                }

                values[entry.Key] = Encoding.UTF8.GetString(Bytes.GetBytes(value));
                i = entry.LastLine;
            }

            return values;
        }

        private static string Unescape(string inner)
        {
            var sb = new StringBuilder(inner.Length);
            for (var i = 0; i < inner.Length; i++)
            {
                if (inner[i] == '\\' && i + 1 < inner.Length)
                {
                    var next = inner[++i];
                    sb.Append(next == 'n' ? '\n' : next == 'r' ? '\r' : next == 't' ? '\t' : next);
                }
                else
                {
                    sb.Append(inner[i]);
                }
            }

            return sb.ToString();
        }

        internal static EcrAirflowException NotRepresentable(string name, string why) => new EcrAirflowException(
            "DotEnvValueNotRepresentable",
            FailureKind.InvalidData,
            $"The value of {name} cannot be written to a dotenv file so that docker compose and python-dotenv read it back unchanged: {why}.",
            "Use -Format Uri (always representable), or remove the quote, backslash or '$' from -Description / -Email.")
        { TargetObject = name };

        internal sealed class Entry
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
        internal static Entry? ReadEntry(List<string> lines, int index, int offset)
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

        internal static int FindClosingQuote(string text, int start, char quote)
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
        internal static string Comment(string rest)
        {
            var trimmed = rest.TrimStart(' ', '\t');
            return trimmed.StartsWith("#", StringComparison.Ordinal) && trimmed.Length < rest.Length ? rest : string.Empty;
        }

        internal static List<string> SplitLines(string text)
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

        internal static string Concat(List<string> lines, int first, int last)
        {
            var sb = new StringBuilder();
            for (var i = first; i <= last; i++)
            {
                sb.Append(lines[i]);
            }

            return sb.ToString();
        }

        internal static string StripEnding(string line)
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

        internal static string LineEnding(string line) => line.Substring(StripEnding(line).Length);

        /// <summary>The file's own convention: CRLF when its first line ends so, else LF.</summary>
        internal static string DetectNewline(string text)
        {
            var lf = text.IndexOf('\n');
            return lf > 0 && text[lf - 1] == '\r' ? "\r\n" : "\n";
        }
    }
}
