using System;

namespace EcrAirflow.Core.Airflow
{
    /// <summary>The errors of what comes through the pipeline into Sync-AirflowEcrConnection: each is that record's own.</summary>
    internal static class InputErrors
    {
        public const string InvalidConnectionIdId = "InvalidConnectionId";
        public const string InvalidUserNameId = "InvalidUserName";
        public const string InvalidRegistryId = "InvalidRegistry";
        public const string DuplicateConnectionIdId = "DuplicateConnectionId";
        public const string CredentialExpiredId = "CredentialExpired";
        public const string InvalidPasswordId = "InvalidPassword";
        public const string InvalidExpiresAtId = "InvalidExpiresAt";

        public static EcrAirflowException InvalidConnectionId(string id) => new EcrAirflowException(InvalidConnectionIdId, FailureKind.InvalidArgument,
            $"The connection id '{ConnectionInput.Printable(id)}' is not valid for Airflow.",
            $"Use at most {ConnectionInput.ConnectionIdMaxLength} letters, digits, '_', '.' or '-' (Airflow's pattern ^[\\w.-]+$), with no line break or space, and not '.' or '..' alone.")
        { TargetObject = id };

        public static EcrAirflowException InvalidUserName(string userName, string id) => new EcrAirflowException(InvalidUserNameId, FailureKind.InvalidArgument,
            $"The user name '{ConnectionInput.Printable(userName)}' for connection '{id}' holds a line break or another control character.",
            "Pipe Get-EcrDockerCredential's output (user name AWS), or give a user name without control characters.")
        { TargetObject = id };

        public static EcrAirflowException InvalidRegistry(string registry, string id) => new EcrAirflowException(InvalidRegistryId, FailureKind.InvalidArgument,
            $"The registry '{ConnectionInput.PrintableRegistry(registry)}' for connection '{id}' is not a host name (optionally with :port, or a URL of one).",
            "Pipe Get-EcrDockerCredential's output, or give the registry host, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com (a port, when there is one, is 1 to 65535); a user name or password does not belong in it.")
        { TargetObject = id };

        public static EcrAirflowException DuplicateConnectionId(string id, string host) => new EcrAirflowException(DuplicateConnectionIdId, FailureKind.InvalidArgument,
            $"Two registries map to the connection id '{id}'; the second ({host}) was not written.",
            "Give each registry its own id, e.g. -ConnectionId { \"ecr_$($_.Region)\" }.")
        { TargetObject = id };

        public static EcrAirflowException CredentialExpired(string id, string host, DateTimeOffset expiresAt) => new EcrAirflowException(CredentialExpiredId, FailureKind.InvalidData,
            $"The token for {host} expired at {expiresAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, so connection '{id}' was not written: the connection Airflow has now is kept.",
            "Fetch a new token with Get-EcrDockerCredential -Force and pipe that; add -Force here only to write an expired token on purpose.")
        { TargetObject = id };

        public static EcrAirflowException InvalidPassword(string host, bool hasNul) => new EcrAirflowException(InvalidPasswordId, FailureKind.InvalidArgument,
            hasNul
                ? $"The password for registry '{host}' contains a NUL character, which would cut it short on the way to Airflow."
                : $"The input for registry '{host}' has no usable password (a SecureString or a non-empty string is needed).",
            "Pipe the output of Get-EcrDockerCredential, or an object with a Password property.")
        { TargetObject = host };

        public static EcrAirflowException InvalidExpiresAt(string registry, string type, string? why) => new EcrAirflowException(InvalidExpiresAtId, FailureKind.InvalidData,
            $"The ExpiresAt of the credential for '{ConnectionInput.PrintableRegistry(registry)}' ({type}) cannot be read as a time{(why != null ? ": " + why : string.Empty)}, so whether the token is still valid is unknown; nothing was written for it.",
            "Pipe Get-EcrDockerCredential's output, or give ExpiresAt as a DateTimeOffset, a DateTime, an ISO 8601 string (2026-12-07T18:00:00Z) or epoch seconds.")
        { TargetObject = registry };
    }
}
