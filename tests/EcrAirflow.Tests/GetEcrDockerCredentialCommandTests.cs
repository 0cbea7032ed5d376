using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace EcrAirflow.Tests
{
    /// <summary>The cmdlet in an in-process runspace against moto with signature and IAM checking on.</summary>
    [Collection("moto")]
    public class GetEcrDockerCredentialCommandTests
    {
        private readonly MotoFixture _moto;

        public GetEcrDockerCredentialCommandTests(MotoFixture moto) => _moto = moto;

        private Dictionary<string, object?> Vars(string accessKey, string secret) => new Dictionary<string, object?>
        {
            ["endpoint"] = _moto.Endpoint,
            ["cred"] = PowerShellHost.Credential(accessKey, secret),
        };

        [Fact]
        public void Signed_request_returns_a_typed_credential_for_the_account_and_region()
        {
            var (output, errors) = PowerShellHost.Run(
                "Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $endpoint -Credential $cred -Force",
                Vars(_moto.Allowed.AccessKeyId, _moto.Allowed.SecretAccessKey));
            Assert.Empty(errors);
            var credential = Assert.IsType<EcrDockerCredential>(Assert.Single(output).BaseObject);
            Assert.Equal($"{_moto.AccountId}.dkr.ecr.eu-west-1.amazonaws.com", credential.Registry);
            Assert.Equal("eu-west-1", credential.Region);
            Assert.Equal(_moto.AccountId, credential.RegistryId);
            Assert.Equal("AWS", credential.UserName);
            // Exactly the token moto issued (each one is new, in ECR's format), and its expiry to the second.
            var issued = _moto.IssuedEcrTokens(_moto.Allowed.AccessKeyId)[^1];
            Assert.Equal(issued.Password, credential.GetNetworkCredentialPassword());
            Assert.Equal(issued.ExpiresAt, credential.ExpiresAt);
            // The moto peer serves ECR's 12-hour lifetime (moto itself would say 2015).
            Assert.InRange(credential.ExpiresAt, DateTimeOffset.UtcNow.AddHours(11), DateTimeOffset.UtcNow.AddHours(12).AddMinutes(1));
            Assert.False(credential.IsPublic);
        }

        [Fact]
        public void Two_registry_ids_give_two_objects()
        {
            var (output, errors) = PowerShellHost.Run(
                "Get-EcrDockerCredential -Region us-west-2 -EndpointUrl $endpoint -Credential $cred -RegistryId 111111111111,222222222222",
                Vars(_moto.Allowed.AccessKeyId, _moto.Allowed.SecretAccessKey));
            Assert.Empty(errors);
            var registries = output.Select(o => ((EcrDockerCredential)o.BaseObject).Registry).OrderBy(r => r).ToArray();
            Assert.Equal(new[] { "111111111111.dkr.ecr.us-west-2.amazonaws.com", "222222222222.dkr.ecr.us-west-2.amazonaws.com" }, registries);
        }

        [Fact]
        public void A_wrong_secret_key_is_a_security_error_that_does_not_echo_the_secret()
        {
            var (output, errors) = PowerShellHost.Run(
                "Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $endpoint -Credential $cred -MaximumRetryCount 0",
                Vars(_moto.Allowed.AccessKeyId, "wrong-secret-key-value"));
            Assert.Empty(output);
            var error = Assert.Single(errors);
            Assert.Equal("EcrInvalidSignature,EcrAirflow.Commands.GetEcrDockerCredentialCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
            Assert.False(string.IsNullOrEmpty(error.ErrorDetails.RecommendedAction));
            Assert.DoesNotContain("wrong-secret-key-value", error.ToString());
            Assert.DoesNotContain("wrong-secret-key-value", error.ErrorDetails.Message);
        }

        [Fact]
        public void A_user_without_permission_gets_access_denied()
        {
            var (output, errors) = PowerShellHost.Run(
                "Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $endpoint -Credential $cred",
                Vars(_moto.Denied.AccessKeyId, _moto.Denied.SecretAccessKey));
            Assert.Empty(output);
            var error = Assert.Single(errors);
            Assert.Equal("EcrAccessDenied,EcrAirflow.Commands.GetEcrDockerCredentialCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
            Assert.Contains("ecr:GetAuthorizationToken", error.ErrorDetails.RecommendedAction);
        }

        [Fact]
        public void Assume_role_through_sts_then_ecr_with_the_role_session()
        {
            var saved = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_STS");
            Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_STS", _moto.Endpoint.ToString());
            try
            {
                var vars = Vars(_moto.Allowed.AccessKeyId, _moto.Allowed.SecretAccessKey);
                vars["role"] = _moto.RoleArn;
                var (output, errors) = PowerShellHost.Run(
                    "Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $endpoint -Credential $cred -RoleArn $role -RoleSessionName xunit -Force -Verbose 4>&1",
                    vars);
                Assert.Empty(errors);
                Assert.Contains(output, o => o.BaseObject is VerboseRecord v && v.Message.Contains("Assuming role " + _moto.RoleArn));
                Assert.Contains(output, o => o.BaseObject is VerboseRecord v && v.Message.Contains("access key ASIA"));
                Assert.Single(output, o => o.BaseObject is EcrDockerCredential);
            }
            finally
            {
                Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_STS", saved);
            }
        }

        [Fact]
        public void Verbose_text_never_contains_the_secret_key_or_the_token()
        {
            var (output, errors) = PowerShellHost.Run(
                "Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $endpoint -Credential $cred -Force -Verbose 4>&1",
                Vars(_moto.Allowed.AccessKeyId, _moto.Allowed.SecretAccessKey));
            Assert.Empty(errors);
            var verbose = string.Join("\n", output.Where(o => o.BaseObject is VerboseRecord).Select(o => ((VerboseRecord)o.BaseObject).Message));
            Assert.Contains("request id", verbose);
            Assert.DoesNotContain(_moto.Allowed.SecretAccessKey, verbose);
            var password = _moto.IssuedEcrTokens(_moto.Allowed.AccessKeyId)[^1].Password;
            Assert.DoesNotContain(password, verbose);
            Assert.DoesNotContain(password.Substring(0, 40), verbose);
        }
    }
}
