using System;
using EcrAirflow.Core.Internal.Http;
using EcrAirflow.Core.Internal.Secrets;

namespace EcrAirflow.Core.AwsApi
{
    /// <summary>How the user asked for AWS credentials (plain core types; the cmdlet unwraps PSCredential).</summary>
    internal sealed class AwsCredentialRequest
    {
        public string? AccessKeyId { get; set; }

        public string? SecretAccessKey { get; set; }

        public string? SessionToken { get; set; }

        public string? ProfileName { get; set; }

        public string? ProfileLocation { get; set; }

        public string? RoleArn { get; set; }

        public string? RoleSessionName { get; set; }

        public string? ExternalId { get; set; }
    }

    /// <summary>The shared AWS parameters of both cmdlets (region, credentials, endpoint, HTTP limits), in core types.</summary>
    internal sealed class AwsSessionRequest
    {
        /// <summary>-Region; null: the environment, then the profile.</summary>
        public string? Region { get; set; }

        /// <summary>Used when neither -Region, the environment nor the profile names a region (Sync: the piped credential's).</summary>
        public string? FallbackRegion { get; set; }

        public AwsCredentialRequest Credentials { get; set; } = new AwsCredentialRequest();

        public Uri? EndpointUrl { get; set; }

        /// <summary>null = not given: take AWS_USE_FIPS_ENDPOINT.</summary>
        public bool? UseFipsEndpoint { get; set; }

        /// <summary>null = not given: take AWS_USE_DUALSTACK_ENDPOINT.</summary>
        public bool? UseDualStackEndpoint { get; set; }

        /// <summary>-AllowUnencryptedAuthentication: a custom http:// endpoint that is not loopback is allowed.</summary>
        public bool AllowUnencryptedAuthentication { get; set; }

        /// <summary>The proxy for every request of the session, STS and SSO through AWSSDK.Core included.</summary>
        public HttpSettings Http { get; set; } = HttpSettings.Default;

        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(HttpDefaults.TimeoutSec);

        public int MaximumRetryCount { get; set; } = HttpDefaults.MaximumRetryCount;

        /// <summary>Tests: a shorter first backoff step.</summary>
        internal TimeSpan? RetryBaseDelay { get; set; }

        /// <summary>A copy whose last-resort region is <paramref name="region"/> (a piped credential's).</summary>
        public AwsSessionRequest WithFallbackRegion(string? region)
        {
            var copy = (AwsSessionRequest)MemberwiseClone();
            copy.FallbackRegion = region;
            return copy;
        }
    }

    /// <summary>One operation of an AWS service, ready to sign and send.</summary>
    internal sealed class AwsCall
    {
        public AwsCall(string operation, byte[] body, string permission)
        {
            Operation = operation;
            Body = body;
            Permission = permission;
        }

        /// <summary>The API action, e.g. GetAuthorizationToken (awsJson1_1's X-Amz-Target suffix).</summary>
        public string Operation { get; }

        public byte[] Body { get; }

        /// <summary>The IAM permission(s) this call needs, named in an access-denied hint.</summary>
        public string Permission { get; }

        /// <summary>rest-json: the HTTP method (awsJson1_1 is always POST).</summary>
        public string Method { get; set; } = "POST";

        /// <summary>rest-json: the request path with labels already escaped (awsJson1_1 is always "/").</summary>
        public string Path { get; set; } = "/";

        /// <summary>rest-json: the operation's host prefix ("env.", "api."), used only on standard endpoints.</summary>
        public string? HostPrefix { get; set; }

        /// <summary>Masks the secrets this call carries in anything the service answers (AWS messages may quote a value).</summary>
        public SecretRedactor Redactor { get; set; } = new SecretRedactor();
    }

    /// <summary>An AWS answer that the client did not already turn into an error (a success, or a service-specific error).</summary>
    internal sealed record AwsReply(int Status, string Body, string? RequestId, string? ErrorCode, string? ErrorMessage)
    {
        public bool IsSuccess => Status >= 200 && Status < 300;

        /// <summary>Never the body: it may echo what was sent.</summary>
        public override string ToString() => $"HTTP {Status} {ErrorCode}";
    }
}
