using System.Management.Automation;
using EcrAirflow.Core.Commands;

namespace EcrAirflow.Core.Modes.Cli
{
    /// <summary>-Mode Cli's parameters: the command that reaches the Airflow CLI, where the import file goes, and how long the CLI may take.</summary>
    internal sealed class CliParameters : ModeParameters
    {
        [Parameter]
        [ArgumentCompleter(typeof(ModeArgumentCompleter))]
        [ValidateNotNullOrEmpty]
        [CompletionValues("airflow")]
        public string[] AirflowCommand { get; set; } = { "airflow" };

        [Parameter]
        [ValidateNotNullOrEmpty]
        [ProviderPath]
        [DefaultText("the temp folder")]
        public string? WorkingDirectory { get; set; }

        /// <summary>Here: how long the whole CLI run may take.</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = 300;

        internal override string Summary =>
            "Airflow's database through the Airflow CLI (2.6 or later): 'connections get' for each id, then one 'connections import FILE --overwrite' of the merged connections.";

        internal override string Writes => "Airflow connection";

        internal override IConnectionTarget CreateTarget(ModeContext context) => new CliTarget(this, context);
    }
}
