using System;
using System.Management.Automation;
using System.Net;
using System.Security;
using EcrAirflow.AwsApi;
using EcrAirflow.Internal.Http;
using EcrAirflow.Modes;

namespace EcrAirflow.Commands
{
    /// <summary>
    /// The AWS parameters every cmdlet takes, declared once: profile, session token, role, endpoint and the
    /// FIPS/dual-stack switches and the http:// opt-in, with their checks and their translation into an <see cref="AwsSessionRequest"/>.
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

        /// <summary>The cmdlet's AWS credential parameter (access key id / secret key).</summary>
        protected abstract PSCredential? AwsCredentialValue { get; }

        /// <summary>The name of that parameter, for messages ("-Credential", "-AwsCredential").</summary>
        protected abstract string AwsCredentialParameter { get; }

        protected abstract string? AwsRegionValue { get; }

        /// <summary>Parameters that do not go together; call from BeginProcessing.</summary>
        protected void CheckAwsParameters()
        {
            if (AwsCredentialValue != null && ProfileName != null)
            {
                ThrowTerminatingError(NewError("CredentialAndProfile", ErrorCategory.InvalidArgument,
                    $"{AwsCredentialParameter} and -ProfileName cannot be used together.", "Use one source of AWS credentials.", null));
            }

            if (SessionToken != null && AwsCredentialValue == null)
            {
                ThrowTerminatingError(NewError("SessionTokenWithoutCredential", ErrorCategory.InvalidArgument,
                    $"-SessionToken needs {AwsCredentialParameter} (the temporary access key id and secret key it belongs to).",
                    $"Add {AwsCredentialParameter}, or drop -SessionToken.", null));
            }

            if ((RoleSessionName != null || ExternalId != null) && RoleArn == null)
            {
                ThrowTerminatingError(NewError("RoleOptionWithoutRoleArn", ErrorCategory.InvalidArgument,
                    "-RoleSessionName and -ExternalId only apply with -RoleArn.", "Add -RoleArn arn:aws:iam::<account>:role/<name>.", null));
            }
        }

        /// <summary>
        /// -Proxy, -ProxyCredential, -ProxyUseDefaultCredentials, checked: an absolute http(s) URL without
        /// user:password@ (never quoted back), not both kinds of proxy credential, and a proxy password sent to
        /// an http:// proxy only on loopback or with -AllowUnencryptedAuthentication (Basic is clear text).
        /// </summary>
        private protected HttpSettings BuildHttpSettings()
        {
            if (ProxyCredential != null && ProxyUseDefaultCredentials)
            {
                ThrowTerminatingError(NewError("ProxyCredentialAndDefaultCredentials", ErrorCategory.InvalidArgument,
                    "-ProxyCredential and -ProxyUseDefaultCredentials cannot be used together.",
                    "Use -ProxyCredential for a proxy user and password, or -ProxyUseDefaultCredentials for Windows integrated authentication.", null));
            }

            if (Proxy != null)
            {
                if (!Proxy.IsAbsoluteUri || (Proxy.Scheme != Uri.UriSchemeHttp && Proxy.Scheme != Uri.UriSchemeHttps))
                {
                    ThrowTerminatingError(NewError("InvalidProxyUrl", ErrorCategory.InvalidArgument,
                        "-Proxy must be an absolute http:// or https:// URL.",
                        "Give the proxy's URL with its scheme and port, e.g. -Proxy http://proxy.example.com:3128.", null));
                }

                if (!string.IsNullOrEmpty(Proxy.UserInfo))
                {
                    ThrowTerminatingError(NewError("ProxyUrlContainsCredentials", ErrorCategory.InvalidArgument,
                        $"-Proxy for {Proxy.Scheme}://{Proxy.Authority} contains a user name or password; credentials in a URL end up in logs, history and error messages, so it is refused.",
                        "Remove user:password@ from -Proxy and pass -ProxyCredential (Get-Credential) instead.", null));
                }
            }

            if (Proxy != null && ProxyCredential != null)
            {
                try
                {
                    CleartextRule.Ensure(Proxy, AllowUnencryptedAuthentication, "the proxy password (-ProxyCredential)", "-Proxy");
                }
                catch (EcrAirflowException ex)
                {
                    ThrowTerminatingError(ToErrorRecord(ex));
                }
            }

            return new HttpSettings
            {
                Proxy = Proxy,
                ProxyCredential = ProxyCredential?.GetNetworkCredential(),
                ProxyUseDefaultCredentials = ProxyUseDefaultCredentials,
            };
        }

        /// <summary>What the AWS parameters say, in core types (the secrets unwrapped only here).</summary>
        private protected AwsSessionRequest BuildAwsSessionRequest(TimeSpan timeout, int maximumRetryCount)
        {
            var bound = MyInvocation.BoundParameters;
            var credential = AwsCredentialValue;
            return new AwsSessionRequest
            {
                Region = AwsRegionValue,
                EndpointUrl = EndpointUrl,
                UseFipsEndpoint = bound.ContainsKey(nameof(UseFipsEndpoint)) ? UseFipsEndpoint.IsPresent : (bool?)null,
                UseDualStackEndpoint = bound.ContainsKey(nameof(UseDualStackEndpoint)) ? UseDualStackEndpoint.IsPresent : (bool?)null,
                AllowUnencryptedAuthentication = AllowUnencryptedAuthentication,
                Http = BuildHttpSettings(),
                Timeout = timeout,
                MaximumRetryCount = maximumRetryCount,
                Credentials = new AwsCredentialRequest
                {
                    AccessKeyId = credential?.UserName,
                    SecretAccessKey = credential?.GetNetworkCredential().Password,
                    SessionToken = SessionToken == null ? null : new NetworkCredential(string.Empty, SessionToken).Password,
                    ProfileName = ProfileName,
                    ProfileLocation = ProfileLocation == null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(ProfileLocation),
                    RoleArn = RoleArn,
                    RoleSessionName = RoleSessionName,
                    ExternalId = ExternalId,
                },
            };
        }
    }
}
