using System;
using System.Net;

namespace EcrAirflow.Core.Internal.Http
{
    /// <summary>
    /// The http:// rule, for every secret and every peer: a request whose headers or body carry a secret (the
    /// Airflow credential, the ECR password in every Sync write, a secret written to AWS), or whose reply
    /// brings one back (an ECR token, STS's temporary keys), goes over plain http:// only to this machine
    /// (localhost, 127.0.0.0/8, ::1) or when the user said -AllowUnencryptedAuthentication. Checked before any
    /// request, as Invoke-RestMethod does for its credentials.
    /// </summary>
    internal static class CleartextRule
    {
        public const string Switch = "-AllowUnencryptedAuthentication";

        /// <summary>Whether a secret may travel to or from <paramref name="url"/>.</summary>
        public static bool Allows(Uri url, bool allowUnencrypted) =>
            allowUnencrypted || !url.IsAbsoluteUri || url.Scheme != Uri.UriSchemeHttp || IsLoopbackHost(url.DnsSafeHost);

        /// <summary>Throws UnencryptedAuthenticationRefused unless <see cref="Allows"/>.</summary>
        /// <param name="what">What would cross in clear text, e.g. "the ECR password (in the request body)".</param>
        /// <param name="source">Where the URL came from, for the hint, e.g. "-AirflowUrl" or "AWS_ENDPOINT_URL_STS".</param>
        public static void Ensure(Uri url, bool allowUnencrypted, string what, string source)
        {
            if (Allows(url, allowUnencrypted))
            {
                return;
            }

            var shown = SafeUrl.Describe(url);
            throw new EcrAirflowException("UnencryptedAuthenticationRefused", FailureKind.SecurityError,
                $"Refusing to send or receive {what} over unencrypted http:// to {shown}: anyone on the network path could read it. Add {Switch} to allow it.",
                $"Use an https:// URL for {source}; if the network is trusted (e.g. a private link), add {Switch}. Loopback addresses (localhost, 127.0.0.1, ::1) need neither.")
            { TargetObject = shown };
        }

        public static bool IsLoopbackHost(string host)
        {
            if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            var bare = host.Trim('[', ']');
            var scope = bare.IndexOf('%');
            if (scope >= 0)
            {
                bare = bare.Substring(0, scope);
            }

            if (!IPAddress.TryParse(bare, out var address))
            {
                return false; // a name other than localhost may resolve anywhere
            }

            if (address.IsIPv4MappedToIPv6)
            {
                address = address.MapToIPv4();
            }

            return IPAddress.IsLoopback(address); // 127.0.0.0/8 and ::1
        }
    }
}
