using System;
using System.Security;

namespace EcrAirflow.Core.Airflow
{
    /// <summary>
    /// How fresh what a target holds is: nothing, not a Docker connection, or a Docker connection whose token expires
    /// when its password says (an ECR password carries its expiry) or, where the password cannot be read back
    /// (Airflow's REST APIs, MWAA), when EcrAirflow's note beside it says. One rule for Test-AirflowEcrConnection
    /// and Sync-AirflowEcrConnection -SkipIfValidFor.
    /// </summary>
    internal static class Freshness
    {
        internal sealed record Assessment(ConnectionStatus Status, DateTimeOffset? ExpiresAt, ExpirySource Source, string? Reason);

        /// <param name="tokenExpiry">Reads a stored password's expiry (null: not an ECR token that says).</param>
        public static Assessment Assess(StoredConnection stored, TimeSpan minimumRemaining, DateTimeOffset now, Func<SecureString, DateTimeOffset?> tokenExpiry)
        {
            switch (stored.Kind)
            {
                case StoredKind.Missing:
                    return new Assessment(ConnectionStatus.Missing, null, ExpirySource.None,
                        $"There is no connection '{stored.ConnectionId}' at {stored.Location}; DockerOperator cannot log in. Write it with Get-EcrDockerCredential | Sync-AirflowEcrConnection.");
                case StoredKind.NotDocker:
                    return new Assessment(ConnectionStatus.NotDocker, null, ExpirySource.None,
                        $"{stored.Location} holds {stored.Type ?? "something else"}, not a Docker connection. Give the Docker connection another id, or replace it with Sync-AirflowEcrConnection -ReplaceNonDocker.");
            }

            var (expiresAt, source) = ExpiryOf(stored, tokenExpiry);
            if (!expiresAt.HasValue)
            {
                var why = stored.PasswordVisibility switch
                {
                    PasswordVisibility.NotReturned => "Airflow 2's REST API never returns the password, and no EcrAirflow note in the description says when the token expires",
                    PasswordVisibility.Redacted => "Airflow 3's REST API returns the password masked, and no EcrAirflow note in the description says when the token expires",
                    PasswordVisibility.Absent => "the connection has no password",
                    _ => "the stored password is not an ECR token that says when it expires, and no EcrAirflow note in the description says it",
                };
                return new Assessment(ConnectionStatus.Unknown, null, ExpirySource.None,
                    $"When the token of '{stored.ConnectionId}' expires is unknown: {why}. Refresh it with Get-EcrDockerCredential | Sync-AirflowEcrConnection, which notes the expiry.");
            }

            var remaining = expiresAt.Value - now;
            if (remaining <= TimeSpan.Zero)
            {
                return new Assessment(ConnectionStatus.Expired, expiresAt, source,
                    $"The token of '{stored.ConnectionId}' expired at {expiresAt.Value.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC ({Duration.Describe(-remaining)} ago): DockerOperator's login fails. Refresh it with Get-EcrDockerCredential | Sync-AirflowEcrConnection.");
            }

            if (remaining < minimumRemaining)
            {
                return new Assessment(ConnectionStatus.ExpiringSoon, expiresAt, source,
                    $"The token of '{stored.ConnectionId}' expires at {expiresAt.Value.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, in {Duration.Describe(remaining)}, less than the {Duration.Describe(minimumRemaining)} asked for. Refresh it now with Get-EcrDockerCredential | Sync-AirflowEcrConnection.");
            }

            return new Assessment(ConnectionStatus.Fresh, expiresAt, source, null);
        }

        /// <summary>The token's own word first; EcrAirflow's note where the password cannot be read (or says nothing).</summary>
        private static (DateTimeOffset? At, ExpirySource Source) ExpiryOf(StoredConnection stored, Func<SecureString, DateTimeOffset?> tokenExpiry)
        {
            if (stored.PasswordVisibility == PasswordVisibility.Readable && stored.Password != null && tokenExpiry(stored.Password) is DateTimeOffset fromToken)
            {
                return (fromToken, ExpirySource.Token);
            }

            return ExpiryNote.Read(stored.Description) is DateTimeOffset noted ? (noted, ExpirySource.Annotation) : ((DateTimeOffset?)null, ExpirySource.None);
        }
    }
}
