using System.IO;
using System.Management.Automation;
using EcrAirflow.Airflow;
using EcrAirflow.Airflow.Cli;
using EcrAirflow.Airflow.EnvironmentVariables;

namespace EcrAirflow.Commands
{
    /// <summary>
    /// The parts of Sync-AirflowEcrConnection that only Cli and EnvironmentVariable modes need, kept
    /// apart from the shared parameter surface and the Rest mode code.
    /// </summary>
    public sealed partial class SyncAirflowEcrConnectionCommand
    {
        /// <summary>
        /// EnvironmentVariable mode: adds a Value property (plain text, it holds the token) to each result.
        /// Without it the value is never shown anywhere.
        /// </summary>
        [Parameter]
        public SwitchParameter IncludeValue { get; set; }

        private void ValidateCliAndEnvironmentParameters()
        {
            var bound = MyInvocation.BoundParameters;
            if (bound.ContainsKey(nameof(IncludeValue)) && Mode != SyncMode.EnvironmentVariable)
            {
                ThrowTerminatingError(NewError("ParameterNotValidForMode", ErrorCategory.InvalidArgument,
                    $"-{nameof(IncludeValue)} belongs to -Mode EnvironmentVariable, but -Mode is {Mode}.",
                    $"Add -Mode EnvironmentVariable, or remove -{nameof(IncludeValue)}.", nameof(IncludeValue)));
            }

            try
            {
                switch (Mode)
                {
                    case SyncMode.Cli:
                        var directory = ResolveFileSystemPath(WorkingDirectory);
                        if (directory != null && !Directory.Exists(directory))
                        {
                            throw CliErrors.WorkingDirectoryNotFound(directory);
                        }

                        break;
                    case SyncMode.EnvironmentVariable:
                        if (bound.ContainsKey(nameof(Path)) && bound.ContainsKey(nameof(Scope)))
                        {
                            ThrowTerminatingError(NewError("PathAndScopeTogether", ErrorCategory.InvalidArgument,
                                "-Path and -Scope cannot be used together: -Path writes the dotenv file instead of a scope.",
                                "Run the command twice, once with -Path and once with -Scope, if you need both.", nameof(Path)));
                        }

                        EnvironmentConnectionTarget.CheckScope(Scope);
                        EnvironmentConnectionTarget.ResolveCi(CiSystem, System.Environment.GetEnvironmentVariable);
                        break;
                }
            }
            catch (EcrAirflowException ex)
            {
                ThrowTerminatingError(ToErrorRecord(ex));
            }
        }

        /// <summary>The -WhatIf/-Confirm text after "via Cli" / "via EnvironmentVariable". Never the value.</summary>
        private string DescribeCliOrEnvironmentTarget(DockerConnection c)
        {
            switch (Mode)
            {
                case SyncMode.Cli:
                    return $": {CliCommandLine.Display(AirflowCommand)} connections import <file> --overwrite";
                case SyncMode.EnvironmentVariable:
                    var place = Path != null ? $"file {ResolveFileSystemPath(Path)}" : $"{Scope} scope";
                    var ci = EnvironmentConnectionTarget.ResolveCi(CiSystem, System.Environment.GetEnvironmentVariable);
                    return $": {EnvironmentConnectionTarget.VariableName(c.ConnectionId)} ({Format}) in {place}" + (ci == CiSystem.None ? string.Empty : $" and {ci}");
                default:
                    return string.Empty;
            }
        }

        private object WithValueIfAsked(AirflowConnectionSyncResult result, IConnectionTarget target)
        {
            if (!IncludeValue || !(target is EnvironmentConnectionTarget environment) || !environment.Values.TryGetValue(result.ConnectionId, out var value))
            {
                return result;
            }

            var wrapped = PSObject.AsPSObject(result);
            wrapped.Properties.Add(new PSNoteProperty("Value", value));
            return wrapped;
        }

        /// <summary>Relative paths are relative to PowerShell's current location, not the process's.</summary>
        private string? ResolveFileSystemPath(string? path) =>
            string.IsNullOrEmpty(path) ? path : GetUnresolvedProviderPathFromPSPath(path);
    }
}
