using System;
using System.Management.Automation;
using System.Security;

namespace EcrAirflow
{
    /// <summary>
    /// A Docker login for one ECR registry, as returned by Get-EcrDockerCredential. The password is held
    /// as a SecureString; <see cref="GetNetworkCredentialPassword"/> is the one explicit way to read it.
    /// </summary>
    public sealed record EcrDockerCredential(string Registry, string ProxyEndpoint, string? RegistryId, string Region,
        string UserName, SecureString Password, DateTimeOffset ExpiresAt, bool IsPublic)
    {
        /// <summary>The pair as a PSCredential, e.g. for docker login wrappers.</summary>
        public PSCredential Credential => new PSCredential(UserName, Password);

        /// <summary>Time left before the token expires (negative once expired).</summary>
        public TimeSpan TimeRemaining => ExpiresAt - DateTimeOffset.UtcNow;

        /// <summary>Plain-text password, for the caller who explicitly asks for it (e.g. piping to docker login --password-stdin).</summary>
        public string GetNetworkCredentialPassword() => Credential.GetNetworkCredential().Password;

        public override string ToString() => Registry;
    }
}
