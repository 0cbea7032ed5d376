using System;
using EcrAirflow.Core.Internal.Http;

namespace EcrAirflow.Core.Registry
{
    /// <summary>
    /// Where a stored registry host is asked, as docker asks it: "host", "host:port" or a URL of one
    /// ("https://123456789012.dkr.ecr.eu-west-1.amazonaws.com", as ECR's proxyEndpoint). Without a scheme it is
    /// https; a registry on this machine (localhost, 127.0.0.0/8, ::1) may also be asked over plain http, as docker
    /// treats loopback registries as insecure ones (https first, then http). Plain http to any other host is never
    /// allowed, whatever the caller wants: the Basic header carries the password in clear text.
    /// </summary>
    internal sealed class RegistryAddress
    {
        private RegistryAddress(Uri v2, Uri? plainHttpFallback)
        {
            V2 = v2;
            PlainHttpFallback = plainHttpFallback;
        }

        /// <summary>The /v2/ URL asked first.</summary>
        public Uri V2 { get; }

        /// <summary>For a loopback host stored without a scheme: the http:// /v2/ URL asked when https gets no TLS answer.</summary>
        public Uri? PlainHttpFallback { get; }

        /// <summary>The stored value as a registry address; null when it is not one (nothing to ask).</summary>
        public static RegistryAddress? Parse(string? stored)
        {
            var text = stored?.Trim();
            if (string.IsNullOrEmpty(text) || text!.IndexOf('@') >= 0 || HasSpaceOrControl(text))
            {
                return null; // user info or stray text: not a host docker would log in to
            }

            var schemeGiven = text.IndexOf("://", StringComparison.Ordinal) >= 0;
            if (!Uri.TryCreate(schemeGiven ? text : "https://" + text, UriKind.Absolute, out var uri) ||
                (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) ||
                string.IsNullOrEmpty(uri.Host))
            {
                return null;
            }

            var v2 = new Uri(uri.Scheme + "://" + uri.Authority + "/v2/");
            var fallback = !schemeGiven && CleartextRule.IsLoopbackHost(uri.DnsSafeHost)
                ? new Uri("http://" + uri.Authority + "/v2/")
                : null;
            return new RegistryAddress(v2, fallback);
        }

        /// <summary>Whether <see cref="V2"/> may be asked at all: https, or http to this machine only.</summary>
        public bool IsAllowed => V2.Scheme == Uri.UriSchemeHttps || CleartextRule.IsLoopbackHost(V2.DnsSafeHost);

        public override string ToString() => SafeUrl.Describe(V2);

        private static bool HasSpaceOrControl(string text)
        {
            foreach (var c in text)
            {
                if (char.IsWhiteSpace(c) || char.IsControl(c))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
