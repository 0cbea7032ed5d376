namespace EcrAirflow.Core.Registry
{
    /// <summary>
    /// Why a login check did not succeed. The network failures come from HttpRetry with the prefix "Registry"
    /// (RegistryConnectionFailed, RegistryTimeout, RegistryTlsFailure, RegistryResponseTooLarge) or are the proxy's
    /// (ProxyAuthenticationRequired, ProxyConnectionFailed). No message holds the password or the Basic header.
    /// </summary>
    internal static class RegistryErrors
    {
        public const string ErrorPrefix = "Registry";

        public const string PeerName = "the registry";

        public static EcrAirflowException InvalidAddress() => new EcrAirflowException(
            "InvalidRegistryAddress",
            FailureKind.InvalidData,
            "The connection's host is not a registry address docker could log in to (a host name, host:port, or an https:// URL of one, without user info or spaces); no request was made.",
            "Store the registry host, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com: Sync-AirflowEcrConnection writes it from Get-EcrDockerCredential.");

        public static EcrAirflowException LoginMissing(string registry) => new EcrAirflowException(
            "RegistryLoginMissing",
            FailureKind.InvalidData,
            $"The connection holds no login or no password for {registry}, so there is nothing to log in with; no request was made.",
            "Refresh the connection with Sync-AirflowEcrConnection, which stores the login AWS and a fresh ECR password.")
        { TargetObject = registry };

        public static EcrAirflowException PlainHttpRefused(string registry) => new EcrAirflowException(
            "RegistryPlainHttpRefused",
            FailureKind.SecurityError,
            $"Refusing to send the stored login to {registry} over plain http://: the Basic header would carry the password in clear text. Docker allows http only for a registry on this machine (localhost, 127.0.0.0/8, ::1), and so does EcrAirflow; no request was made.",
            "Store the registry as a host name (https is then used) or an https:// URL; no switch allows http to another host.")
        { TargetObject = registry };

        public static EcrAirflowException AuthenticationNotRequired(string registry) => new EcrAirflowException(
            "RegistryAuthenticationNotRequired",
            FailureKind.InvalidOperation,
            $"{registry} answered 200 without any credentials: this registry checks no login, so the stored one could not be tested (and was not sent).",
            "Check that the connection's host is the registry the token is for (an ECR registry always asks for a login).")
        { TargetObject = registry };

        public static EcrAirflowException TokenAuthentication(string registry, string? realm) => new EcrAirflowException(
            "RegistryTokenAuthentication",
            FailureKind.NotImplemented,
            $"{registry} asks for token authentication (WWW-Authenticate: Bearer{(realm == null ? string.Empty : " realm \"" + realm + "\"")}), not a Basic login as ECR does: EcrAirflow checks only Basic logins, so the stored one was not sent.",
            "Check that the connection's host is the ECR registry the token is for; for other registries test the login with docker login.")
        { TargetObject = registry };

        public static EcrAirflowException UnexpectedAnswer(string registry, string what) => new EcrAirflowException(
            "RegistryUnexpectedAnswer",
            FailureKind.InvalidData,
            $"{registry} did not answer like a registry: {what}.",
            "Check that the connection's host is the registry itself (not a web site, a proxy's page or a load balancer's).")
        { TargetObject = registry };

        public static EcrAirflowException Unavailable(string registry, int status) => new EcrAirflowException(
            "RegistryUnavailable",
            FailureKind.ConnectionError,
            $"{registry} answered HTTP {status} after every retry, so the stored login could not be tested.",
            "Try again later; raise -MaximumRetryCount for a registry that is often busy.")
        { TargetObject = registry };

        public static EcrAirflowException LoginRefused(string registry, string? realm, string? login, int status, string? registrySaid) => new EcrAirflowException(
            "RegistryLoginRefused",
            FailureKind.PermissionDenied,
            $"{registry}{(realm == null ? string.Empty : " (realm \"" + realm + "\")")} refused the stored login{(login == null ? string.Empty : " '" + login + "'")} with HTTP {status}{(registrySaid == null ? string.Empty : ": \"" + registrySaid + "\"")}. The stored password is wrong or has expired, or the login is not for this registry.",
            "Refresh the connection with Sync-AirflowEcrConnection (a new ECR token for this registry's account and region); then test it again.")
        { TargetObject = registry };
    }
}
