using System;
using System.Text;
using System.Text.RegularExpressions;

namespace EcrAirflow.Core.Airflow
{
    /// <summary>
    /// The checks on what comes into Sync-AirflowEcrConnection, at the edge and before any target sees it:
    /// connection ids as Airflow 3 validates them, registries as host names, logins without control characters,
    /// passwords without NUL.
    /// </summary>
    internal static class ConnectionInput
    {
        public const int ConnectionIdMaxLength = 200;

        /// <summary>
        /// Airflow 3's rule (ConnectionBody.connection_id: ^[\w.-]+$, at most 200), with \A…\z: .NET's $ also
        /// matches before a final newline, and "ecr`n" (what Out-String hands over) is not an id.
        /// </summary>
        private static readonly Regex ConnectionIdPattern = new Regex(@"\A[\w.-]+\z", RegexOptions.CultureInvariant);

        private static readonly Regex HostName = new Regex(
            @"\A(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?(?::[0-9]{1,5})?\z",
            RegexOptions.CultureInvariant);

        private static readonly Regex Ipv6Literal = new Regex(@"\A\[[0-9A-Fa-f:.]+\](?::[0-9]{1,5})?\z", RegexOptions.CultureInvariant);

        /// <summary>
        /// Airflow's pattern, less "." and "..": they match it, but a path segment of either is resolved away
        /// (Rest v1's /api/v1/connections/.. is /api/v1), a file or secret name of either means a folder.
        /// </summary>
        public static bool IsValidConnectionId(string id) =>
            id.Length <= ConnectionIdMaxLength && ConnectionIdPattern.IsMatch(id) && id != "." && id != "..";

        /// <summary>
        /// The host (and port) of a registry given as a host, host:port or URL (ECR's ProxyEndpoint); null when
        /// it is not a host name: user info, spaces, control characters or an empty host.
        /// </summary>
        public static string? RegistryHost(string registry)
        {
            var value = registry.Trim(' ', '\t');
            var scheme = value.IndexOf("://", StringComparison.Ordinal);
            if (scheme >= 0)
            {
                value = value.Substring(scheme + 3);
            }

            var slash = value.IndexOf('/');
            if (slash >= 0)
            {
                value = value.Substring(0, slash);
            }

            if (value.Length == 0 || value.Length > 253 + 6)
            {
                return null;
            }

            if ((HostName.IsMatch(value) || Ipv6Literal.IsMatch(value)) && PortInRange(value))
            {
                return value.TrimEnd('.');
            }

            return null;
        }

        /// <summary>A :port, when there is one, is 1 to 65535.</summary>
        private static bool PortInRange(string hostPort)
        {
            var close = hostPort.LastIndexOf(']');
            var colon = hostPort.LastIndexOf(':');
            if (colon < 0 || colon < close || (close < 0 && hostPort.StartsWith("[", StringComparison.Ordinal)))
            {
                return true;
            }

            return int.TryParse(hostPort.Substring(colon + 1), out var port) && port >= 1 && port <= 65535;
        }

        /// <summary>
        /// A registry login as it may reach a connection, a -WhatIf line or a CI log: no control characters
        /// (a line break would start a new logging command there), at most 256 characters.
        /// </summary>
        public static bool IsValidLogin(string login)
        {
            if (login.Length == 0 || login.Length > 256)
            {
                return false;
            }

            foreach (var c in login)
            {
                if (char.IsControl(c) || c == '\u2028' || c == '\u2029')
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>A value as it is safe to quote in a message: control characters shown as \uXXXX, and shortened.</summary>
        public static string Printable(string value, int max = 120)
        {
            var sb = new StringBuilder();
            foreach (var c in value)
            {
                if (sb.Length >= max)
                {
                    sb.Append('…');
                    break;
                }

                if (char.IsControl(c) || c == '\u2028' || c == '\u2029')
                {
                    sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                }
                else
                {
                    sb.Append(c);
                }
            }

            return sb.ToString();
        }

        /// <summary>A registry as it is safe to quote: never its user info (user:password@host).</summary>
        public static string PrintableRegistry(string registry)
        {
            var at = registry.LastIndexOf('@');
            return Printable(at >= 0 ? "…@" + registry.Substring(at + 1) : registry);
        }
    }
}
