using System;
using System.Management.Automation;
using System.Net;
using EcrAirflow.Core.AwsApi;
using EcrAirflow.Core.Internal.Http;

namespace EcrAirflow.Core.Commands
{
    /// <summary>
    /// The AWS parameters every cmdlet takes (declared once, on <see cref="AwsCmdletBase"/>): their checks and their
    /// translation into an <see cref="AwsSessionRequest"/>. The region and the credential are declared by each
    /// cmdlet, because they bind differently there (Get: -Region is positional and -Credential; Sync: -Region is
    /// never taken from the pipe, and the credential is -AwsCredential beside -AirflowCredential), so each body
    /// says which they are.
    /// </summary>
    internal abstract class AwsCmdletBody : AsyncCmdletBody
    {
        private readonly AwsCmdletBase _cmdlet;

        protected AwsCmdletBody(AwsCmdletBase cmdlet)
            : base(cmdlet) => _cmdlet = cmdlet;

        /// <summary>The cmdlet's AWS credential parameter (access key id / secret key).</summary>
        protected abstract PSCredential? AwsCredentialValue { get; }

        /// <summary>The name of that parameter, for messages ("-Credential", "-AwsCredential").</summary>
        protected abstract string AwsCredentialParameter { get; }

        protected abstract string? AwsRegionValue { get; }

        /// <summary>Parameters that do not go together; call from Begin.</summary>
        protected void CheckAwsParameters()
        {
            if (AwsCredentialValue != null && _cmdlet.ProfileName != null)
            {
                _cmdlet.ThrowTerminatingError(NewError("CredentialAndProfile", ErrorCategory.InvalidArgument,
                    $"{AwsCredentialParameter} and -ProfileName cannot be used together.", "Use one source of AWS credentials.", null));
            }

            if (_cmdlet.SessionToken != null && AwsCredentialValue == null)
            {
                _cmdlet.ThrowTerminatingError(NewError("SessionTokenWithoutCredential", ErrorCategory.InvalidArgument,
                    $"-SessionToken needs {AwsCredentialParameter} (the temporary access key id and secret key it belongs to).",
                    $"Add {AwsCredentialParameter}, or drop -SessionToken.", null));
            }

            if ((_cmdlet.RoleSessionName != null || _cmdlet.ExternalId != null) && _cmdlet.RoleArn == null)
            {
                _cmdlet.ThrowTerminatingError(NewError("RoleOptionWithoutRoleArn", ErrorCategory.InvalidArgument,
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
            if (_cmdlet.ProxyCredential != null && _cmdlet.ProxyUseDefaultCredentials)
            {
                _cmdlet.ThrowTerminatingError(NewError("ProxyCredentialAndDefaultCredentials", ErrorCategory.InvalidArgument,
                    "-ProxyCredential and -ProxyUseDefaultCredentials cannot be used together.",
                    "Use -ProxyCredential for a proxy user and password, or -ProxyUseDefaultCredentials for Windows integrated authentication.", null));
            }

            if (_cmdlet.Proxy != null)
            {
                if (!_cmdlet.Proxy.IsAbsoluteUri || (_cmdlet.Proxy.Scheme != Uri.UriSchemeHttp && _cmdlet.Proxy.Scheme != Uri.UriSchemeHttps))
                {
                    _cmdlet.ThrowTerminatingError(NewError("InvalidProxyUrl", ErrorCategory.InvalidArgument,
                        "-Proxy must be an absolute http:// or https:// URL.",
                        "Give the proxy's URL with its scheme and port, e.g. -Proxy http://proxy.example.com:3128.", null));
                }

                if (!string.IsNullOrEmpty(_cmdlet.Proxy.UserInfo))
                {
                    _cmdlet.ThrowTerminatingError(NewError("ProxyUrlContainsCredentials", ErrorCategory.InvalidArgument,
                        $"-Proxy for {_cmdlet.Proxy.Scheme}://{_cmdlet.Proxy.Authority} contains a user name or password; credentials in a URL end up in logs, history and error messages, so it is refused.",
                        "Remove user:password@ from -Proxy and pass -ProxyCredential (Get-Credential) instead.", null));
                }
            }

            if (_cmdlet.Proxy != null && _cmdlet.ProxyCredential != null)
            {
                try
                {
                    CleartextRule.Ensure(_cmdlet.Proxy, _cmdlet.AllowUnencryptedAuthentication, "the proxy password (-ProxyCredential)", "-Proxy");
                }
                catch (EcrAirflowException ex)
                {
                    Terminate(ex);
                }
            }

            return new HttpSettings
            {
                Proxy = _cmdlet.Proxy,
                ProxyCredential = _cmdlet.ProxyCredential?.GetNetworkCredential(),
                ProxyUseDefaultCredentials = _cmdlet.ProxyUseDefaultCredentials,
            };
        }

        /// <summary>What the AWS parameters say, in core types (the secrets unwrapped only here).</summary>
        private protected AwsSessionRequest BuildAwsSessionRequest(TimeSpan timeout, int maximumRetryCount)
        {
            var bound = _cmdlet.MyInvocation.BoundParameters;
            var credential = AwsCredentialValue;
            return new AwsSessionRequest
            {
                Region = AwsRegionValue,
                EndpointUrl = _cmdlet.EndpointUrl,
                UseFipsEndpoint = bound.ContainsKey(nameof(AwsCmdletBase.UseFipsEndpoint)) ? _cmdlet.UseFipsEndpoint.IsPresent : (bool?)null,
                UseDualStackEndpoint = bound.ContainsKey(nameof(AwsCmdletBase.UseDualStackEndpoint)) ? _cmdlet.UseDualStackEndpoint.IsPresent : (bool?)null,
                AllowUnencryptedAuthentication = _cmdlet.AllowUnencryptedAuthentication,
                Http = BuildHttpSettings(),
                Timeout = timeout,
                MaximumRetryCount = maximumRetryCount,
                Credentials = new AwsCredentialRequest
                {
                    AccessKeyId = credential?.UserName,
                    SecretAccessKey = credential?.GetNetworkCredential().Password,
                    SessionToken = _cmdlet.SessionToken == null ? null : new NetworkCredential(string.Empty, _cmdlet.SessionToken).Password,
                    ProfileName = _cmdlet.ProfileName,
                    ProfileLocation = _cmdlet.ProfileLocation == null ? null : _cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(_cmdlet.ProfileLocation),
                    RoleArn = _cmdlet.RoleArn,
                    RoleSessionName = _cmdlet.RoleSessionName,
                    ExternalId = _cmdlet.ExternalId,
                },
            };
        }
    }
}
