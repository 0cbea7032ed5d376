

namespace EcrAirflow.Modes.Mwaa
{
    /// <summary>-Mode Mwaa: an Amazon MWAA environment's Airflow database, through InvokeRestApi.</summary>
    internal sealed class MwaaMode : ModeDefinition<MwaaParameters>
    {
        public override SyncMode Mode => SyncMode.Mwaa;

        public override string Summary =>
            "Amazon MWAA's Airflow database through InvokeRestApi, signed with AWS credentials (environments on Airflow 2.4.3 or later): API v1 on Airflow 2, one bulk request on Airflow 3.";

        public override string Writes => "Airflow connection";

        protected override IConnectionTarget CreateTarget(MwaaParameters parameters, ModeContext context) => new MwaaTarget(parameters, context);
    }
}
