using System;

namespace EcrAirflow.Ecr
{
    /// <summary>One authorizationData entry of GetAuthorizationToken, decoded.</summary>
    internal sealed record EcrAuthorization(string Registry, string ProxyEndpoint, string? RegistryId, string UserName, string Password, DateTimeOffset ExpiresAt)
    {
        public override string ToString() => Registry;
    }
}
