using System;
using System.Reflection;
using System.Security;
using Xunit;
using EcrAirflow.Core.AwsApi;
using EcrAirflow.Core.Ecr;
using EcrAirflow.Core.Internal.Secrets;

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

        [Fact]
        public void The_session_token_cache_holds_ECR_passwords_as_SecureString()
        {
            var p = typeof(EcrAuthorization).GetProperty("Password", BindingFlags.Public | BindingFlags.Instance);
            Assert.NotNull(p);
            Assert.Equal(typeof(SecureString), p!.PropertyType);
            Assert.DoesNotContain(typeof(EcrAuthorization).GetProperties(), x => x.PropertyType == typeof(string) && x.Name.IndexOf("Password", StringComparison.OrdinalIgnoreCase) >= 0);
        }
    }
}
