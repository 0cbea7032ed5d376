using System;
using System.Management.Automation;
using EcrAirflow.Core.AwsApi;
using EcrAirflow.Core.Ecr;

namespace EcrAirflow.Core.Commands
{
    /// <summary>
    /// What Get-EcrDockerCredential (<see cref="GetEcrDockerCredentialCommand"/>) does: calls ECR's
    /// GetAuthorizationToken with the caller's AWS credentials and writes one EcrDockerCredential per registry.
    /// The password stays a SecureString.
    /// </summary>
    internal sealed class GetEcrDockerCredentialBody : AwsCmdletBody
    {
        private readonly GetEcrDockerCredentialCommand _cmdlet;

        public GetEcrDockerCredentialBody(GetEcrDockerCredentialCommand cmdlet)
            : base(cmdlet) => _cmdlet = cmdlet;

        protected override PSCredential? AwsCredentialValue => _cmdlet.Credential;

        protected override string AwsCredentialParameter => "-Credential";

        protected override string? AwsRegionValue => _cmdlet.Region;

        public override void Begin() => CheckAwsParameters();

        public override void Process()
        {
            var request = new EcrTokenRequest
            {
                Aws = BuildAwsSessionRequest(TimeSpan.FromSeconds(_cmdlet.TimeoutSec), _cmdlet.MaximumRetryCount),
                RegistryIds = _cmdlet.RegistryId,
                Public = _cmdlet.Public,
                Force = _cmdlet.Force,
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
                _cmdlet.WriteError(ToErrorRecord(ex, ex.TargetObject ?? (object?)_cmdlet.Region));
                return;
            }

            foreach (var a in result.Authorizations)
            {
                // A copy of the cached SecureString: disposing the output's Password must not break the cache.
                var password = a.Password.Copy();
                password.MakeReadOnly();
                _cmdlet.WriteObject(new EcrDockerCredential(
                    a.Registry, a.ProxyEndpoint, a.RegistryId, result.Region, a.UserName, password, a.ExpiresAt, result.IsPublic));
            }
        }
    }
}
