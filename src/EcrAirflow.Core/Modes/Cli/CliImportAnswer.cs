using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace EcrAirflow.Core.Modes.Cli
{
    /// <summary>
    /// Reads what `airflow connections import FILE --overwrite` answered. Airflow's import prints one
    /// line per connection on stdout ("Imported connection ID", or "Could not import connection ID:
    /// REASON" with exit code 0), exits 1 with the message on stderr on errors (SystemExit, tracebacks)
    /// and exits 2 on argparse errors ("airflow command error: MESSAGE, see help above.").
    /// </summary>
    internal sealed class CliImportAnswer
    {
        private static readonly Regex ExceptionLine = new Regex(@"^[A-Za-z_][\w.]*: \S", RegexOptions.CultureInvariant);
        private static readonly Regex ArgparseLine = new Regex(@"command error: (?<message>.*?)(?:, see help above\.)?\s*$", RegexOptions.CultureInvariant | RegexOptions.Multiline);

        private CliImportAnswer()
        {
        }

        /// <summary>Connection ids Airflow reported as imported.</summary>
        public List<string> Imported { get; } = new List<string>();

        /// <summary>Connections that were not imported, each with the reason.</summary>
        public Dictionary<string, EcrAirflowException> Failures { get; } = new Dictionary<string, EcrAirflowException>(StringComparer.Ordinal);

        /// <summary>Set when the run as a whole failed (the failures above then repeat it per connection).</summary>
        public EcrAirflowException? BatchError { get; private set; }

        /// <summary>Parses an answer whose output was already redacted.</summary>
        public static CliImportAnswer Parse(CliRunResult run, IReadOnlyList<string> connectionIds, string prefix)
        {
            var answer = new CliImportAnswer();
            var output = run.StandardOutput + "\n" + run.StandardError;

            // Rich (used by some Airflow versions for printing) wraps long lines; compare with runs of
            // white space collapsed so a wrapped "Imported connection\nID" still counts.
            var flat = Regex.Replace(output, @"\s+", " ");
            foreach (var id in connectionIds)
            {
                if (Regex.IsMatch(flat, @"(?:^|\s)Imported connection " + Regex.Escape(id) + @"(?=\s|$)", RegexOptions.CultureInvariant))
                {
                    answer.Imported.Add(id);
                }
            }

            if (run.ExitCode == 0)
            {
                var anonymous = FirstMatch(output, @"^Could not import connection\. (?<why>.*)$");
                foreach (var id in connectionIds.Where(i => !answer.Imported.Contains(i)))
                {
                    var why = FirstMatch(output, @"^Could not import connection " + Regex.Escape(id) + @": (?<why>.*)$") ?? anonymous;
                    answer.Failures[id] = why != null ? CliErrors.Rejected(id, why) : CliErrors.NotConfirmed(id, prefix);
                }

                return answer;
            }

            answer.BatchError = BatchFailure(run, prefix);
            foreach (var id in connectionIds.Where(i => !answer.Imported.Contains(i)))
            {
                answer.Failures[id] = answer.BatchError;
            }

            return answer;
        }

        /// <summary>What a non-zero exit of the whole CLI means (argparse, not executable, not found, or a failure).</summary>
        internal static EcrAirflowException BatchFailure(CliRunResult run, string prefix)
        {
            var stderr = run.StandardError;
            switch (run.ExitCode)
            {
                case 2:
                    // argparse: unknown --overwrite (Airflow < 2.6) or no import sub-command at all (< 2.1).
                    if ((stderr.IndexOf("unrecognized arguments", StringComparison.Ordinal) >= 0 && stderr.IndexOf("--overwrite", StringComparison.Ordinal) >= 0)
                        || stderr.IndexOf("invalid choice: 'import'", StringComparison.Ordinal) >= 0)
                    {
                        return CliErrors.TooOld(prefix);
                    }

                    var usage = ArgparseLine.Match(stderr);
                    return CliErrors.UsageError(prefix, usage.Success ? usage.Groups["message"].Value : Summary(stderr, run.StandardOutput));
                case 126:
                    return new EcrAirflowException(
                        "AirflowCommandNotExecutable",
                        FailureKind.PermissionDenied,
                        $"The Airflow command ({prefix}) could not be executed (exit code 126): {Summary(stderr, run.StandardOutput)}",
                        "Check that the last element of -AirflowCommand is an executable the wrapper (docker exec, kubectl exec, env) can run.");
                case 127:
                    // The shell/env/docker convention for "command not found" from a wrapper.
                    return CliErrors.CommandNotFound(prefix, Summary(stderr, run.StandardOutput));
                default:
                    return CliErrors.Failed(prefix, run.ExitCode, Summary(stderr, run.StandardOutput));
            }
        }

        /// <summary>
        /// What says what went wrong: for a Python traceback its last "Type: message" line; otherwise the first
        /// lines of stderr (or of stdout when stderr is empty), where a wrapper such as docker or kubectl puts its
        /// error before a "Run '... --help'" line.
        /// </summary>
        internal static string Summary(string stderr, string stdout)
        {
            var lines = Lines(stderr);
            if (lines.Count == 0)
            {
                lines = Lines(stdout);
            }

            var exception = lines.LastOrDefault(l => ExceptionLine.IsMatch(l));
            var text = exception ?? string.Join(" / ", FirstLines(lines));
            return text.Length > 600 ? text.Substring(0, 600) + "…" : text;
        }

        /// <summary>The first few non-empty lines of <paramref name="text"/>, each at most 300 characters.</summary>
        internal static IReadOnlyList<string> FirstLines(string text) => FirstLines(Lines(text));

        private static IReadOnlyList<string> FirstLines(List<string> lines) =>
            lines.Take(3).Select(l => l.Length > 300 ? l.Substring(0, 300) + "…" : l).ToList();

        private static List<string> Lines(string text) => text
            .Split(new[] { '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.TrimEnd())
            .Where(l => l.Trim().Length > 0)
            .ToList();

        private static string? FirstMatch(string text, string pattern)
        {
            var match = Regex.Match(text, pattern, RegexOptions.CultureInvariant | RegexOptions.Multiline);
            return match.Success ? match.Groups["why"].Value.TrimEnd('\r', ' ') : null;
        }
    }
}
