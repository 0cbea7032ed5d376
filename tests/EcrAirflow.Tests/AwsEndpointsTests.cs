using System;
using Xunit;
using EcrAirflow.Core.AwsApi;

namespace EcrAirflow.Tests
{
    /// <summary>AWS endpoint rules: partitions, FIPS and dual-stack, custom endpoints and where they may come from.</summary>
    public class AwsEndpointsTests
    {
        [Theory]
        [InlineData("eu-west-1", false, false, "https://api.ecr.eu-west-1.amazonaws.com/")]
        [InlineData("cn-north-1", false, false, "https://api.ecr.cn-north-1.amazonaws.com.cn/")]
        [InlineData("us-gov-west-1", false, false, "https://api.ecr.us-gov-west-1.amazonaws.com/")]
        [InlineData("us-iso-east-1", false, false, "https://api.ecr.us-iso-east-1.c2s.ic.gov/")]
        [InlineData("us-isob-east-1", false, false, "https://api.ecr.us-isob-east-1.sc2s.sgov.gov/")]
        [InlineData("us-east-1", true, false, "https://api.ecr-fips.us-east-1.amazonaws.com/")]
        [InlineData("us-gov-east-1", true, false, "https://api.ecr-fips.us-gov-east-1.amazonaws.com/")]
        [InlineData("eu-west-1", false, true, "https://ecr.eu-west-1.api.aws/")]
        [InlineData("cn-northwest-1", false, true, "https://ecr.cn-northwest-1.api.amazonwebservices.com.cn/")]
        [InlineData("us-east-2", true, true, "https://ecr-fips.us-east-2.api.aws/")]
        public void Private_endpoints_follow_partition_and_variant(string region, bool fips, bool dualStack, string expected)
        {
            var endpoint = AwsEndpoints.Resolve(AwsService.Ecr, region, fips, dualStack, null);
            Assert.Equal(expected, endpoint.Url.ToString());
            Assert.Equal("ecr", endpoint.Service.SigningName);
            Assert.Equal(region, endpoint.SigningRegion);
            Assert.Equal("AmazonEC2ContainerRegistry_V20150921", endpoint.Service.TargetPrefix);
        }

        [Fact]
        public void Public_is_us_east_1_with_its_own_signing_name_and_target()
        {
            var endpoint = AwsEndpoints.Resolve(AwsService.EcrPublic, "eu-west-1", false, false, null);
            Assert.Equal("https://api.ecr-public.us-east-1.amazonaws.com/", endpoint.Url.ToString());
            Assert.Equal("us-east-1", endpoint.SigningRegion);
            Assert.Equal("ecr-public", endpoint.Service.SigningName);
            Assert.Equal("SpencerFrontendService", endpoint.Service.TargetPrefix);
        }

        [Fact]
        public void Custom_endpoint_replaces_the_host_but_keeps_the_region_for_signing()
        {
            var endpoint = AwsEndpoints.Resolve(AwsService.Ecr, "eu-central-1", false, false, new Uri("https://vpce-1.api.ecr.eu-central-1.vpce.amazonaws.com"));
            Assert.Equal("vpce-1.api.ecr.eu-central-1.vpce.amazonaws.com", endpoint.Url.Host);
            Assert.Equal("eu-central-1", endpoint.SigningRegion);
            Assert.True(endpoint.IsCustom);
        }

        [Theory]
        [InlineData(true, false)]
        [InlineData(false, true)]
        public void Custom_endpoint_with_fips_or_dual_stack_is_an_error(bool fips, bool dualStack)
        {
            var ex = Assert.Throws<EcrAirflowException>(() => AwsEndpoints.Resolve(AwsService.Ecr, "eu-west-1", fips, dualStack, new Uri("http://127.0.0.1:5000")));
            Assert.Equal("EndpointUrlWithFipsOrDualStack", ex.ErrorId);
            Assert.Equal(FailureKind.InvalidArgument, ex.Kind);
        }

        [Theory]
        [InlineData("ftp://example.com")]
        [InlineData("https://user:secret@example.com")]
        public void Bad_custom_endpoints_are_rejected_without_echoing_credentials(string url)
        {
            var ex = Assert.Throws<EcrAirflowException>(() => AwsEndpoints.Resolve(AwsService.Ecr, "eu-west-1", false, false, new Uri(url)));
            Assert.Equal("InvalidEndpointUrl", ex.ErrorId);
            Assert.DoesNotContain("secret", ex.Message);
        }

        [Theory]
        [InlineData("eu-west-1", true)]
        [InlineData("us-gov-west-1", true)]
        [InlineData("ap-southeast-7", true)]
        [InlineData("EU-WEST-1", false)]
        [InlineData("eu-west", false)]
        [InlineData("mars-1", false)]
        [InlineData("eu-west-1; rm", false)]
        public void Region_names_are_validated(string region, bool valid)
        {
            Assert.Equal(valid, AwsEndpoints.IsValidRegion(region));
        }

        /// <summary>The http:// rule for every AWS endpoint: the reply of ECR (or STS) carries a secret.</summary>
        [Theory]
        [InlineData("http://ecr.example.com", false, true)]
        [InlineData("http://10.1.2.3:4566", false, true)]
        [InlineData("http://ecr.example.com", true, false)]
        [InlineData("https://ecr.example.com", false, false)]
        [InlineData("http://127.0.0.1:5000", false, false)]
        [InlineData("http://[::1]:5000", false, false)]
        [InlineData("http://localhost:5000", false, false)]
        public void A_custom_http_endpoint_to_another_host_needs_the_opt_in(string url, bool allow, bool refused)
        {
            var ex = Record.Exception(() => AwsEndpoints.Resolve(AwsService.Ecr, "eu-west-1", false, false, new Uri(url), null, allow));
            if (!refused)
            {
                Assert.Null(ex);
                return;
            }

            var error = Assert.IsType<EcrAirflowException>(ex);
            Assert.Equal("UnencryptedAuthenticationRefused", error.ErrorId);
            Assert.Contains("-AllowUnencryptedAuthentication", error.Message);
            Assert.Contains("-EndpointUrl", error.Hint);
        }

        /// <summary>
        /// AWS_ENDPOINT_URL_&lt;SERVICE&gt; as every service and STS read it. A service id of this test's own keeps
        /// the process-wide variable away from the tests that run beside it.
        /// </summary>
        [Fact]
        public void The_service_variable_names_the_endpoint_and_where_it_came_from()
        {
            const string Variable = "AWS_ENDPOINT_URL_ECRAIRFLOW_XUNIT_ENDPOINTS";
            Environment.SetEnvironmentVariable(Variable, "https://vpce-0123.api.ecr.eu-west-1.vpce.amazonaws.com");
            try
            {
                var (url, from) = AwsEndpoints.FromEnvironment("ECRAIRFLOW_XUNIT_ENDPOINTS");
                Assert.Equal(new Uri("https://vpce-0123.api.ecr.eu-west-1.vpce.amazonaws.com"), url);
                Assert.Equal(Variable, from);

                Environment.SetEnvironmentVariable(Variable, "not a url");
                var ex = Assert.Throws<EcrAirflowException>(() => AwsEndpoints.FromEnvironment("ECRAIRFLOW_XUNIT_ENDPOINTS"));
                Assert.Equal("InvalidEndpointUrl", ex.ErrorId);
                Assert.Equal(FailureKind.InvalidArgument, ex.Kind);
                Assert.Contains(Variable, ex.Message);
                Assert.Equal($"Fix or unset {Variable} / AWS_ENDPOINT_URL.", ex.Hint);
            }
            finally
            {
                Environment.SetEnvironmentVariable(Variable, null);
            }
        }
    }
}
