using System;
using System.Management.Automation;
using System.Security;

namespace EcrAirflow
{
    /// <summary>
    /// A Docker login for one ECR registry, as returned by Get-EcrDockerCredential. The password is held
    /// as a SecureString; <see cref="GetNetworkCredentialPassword"/> is the one explicit way to read it.
    /// </summary>
    public sealed class EcrDockerCredential
    {
        public EcrDockerCredential(string registry, string proxyEndpoint, string? registryId, string region,
            string userName, SecureString password, DateTimeOffset expiresAt, bool isPublic)
        {
            Registry = registry;
            ProxyEndpoint = proxyEndpoint;
            RegistryId = registryId;
            Region = region;
            UserName = userName;
            Password = password;
            ExpiresAt = expiresAt;
            IsPublic = isPublic;
        }

        /// <summary>Registry host without scheme, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com.</summary>
        public string Registry { get; }

        /// <summary>The proxy endpoint as ECR returned it (with scheme).</summary>
        public string ProxyEndpoint { get; }

        public string? RegistryId { get; }

        public string Region { get; }

        public string UserName { get; }

        public SecureString Password { get; }

        public DateTimeOffset ExpiresAt { get; }

        public bool IsPublic { get; }

        /// <summary>The pair as a PSCredential, e.g. for docker login wrappers.</summary>
        public PSCredential Credential => new PSCredential(UserName, Password);

        /// <summary>Time left before the token expires (negative once expired).</summary>
        public TimeSpan TimeRemaining => ExpiresAt - DateTimeOffset.UtcNow;

        /// <summary>Plain-text password, for the caller who explicitly asks for it (e.g. piping to docker login --password-stdin).</summary>
        public string GetNetworkCredentialPassword() => Credential.GetNetworkCredential().Password;

        public override string ToString() => Registry;
    }
}
