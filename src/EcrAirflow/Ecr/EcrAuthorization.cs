using System;

namespace EcrAirflow.Ecr
{
    /// <summary>One authorizationData entry of GetAuthorizationToken, decoded.</summary>
    internal sealed class EcrAuthorization
    {
        public EcrAuthorization(string registry, string proxyEndpoint, string? registryId, string userName, string password, DateTimeOffset expiresAt)
        {
            Registry = registry;
            ProxyEndpoint = proxyEndpoint;
            RegistryId = registryId;
            UserName = userName;
            Password = password;
            ExpiresAt = expiresAt;
        }

        public string Registry { get; }

        public string ProxyEndpoint { get; }

        public string? RegistryId { get; }

        public string UserName { get; }

        public string Password { get; }

        public DateTimeOffset ExpiresAt { get; }
    }
}
