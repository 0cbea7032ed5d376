using System;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;

namespace EcrAirflow.Core.Internal.Http
{
    /// <summary>
    /// What went wrong on the way to a peer, as the error a user can act on: a TLS failure, a proxy that wants
    /// credentials or cannot be reached, a refused connection or an unknown host, a reply too large to read.
    /// </summary>
    internal static class HttpFailures
    {
        internal static EcrAirflowException TooLarge(Uri? uri, HttpCallOptions options) => new EcrAirflowException(
            options.ErrorPrefix + "ResponseTooLarge",
            FailureKind.InvalidData,
            $"{options.PeerName} at {SafeUrl.Describe(uri)} answered with more than {options.MaxResponseBytes / (1024 * 1024)} MB (decompressed), far more than any of its replies; it was not read further.",
            "Check that the URL points at the API itself (not at a file server, a download or a proxy page).");

        internal const string ProxyAuthenticationRequiredId = "ProxyAuthenticationRequired";
        internal const string ProxyConnectionFailedId = "ProxyConnectionFailed";

        internal static EcrAirflowException ProxyAuthenticationRequired(Uri? proxy, Uri? uri, HttpCallOptions options) => new EcrAirflowException(
            ProxyAuthenticationRequiredId,
            FailureKind.PermissionDenied,
            $"The proxy {(proxy == null ? string.Empty : SafeUrl.Describe(proxy) + " ")}asked for credentials (HTTP 407) when calling {options.PeerName} at {SafeUrl.Describe(uri)}{(options.Http.ProxyCredential != null ? ", and did not accept the ones given" : string.Empty)}; nothing was sent on.",
            "Give the proxy's user and password with -ProxyCredential (Get-Credential), or on Windows -ProxyUseDefaultCredentials for integrated authentication; -Proxy names the proxy when it is not the system's.");

        /// <summary>.NET reports a proxy's refusal of a CONNECT tunnel as an exception that says its status code.</summary>
        private static bool IsProxyTunnel407(HttpRequestException ex)
        {
#if NET8_0_OR_GREATER
            if (ex.StatusCode == HttpStatusCode.ProxyAuthenticationRequired)
            {
                return true;
            }
#endif
            for (Exception? e = ex; e != null; e = e.InnerException)
            {
                if (e.Message.IndexOf("407", StringComparison.Ordinal) >= 0 && e.Message.IndexOf("proxy", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    return true;
                }
            }

            return false;
        }

        internal static EcrAirflowException MapNetworkFailure(HttpRequestException ex, Uri? uri, HttpCallOptions options)
        {
            var proxy = uri == null ? null : options.Http.ProxyFor(uri);
            if (proxy != null && IsProxyTunnel407(ex))
            {
                return ProxyAuthenticationRequired(proxy, uri, options);
            }

            for (Exception? e = ex; e != null; e = e.InnerException)
            {
                // .NET reports TLS failures as an AuthenticationException; .NET Framework (Windows PowerShell
                // 5.1) as a WebException with a trust or secure-channel status.
                if (e is AuthenticationException ||
                    (e is WebException web && (web.Status == WebExceptionStatus.TrustFailure || web.Status == WebExceptionStatus.SecureChannelFailure)))
                {
                    return new EcrAirflowException(
                        options.ErrorPrefix + "TlsFailure",
                        FailureKind.SecurityError,
                        $"The TLS connection to {SafeUrl.Describe(uri)} failed: {e.Message}",
                        "Check the server certificate and its chain; for a test server with a self-signed certificate use -SkipCertificateCheck.",
                        ex);
                }

                if (e is SocketException && proxy != null)
                {
                    // Through a proxy the socket is the proxy's: it, not the server, could not be reached.
                    return new EcrAirflowException(
                        ProxyConnectionFailedId,
                        FailureKind.ConnectionError,
                        $"The proxy {SafeUrl.Describe(proxy)} could not be reached ({((SocketException)e).SocketErrorCode}) when calling {options.PeerName} at {SafeUrl.Describe(uri)}.",
                        "Check -Proxy (or HTTPS_PROXY / HTTP_PROXY and NO_PROXY, or the system proxy on Windows): its host, its port, and that it runs.",
                        ex);
                }

                if (e is SocketException socket)
                {
                    var what = socket.SocketErrorCode == SocketError.HostNotFound || socket.SocketErrorCode == SocketError.TryAgain || socket.SocketErrorCode == SocketError.NoData
                        ? "The host name could not be resolved"
                        : socket.SocketErrorCode == SocketError.ConnectionRefused
                            ? "The connection was refused"
                            : "The connection failed (" + socket.SocketErrorCode + ")";
                    return new EcrAirflowException(
                        options.ErrorPrefix + "ConnectionFailed",
                        FailureKind.ConnectionError,
                        $"{what} when calling {options.PeerName} at {SafeUrl.Describe(uri)}.",
                        "Check the URL, DNS and firewall, and that the service is running.",
                        ex);
                }
            }

            return new EcrAirflowException(
                options.ErrorPrefix + "ConnectionFailed",
                FailureKind.ConnectionError,
                $"Calling {options.PeerName} at {SafeUrl.Describe(uri)} failed: {ex.Message}",
                "Check the URL, DNS and firewall, and that the service is running.",
                ex);
        }
    }
}
