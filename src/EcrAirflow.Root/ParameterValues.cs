namespace EcrAirflow
{
    // The values users give to the cmdlets' enum parameters (-Mode, -Tier, -ApiVersion, -Format, -Scope,
    // -CiSystem), beside the output types: part of the public surface, like them, so [EcrAirflow.ParameterTier]
    // resolves as soon as the module is imported.

    /// <summary>
    /// Where Airflow keeps the connection. The type of -Mode, so it lives in EcrAirflow.dll, which PowerShell reads
    /// at import; each value's mode (its folder under src/EcrAirflow/Modes/) is registered by one line in
    /// ModeRegistry (Modes/ModeDefinition.cs): adding a mode is its folder, a value here and that line.
    /// </summary>
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
}
