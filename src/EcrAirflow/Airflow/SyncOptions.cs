using System;
using System.Security;

namespace EcrAirflow.Airflow
{
    public enum SyncMode
    {
        Rest,
        Cli,
        EnvironmentVariable,
        SecretsManager,
        ParameterStore,
        Mwaa,
    }

    /// <summary>SSM Parameter Store tiers (Advanced and IntelligentTiering parameters above 4 KB are charged by AWS).</summary>
    public enum ParameterTier
    {
        Standard,
        Advanced,
        IntelligentTiering,
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

    /// <summary>
    /// Everything Sync-AirflowEcrConnection was told, in plain core types (no PowerShell types). A new
    /// instance starts with the mode's defaults from <see cref="SyncModes"/>; the cmdlet overwrites what
    /// the user gave.
    /// </summary>
    internal sealed class SyncOptions
    {
        public SyncOptions(SyncMode mode)
        {
            Mode = mode;
            var definition = SyncModes.Get(mode);
            ApiVersion = definition.Default<AirflowApiVersion>("ApiVersion");
            Timeout = TimeSpan.FromSeconds(definition.Default<int>("TimeoutSec"));
            MaximumRetryCount = definition.Default<int>("MaximumRetryCount");
            AirflowCommand = definition.Default<string[]>("AirflowCommand") ?? new[] { "airflow" };
            Format = definition.Default<ConnectionFormat>("Format");
            Scope = definition.Default<VariableScope>("Scope");
            CiSystem = definition.Default<CiSystem>("CiSystem");
        }

        public SyncMode Mode { get; }

        // Rest
        public Uri? AirflowUrl { get; set; }

        public string? UserName { get; set; }

        /// <summary>Airflow password (secret): a SecureString until the request that carries it is built.</summary>
        public SecureString? Password { get; set; }

        /// <summary>Bearer token given by the user instead of a credential (secret): a SecureString until the request is built.</summary>
        public SecureString? AccessToken { get; set; }

        public AirflowApiVersion ApiVersion { get; set; }

        /// <summary>Rest: per HTTP attempt. Cli: the whole CLI run.</summary>
        public TimeSpan Timeout { get; set; }

        public int MaximumRetryCount { get; set; }

        public bool SkipCertificateCheck { get; set; }

        public bool AllowUnencryptedAuthentication { get; set; }

        // Cli
        public string[] AirflowCommand { get; set; }

        public string? WorkingDirectory { get; set; }

        // EnvironmentVariable
        public ConnectionFormat Format { get; set; }

        public VariableScope Scope { get; set; }

        /// <summary>A dotenv file to edit instead of a scope.</summary>
        public string? Path { get; set; }

        public CiSystem CiSystem { get; set; }

        // SecretsManager, ParameterStore

        /// <summary>The backend's connections_prefix; null: the mode's default.</summary>
        public string? ConnectionsPrefix { get; set; }

        /// <summary>Secrets Manager backend's sep; null: "/".</summary>
        public string? Separator { get; set; }

        public string? KmsKeyId { get; set; }

        /// <summary>Tags for a secret or parameter that is created (existing ones keep theirs).</summary>
        public System.Collections.Generic.IReadOnlyList<System.Collections.Generic.KeyValuePair<string, string>> Tags { get; set; } =
            System.Array.Empty<System.Collections.Generic.KeyValuePair<string, string>>();

        /// <summary>ParameterStore: the tier; null chooses by size.</summary>
        public ParameterTier? Tier { get; set; }

        /// <summary>The proxy for the modes that talk HTTP (Rest, and the AWS-backed ones through <see cref="Aws"/>).</summary>
        public Internal.HttpSettings Http { get; set; } = Internal.HttpSettings.Default;

        /// <summary>The AWS-backed modes: region, credentials, endpoint and HTTP limits (null for the other modes).</summary>
        public Aws.AwsSessionRequest? Aws { get; set; }

        // Mwaa

        /// <summary>The Amazon MWAA environment whose Airflow gets the connections (its name, not its ARN).</summary>
        public string? MwaaEnvironmentName { get; set; }

        /// <summary>Put the written value on each result (-IncludeValue); otherwise it is kept nowhere.</summary>
        public bool IncludeValue { get; set; }

        /// <summary>Hooks for tests; never set by the cmdlet.</summary>
        internal TestSeams Seams { get; set; } = TestSeams.None;
    }

    /// <summary>What tests may change in a target's behaviour, in one place (nothing here is reachable from PowerShell).</summary>
    internal sealed class TestSeams
    {
        public static readonly TestSeams None = new TestSeams();

        /// <summary>A shorter first backoff step, so retry tests do not sleep.</summary>
        public TimeSpan? RetryBaseDelay { get; set; }

        /// <summary>Called with the path of the Cli import file once it exists.</summary>
        public Action<string>? ImportFileCreated { get; set; }
    }
}
