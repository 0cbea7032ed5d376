using System.Management.Automation;
using EcrAirflow.Internal.Http;

namespace EcrAirflow.Commands
{
    /// <summary>
    /// Get-EcrDockerCredential: calls ECR's GetAuthorizationToken with the caller's AWS credentials and
    /// returns one EcrDockerCredential per registry. The password stays a SecureString. Its parameters; what it
    /// does is GetEcrDockerCredentialBody's, in EcrAirflow.Core.
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
    }
}
