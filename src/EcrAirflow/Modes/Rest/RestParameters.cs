using System;
using System.Management.Automation;
using System.Security;

namespace EcrAirflow.Modes.Rest
{
    /// <summary>-Mode Rest's parameters: where Airflow's REST API is, how to sign in, and the HTTP limits.</summary>
    internal sealed class RestParameters : ModeParameters, IHttpModeParameters
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
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = Internal.Http.HttpDefaults.TimeoutSec;

        [Parameter]
        [ValidateRange(0, 10)]
        public int MaximumRetryCount { get; set; } = Internal.Http.HttpDefaults.MaximumRetryCount;

        [Parameter]
        public SwitchParameter SkipCertificateCheck { get; set; }

        internal override EcrAirflowException? CheckCombination() =>
            AirflowCredential != null && AccessToken != null ? RestErrors.CredentialAndAccessToken() : null;
    }
}
