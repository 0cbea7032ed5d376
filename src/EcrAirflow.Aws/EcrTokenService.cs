using System;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Ecr;
using EcrAirflow.Internal;

namespace EcrAirflow.Aws
{
    /// <summary>Region → endpoint → credentials → cache → one signed request.</summary>
    internal sealed class EcrTokenService : IEcrTokenProvider
    {
        public Task<EcrTokenResult> GetAsync(EcrTokenRequest request, IOperationLog log, CancellationToken cancellationToken) =>
            GetTokenAsync(request, log, cancellationToken);

        internal static async Task<EcrTokenResult> GetTokenAsync(EcrTokenRequest request, IOperationLog log, CancellationToken cancellationToken)
        {
            var (region, regionSource) = request.Public
                ? (EcrEndpoints.PublicRegion, "ECR Public (always us-east-1)")
                : RegionResolver.Resolve(request.Region, request.Credentials.ProfileName, request.Credentials.ProfileLocation);
            log.Verbose($"Region {region} (from {regionSource}).");

            var endpointUrl = request.EndpointUrl;
            var endpointFromEnvironment = false;
            if (endpointUrl == null)
            {
                var env = Environment.GetEnvironmentVariable(request.Public ? "AWS_ENDPOINT_URL_ECR_PUBLIC" : "AWS_ENDPOINT_URL_ECR")
                          ?? Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL");
                if (!string.IsNullOrEmpty(env))
                {
                    if (!Uri.TryCreate(env, UriKind.Absolute, out endpointUrl))
                    {
                        throw new EcrAirflowException("InvalidEndpointUrl", FailureKind.InvalidArgument,
                            $"The endpoint URL '{env}' from the environment is not an absolute URL.",
                            "Fix or unset AWS_ENDPOINT_URL_ECR / AWS_ENDPOINT_URL.");
                    }

                    endpointFromEnvironment = true;
                }
            }

            // Explicit switches win over the environment; an explicit endpoint makes the environment's
            // FIPS/dual-stack flags moot (as in the AWS CLI), but an explicit switch with it is an error.
            var fips = request.UseFipsEndpoint ?? (endpointUrl == null && EnvFlag("AWS_USE_FIPS_ENDPOINT"));
            var dualStack = request.UseDualStackEndpoint ?? (endpointUrl == null && EnvFlag("AWS_USE_DUALSTACK_ENDPOINT"));
            var endpoint = EcrEndpoints.Resolve(region, request.Public, fips, dualStack, endpointUrl);
            log.Verbose($"ECR endpoint {HttpRetry.Describe(endpoint.Url)}{(endpointFromEnvironment ? " (from the environment)" : string.Empty)}.");

            var credentials = await AwsCredentialResolver.ResolveAsync(request.Credentials, region, log, cancellationToken).ConfigureAwait(false);
            var key = TokenCache.Key(endpoint, request.RegistryIds, credentials.Credentials.AccessKey,
                credentials.Credentials.SecretKey + "\n" + credentials.Credentials.Token);
            if (!request.Force && TokenCache.TryGet(key, out var cached))
            {
                log.Verbose("Using the cached token (less than half its lifetime has passed); -Force fetches a new one.");
                return new EcrTokenResult(region, cached, true, request.Public);
            }

            var call = new HttpCallOptions
            {
                Timeout = request.Timeout,
                MaximumRetryCount = request.MaximumRetryCount,
                ErrorPrefix = "Ecr",
                PeerName = request.Public ? "Amazon ECR Public" : "Amazon ECR",
            };
            var authorizations = await EcrClient.GetAuthorizationTokenAsync(endpoint, credentials.Credentials, request.RegistryIds, call, log, cancellationToken).ConfigureAwait(false);
            TokenCache.Put(key, authorizations);
            return new EcrTokenResult(region, authorizations, false, request.Public);
        }

        private static bool EnvFlag(string name) =>
            string.Equals(Environment.GetEnvironmentVariable(name), "true", StringComparison.OrdinalIgnoreCase);
    }
}
