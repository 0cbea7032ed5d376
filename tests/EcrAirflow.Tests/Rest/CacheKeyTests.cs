using System;
using System.Security.Cryptography;
using System.Text;
using Xunit;
using EcrAirflow.Airflow.Api;
using EcrAirflow.Modes.Rest;

namespace EcrAirflow.Tests.Rest
{
    /// <summary>The Airflow 3 token cache's key: exact on the URL path, and never a bare hash of the password.</summary>
    public sealed class CacheKeyTests
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
    }
}
