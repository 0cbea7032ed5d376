using System;
using System.IO;
using System.Text;
using EcrAirflow.Core.Internal.Files;
using EcrAirflow.Core.Internal.Files.Native;

namespace EcrAirflow.Core.Modes.EnvironmentVariable
{
    /// <summary>
    /// GitHub Actions workflow commands and environment file, as documented: "::add-mask::VALUE" on
    /// stdout (data escaped: % → %25, CR → %0D, LF → %0A), and for later steps an entry appended to the
    /// file named by GITHUB_ENV in the multi-line form NAME&lt;&lt;DELIMITER, value, DELIMITER.
    /// </summary>
    internal static class GitHubActionsCommands
    {
        public static string AddMask(string secret) => "::add-mask::" + EscapeData(secret);

        public static string EscapeData(string value) => value.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");

        /// <summary>One entry for $GITHUB_ENV; the delimiter must not occur in the value.</summary>
        public static string EnvFileEntry(string name, string value, string delimiter)
        {
            if (value.IndexOf(delimiter, StringComparison.Ordinal) >= 0)
            {
                throw new ArgumentException("The delimiter occurs in the value.", nameof(delimiter));
            }

            return name + "<<" + delimiter + "\n" + value + "\n" + delimiter + "\n";
        }

        /// <summary>A delimiter no value will contain: random, as the Actions toolkit does.</summary>
        public static string NewDelimiter() => "ghadelimiter_" + Guid.NewGuid().ToString("D");

        /// <summary>
        /// The file GITHUB_ENV names, checked before anything is written (<see cref="FileTrust.ResolveFileToEdit"/>):
        /// a FIFO would hang the step, a device never ends, a dangling link would create a file in another folder,
        /// and a file or link of another user is theirs to read (except for root, whose container-job steps append
        /// to the runner user's file). Returns the file to append to. A folder, or a file this user cannot write,
        /// is left to the append to fail (GitHubEnvWriteFailed).
        /// </summary>
        public static string CheckEnvFile(string path)
        {
            var target = FileTrust.ResolveFileToEdit(path);
            var isFolder = target.Status is UnixFileStatus s && s.IsDirectory || !UnixFile.Supported && Directory.Exists(target.Path);

            // In a container job the steps run as root and the file belongs to the runner's user, by design.
            var rootInContainerJob = target.Rule == "NotOwned" && IsRoot();
            if (target.Refusal != null && target.Rule != "ReadOnly" && !isFolder && !rootInContainerJob)
            {
                throw new EcrAirflowException("GitHubEnvUnsafe", FailureKind.SecurityError,
                    $"The GitHub Actions environment file '{path}' (GITHUB_ENV) was not used: {target.Refusal}. Nothing was written.",
                    "Check the GITHUB_ENV variable: the runner sets it to a regular file of the job's user for each step.")
                { TargetObject = path };
            }

            return target.Path;
        }

        private static bool IsRoot()
        {
#if NET8_0_OR_GREATER
            return UnixFile.Supported && UnixFile.EffectiveUserId == 0;
#else
            return false;
#endif
        }

        /// <summary>Appends to the environment file, starting on a new line if the file does not end with one.</summary>
        public static void AppendToEnvFile(string path, string text)
        {
            // Never through a link to a file that is not there (CheckEnvFile resolved links): CreateNew fails on
            // any existing name, a dangling link included.
            using var stream = File.Exists(path) || Directory.Exists(path)
                ? new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read)
                : new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
            var prefix = string.Empty;
            if (stream.Length > 0)
            {
                stream.Seek(-1, SeekOrigin.End);
                if (stream.ReadByte() != '\n')
                {
                    prefix = "\n";
                }
            }

            stream.Seek(0, SeekOrigin.End);
            var bytes = new UTF8Encoding(false).GetBytes(prefix + text);
            stream.Write(bytes, 0, bytes.Length);
            stream.Flush();
        }
    }

    /// <summary>
    /// Azure Pipelines logging commands, as documented: "##vso[task.setsecret]VALUE" registers a value
    /// for masking, "##vso[task.setvariable variable=NAME;issecret=true]VALUE" sets a secret variable
    /// for later steps (which must map it into their environment explicitly: env: NAME: $(NAME)).
    /// </summary>
    /// <remarks>
    /// The agent decodes %0D, %0A, %3B and %5D in a command's data (and %AZP25 when percent decoding is
    /// on), so a value holding one of those sequences would arrive changed. ECR tokens, registry hosts
    /// and EcrAirflow's URI and JSON forms of them never do; anything else is refused, not corrupted.
    /// </remarks>
    internal static class AzurePipelinesCommands
    {
        private static readonly string[] DecodedByAgent = { "%0D", "%0A", "%3B", "%5D", "%AZP25" };

        public static string SetSecret(string secret) => "##vso[task.setsecret]" + secret;

        public static string SetVariable(string name, string value) => "##vso[task.setvariable variable=" + name + ";issecret=true]" + value;

        public static bool CanCarry(string value)
        {
            if (value.IndexOf('\r') >= 0 || value.IndexOf('\n') >= 0)
            {
                return false;
            }

            foreach (var sequence in DecodedByAgent)
            {
                if (value.IndexOf(sequence, StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
