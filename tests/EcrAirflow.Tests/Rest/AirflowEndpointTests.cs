using System;
using Xunit;
using EcrAirflow.Core.Airflow.Api;
using EcrAirflow.Core.Modes.Rest;

namespace EcrAirflow.Tests.Rest
{
    /// <summary>
    /// -AirflowUrl: the API paths below it, its version suffix, and the clear-text rule.
    /// </summary>
    public sealed class AirflowEndpointTests
    {
        [Theory]
        [InlineData("https://airflow.example.com", "https://airflow.example.com/api/v1/connections")]
        [InlineData("https://airflow.example.com/", "https://airflow.example.com/api/v1/connections")]
        [InlineData("https://example.com/airflow", "https://example.com/airflow/api/v1/connections")]
        [InlineData("https://example.com/airflow/", "https://example.com/airflow/api/v1/connections")]
        [InlineData("https://example.com/team/airflow//", "https://example.com/team/airflow/api/v1/connections")]
        [InlineData("https://Example.COM:8443/airflow", "https://example.com:8443/airflow/api/v1/connections")]
        [InlineData("http://[::1]:8080/a", "http://[::1]:8080/a/api/v1/connections")]
        [InlineData("https://example.com/airflow/api/v1", "https://example.com/airflow/api/v1/connections")]
        [InlineData("https://example.com/api/v2/", "https://example.com/api/v1/connections")]
        public void Joins_API_paths_below_any_prefix(string baseUrl, string expected)
        {
            var endpoint = AirflowEndpoint.Parse(new Uri(baseUrl));
            Assert.Equal(expected, endpoint.Resolve("api/v1/connections").AbsoluteUri);
        }

        [Fact]
        public void Escapes_the_connection_id_segment_and_keeps_the_display_clean()
        {
            var endpoint = AirflowEndpoint.Parse(new Uri("https://example.com/airflow/"));
            Assert.Equal("https://example.com/airflow", endpoint.Display);
            Assert.Equal("https://example.com/airflow/api/v1/connections/%C3%A9cr.eu-west-1",
                endpoint.Resolve("api/v1/connections/" + ApiPaths.Segment("écr.eu-west-1")).AbsoluteUri);
        }

        [Theory]
        [InlineData("https://example.com/api/v1", AirflowApiVersion.V1)]
        [InlineData("https://example.com/x/API/V2/", AirflowApiVersion.V2)]
        [InlineData("https://example.com/x", AirflowApiVersion.Auto)]
        public void A_version_suffix_on_the_URL_names_the_API(string url, AirflowApiVersion expected)
        {
            Assert.Equal(expected, AirflowEndpoint.Parse(new Uri(url)).VersionFromPath);
        }

        [Fact]
        public void Refuses_credentials_in_the_URL_without_repeating_them()
        {
            var ex = Assert.Throws<EcrAirflowException>(() => AirflowEndpoint.Parse(new Uri("https://admin:s3cret-pw@airflow.example.com/")));
            Assert.Equal("AirflowUrlContainsCredentials", ex.ErrorId);
            Assert.Equal(FailureKind.InvalidArgument, ex.Kind);
            Kit.NoSecretIn(Kit.Describe(ex) + ex.TargetObject, "s3cret-pw");
        }

        [Theory]
        [InlineData("ftp://airflow.example.com")]
        [InlineData("https://airflow.example.com/?x=1")]
        [InlineData("https://airflow.example.com/#top")]
        public void Refuses_what_is_not_a_base_URL(string url)
        {
            var ex = Assert.Throws<EcrAirflowException>(() => AirflowEndpoint.Parse(new Uri(url)));
            Assert.Equal("InvalidAirflowUrl", ex.ErrorId);
        }

        [Theory]
        [InlineData("localhost", true)]
        [InlineData("LOCALHOST", true)]
        [InlineData("127.0.0.1", true)]
        [InlineData("127.45.6.7", true)]
        [InlineData("::1", true)]
        [InlineData("[::1]", true)]
        [InlineData("::ffff:127.0.0.1", true)]
        [InlineData("10.0.0.1", false)]
        [InlineData("128.0.0.1", false)]
        [InlineData("airflow.invalid", false)]
        [InlineData("localhost.example.com", false)]
        [InlineData("::2", false)]
        public void Knows_loopback_hosts(string host, bool loopback)
        {
            Assert.Equal(loopback, AirflowEndpoint.IsLoopbackHost(host));
        }

        [Theory]
        [InlineData("http://airflow.invalid", true, false, true)]
        [InlineData("http://airflow.invalid", true, true, false)]   // -AllowUnencryptedAuthentication
        [InlineData("http://airflow.invalid", false, false, true)]  // no Airflow credential, but the ECR password is in every body
        [InlineData("https://airflow.invalid", true, false, false)]
        [InlineData("http://127.0.0.1:8080", true, false, false)]
        [InlineData("http://[::1]:8080", true, false, false)]
        [InlineData("http://localhost:8080", true, false, false)]
        public void Refuses_secrets_over_clear_text_to_another_host(string url, bool credentials, bool allow, bool refused)
        {
            var endpoint = AirflowEndpoint.Parse(new Uri(url));
            var ex = Record.Exception(() => endpoint.EnsureSecretsMaySend(credentials, allow));
            if (!refused)
            {
                Assert.Null(ex);
                return;
            }

            var error = Assert.IsType<EcrAirflowException>(ex);
            Assert.Equal("UnencryptedAuthenticationRefused", error.ErrorId);
            Assert.Equal(FailureKind.SecurityError, error.Kind);
            Assert.Contains("-AllowUnencryptedAuthentication", error.Hint);
            Assert.Contains("-AllowUnencryptedAuthentication", error.Message);
            Assert.Contains("ECR password", error.Message);
        }
    }
}
