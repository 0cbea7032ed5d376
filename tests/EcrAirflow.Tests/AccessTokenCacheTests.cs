using System;
using System.Security.Cryptography;
using System.Text;
using Xunit;
using EcrAirflow.Core.Airflow.Api;
using EcrAirflow.Core.Modes.Rest;

namespace EcrAirflow.Tests
{
    /// <summary>
    /// The Airflow 3 token cache: the exp claim, and a key exact on the URL path that never holds a bare hash of the password.
    /// </summary>
    public sealed class AccessTokenCacheTests
    {
        private static AirflowEndpoint Endpoint(string url) => AirflowEndpoint.Parse(new Uri(url));

        [Fact]
        public void The_path_is_case_sensitive_and_the_host_is_not()
        {
            var teamA = AccessTokenCache.Key(Endpoint("https://airflow.example.com/TeamA").Display, "admin", "pw");
            Assert.NotEqual(teamA, AccessTokenCache.Key(Endpoint("https://airflow.example.com/teama").Display, "admin", "pw"));
            Assert.Equal(teamA, AccessTokenCache.Key(Endpoint("https://AIRFLOW.example.com/TeamA/").Display, "admin", "pw"));
        }

        [Fact]
        public void The_key_holds_no_unsalted_hash_of_the_password()
        {
            var key = AccessTokenCache.Key(Endpoint("https://airflow.example.com").Display, "admin", "correct horse");
            using var sha = SHA256.Create();
            foreach (var input in new[] { "admin\ncorrect horse", "correct horse", "admin:correct horse" })
            {
                var hex = Convert.ToHexString(sha.ComputeHash(Encoding.UTF8.GetBytes(input)));
                Assert.DoesNotContain(hex, key, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(hex.Substring(0, 32), key, StringComparison.OrdinalIgnoreCase);
            }

            Assert.DoesNotContain("correct horse", key, StringComparison.Ordinal);
            Assert.NotEqual(key, AccessTokenCache.Key(Endpoint("https://airflow.example.com").Display, "admin", "wrong horse"));
            Assert.Equal(key, AccessTokenCache.Key(Endpoint("https://airflow.example.com").Display, "admin", "correct horse"));
        }

        private static string Jwt(DateTimeOffset exp)
        {
            static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            return B64("{\"alg\":\"HS512\",\"typ\":\"JWT\"}") + "." + B64("{\"sub\":\"1\",\"exp\":" + exp.ToUnixTimeSeconds() + "}") + ".c2ln";
        }

        [Fact]
        public void Reads_the_exp_claim_and_drops_expired_tokens()
        {
            var endpoint = AirflowEndpoint.Parse(new Uri("https://cache.example.com"));
            var key = AccessTokenCache.Key(endpoint.Display, "u", "p");
            var exp = DateTimeOffset.UtcNow.AddHours(1);
            Assert.Equal(exp.ToUnixTimeSeconds(), AccessTokenCache.ExpiresAt(Jwt(exp))!.Value.ToUnixTimeSeconds());

            AccessTokenCache.Set(key, Jwt(exp));
            Assert.NotNull(AccessTokenCache.Get(key));
            AccessTokenCache.Set(key, Jwt(DateTimeOffset.UtcNow.AddSeconds(10))); // inside the renewal margin
            Assert.Null(AccessTokenCache.Get(key));
            AccessTokenCache.Set(key, "opaque-token");
            Assert.Equal("opaque-token", AccessTokenCache.Get(key));
        }

        [Fact]
        public void The_key_depends_on_the_password_but_does_not_hold_it()
        {
            var endpoint = AirflowEndpoint.Parse(new Uri("https://cache.example.com"));
            var right = AccessTokenCache.Key(endpoint.Display, "u", "right-password");
            Assert.NotEqual(right, AccessTokenCache.Key(endpoint.Display, "u", "wrong-password"));
            Assert.DoesNotContain("right-password", right);
        }
    }
}
