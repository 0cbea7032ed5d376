

namespace EcrAirflow.Modes.Rest
{
    /// <summary>-Mode Rest (the default): Airflow's database through its REST API.</summary>
    internal sealed class RestMode : ModeDefinition<RestParameters>
    {
        public override SyncMode Mode => SyncMode.Rest;

        public override string Summary =>
            "Airflow's database through the REST API: API v1 on Airflow 2, one bulk request to API v2 on Airflow 3.";

        public override string Writes => "Airflow connection";

        protected override IConnectionTarget CreateTarget(RestParameters parameters, ModeContext context) => new RestTarget(parameters, context);
    }
}
