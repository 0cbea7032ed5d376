using System;
using System.Management.Automation;
using EcrAirflow.AwsApi;
using EcrAirflow.Ecr;
using EcrAirflow.Internal.Http;

namespace EcrAirflow.Commands
{
    /// <summary>
    /// Get-EcrDockerCredential: calls ECR's GetAuthorizationToken with the caller's AWS credentials and
    /// returns one EcrDockerCredential per registry. The password stays a SecureString.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "EcrDockerCredential", DefaultParameterSetName = PrivateSet)]
    [OutputType(typeof(EcrDockerCredential))]
    public sealed class GetEcrDockerCredentialCommand : AwsCmdletBase
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
        [Alias("AwsCredential")]
        [Credential]
        [ValidateNotNull]
        public PSCredential? Credential { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = HttpDefaults.TimeoutSec;

        [Parameter]
        [ValidateRange(0, 10)]
        public int MaximumRetryCount { get; set; } = HttpDefaults.MaximumRetryCount;

        protected override PSCredential? AwsCredentialValue => Credential;

        protected override string AwsCredentialParameter => "-Credential";

        protected override string? AwsRegionValue => Region;

        protected override void BeginProcessing() => CheckAwsParameters();

        protected override void ProcessRecord()
        {
            var request = new EcrTokenRequest
            {
                Aws = BuildAwsSessionRequest(TimeSpan.FromSeconds(TimeoutSec), MaximumRetryCount),
                RegistryIds = RegistryId,
                Public = Public,
                Force = Force,
            };

            EcrTokenResult result;
            try
            {
                var backend = AwsBackend.Instance;
                result = RunAsync((log, ct) => EcrTokenService.GetAsync(backend, request, log, ct));
            }
            catch (EcrAirflowException ex)
            {
                // Non-terminating: with registry ids from the pipeline, the next record may still succeed.
                WriteError(ToErrorRecord(ex, ex.TargetObject ?? (object?)Region));
                return;
            }

            foreach (var a in result.Authorizations)
            {
                // A copy of the cached SecureString: disposing the output's Password must not break the cache.
                var password = a.Password.Copy();
                password.MakeReadOnly();
                WriteObject(new EcrDockerCredential(
                    a.Registry, a.ProxyEndpoint, a.RegistryId, result.Region, a.UserName, password, a.ExpiresAt, result.IsPublic));
            }
        }
    }
}
