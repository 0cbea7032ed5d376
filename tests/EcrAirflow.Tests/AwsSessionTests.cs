using System;
using Xunit;
using EcrAirflow.Aws;
using EcrAirflow.Core.AwsApi;
using EcrAirflow.Core.Internal;

namespace EcrAirflow.Tests
{
    public sealed class AwsSessionTests
    {
        [Fact]
        public async System.Threading.Tasks.Task Identity_key_is_a_keyed_hash_that_changes_with_the_secret_and_never_holds_it()
        {
            static System.Threading.Tasks.Task<string> KeyOf(string secret, string? token = null) => new AwsBackendService()
                .Open(AwsService.Ecr, new AwsSessionRequest { Region = "eu-west-1", Credentials = new AwsCredentialRequest { AccessKeyId = "AKIAEXAMPLEKEY000001", SecretAccessKey = secret, SessionToken = token } }, NullOperationLog.Instance)
                .IdentityKeyAsync(NullOperationLog.Instance, default);

            var k1 = await KeyOf("secret-one-secret-one");
            Assert.Equal(k1, await KeyOf("secret-one-secret-one"));
            Assert.NotEqual(k1, await KeyOf("secret-two-secret-two"));
            Assert.NotEqual(k1, await KeyOf("secret-one-secret-one", "session-token"));
            Assert.DoesNotContain("AKIAEXAMPLEKEY", k1);
            Assert.DoesNotContain("secret-one", k1);

            // Not a bare SHA-256 of the pair: a per-process random key goes into the hash.
            using var sha = System.Security.Cryptography.SHA256.Create();
            var bare = BitConverter.ToString(sha.ComputeHash(System.Text.Encoding.UTF8.GetBytes("AKIAEXAMPLEKEY000001\nsecret-one-secret-one\n"))).Replace("-", "");
            Assert.False(bare.StartsWith(k1, StringComparison.Ordinal));
        }
    }
}
