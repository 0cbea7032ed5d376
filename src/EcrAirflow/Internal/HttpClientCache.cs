using System;
using System.Net;
using System.Net.Http;

namespace EcrAirflow.Internal
{
    /// <summary>
    /// One HttpClient per certificate policy for the whole session: a new client per call would cost a
    /// TLS handshake and a socket every refresh. Timeouts are applied per request, not on the client.
    /// </summary>
    internal static class HttpClientCache
    {
        private static readonly object Gate = new object();
        private static HttpClient? _strict;
        private static HttpClient? _insecure;

        public static HttpClient Get(bool skipCertificateCheck)
        {
            lock (Gate)
            {
                if (skipCertificateCheck)
                {
                    return _insecure ??= Create(true);
                }

                return _strict ??= Create(false);
            }
        }

        private static HttpClient Create(bool skipCertificateCheck)
        {
#if NET8_0_OR_GREATER
            var handler = new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                AllowAutoRedirect = false,
                UseCookies = false,
            };
            if (skipCertificateCheck)
            {
                handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
            }
#else
            var handler = new HttpClientHandler
            {
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                AllowAutoRedirect = false,
                UseCookies = false,
            };
            if (skipCertificateCheck)
            {
                handler.ServerCertificateCustomValidationCallback = (_, _, _, _) => true;
            }
#endif
            var client = new HttpClient(handler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            client.DefaultRequestHeaders.UserAgent.ParseAdd("EcrAirflow/" + typeof(HttpClientCache).Assembly.GetName().Version);
            return client;
        }
    }
}
