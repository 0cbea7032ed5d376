using System;
using System.Text;
using System.Text.RegularExpressions;

namespace EcrAirflow.Tests
{
    /// <summary>
    /// Test-side readers of one dotenv line, written from each tool's documented rules, to check that a
    /// value EcrAirflow writes reads back unchanged in both. Anything these rules would expand ($) makes
    /// them throw, since a silently different value is what the tests are there to catch.
    /// </summary>
    internal static class DotEnvRules
    {
        /// <summary>
        /// docker compose (compose-go dotenv): single quotes are literal except \' ; double quotes expand
        /// \n, \r and unescape \x to x, then interpolate $; unquoted values end at " #" and are trimmed.
        /// </summary>
        public static (string Key, string Value) ReadCompose(string line)
        {
            var (key, raw) = SplitKey(line);
            if (raw.Length > 0 && (raw[0] == '\'' || raw[0] == '"'))
            {
                var quote = raw[0];
                var chars = new StringBuilder();
                var escape = false;
                for (var i = 1; i < raw.Length; i++)
                {
                    var c = raw[i];
                    if (c != quote)
                    {
                        if (!escape && c == '\\')
                        {
                            escape = true;
                            continue;
                        }

                        if (escape)
                        {
                            escape = false;
                            chars.Append('\\');
                        }

                        chars.Append(c);
                        continue;
                    }

                    if (escape)
                    {
                        escape = false;
                        chars.Append(c);
                        continue;
                    }

                    var value = chars.ToString();
                    if (quote == '"')
                    {
                        value = Regex.Replace(value, @"\\.", m => m.Value[1] == 'n' ? "\n" : m.Value[1] == 'r' ? "\r" : m.Value);
                        value = Regex.Replace(value, @"\\([^$])", "$1");
                        NoInterpolation(value);
                    }

                    return (key, value);
                }

                throw new FormatException("unterminated quoted value");
            }

            var cut = raw.IndexOf(" #", StringComparison.Ordinal);
            var unquoted = (cut >= 0 ? raw.Substring(0, cut) : raw).TrimEnd();
            NoInterpolation(unquoted);
            return (key, unquoted);
        }

        /// <summary>
        /// python-dotenv: '...' decodes \\ and \' ; "..." decodes \\ \' \" \a \b \f \n \r \t \v ; both
        /// unquoted and double-quoted values interpolate ${NAME}; unquoted values lose a " #" comment.
        /// </summary>
        public static (string Key, string Value) ReadPythonDotenv(string line)
        {
            var (key, raw) = SplitKey(line);
            var single = Regex.Match(raw, @"^'((?:\\'|[^'])*)'");
            if (single.Success)
            {
                return (key, Regex.Replace(single.Groups[1].Value, @"\\[\\']", m => m.Value.Substring(1)));
            }

            var dbl = Regex.Match(raw, "^\"((?:\\\\\"|[^\"])*)\"");
            if (dbl.Success)
            {
                var value = Regex.Replace(dbl.Groups[1].Value, @"\\[\\'""abfnrtv]", m => m.Value[1] switch
                {
                    'a' => "\a",
                    'b' => "\b",
                    'f' => "\f",
                    'n' => "\n",
                    'r' => "\r",
                    't' => "\t",
                    'v' => "\v",
                    _ => m.Value.Substring(1),
                });
                if (value.Contains("${", StringComparison.Ordinal))
                {
                    throw new FormatException("python-dotenv would interpolate ${...}");
                }

                return (key, value);
            }

            var unquoted = Regex.Replace(raw, @"\s+#.*", "").Trim();
            if (unquoted.Contains("${", StringComparison.Ordinal))
            {
                throw new FormatException("python-dotenv would interpolate ${...}");
            }

            return (key, unquoted);
        }

        private static (string, string) SplitKey(string line)
        {
            line = line.TrimEnd('\r', '\n');
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("export ", StringComparison.Ordinal))
            {
                trimmed = trimmed.Substring(7).TrimStart();
            }

            var eq = trimmed.IndexOf('=');
            return (trimmed.Substring(0, eq).Trim(), trimmed.Substring(eq + 1).TrimStart());
        }

        private static void NoInterpolation(string value)
        {
            if (value.Contains('$'))
            {
                throw new FormatException("docker compose would interpolate $");
            }
        }
    }
}
