

namespace EcrAirflow.Modes.EnvironmentVariable
{
    /// <summary>-Mode EnvironmentVariable: AIRFLOW_CONN_&lt;ID&gt; variables, in a scope, a dotenv file and the CI system's job environment.</summary>
    internal sealed class EnvironmentVariableMode : ModeDefinition<EnvironmentVariableParameters>
    {
        public override SyncMode Mode => SyncMode.EnvironmentVariable;

        public override string Summary =>
            "AIRFLOW_CONN_<ID> variables: this process, the Windows user or machine, a dotenv file, and the CI system's job environment.";

        public override string Writes => "Airflow connection variable";

        protected override IConnectionTarget CreateTarget(EnvironmentVariableParameters parameters, ModeContext context) =>
            new ConnectionVariableTarget(parameters);
    }
}
