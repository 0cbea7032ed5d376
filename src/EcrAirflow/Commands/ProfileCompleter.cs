using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text.RegularExpressions;

namespace EcrAirflow.Commands
{
    /// <summary>
    /// Tab completion of AWS profile names for -ProfileName: the sections of the AWS config file ([profile NAME], and
    /// [default]) and of the shared credentials file ([NAME]), honouring AWS_CONFIG_FILE and
    /// AWS_SHARED_CREDENTIALS_FILE (and -ProfileLocation when it is already on the command line), as the AWS CLI
    /// reads them. It reads only section headers, never a key, and never calls AWS.
    /// </summary>
    public sealed class ProfileCompleter : IArgumentCompleter
    {
        private static readonly Regex Section = new Regex(@"^\s*\[\s*(?:profile\s+)?(?<name>[^\]\s][^\]]*?)\s*\]", RegexOptions.CultureInvariant);

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            var location = fakeBoundParameters != null && fakeBoundParameters.Contains("ProfileLocation") ? fakeBoundParameters["ProfileLocation"]?.ToString() : null;
            return Names(location)
                .Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(n => new CompletionResult(Quote(n), n, CompletionResultType.ParameterValue, n));
        }

        /// <summary>The profile names in the files the AWS CLI would read, in file order, once each.</summary>
        internal static IEnumerable<string> Names(string? profileLocation)
        {
            var names = new List<string>();
            foreach (var file in Files(profileLocation))
            {
                string[] lines;
                try
                {
                    if (!File.Exists(file))
                    {
                        continue;
                    }

                    lines = File.ReadAllLines(file);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    continue; // completion never fails
                }

                foreach (var line in lines)
                {
                    var match = Section.Match(line);
                    // The config file's [sso-session x] and [services x] sections are not profiles.
                    if (match.Success && !line.TrimStart().StartsWith("[sso-session", StringComparison.Ordinal)
                        && !line.TrimStart().StartsWith("[services", StringComparison.Ordinal)
                        && !names.Contains(match.Groups["name"].Value, StringComparer.Ordinal))
                    {
                        names.Add(match.Groups["name"].Value);
                    }
                }
            }

            return names;
        }

        private static IEnumerable<string> Files(string? profileLocation)
        {
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            if (!string.IsNullOrEmpty(profileLocation))
            {
                yield return profileLocation!;
            }
            else
            {
                yield return Environment.GetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE") is string credentials && credentials.Length > 0
                    ? credentials
                    : Path.Combine(home, ".aws", "credentials");
            }

            yield return Environment.GetEnvironmentVariable("AWS_CONFIG_FILE") is string config && config.Length > 0
                ? config
                : Path.Combine(home, ".aws", "config");
        }

        private static string Quote(string name) =>
            name.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', ';', '(', ')', '{', '}', '&', '|', '@', '#', ',' }) >= 0
                ? "'" + name.Replace("'", "''") + "'"
                : name;
    }
}
