using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace EcrAirflow.Core.Modes.Cli
{
    /// <summary>How an argument vector is shown to users and, on .NET Framework, passed to Windows.</summary>
    internal static class CliCommandLine
    {
        /// <summary>
        /// A readable form for messages and the result's Target: arguments joined by spaces, those with
        /// spaces or quotes in single quotes (PowerShell style, so it can be pasted back).
        /// </summary>
        public static string Display(IEnumerable<string> argv) => string.Join(" ", argv.Select(DisplayOne));

        private static string DisplayOne(string arg)
        {
            if (arg.Length > 0 && arg.All(c => !char.IsWhiteSpace(c) && c != '\'' && c != '"' && c != '`' && c != '$' && c != ';'))
            {
                return arg;
            }

            return "'" + arg.Replace("'", "''") + "'";
        }

        /// <summary>
        /// Quotes arguments for a Windows command line so that CommandLineToArgvW and the MSVC runtime
        /// split it back into exactly these strings: wrap in double quotes when needed, double the
        /// backslashes that precede a quote or the closing quote, and escape embedded quotes.
        /// (.NET Core has ProcessStartInfo.ArgumentList for this; .NET Framework does not.)
        /// </summary>
        public static string ToWindowsArguments(IEnumerable<string> args) => string.Join(" ", args.Select(QuoteWindows));

        internal static string QuoteWindows(string arg)
        {
            if (arg.Length > 0 && arg.IndexOfAny(new[] { ' ', '\t', '\n', '\v', '"' }) < 0)
            {
                return arg;
            }

            var sb = new StringBuilder(arg.Length + 2);
            sb.Append('"');
            var backslashes = 0;
            foreach (var ch in arg)
            {
                if (ch == '\\')
                {
                    backslashes++;
                    continue;
                }

                if (ch == '"')
                {
                    // Backslashes before a quote are escapes: double them, then escape the quote.
                    sb.Append('\\', backslashes * 2 + 1);
                }
                else
                {
                    sb.Append('\\', backslashes);
                }

                backslashes = 0;
                sb.Append(ch);
            }

            // Backslashes before the closing quote must not escape it.
            sb.Append('\\', backslashes * 2);
            sb.Append('"');
            return sb.ToString();
        }
    }
}
