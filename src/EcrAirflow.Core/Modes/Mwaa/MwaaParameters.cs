using System.Management.Automation;

namespace EcrAirflow.Core.Modes.Mwaa
{
    /// <summary>-Mode Mwaa's parameters: the environment, and which Airflow API its Airflow speaks.</summary>
    internal sealed class MwaaParameters : AwsModeParameters
    {
        /// <summary>The environment's name (not its ARN), checked against MWAA's rule before any call (<see cref="MwaaErrors"/>).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [RequiredInMode("Give the name of the Amazon MWAA environment, e.g. -MwaaEnvironmentName my-airflow (aws mwaa list-environments lists them).")]
        public string? MwaaEnvironmentName { get; set; }

        [Parameter]
        public AirflowApiVersion ApiVersion { get; set; } = AirflowApiVersion.Auto;

        internal override string Summary =>
            "Amazon MWAA's Airflow database through InvokeRestApi, signed with AWS credentials (environments on Airflow 2.4.3 or later): as Rest mode: API v1 on Airflow 2 (read, then PATCH or POST), on Airflow 3 one list read and one bulk request.";

        internal override string Writes => "Airflow connection";

        internal override IConnectionTarget CreateTarget(ModeContext context) => new MwaaTarget(this, context);
    }
}
