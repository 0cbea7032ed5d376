using EcrAirflow.Modes;

namespace EcrAirflow
{
    // The values users give to the cmdlets' enum parameters (-Mode, -Tier, -ApiVersion, -Format, -Scope,
    // -CiSystem), beside the output types: part of the public surface, like them.

    /// <summary>
    /// Where Airflow keeps the connection. Each value registers the mode that implements it (its folder under
    /// Modes/): adding a mode is its folder and one line here.
    /// </summary>
    public enum SyncMode
    {
        [Mode(typeof(Modes.Rest.RestParameters))] Rest,
        [Mode(typeof(Modes.Cli.CliParameters))] Cli,
        [Mode(typeof(Modes.EnvironmentVariable.EnvironmentVariableParameters))] EnvironmentVariable,
        [Mode(typeof(Modes.SecretsManager.SecretsManagerParameters))] SecretsManager,
        [Mode(typeof(Modes.ParameterStore.ParameterStoreParameters))] ParameterStore,
        [Mode(typeof(Modes.Mwaa.MwaaParameters))] Mwaa,
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
}
