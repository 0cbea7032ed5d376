using System;
using System.Management.Automation;
using System.Security;
using EcrAirflow.Modes;

namespace EcrAirflow.Commands
{
    /// <summary>
    /// The AWS parameters every cmdlet takes, declared once: profile, session token, role, endpoint and the
    /// FIPS/dual-stack switches and the http:// opt-in (their checks, and their translation into the core's
    /// session request, are AwsCmdletBody's in EcrAirflow.Core).
    /// The region and the credential are declared by each cmdlet, because they bind differently there
    /// (Get: -Region is positional and -Credential; Sync: -Region is never taken from the pipe, and the
    /// credential is -AwsCredential beside -AirflowCredential).
    /// </summary>
    public abstract class AwsCmdletBase : AsyncCmdletBase
    {
        [Parameter]
        [ArgumentCompleter(typeof(ProfileCompleter))]
        [Alias("Profile")]
        [ValidateNotNullOrEmpty]
        [SharedModeParameter(typeof(IAwsModeParameters))]
        public string? ProfileName { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        [SharedModeParameter(typeof(IAwsModeParameters))]
        public string? ProfileLocation { get; set; }

        [Parameter]
        [ValidateNotNull]
        [SharedModeParameter(typeof(IAwsModeParameters))]
        public SecureString? SessionToken { get; set; }

        [Parameter]
        [ValidatePattern(@"^arn:aws[a-z-]*:iam::\d{12}:role/.+$")]
        [SharedModeParameter(typeof(IAwsModeParameters))]
        public string? RoleArn { get; set; }

        [Parameter]
        [ValidatePattern(@"^[\w+=,.@-]{2,64}$")]
        [SharedModeParameter(typeof(IAwsModeParameters))]
        public string? RoleSessionName { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        [SharedModeParameter(typeof(IAwsModeParameters))]
        public string? ExternalId { get; set; }

        [Parameter]
        [ValidateNotNull]
        [SharedModeParameter(typeof(IAwsModeParameters))]
        public Uri? EndpointUrl { get; set; }

        [Parameter]
        [SharedModeParameter(typeof(IAwsModeParameters))]
        public SwitchParameter UseFipsEndpoint { get; set; }

        [Parameter]
        [SharedModeParameter(typeof(IAwsModeParameters))]
        public SwitchParameter UseDualStackEndpoint { get; set; }

        /// <summary>
        /// Lets a secret travel over plain http:// to a host that is not loopback: a custom AWS endpoint
        /// (whose reply brings the ECR token or temporary keys back), and in Sync's Rest mode the Airflow URL.
        /// </summary>
        [Parameter]
        [SharedModeParameter(typeof(IHttpModeParameters))]
        public SwitchParameter AllowUnencryptedAuthentication { get; set; }

        // ---- proxies, as Invoke-RestMethod names them; without -Proxy the system proxy applies ----

        [Parameter]
        [ValidateNotNull]
        [SharedModeParameter(typeof(IHttpModeParameters))]
        [DefaultText("the system proxy (HTTPS_PROXY, HTTP_PROXY, NO_PROXY; WinINET on Windows)")]
        public Uri? Proxy { get; set; }

        [Parameter]
        [Credential]
        [ValidateNotNull]
        [SharedModeParameter(typeof(IHttpModeParameters))]
        public PSCredential? ProxyCredential { get; set; }

        [Parameter]
        [SharedModeParameter(typeof(IHttpModeParameters))]
        public SwitchParameter ProxyUseDefaultCredentials { get; set; }
    }
}
