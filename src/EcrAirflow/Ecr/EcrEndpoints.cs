using System;
using System.Text.RegularExpressions;

namespace EcrAirflow.Ecr
{
    /// <summary>Which ECR API to call and how its requests are signed.</summary>
    internal sealed class EcrEndpoint
    {
        public EcrEndpoint(Uri url, string signingRegion, string signingName, string target, bool isPublic, bool isCustom)
        {
            Url = url;
            SigningRegion = signingRegion;
            SigningName = signingName;
            Target = target;
            IsPublic = isPublic;
            IsCustom = isCustom;
        }

        public Uri Url { get; }

        public string SigningRegion { get; }

        /// <summary>SigV4 signing name: ecr, or ecr-public.</summary>
        public string SigningName { get; }

        /// <summary>X-Amz-Target of GetAuthorizationToken.</summary>
        public string Target { get; }

        public bool IsPublic { get; }

        public bool IsCustom { get; }
    }

    /// <summary>
    /// ECR endpoint rules: api.ecr.&lt;region&gt;.&lt;partition suffix&gt;, FIPS api.ecr-fips.&lt;region&gt;.amazonaws.com,
    /// dual-stack ecr.&lt;region&gt;.api.aws; ECR Public lives in us-east-1 only. A custom endpoint
    /// (VPC endpoint, emulator) replaces the host and cannot be combined with FIPS or dual-stack.
    /// </summary>
    internal static class EcrEndpoints
    {
        public const string PrivateTarget = "AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken";
        public const string PublicTarget = "SpencerFrontendService.GetAuthorizationToken";
        public const string PublicRegion = "us-east-1";
        public const string PublicRegistry = "public.ecr.aws";

        private static readonly Regex RegionPattern = new Regex(@"^[a-z]{2}(-[a-z]+)+-\d{1,2}$", RegexOptions.CultureInvariant);

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
        private static string DualStackSuffix(string region) =>
            region.StartsWith("cn-", StringComparison.Ordinal) ? "api.amazonwebservices.com.cn" : "api.aws";

        public static EcrEndpoint Resolve(string region, bool isPublic, bool fips, bool dualStack, Uri? customEndpoint)
        {
            if (customEndpoint != null && (fips || dualStack))
            {
                throw new EcrAirflowException(
                    "EndpointUrlWithFipsOrDualStack",
                    FailureKind.InvalidArgument,
                    "A custom endpoint URL cannot be combined with FIPS or dual-stack endpoints.",
                    "Remove -EndpointUrl (or AWS_ENDPOINT_URL_ECR), or remove -UseFipsEndpoint / -UseDualStackEndpoint (and AWS_USE_FIPS_ENDPOINT / AWS_USE_DUALSTACK_ENDPOINT).");
            }

            if (customEndpoint != null)
            {
                ValidateCustom(customEndpoint);
            }

            if (isPublic)
            {
                if (fips)
                {
                    throw new EcrAirflowException(
                        "PublicFipsNotAvailable",
                        FailureKind.InvalidArgument,
                        "Amazon ECR Public has no FIPS endpoint.",
                        "Remove -UseFipsEndpoint (or AWS_USE_FIPS_ENDPOINT) when using -Public.");
                }

                var publicUrl = customEndpoint ?? new Uri(dualStack
                    ? $"https://ecr-public.{PublicRegion}.api.aws/"
                    : $"https://api.ecr-public.{PublicRegion}.amazonaws.com/");
                return new EcrEndpoint(publicUrl, PublicRegion, "ecr-public", PublicTarget, true, customEndpoint != null);
            }

            Uri url;
            if (customEndpoint != null)
            {
                url = customEndpoint;
            }
            else if (fips && dualStack)
            {
                url = new Uri($"https://ecr-fips.{region}.{DualStackSuffix(region)}/");
            }
            else if (fips)
            {
                url = new Uri($"https://api.ecr-fips.{region}.{PartitionSuffix(region)}/");
            }
            else if (dualStack)
            {
                url = new Uri($"https://ecr.{region}.{DualStackSuffix(region)}/");
            }
            else
            {
                url = new Uri($"https://api.ecr.{region}.{PartitionSuffix(region)}/");
            }

            return new EcrEndpoint(url, region, "ecr", PrivateTarget, false, customEndpoint != null);
        }

        private static void ValidateCustom(Uri endpoint)
        {
            if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
            {
                throw new EcrAirflowException(
                    "InvalidEndpointUrl",
                    FailureKind.InvalidArgument,
                    $"The endpoint URL '{endpoint.OriginalString}' is not an absolute http(s) URL.",
                    "Give a URL like https://vpce-0123-abcd.api.ecr.eu-west-1.vpce.amazonaws.com.");
            }

            if (!string.IsNullOrEmpty(endpoint.UserInfo))
            {
                throw new EcrAirflowException(
                    "InvalidEndpointUrl",
                    FailureKind.InvalidArgument,
                    "The endpoint URL must not contain a user name or password.",
                    "Remove 'user:password@' from -EndpointUrl; AWS credentials come from -Credential, a profile or the environment.");
            }
        }
    }
}
