

namespace EcrAirflow.Core.Modes.Cli
{
    /// <summary>The errors CLI mode raises, in one place so their ids and hints stay consistent.</summary>
    internal static class CliErrors
    {
        public const string MinimumVersion = "2.6";

        public static EcrAirflowException CommandEmpty() => new EcrAirflowException("AirflowCommandEmpty", FailureKind.InvalidArgument,
            "-AirflowCommand is empty or has an empty element.", "Give the command that reaches the Airflow CLI, e.g. -AirflowCommand airflow.");

        public static EcrAirflowException Stopped(string prefix, string? signal) => new EcrAirflowException(
            "AirflowCliStopped",
            FailureKind.OperationStopped,
            $"The Airflow CLI ({prefix}) was stopped because this process received {signal}; the connections file was removed, and the connections may or may not have been imported.",
            "Run the command again when the session is not being shut down.");

        public static EcrAirflowException Timeout(string prefix, System.TimeSpan timeout, string consequence) => new EcrAirflowException(
            "AirflowCliTimeout",
            FailureKind.OperationTimeout,
            $"The Airflow CLI ({prefix}) did not finish within {timeout.TotalSeconds:0} s and was stopped; {consequence}.",
            "Raise -TimeoutSec (an Airflow CLI in a container can take long to start), and check that the command does not wait for input or a lock.");

        public static EcrAirflowException GetFailed(string prefix, string connectionId, int exitCode, string detail) => new EcrAirflowException(
            "AirflowCliReadFailed",
            FailureKind.InvalidOperation,
            $"The Airflow CLI ({prefix}) could not read connection '{connectionId}' ('connections get' exited with code {exitCode})" + (string.IsNullOrEmpty(detail) ? "." : $": {detail}"),
            $"Run '{prefix} connections list' to check that the CLI reaches its metadata database.")
        {
            TargetObject = connectionId,
        };

        public static EcrAirflowException GetUnreadable(string prefix, string connectionId) => new EcrAirflowException(
            "AirflowCliUnexpectedOutput",
            FailureKind.InvalidData,
            $"The Airflow CLI ({prefix}) answered 'connections get {connectionId} --output json' with something that is not the JSON list of one connection Airflow prints.",
            "Check that -AirflowCommand reaches the Airflow CLI itself (not a wrapper that adds to its output).")
        {
            TargetObject = connectionId,
        };

        public static EcrAirflowException CommandNotFound(string command, string? detail) => new EcrAirflowException(
            "AirflowCommandNotFound",
            FailureKind.ObjectNotFound,
            $"The Airflow command '{command}' was not found" + (string.IsNullOrEmpty(detail) ? "." : $": {detail}"),
            "Check -AirflowCommand: the first element must be on PATH or a full path, and the last must reach the Airflow CLI, e.g. -AirflowCommand docker,exec,airflow-scheduler,airflow.")
        {
            TargetObject = command,
        };

        public static EcrAirflowException TooOld(string prefix) => new EcrAirflowException(
            "AirflowCliTooOld",
            FailureKind.NotImplemented,
            $"The Airflow CLI ({prefix}) does not accept 'connections import FILE --overwrite', which needs Airflow {MinimumVersion} or later. Nothing was written.",
            $"Upgrade Airflow to {MinimumVersion} or later, or use -Mode Rest (Airflow's REST API) or -Mode EnvironmentVariable. EcrAirflow does not fall back to delete-then-add, which leaves a moment without the connection.");

        public static EcrAirflowException UsageError(string prefix, string detail) => new EcrAirflowException(
            "AirflowCliUsageError",
            FailureKind.InvalidArgument,
            $"The Airflow CLI ({prefix}) rejected the command line: {detail}",
            "Check that -AirflowCommand ends with the airflow executable itself (EcrAirflow adds 'connections get ID --output json' and 'connections import FILE --overwrite').");

        public static EcrAirflowException Failed(string prefix, int exitCode, string detail) => new EcrAirflowException(
            "AirflowCliFailed",
            FailureKind.InvalidOperation,
            $"The Airflow CLI ({prefix}) failed with exit code {exitCode}" + (string.IsNullOrEmpty(detail) ? "." : $": {detail}"),
            $"Run '{prefix} connections list' to check that the CLI reaches its metadata database.");

        public static EcrAirflowException Rejected(string connectionId, string detail) => new EcrAirflowException(
            "AirflowCliImportRejected",
            FailureKind.WriteError,
            $"Airflow did not import connection '{connectionId}': {detail}",
            "Airflow's message says why; the connection id must match ^[\\w.-]+$ and be at most 200 characters.")
        {
            TargetObject = connectionId,
        };

        public static EcrAirflowException NotConfirmed(string connectionId, string prefix) => new EcrAirflowException(
            "AirflowCliNotConfirmed",
            FailureKind.InvalidData,
            $"The Airflow CLI ({prefix}) exited successfully but did not report 'Imported connection {connectionId}'.",
            "Check that -AirflowCommand reaches the Airflow CLI (not a wrapper that swallows its output); run with -Verbose to see what it printed.")
        {
            TargetObject = connectionId,
        };

        public static EcrAirflowException WorkingDirectoryNotFound(string path) => new EcrAirflowException(
            "WorkingDirectoryNotFound",
            FailureKind.ObjectNotFound,
            $"The working directory '{path}' does not exist.",
            "Create it, or give a folder that both this session and the Airflow CLI (inside its container, if any) can see.")
        {
            TargetObject = path,
        };

        public static EcrAirflowException WorkingDirectoryNotTrusted(string path, string why) => new EcrAirflowException(
            "WorkingDirectoryNotTrusted",
            FailureKind.SecurityError,
            $"The working directory '{path}' is not safe for the connections file: {why}. Another user could replace the file with their own while the Airflow CLI starts. Nothing was written.",
            "Use a folder that only you (and root) can write to, e.g. chmod go-w on it, or chmod +t for a shared folder; or make yourself its owner. The default (the temp folder) is safe.")
        {
            TargetObject = path,
        };

        public static EcrAirflowException ImportFileReplaced(string path, string directory) => new EcrAirflowException(
            "ImportFileReplaced",
            FailureKind.SecurityError,
            $"The connections file '{path}' was replaced or removed while the Airflow CLI ran: what the CLI imported may not be what EcrAirflow wrote, so the run is reported as failed.",
            $"Check the connections in Airflow, and what else writes to '{directory}'; give -WorkingDirectory a folder only you can write to.")
        {
            TargetObject = path,
        };

        public static EcrAirflowException ImportFileNotWritten(string path, System.Exception inner) => new EcrAirflowException(
            "ImportFileNotWritten",
            FailureKind.WriteError,
            $"The connections file could not be created in '{System.IO.Path.GetDirectoryName(path)}': {inner.Message}",
            "Give -WorkingDirectory a folder this user can write to.",
            inner)
        {
            TargetObject = path,
        };
    }
}
