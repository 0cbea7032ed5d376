using System;
using System.Management.Automation;
using System.Security;

namespace EcrAirflow.Core.Modes.Rest
{
    /// <summary>-Mode Rest's parameters: where Airflow's REST API is, how to sign in, and the HTTP limits.</summary>
    internal sealed class RestParameters : HttpModeParameters
    {
        [Parameter]
        [ValidateNotNull]
        [RequiredInMode("Give the base URL of the Airflow webserver or API server, e.g. -AirflowUrl https://airflow.example.com.")]
        public Uri? AirflowUrl { get; set; }

        [Parameter]
        [Credential]
        [ValidateNotNull]
        public PSCredential? AirflowCredential { get; set; }

        [Parameter]
        [ValidateNotNull]
        public SecureString? AccessToken { get; set; }

        [Parameter]
        public AirflowApiVersion ApiVersion { get; set; } = AirflowApiVersion.Auto;

        [Parameter]
        public SwitchParameter SkipCertificateCheck { get; set; }

        internal override EcrAirflowException? CheckCombination() =>
            AirflowCredential != null && AccessToken != null ? RestErrors.CredentialAndAccessToken() : null;

        internal override string Summary =>
            "Airflow's database through the REST API, read first, then only what a refresh owns written: API v1 on Airflow 2 (GET, then PATCH or POST), on Airflow 3 one list read and one bulk request to API v2.";

        internal override string Writes => "Airflow connection";

        internal override IConnectionTarget CreateTarget(ModeContext context) => new RestTarget(this, context);
    }
}
