using System.Management.Automation;

namespace EcrAirflow.Core.Modes.EnvironmentVariable
{
    /// <summary>-Mode EnvironmentVariable's parameters: the value's form, and where the variable goes.</summary>
    internal sealed class EnvironmentVariableParameters : ModeParameters
    {
        [Parameter]
        public ConnectionFormat Format { get; set; } = ConnectionFormat.Uri;

        [Parameter]
        public VariableScope Scope { get; set; } = VariableScope.Process;

        /// <summary>A dotenv file to edit instead of a scope.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ProviderPath]
        public string? Path { get; set; }

        [Parameter]
        public CiSystem CiSystem { get; set; } = CiSystem.Auto;

        /// <summary>Put the written value on each result; otherwise it is kept nowhere.</summary>
        [Parameter]
        public SwitchParameter IncludeValue { get; set; }

        internal override EcrAirflowException? CheckCombination() =>
            WasGiven(nameof(Path)) && WasGiven(nameof(Scope)) ? EnvironmentVariableErrors.PathAndScopeTogether() : null;

        internal override string Summary =>
            "AIRFLOW_CONN_<ID> variables: this process, the Windows user or machine, a dotenv file, and the CI system's job environment.";

        internal override string Writes => "Airflow connection variable";

        internal override IConnectionTarget CreateTarget(ModeContext context) => new ConnectionVariableTarget(this);
    }
}
