using System;

namespace EcrAirflow.Core.AwsApi
{
    /// <summary>The two AWS JSON protocols the module speaks.</summary>
    internal enum AwsProtocol
    {
        /// <summary>POST / with X-Amz-Target: &lt;prefix&gt;.&lt;Operation&gt; and application/x-amz-json-1.1 (ECR, Secrets Manager, SSM).</summary>
        Json11,

        /// <summary>An HTTP method and path per operation, application/json, optional host prefix (MWAA).</summary>
        RestJson,
    }

    /// <summary>
    /// What the signed client needs to know about one AWS service: how to name its endpoint, how to sign
    /// for it, how it frames requests, and how its errors are prefixed. The services themselves are the
    /// static instances below; nothing else in the module spells a service's host or signing name.
    /// </summary>
    internal sealed class AwsService
    {
        private readonly Func<string, bool, bool, string> _host;

        private AwsService(string displayName, string serviceId, string signingName, AwsProtocol protocol, string? targetPrefix,
            string errorPrefix, Func<string, bool, bool, string> host, bool hasFips = true, string? fixedRegion = null)
        {
            DisplayName = displayName;
            ServiceId = serviceId;
            SigningName = signingName;
            Protocol = protocol;
            TargetPrefix = targetPrefix;
            ErrorPrefix = errorPrefix;
            _host = host;
            HasFips = hasFips;
            FixedRegion = fixedRegion;
        }

        public static readonly AwsService Ecr = new AwsService(
            "ECR", "ECR", "ecr", AwsProtocol.Json11, "AmazonEC2ContainerRegistry_V20150921", "Ecr",
            (region, fips, dual) => dual
                ? $"ecr{(fips ? "-fips" : "")}.{region}.{AwsEndpoints.DualStackSuffix(region)}"
                : $"api.ecr{(fips ? "-fips" : "")}.{region}.{AwsEndpoints.PartitionSuffix(region)}");

        public static readonly AwsService EcrPublic = new AwsService(
            "ECR Public", "ECR_PUBLIC", "ecr-public", AwsProtocol.Json11, "SpencerFrontendService", "Ecr",
            (region, fips, dual) => dual ? $"ecr-public.{region}.api.aws" : $"api.ecr-public.{region}.amazonaws.com",
            hasFips: false, fixedRegion: "us-east-1");

        public static readonly AwsService SecretsManager = new AwsService(
            "Secrets Manager", "SECRETS_MANAGER", "secretsmanager", AwsProtocol.Json11, "secretsmanager", "SecretsManager",
            (region, fips, dual) => $"secretsmanager{(fips ? "-fips" : "")}.{region}.{(dual ? AwsEndpoints.DualStackSuffix(region) : AwsEndpoints.PartitionSuffix(region))}");

        public static readonly AwsService Ssm = new AwsService(
            "SSM", "SSM", "ssm", AwsProtocol.Json11, "AmazonSSM", "ParameterStore",
            (region, fips, dual) => $"ssm{(fips ? "-fips" : "")}.{region}.{(dual ? AwsEndpoints.DualStackSuffix(region) : AwsEndpoints.PartitionSuffix(region))}");

        public static readonly AwsService Mwaa = new AwsService(
            "MWAA", "MWAA", "airflow", AwsProtocol.RestJson, null, "Mwaa",
            (region, fips, dual) => $"airflow{(fips ? "-fips" : "")}.{region}.{(dual ? AwsEndpoints.DualStackSuffix(region) : AwsEndpoints.PartitionSuffix(region))}");

        /// <summary>The name in messages ("ECR GetAuthorizationToken failed").</summary>
        public string DisplayName { get; }

        /// <summary>The suffix of its endpoint variable: AWS_ENDPOINT_URL_&lt;ServiceId&gt;.</summary>
        public string ServiceId { get; }

        /// <summary>SigV4 signing name (credential scope service).</summary>
        public string SigningName { get; }

        public AwsProtocol Protocol { get; }

        /// <summary>awsJson1_1: X-Amz-Target is TargetPrefix + "." + operation.</summary>
        public string? TargetPrefix { get; }

        /// <summary>The prefix of this service's error ids ("Ecr" → EcrAccessDenied).</summary>
        public string ErrorPrefix { get; }

        public bool HasFips { get; }

        /// <summary>A service that exists in one region only (ECR Public: us-east-1).</summary>
        public string? FixedRegion { get; }

        public string EndpointVariable => "AWS_ENDPOINT_URL_" + ServiceId;

        /// <summary>The standard host name (without a host prefix) for a region and variant.</summary>
        public string Host(string region, bool fips, bool dualStack) => _host(region, fips, dualStack);

        public override string ToString() => DisplayName;
    }
}
