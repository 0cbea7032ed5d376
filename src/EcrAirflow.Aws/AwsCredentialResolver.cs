using System;
using System.Threading;
using System.Threading.Tasks;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using EcrAirflow.Core.AwsApi;
using EcrAirflow.Core.Internal;
using EcrAirflow.Core.Internal.Http;
using EcrAirflow.Core.Internal.Secrets;

namespace EcrAirflow.Aws
{
    /// <summary>Credentials resolved for one call, and where they came from (for -Verbose; never the secret).</summary>
    internal sealed record ResolvedCredentials(ImmutableCredentials Credentials, string Source)
    {
        public override string ToString() => Source;
    }

    /// <summary>
    /// Finds AWS credentials the way AWS tools do: explicit keys, a named profile (static, SSO, assume-role,
    /// credential_process), or AWSSDK.Core's default chain (environment, web identity, profiles, container,
    /// instance metadata); then optionally assumes a role through STS.
    /// </summary>
    internal static class AwsCredentialResolver
    {
        private static int _servicesLoaded;

        /// <param name="allowUnencrypted">-AllowUnencryptedAuthentication: AWS_ENDPOINT_URL_STS may be http:// to another host.</param>
        /// <param name="http">The proxy: AWSSDK.Core's own clients (STS for -RoleArn, and the STS / SSO / SSOOIDC
        /// calls the credential chain makes) go through it too.</param>
        public static async Task<ResolvedCredentials> ResolveAsync(AwsCredentialRequest request, string region, IOperationLog log, CancellationToken cancellationToken, bool allowUnencrypted = false, HttpSettings? http = null)
        {
            http ??= HttpSettings.Default;
            UseProxyForSdkClients(http);
            var source = await ResolveSourceAsync(request, log, cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrEmpty(request.RoleArn))
            {
                return source;
            }

            return await AssumeRoleAsync(source, request, region, allowUnencrypted, http, log, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// The clients the credential chain creates by itself (web identity, SSO, assume-role profiles) read
        /// AWSConfigs.ProxyConfig; this is this module's private copy of AWSSDK.Core (its own load context on
        /// PowerShell 7, its own LoadFrom copy on 5.1), so setting it touches no other module's AWS calls.
        /// </summary>
        private static void UseProxyForSdkClients(HttpSettings http)
        {
            var proxy = AWSConfigs.ProxyConfig;
            proxy.Host = http.Proxy?.Host;
            proxy.Port = http.Proxy?.Port;
            proxy.Username = http.Proxy == null ? null : http.ProxyCredential?.UserName;
            proxy.Password = http.Proxy == null ? null : http.ProxyCredential?.Password;
        }

        private static void UseProxy(ClientConfig config, HttpSettings http)
        {
            if (http.Proxy != null)
            {
                config.SetWebProxy(new System.Net.WebProxy(http.Proxy, BypassOnLocal: false)
                {
                    Credentials = http.ProxyUseDefaultCredentials ? System.Net.CredentialCache.DefaultCredentials : http.ProxyCredential,
                });
            }
            else if (http.ProxyCredential != null || http.ProxyUseDefaultCredentials)
            {
                config.ProxyCredentials = http.ProxyUseDefaultCredentials ? System.Net.CredentialCache.DefaultCredentials : http.ProxyCredential;
            }
        }

        private static async Task<ResolvedCredentials> ResolveSourceAsync(AwsCredentialRequest request, IOperationLog log, CancellationToken cancellationToken)
        {
            if (!string.IsNullOrEmpty(request.AccessKeyId))
            {
                if (string.IsNullOrEmpty(request.SecretAccessKey))
                {
                    throw new EcrAirflowException("MissingSecretAccessKey", FailureKind.InvalidArgument,
                        "-Credential has an access key id but no secret access key.",
                        "Create it with Get-Credential: user name = access key id, password = secret access key.");
                }

                return new ResolvedCredentials(new ImmutableCredentials(request.AccessKeyId, request.SecretAccessKey, request.SessionToken), "-Credential");
            }

            AWSCredentials credentials;
            string description;
            if (!string.IsNullOrEmpty(request.ProfileName))
            {
                var chain = string.IsNullOrEmpty(request.ProfileLocation)
                    ? new CredentialProfileStoreChain()
                    : new CredentialProfileStoreChain(request.ProfileLocation);
                if (!chain.TryGetProfile(request.ProfileName, out var profile))
                {
                    throw new EcrAirflowException("ProfileNotFound", FailureKind.ObjectNotFound,
                        $"The AWS profile '{request.ProfileName}' was not found{(string.IsNullOrEmpty(request.ProfileLocation) ? " in ~/.aws/credentials or ~/.aws/config" : " in " + request.ProfileLocation)}.",
                        "List profiles with 'aws configure list-profiles', fix -ProfileName, or point -ProfileLocation at the right file.")
                    { TargetObject = request.ProfileName };
                }

                if (!IsStaticKeysProfile(profile))
                {
                    EnsureServiceAssembliesLoaded();
                }

                try
                {
                    credentials = AWSCredentialsFactory.GetAWSCredentials(profile, chain);
                }
                catch (ProcessAWSCredentialException ex)
                {
                    throw CredentialProcessFailed(request, ex);
                }
                catch (Exception ex) when (ex is AmazonClientException || ex is InvalidOperationException || ex is ArgumentException)
                {
                    // Not the exception as inner: its message is quoted here only after redaction.
                    throw new EcrAirflowException("ProfileInvalid", FailureKind.InvalidData,
                        $"The AWS profile '{request.ProfileName}' cannot provide credentials: {Quote(ex, request)}",
                        "Check the profile's keys, role_arn/source_profile or sso_* settings.")
                    { TargetObject = request.ProfileName };
                }

                description = $"profile '{request.ProfileName}'";
            }
            else
            {
                if (!HasEnvironmentKeys())
                {
                    EnsureServiceAssembliesLoaded();
                }

                try
                {
                    // A new resolver per call: the static one keeps the first identity it found for the
                    // process, so a changed environment (AWS_PROFILE, a new web identity token) would be ignored.
                    using var resolver = new DefaultAWSCredentialsIdentityResolver();
                    credentials = await resolver.ResolveIdentityAsync(null!, cancellationToken).ConfigureAwait(false);
                }
                catch (ProcessAWSCredentialException ex)
                {
                    throw CredentialProcessFailed(request, ex);
                }
                catch (AmazonClientException)
                {
                    throw NoCredentials(null);
                }

                description = "the default credential chain (" + credentials.GetType().Name + ")";
            }

            ImmutableCredentials resolved;
            try
            {
                resolved = await credentials.GetCredentialsAsync().ConfigureAwait(false);
            }
            catch (AmazonServiceException ex)
            {
                throw AwsErrors.Sts(ex.ErrorCode, "getting credentials from " + description, ex.Message, ex.RequestId, ex);
            }
            catch (ProcessAWSCredentialException ex)
            {
                throw CredentialProcessFailed(request, ex);
            }
            catch (Exception ex) when (ex is AmazonClientException || IsNetworkFailure(ex, cancellationToken))
            {
                throw new EcrAirflowException("CredentialsUnavailable", FailureKind.SecurityError,
                    $"AWS credentials from {description} could not be obtained: {Quote(ex, request)}",
                    "For SSO profiles run 'aws sso login --profile <name>'; for roles check role_arn and source_profile; otherwise see the credential options in Get-Help Get-EcrDockerCredential.");
            }

            if (resolved == null || string.IsNullOrEmpty(resolved.AccessKey))
            {
                throw NoCredentials(null);
            }

            log.Verbose($"AWS credentials from {description}.");
            return new ResolvedCredentials(resolved, description);
        }

        private static async Task<ResolvedCredentials> AssumeRoleAsync(ResolvedCredentials source, AwsCredentialRequest request, string region, bool allowUnencrypted, HttpSettings http, IOperationLog log, CancellationToken cancellationToken)
        {
            EnsureServiceAssembliesLoaded();
            var config = new AmazonSecurityTokenServiceConfig { RegionEndpoint = RegionEndpoint.GetBySystemName(region) };
            UseProxy(config, http);
            var stsEndpoint = StsEndpoint(allowUnencrypted);
            if (stsEndpoint != null)
            {
                config.ServiceURL = stsEndpoint.AbsoluteUri;
                config.AuthenticationRegion = region;
            }

            var sessionName = string.IsNullOrEmpty(request.RoleSessionName)
                ? "EcrAirflow-" + DateTimeOffset.UtcNow.ToUnixTimeSeconds()
                : request.RoleSessionName;
            var sourceCredentials = source.Credentials;
            var awsCredentials = string.IsNullOrEmpty(sourceCredentials.Token)
                ? (AWSCredentials)new BasicAWSCredentials(sourceCredentials.AccessKey, sourceCredentials.SecretKey)
                : new SessionAWSCredentials(sourceCredentials.AccessKey, sourceCredentials.SecretKey, sourceCredentials.Token);
            log.Verbose($"Assuming role {request.RoleArn} (session {sessionName}) through STS{(stsEndpoint == null ? string.Empty : " at " + AwsEndpoints.Display(stsEndpoint))}.");
            using var sts = new AmazonSecurityTokenServiceClient(awsCredentials, config);
            AssumeRoleResponse response;
            try
            {
                response = await sts.AssumeRoleAsync(new AssumeRoleRequest
                {
                    RoleArn = request.RoleArn,
                    RoleSessionName = sessionName,
                    ExternalId = string.IsNullOrEmpty(request.ExternalId) ? null : request.ExternalId,
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonServiceException ex)
            {
                throw AwsErrors.Sts(ex.ErrorCode, "assuming role " + request.RoleArn, ex.Message, ex.RequestId, ex);
            }
            catch (Exception ex) when (IsNetworkFailure(ex, cancellationToken))
            {
                var where = stsEndpoint == null ? "STS" : "STS at " + AwsEndpoints.Display(stsEndpoint);
                throw new EcrAirflowException("StsConnectionFailed", FailureKind.ConnectionError,
                    $"{where} could not be reached when assuming role {request.RoleArn}: {Quote(ex, request)}",
                    "Check network access to STS from this machine (DNS, proxy, firewall), and AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL when a private endpoint is meant.")
                { TargetObject = request.RoleArn };
            }
            catch (AmazonClientException ex)
            {
                throw new EcrAirflowException("AssumeRoleFailed", FailureKind.ConnectionError,
                    $"Assuming role {request.RoleArn} failed: {Quote(ex, request)}",
                    "Check network access to STS (AWS_ENDPOINT_URL_STS for a private endpoint).");
            }

            var c = response.Credentials;
            return new ResolvedCredentials(new ImmutableCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken), $"role {request.RoleArn} assumed with {source.Source}");
        }

        /// <summary>
        /// AWS_ENDPOINT_URL_STS, else AWS_ENDPOINT_URL, checked like every custom endpoint (absolute http(s), no
        /// user info, the http:// rule: STS answers with temporary keys); null for STS's own endpoint.
        /// </summary>
        private static Uri? StsEndpoint(bool allowUnencrypted)
        {
            var (url, variable) = AwsEndpoints.FromEnvironment("STS");
            if (url != null)
            {
                AwsEndpoints.ValidateCustom(url, variable!, allowUnencrypted, "the temporary credentials STS answers with");
            }

            return url;
        }

        /// <summary>
        /// A credential_process that failed: the SDK's message quotes the process's stderr verbatim, and that
        /// text may hold the process's own secrets, which we cannot know: quoted with every known secret and
        /// anything that looks like a key or token masked, shortened, never as an inner exception.
        /// </summary>
        private static EcrAirflowException CredentialProcessFailed(AwsCredentialRequest request, Exception ex) => new EcrAirflowException(
            "CredentialProcessFailed",
            FailureKind.SecurityError,
            $"The credential_process of AWS profile '{request.ProfileName ?? Environment.GetEnvironmentVariable("AWS_PROFILE") ?? "default"}' failed: {Quote(ex, request)}",
            "Run the profile's credential_process command yourself to see its whole output, and fix what it reports (often: sign in again); key- and token-like text is masked here.")
        { TargetObject = request.ProfileName };

        /// <summary>An exception's message as it may be quoted: one line, known secrets and token-like text masked, at most 400 characters.</summary>
        private static string Quote(Exception ex, AwsCredentialRequest request)
        {
            var redactor = new SecretRedactor();
            redactor.Add(request.SecretAccessKey);
            redactor.Add(request.SessionToken);
            var text = redactor.RedactUnknown((ex.Message ?? string.Empty).Replace("\r", " ").Replace("\n", " ").Trim());
            return text.Length > 400 ? text.Substring(0, 400) + "…" : text;
        }

        /// <summary>DNS, refused, reset or timed out: the SDK lets these through as .NET exceptions.</summary>
        private static bool IsNetworkFailure(Exception ex, CancellationToken cancellationToken)
        {
            if (ex is OperationCanceledException)
            {
                return !cancellationToken.IsCancellationRequested; // a timeout, not Ctrl+C
            }

            for (var e = ex; e != null; e = e.InnerException)
            {
                if (e is System.Net.Http.HttpRequestException || e is System.Net.Sockets.SocketException || e is System.Net.WebException || e is System.IO.IOException)
                {
                    return true;
                }
            }

            return false;
        }

        private static EcrAirflowException NoCredentials(Exception? inner) => new EcrAirflowException(
            "NoAwsCredentials",
            FailureKind.SecurityError,
            "No AWS credentials were found.",
            "Give -Credential (access key id / secret key) or -ProfileName, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN, or run where container or instance credentials exist.",
            inner);

        /// <summary>
        /// The default chain's first provider on PowerShell 7 (and the first after app.config on 5.1): keys in
        /// AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_SECRET_KEY) need no STS or SSO client.
        /// </summary>
        private static bool HasEnvironmentKeys() =>
            !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID")) &&
            (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY")) ||
             !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AWS_SECRET_KEY")));

        /// <summary>A profile with keys of its own and no role, SSO or web identity: no STS or SSO client.</summary>
        private static bool IsStaticKeysProfile(CredentialProfile profile)
        {
            var o = profile.Options;
            return !string.IsNullOrEmpty(o.AccessKey) && string.IsNullOrEmpty(o.RoleArn) && string.IsNullOrEmpty(o.SourceProfile) &&
                string.IsNullOrEmpty(o.SsoStartUrl) && string.IsNullOrEmpty(o.SsoSession) && string.IsNullOrEmpty(o.WebIdentityTokenFile);
        }

        /// <summary>
        /// AWSSDK.Core creates STS/SSO/SSOOIDC clients for assume-role, web identity and SSO profiles only when
        /// those assemblies are loaded; loading them here, lazily and only for the sources that use them (not
        /// for -Credential, keys in the environment or a static-keys profile), keeps import and a plain Get cheap.
        /// </summary>
        internal static void EnsureServiceAssembliesLoaded()
        {
            if (Interlocked.Exchange(ref _servicesLoaded, 1) == 1)
            {
                return;
            }

            GC.KeepAlive(typeof(AmazonSecurityTokenServiceClient).Assembly);
            GC.KeepAlive(typeof(Amazon.SSO.AmazonSSOClient).Assembly);
            GC.KeepAlive(typeof(Amazon.SSOOIDC.AmazonSSOOIDCClient).Assembly);
        }
    }
}
