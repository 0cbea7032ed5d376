using System;
using System.Security;

namespace EcrAirflow.Core.Ecr
{
    /// <summary>
    /// One authorizationData entry of GetAuthorizationToken, decoded. The password is a read-only SecureString:
    /// these entries live in the session's token cache for hours.
    /// </summary>
    internal sealed record EcrAuthorization(string Registry, string ProxyEndpoint, string? RegistryId, string UserName, SecureString Password, DateTimeOffset ExpiresAt)
    {
        public override string ToString() => Registry;
    }
}
