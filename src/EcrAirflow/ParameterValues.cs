namespace EcrAirflow
{
    // The values users give to the cmdlets' enum parameters (-Mode, -Tier, -ApiVersion, -Format, -Scope,
    // -CiSystem), beside the output types: part of the public surface, like them, so [EcrAirflow.ParameterTier]
    // resolves as soon as the module is imported.

    /// <summary>
    /// Where Airflow keeps the connection. The type of -Mode, so it lives in EcrAirflow.dll, which PowerShell reads
    /// at import. A value here is a mode's one registration line: its folder src/EcrAirflow.Core/Modes/&lt;Mode&gt;/
    /// holds &lt;Mode&gt;Parameters (namespace EcrAirflow.Core.Modes.&lt;Mode&gt;), which ModeRegistry finds by that
    /// name. Adding a mode is its folder and a value here.
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
