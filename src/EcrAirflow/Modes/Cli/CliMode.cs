

namespace EcrAirflow.Modes.Cli
{
    /// <summary>-Mode Cli: Airflow's database through its command line.</summary>
    internal sealed class CliMode : ModeDefinition<CliParameters>
    {
        public override SyncMode Mode => SyncMode.Cli;

        public override string Summary =>
            "Airflow's database through one 'airflow connections import FILE --overwrite' (Airflow 2.6 or later).";

        public override string Writes => "Airflow connection";

        protected override IConnectionTarget CreateTarget(CliParameters parameters, ModeContext context) => new CliTarget(parameters, context);
    }
}
