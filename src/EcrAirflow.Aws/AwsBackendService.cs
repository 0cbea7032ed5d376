using System;
using EcrAirflow.Core.AwsApi;
using EcrAirflow.Core.Internal;

namespace EcrAirflow.Aws
{
    /// <summary>
    /// The entry point <see cref="AwsBackend"/> instantiates after loading this assembly: opens one
    /// <see cref="AwsSession"/> per service and cmdlet call, with the region and endpoint resolved at once.
    /// </summary>
    internal sealed class AwsBackendService : IAwsBackend
    {
        public IAwsSession Open(AwsService service, AwsSessionRequest request, IOperationLog log)
        {
            var (region, source) = service.FixedRegion != null
                ? (service.FixedRegion, $"{service.DisplayName} (always {service.FixedRegion})")
                : RegionResolver.Resolve(request.Region, request.Credentials.ProfileName, request.Credentials.ProfileLocation, request.FallbackRegion);
            log.Verbose($"Region {region} (from {source}).");

            var (endpointUrl, fromEnvironment) = request.EndpointUrl != null
                ? (request.EndpointUrl, (string?)null)
                : AwsEndpoints.FromEnvironment(service.ServiceId);

            // Explicit switches win over the environment; an explicit endpoint makes the environment's
            // FIPS/dual-stack flags moot (as in the AWS CLI), but an explicit switch with it is an error.
            var fips = request.UseFipsEndpoint ?? (endpointUrl == null && EnvFlag("AWS_USE_FIPS_ENDPOINT"));
            var dualStack = request.UseDualStackEndpoint ?? (endpointUrl == null && EnvFlag("AWS_USE_DUALSTACK_ENDPOINT"));
            var endpoint = AwsEndpoints.Resolve(service, region, fips, dualStack, endpointUrl, fromEnvironment, request.AllowUnencryptedAuthentication);
            log.Verbose($"{service.DisplayName} endpoint {AwsEndpoints.Display(endpoint.Url)}{(fromEnvironment != null ? $" (from {fromEnvironment})" : string.Empty)}.");
            return new AwsSession(service, request, region, source, endpoint);
        }

        private static bool EnvFlag(string name) =>
            string.Equals(Environment.GetEnvironmentVariable(name), "true", StringComparison.OrdinalIgnoreCase);
    }
}
