using System;

namespace EcrAirflow.Core.Modes.EnvironmentVariable
{
    /// <summary>EnvironmentVariable mode's errors that are not about the dotenv file's own rules (DotEnvFile raises those).</summary>
    internal static class EnvironmentVariableErrors
    {
        public const string PathAndScopeTogetherId = "PathAndScopeTogether";
        public const string ScopeAccessDeniedId = "EnvironmentScopeAccessDenied";
        public const string DotEnvReadFailedId = "DotEnvReadFailed";

        public static EcrAirflowException PathAndScopeTogether() => new EcrAirflowException(PathAndScopeTogetherId, FailureKind.InvalidArgument,
            "-Path and -Scope cannot be used together: -Path writes the dotenv file instead of a scope.",
            "Run the command twice, once with -Path and once with -Scope, if you need both.")
        { TargetObject = "Path" };

        public static EcrAirflowException ScopeAccessDenied(string name, VariableScope scope, Exception inner) => new EcrAirflowException(ScopeAccessDeniedId, FailureKind.PermissionDenied,
            $"{name} could not be read or set in the {scope} environment: access denied.",
            scope == VariableScope.Machine ? "Machine variables need an elevated session (Run as Administrator), or use -Scope User." : "Check this account's rights on its environment.", inner)
        { TargetObject = name };

        public static EcrAirflowException DotEnvReadFailed(string path, Exception inner) => new EcrAirflowException(DotEnvReadFailedId, FailureKind.ReadError,
            $"The dotenv file '{path}' could not be read: {inner.Message}",
            "Check that this user can read the file.", inner)
        { TargetObject = path };
    }
}
