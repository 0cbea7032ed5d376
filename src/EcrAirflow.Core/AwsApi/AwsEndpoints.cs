using System;
using System.Text.RegularExpressions;
using EcrAirflow.Core.Internal.Http;

namespace EcrAirflow.Core.AwsApi
{
    /// <summary>Where one service's requests go and how they are signed.</summary>
    internal sealed record AwsEndpoint(AwsService Service, Uri Url, string SigningRegion, bool IsCustom);

    /// <summary>
    /// AWS endpoint rules for the services the module calls: &lt;name&gt;.&lt;region&gt;.&lt;partition suffix&gt;, FIPS
    /// and dual-stack variants, and a custom endpoint (from -EndpointUrl, AWS_ENDPOINT_URL_&lt;SERVICE&gt; or
    /// AWS_ENDPOINT_URL) that replaces the host and excludes both variants.
    /// </summary>
    internal static class AwsEndpoints
    {
        private static readonly Regex RegionPattern = new Regex(@"\A[a-z]{2}(-[a-z]+)+-\d{1,2}\z", RegexOptions.CultureInvariant);

        public static bool IsValidRegion(string region) => RegionPattern.IsMatch(region);

        /// <summary>DNS suffix of the partition a region belongs to.</summary>
        public static string PartitionSuffix(string region)
        {
            if (region.StartsWith("cn-", StringComparison.Ordinal)) return "amazonaws.com.cn";
            if (region.StartsWith("us-isob-", StringComparison.Ordinal)) return "sc2s.sgov.gov";
            if (region.StartsWith("us-isof-", StringComparison.Ordinal)) return "csp.hci.ic.gov";
            if (region.StartsWith("us-iso-", StringComparison.Ordinal)) return "c2s.ic.gov";
            if (region.StartsWith("eu-isoe-", StringComparison.Ordinal)) return "cloud.adc-e.uk";
            return "amazonaws.com"; // aws and aws-us-gov
        }

        /// <summary>Dual-stack DNS suffix of the partition (China has its own).</summary>
        public static string DualStackSuffix(string region) =>
            region.StartsWith("cn-", StringComparison.Ordinal) ? "api.amazonwebservices.com.cn" : "api.aws";

        /// <param name="customEndpoint">-EndpointUrl or the endpoint from the environment; null for the standard one.</param>
        /// <param name="customFromEnvironment">Names the variable in errors when the custom endpoint came from there.</param>
        /// <param name="allowUnencrypted">-AllowUnencryptedAuthentication: a custom http:// endpoint may be another host.</param>
        public static AwsEndpoint Resolve(AwsService service, string region, bool fips, bool dualStack, Uri? customEndpoint, string? customFromEnvironment = null, bool allowUnencrypted = false)
        {
            var signingRegion = service.FixedRegion ?? region;
            if (customEndpoint != null)
            {
                if (fips || dualStack)
                {
                    throw new EcrAirflowException(
                        "EndpointUrlWithFipsOrDualStack",
                        FailureKind.InvalidArgument,
                        "A custom endpoint URL cannot be combined with FIPS or dual-stack endpoints.",
                        $"Remove -EndpointUrl (or {service.EndpointVariable} / AWS_ENDPOINT_URL), or remove -UseFipsEndpoint / -UseDualStackEndpoint (and AWS_USE_FIPS_ENDPOINT / AWS_USE_DUALSTACK_ENDPOINT).");
                }

                ValidateCustom(customEndpoint, customFromEnvironment ?? "-EndpointUrl", allowUnencrypted, $"what {service.DisplayName} is sent and answers (its secrets included)");
                return new AwsEndpoint(service, customEndpoint, signingRegion, IsCustom: true);
            }

            if (fips && !service.HasFips)
            {
                throw new EcrAirflowException(
                    service == AwsService.EcrPublic ? "PublicFipsNotAvailable" : "FipsNotAvailable",
                    FailureKind.InvalidArgument,
                    $"Amazon {service.DisplayName} has no FIPS endpoint.",
                    "Remove -UseFipsEndpoint (or AWS_USE_FIPS_ENDPOINT)" + (service == AwsService.EcrPublic ? " when using -Public." : "."));
            }

            return new AwsEndpoint(service, new Uri("https://" + service.Host(signingRegion, fips, dualStack) + "/"), signingRegion, IsCustom: false);
        }

        /// <summary>
        /// The custom endpoint the environment names for a service: AWS_ENDPOINT_URL_&lt;serviceId&gt;, else
        /// AWS_ENDPOINT_URL (the first that is set), with the variable it came from; (null, null) when neither is.
        /// Only checked to be an absolute URL here: the caller applies <see cref="ValidateCustom"/> with what the
        /// endpoint carries.
        /// </summary>
        /// <param name="serviceId">The variable's suffix: <see cref="AwsService.ServiceId"/>, or "STS".</param>
        public static (Uri? Url, string? Variable) FromEnvironment(string serviceId)
        {
            var serviceVariable = "AWS_ENDPOINT_URL_" + serviceId;
            foreach (var name in new[] { serviceVariable, "AWS_ENDPOINT_URL" })
            {
                var value = Environment.GetEnvironmentVariable(name);
                if (string.IsNullOrEmpty(value))
                {
                    continue;
                }

                if (!Uri.TryCreate(value, UriKind.Absolute, out var url))
                {
                    throw new EcrAirflowException("InvalidEndpointUrl", FailureKind.InvalidArgument,
                        $"The endpoint URL in {name} is not an absolute URL.",
                        $"Fix or unset {serviceVariable} / AWS_ENDPOINT_URL.");
                }

                return (url, name);
            }

            return (null, null);
        }

        /// <summary>A custom endpoint as it is safe to show: never user info, query or fragment.</summary>
        public static string Display(Uri endpoint) => SafeUrl.Describe(endpoint);

        /// <summary>
        /// A custom endpoint of any AWS service (-EndpointUrl, AWS_ENDPOINT_URL_*): absolute http(s), no user info
        /// (never quoted back), and http:// only to loopback or with -AllowUnencryptedAuthentication.
        /// </summary>
        internal static void ValidateCustom(Uri endpoint, string source, bool allowUnencrypted, string carries)
        {
            if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
            {
                throw new EcrAirflowException(
                    "InvalidEndpointUrl",
                    FailureKind.InvalidArgument,
                    $"The endpoint URL from {source} is not an absolute http(s) URL.",
                    "Give a URL like https://vpce-0123-abcd.api.ecr.eu-west-1.vpce.amazonaws.com.");
            }

            if (!string.IsNullOrEmpty(endpoint.UserInfo))
            {
                throw new EcrAirflowException(
                    "InvalidEndpointUrl",
                    FailureKind.InvalidArgument,
                    $"The endpoint URL from {source} must not contain a user name or password.",
                    $"Remove 'user:password@' from {source}; AWS credentials come from -Credential, a profile or the environment.");
            }

            CleartextRule.Ensure(endpoint, allowUnencrypted, carries, source);
        }
    }
}
