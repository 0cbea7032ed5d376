using System;

namespace EcrAirflow.Airflow
{
    public enum SyncMode
    {
        Rest,
        Cli,
        EnvironmentVariable,
    }

    public enum AirflowApiVersion
    {
        Auto,
        V1,
        V2,
    }

    public enum ConnectionFormat
    {
        Uri,
        Json,
    }

    public enum VariableScope
    {
        Process,
        User,
        Machine,
    }

    public enum CiSystem
    {
        Auto,
        GitHubActions,
        AzurePipelines,
        None,
    }

    /// <summary>Everything Sync-AirflowEcrConnection was told, in plain core types (no PowerShell types).</summary>
    internal sealed class SyncOptions
    {
        public SyncMode Mode { get; set; }

        // Rest
        public Uri? AirflowUrl { get; set; }

        public string? UserName { get; set; }

        /// <summary>Airflow password (secret).</summary>
        public string? Password { get; set; }

        /// <summary>Bearer token given by the user instead of a credential (secret).</summary>
        public string? AccessToken { get; set; }

        public AirflowApiVersion ApiVersion { get; set; }

        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

        public int MaximumRetryCount { get; set; } = 3;

        public bool SkipCertificateCheck { get; set; }

        public bool AllowUnencryptedAuthentication { get; set; }

        // Cli
        public string[] AirflowCommand { get; set; } = new[] { "airflow" };

        public string? WorkingDirectory { get; set; }

        // EnvironmentVariable
        public ConnectionFormat Format { get; set; }

        public VariableScope Scope { get; set; }

        /// <summary>A dotenv file to edit instead of a scope.</summary>
        public string? Path { get; set; }

        public CiSystem CiSystem { get; set; }
    }
}
