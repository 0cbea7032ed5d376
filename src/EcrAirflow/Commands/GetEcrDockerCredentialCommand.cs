using System;
using System.Management.Automation;
using System.Net;
using System.Security;
using EcrAirflow.Aws;
using EcrAirflow.Ecr;

namespace EcrAirflow.Commands
{
    /// <summary>
    /// Get-EcrDockerCredential: calls ECR's GetAuthorizationToken with the caller's AWS credentials and
    /// returns one EcrDockerCredential per registry. The password stays a SecureString.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "EcrDockerCredential", DefaultParameterSetName = PrivateSet)]
    [OutputType(typeof(EcrDockerCredential))]
    public sealed class GetEcrDockerCredentialCommand : AsyncCmdletBase
    {
        private const string PrivateSet = "Private";
        private const string PublicSet = "Public";

        [Parameter(Position = 0, ParameterSetName = PrivateSet, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(RegionCompleter))]
        [ValidateNotNullOrEmpty]
        public string? Region { get; set; }

        [Parameter(ParameterSetName = PrivateSet, ValueFromPipelineByPropertyName = true)]
        [Alias("RegistryIds", "AccountId")]
        [ValidateCount(1, 10)]
        [ValidatePattern(@"^\d{12}$")]
        public string[]? RegistryId { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = PublicSet)]
        public SwitchParameter Public { get; set; }

        [Parameter]
        [Credential]
        [ValidateNotNull]
        public PSCredential? Credential { get; set; }

        [Parameter]
        [ValidateNotNull]
        public SecureString? SessionToken { get; set; }

        [Parameter]
        [Alias("Profile")]
        [ValidateNotNullOrEmpty]
        public string? ProfileName { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ProfileLocation { get; set; }

        [Parameter]
        [ValidatePattern(@"^arn:aws[a-z-]*:iam::\d{12}:role/.+$")]
        public string? RoleArn { get; set; }

        [Parameter]
        [ValidatePattern(@"^[\w+=,.@-]{2,64}$")]
        public string? RoleSessionName { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ExternalId { get; set; }

        [Parameter]
        [ValidateNotNull]
        public Uri? EndpointUrl { get; set; }

        [Parameter]
        public SwitchParameter UseFipsEndpoint { get; set; }

        [Parameter]
        public SwitchParameter UseDualStackEndpoint { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = 30;

        [Parameter]
        [ValidateRange(0, 10)]
        public int MaximumRetryCount { get; set; } = 3;

        protected override void BeginProcessing()
        {
            if (Credential != null && ProfileName != null)
            {
                ThrowTerminatingError(NewError("CredentialAndProfile", ErrorCategory.InvalidArgument,
                    "-Credential and -ProfileName cannot be used together.", "Use one source of AWS credentials.", null));
            }

            if (SessionToken != null && Credential == null)
            {
                ThrowTerminatingError(NewError("SessionTokenWithoutCredential", ErrorCategory.InvalidArgument,
                    "-SessionToken needs -Credential (the temporary access key id and secret key it belongs to).",
                    "Add -Credential, or drop -SessionToken.", null));
            }

            if ((RoleSessionName != null || ExternalId != null) && RoleArn == null)
            {
                ThrowTerminatingError(NewError("RoleOptionWithoutRoleArn", ErrorCategory.InvalidArgument,
                    "-RoleSessionName and -ExternalId only apply with -RoleArn.", "Add -RoleArn arn:aws:iam::<account>:role/<name>.", null));
            }
        }

        protected override void ProcessRecord()
        {
            var request = new EcrTokenRequest
            {
                Region = Region,
                RegistryIds = RegistryId,
                Public = Public,
                EndpointUrl = EndpointUrl,
                UseFipsEndpoint = MyInvocation.BoundParameters.ContainsKey(nameof(UseFipsEndpoint)) ? UseFipsEndpoint.IsPresent : (bool?)null,
                UseDualStackEndpoint = MyInvocation.BoundParameters.ContainsKey(nameof(UseDualStackEndpoint)) ? UseDualStackEndpoint.IsPresent : (bool?)null,
                Force = Force,
                Timeout = TimeSpan.FromSeconds(TimeoutSec),
                MaximumRetryCount = MaximumRetryCount,
                Credentials = new AwsCredentialRequest
                {
                    AccessKeyId = Credential?.UserName,
                    SecretAccessKey = Credential?.GetNetworkCredential().Password,
                    SessionToken = SessionToken == null ? null : new NetworkCredential(string.Empty, SessionToken).Password,
                    ProfileName = ProfileName,
                    ProfileLocation = ProfileLocation == null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(ProfileLocation),
                    RoleArn = RoleArn,
                    RoleSessionName = RoleSessionName,
                    ExternalId = ExternalId,
                },
            };

            EcrTokenResult result;
            try
            {
                var provider = Internal.AwsBackend.Provider;
                result = RunAsync((log, ct) => provider.GetAsync(request, log, ct));
            }
            catch (EcrAirflowException ex)
            {
                // Non-terminating: with registry ids from the pipeline, the next record may still succeed.
                WriteError(ToErrorRecord(ex, ex.TargetObject ?? (object?)Region));
                return;
            }

            foreach (var a in result.Authorizations)
            {
                WriteObject(new EcrDockerCredential(
                    a.Registry, a.ProxyEndpoint, a.RegistryId, result.Region, a.UserName, ToSecureString(a.Password), a.ExpiresAt, result.IsPublic));
            }
        }

        private static SecureString ToSecureString(string value)
        {
            var secure = new SecureString();
            foreach (var c in value)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }
    }
}
