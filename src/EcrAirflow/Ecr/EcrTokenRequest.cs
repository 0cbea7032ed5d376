using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Aws;
using EcrAirflow.Internal;

namespace EcrAirflow.Ecr
{
    /// <summary>Everything Get-EcrDockerCredential was told, in core types.</summary>
    internal sealed class EcrTokenRequest
    {
        public string? Region { get; set; }

        public IReadOnlyList<string>? RegistryIds { get; set; }

        public bool Public { get; set; }

        public AwsCredentialRequest Credentials { get; set; } = new AwsCredentialRequest();

        public Uri? EndpointUrl { get; set; }

        /// <summary>null = not given: take AWS_USE_FIPS_ENDPOINT.</summary>
        public bool? UseFipsEndpoint { get; set; }

        /// <summary>null = not given: take AWS_USE_DUALSTACK_ENDPOINT.</summary>
        public bool? UseDualStackEndpoint { get; set; }

        public bool Force { get; set; }

        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

        public int MaximumRetryCount { get; set; } = 3;
    }

    /// <summary>The result for one region/endpoint: the decoded authorizations and where they came from.</summary>
    internal sealed class EcrTokenResult
    {
        public EcrTokenResult(string region, IReadOnlyList<EcrAuthorization> authorizations, bool fromCache, bool isPublic)
        {
            Region = region;
            Authorizations = authorizations;
            FromCache = fromCache;
            IsPublic = isPublic;
        }

        public string Region { get; }

        public IReadOnlyList<EcrAuthorization> Authorizations { get; }

        public bool FromCache { get; }

        public bool IsPublic { get; }
    }

    /// <summary>
    /// Gets ECR tokens. Implemented in EcrAirflow.Aws.dll (the only assembly that uses AWSSDK), which
    /// <see cref="Internal.AwsBackend"/> loads privately; this interface is all the cmdlets see of it.
    /// </summary>
    internal interface IEcrTokenProvider
    {
        Task<EcrTokenResult> GetAsync(EcrTokenRequest request, IOperationLog log, CancellationToken cancellationToken);
    }
}
