using System;

namespace EcrAirflow
{
    /// <summary>What Sync-AirflowEcrConnection did with one connection.</summary>
    public enum SyncAction
    {
        Created,
        Updated,
        Unchanged,
        /// <summary>Nothing was written: the stored token stays valid long enough (-SkipIfValidFor).</summary>
        Skipped,
    }

    /// <summary>One connection written by Sync-AirflowEcrConnection. Never carries the password; read-only once made.</summary>
    public sealed class AirflowConnectionSyncResult
    {
        public string ConnectionId { get; internal init; } = "";

        /// <summary>Rest, Cli, EnvironmentVariable, SecretsManager, ParameterStore or Mwaa.</summary>
        public string Mode { get; internal init; } = "";

        /// <summary>Where it was written: URL without credentials, CLI command, variable scope or file path.</summary>
        public string Target { get; internal init; } = "";

        /// <summary>V1 or V2 for Rest mode; empty otherwise.</summary>
        public string? ApiVersion { get; internal init; }

        public SyncAction Action { get; internal init; }

        public string Registry { get; internal init; } = "";

        public DateTimeOffset? ExpiresAt { get; internal init; }

        /// <summary>EnvironmentVariable mode: the variable name (AIRFLOW_CONN_...).</summary>
        public string? VariableName { get; internal init; }

        /// <summary>SecretsManager mode: the id of the secret version written (AWSCURRENT from now on).</summary>
        public string? VersionId { get; internal init; }

        /// <summary>ParameterStore mode: the parameter's version after the write (1 when this write created it; more when a retried create found it made).</summary>
        public long? Version { get; internal init; }

        /// <summary>ParameterStore mode: Standard, Advanced (charged by AWS) or IntelligentTiering, as SSM reports it.</summary>
        public string? Tier { get; internal init; }

        /// <summary>
        /// The value written, set by a target only when -IncludeValue asked for it; the cmdlet shows it as a
        /// Value note property. Internal so that it is never part of the default view or of serialisation.
        /// </summary>
        internal string? Value { get; init; }
    }
}
