using System;
using Xunit;
using EcrAirflow.Aws;
using EcrAirflow.AwsApi;
using EcrAirflow.Ecr;
using EcrAirflow.Internal;
using EcrAirflow.Internal.Secrets;

namespace EcrAirflow.Tests
{
    public class TokenCacheTests
    {
        private static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        [Theory]
        [InlineData(0, true)]
        [InlineData(5, true)]
        [InlineData(5.99, true)]
        [InlineData(6, false)]
        [InlineData(11, false)]
        public void A_12_hour_token_is_reused_until_half_its_lifetime(double hoursLater, bool fresh)
        {
            Assert.Equal(fresh, TokenCache.IsFresh(T0, T0.AddHours(12), T0.AddHours(hoursLater)));
        }

        [Fact]
        public void A_token_that_expired_before_it_was_obtained_is_never_fresh()
        {
            // moto's fixed 2015 expiry
            Assert.False(TokenCache.IsFresh(T0, new DateTimeOffset(2015, 1, 1, 0, 0, 0, TimeSpan.Zero), T0));
        }

        [Fact]
        public void Key_depends_on_endpoint_registries_and_identity()
        {
            var eu = AwsEndpoints.Resolve(AwsService.Ecr, "eu-west-1", false, false, null);
            var us = AwsEndpoints.Resolve(AwsService.Ecr, "us-east-1", false, false, null);
            var k1 = TokenCache.Key(eu, new[] { "222222222222", "111111111111" }, "identity-1");
            Assert.Equal(k1, TokenCache.Key(eu, new[] { "111111111111", "222222222222" }, "identity-1"));
            Assert.NotEqual(k1, TokenCache.Key(us, new[] { "111111111111", "222222222222" }, "identity-1"));
            Assert.NotEqual(k1, TokenCache.Key(eu, new[] { "111111111111" }, "identity-1"));
            Assert.NotEqual(k1, TokenCache.Key(eu, new[] { "111111111111", "222222222222" }, "identity-2"));
        }

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

        [Fact]
        public void Put_then_get_respects_the_clock()
        {
            var saved = TokenCache.Now;
            try
            {
                var now = T0;
                TokenCache.Now = () => now;
                var key = "test|" + Guid.NewGuid();
                TokenCache.Put(key, new[] { new EcrAuthorization("r", "https://r", null, "AWS", SecureText.ToSecure("p"), T0.AddHours(12)) });
                Assert.True(TokenCache.TryGet(key, out var hit));
                Assert.Single(hit);
                now = T0.AddHours(6).AddSeconds(1);
                Assert.False(TokenCache.TryGet(key, out _));
            }
            finally
            {
                TokenCache.Now = saved;
            }
        }
    }
}
