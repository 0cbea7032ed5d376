using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text;

namespace EcrAirflow.Core.Internal.Http
{
    /// <summary>How the module's requests reach the network: the proxy, and whether certificates are checked.</summary>
    internal sealed class HttpSettings
    {
        public static readonly HttpSettings Default = new HttpSettings();

        /// <summary>Accept any TLS certificate (Sync -SkipCertificateCheck; test servers only).</summary>
        public bool SkipCertificateCheck { get; set; }

        /// <summary>-Proxy; null: the system proxy (HTTPS_PROXY/HTTP_PROXY/NO_PROXY, or WinINET on Windows).</summary>
        public Uri? Proxy { get; set; }

        /// <summary>-ProxyCredential (user, password); null without.</summary>
        public NetworkCredential? ProxyCredential { get; set; }

        /// <summary>-ProxyUseDefaultCredentials: the logged-on user's credentials (Windows integrated auth).</summary>
        public bool ProxyUseDefaultCredentials { get; set; }

        public HttpSettings WithSkipCertificateCheck(bool skip)
        {
            var copy = (HttpSettings)MemberwiseClone();
            copy.SkipCertificateCheck = skip;
            return copy;
        }

        /// <summary>
        /// The proxy a request to <paramref name="uri"/> goes through, or null when it goes direct: what the handler
        /// of <see cref="HttpClientCache"/> does, loopback staying local included (<see cref="LoopbackStaysLocal"/>).
        /// </summary>
        public Uri? ProxyFor(Uri uri)
        {
            try
            {
                var proxy = EffectiveProxy();
                if (proxy == null || proxy.IsBypassed(uri))
                {
                    return null;
                }

                var via = proxy.GetProxy(uri);
                return via == null || via == uri ? null : via;
            }
            catch (Exception ex) when (ex is PlatformNotSupportedException || ex is InvalidOperationException)
            {
                return null;
            }
        }

        /// <summary>
        /// The next hop's rule for secrets (<see cref="CleartextRule"/>): a request to <paramref name="target"/> that
        /// carries or brings back a secret may go over plain http only when its next hop is loopback. Through an
        /// http:// proxy that hop is the proxy: for an http:// target the whole request crosses it in clear, and
        /// -ProxyCredential crosses it in clear in any case (Basic). Checked before any request, for the system proxy
        /// as for -Proxy.
        /// </summary>
        /// <remarks>
        /// -ProxyCredential is checked against the proxy the configuration names for the target even where a
        /// loopback target goes direct, as -Proxy -ProxyCredential is checked before any target is known: the
        /// password is meant for that proxy, and the same command pointed at any other target would send it there.
        /// </remarks>
        public void EnsureNextHopMayCarrySecrets(Uri target, bool allowUnencrypted, string what, string source)
        {
            if (allowUnencrypted)
            {
                return;
            }

            var proxy = ProxyFor(target);
            if (proxy != null && target.Scheme == Uri.UriSchemeHttp)
            {
                CleartextRule.Ensure(proxy, allowUnencrypted, what + " (sent through the proxy " + SafeUrl.Describe(proxy) + ")", source + " and the proxy (-Proxy, or HTTP_PROXY / the system proxy)");
            }

            var named = ProxyCredential == null ? null : NamedProxyFor(target);
            if (named != null)
            {
                CleartextRule.Ensure(named, allowUnencrypted, "the proxy password (-ProxyCredential)", Proxy != null ? "-Proxy" : "the system proxy (HTTPS_PROXY / HTTP_PROXY, or WinINET on Windows)");
            }
        }

        /// <summary>The proxy -Proxy or the system configuration names for <paramref name="uri"/>, loopback or not; null for none.</summary>
        private Uri? NamedProxyFor(Uri uri)
        {
            try
            {
                return (EffectiveProxy() as LoopbackStaysLocal)?.NamedProxyFor(uri);
            }
            catch (Exception ex) when (ex is PlatformNotSupportedException || ex is InvalidOperationException)
            {
                return null;
            }
        }

        /// <summary>The proxy the handler uses: -Proxy or the system's, wrapped so that loopback stays local.</summary>
        internal IWebProxy? EffectiveProxy()
        {
            var credentials = ProxyUseDefaultCredentials ? CredentialCache.DefaultCredentials : ProxyCredential;
            if (Proxy != null)
            {
                // Credentials only: WebProxy.UseDefaultCredentials = false would set Credentials back to null.
                return new LoopbackStaysLocal(new WebProxy(Proxy, BypassOnLocal: false), credentials);
            }

#if NET8_0_OR_GREATER
            var system = HttpClient.DefaultProxy;
#else
            var system = WebRequest.DefaultWebProxy;
#endif
            return system == null ? null : new LoopbackStaysLocal(system, credentials);
        }

        /// <summary>A cache key: never the proxy password itself, only a keyed hash of it.</summary>
        internal string Key()
        {
            var credential = ProxyCredential == null
                ? string.Empty
                : ProxyCredential.UserName + "|" + KeyedHash(ProxyCredential.UserName + "\n" + ProxyCredential.Password);
            return $"{SkipCertificateCheck}|{Proxy}|{ProxyUseDefaultCredentials}|{credential}";
        }

        private static readonly byte[] HashKey = NewKey();

        private static string KeyedHash(string text)
        {
            using var hmac = new HMACSHA256(HashKey);
            return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(text)));
        }

        private static byte[] NewKey()
        {
            var key = new byte[32];
            using var rng = RandomNumberGenerator.Create();
            rng.GetBytes(key);
            return key;
        }
    }

    /// <summary>
    /// One HttpClient per <see cref="HttpSettings"/> for the whole session: a new client per call would cost a
    /// TLS handshake and a socket every refresh. Timeouts are applied per request, not on the client. Both
    /// builds behave alike: no redirects followed, gzip/deflate, no cookies, no "Expect: 100-continue" (.NET
    /// Framework sends it by default and waits up to 350 ms for an answer on every POST), TLS 1.2 or later.
    /// </summary>
    internal static class HttpClientCache
    {
        /// <summary>TLS 1.3 (12288); netstandard2.0's SslProtocols has no name for it.</summary>
        internal const SslProtocols Tls13 = (SslProtocols)12288;

        private static readonly object Gate = new object();
        private static readonly Dictionary<string, HttpClient> Clients = new Dictionary<string, HttpClient>(StringComparer.Ordinal);

        public static HttpClient Get(bool skipCertificateCheck) => Get(HttpSettings.Default.WithSkipCertificateCheck(skipCertificateCheck));

        public static HttpClient Get(HttpSettings settings)
        {
            var key = settings.Key();
            lock (Gate)
            {
                if (!Clients.TryGetValue(key, out var client))
                {
                    FrameworkDefaults.Apply();
                    client = new HttpClient(CreateHandler(settings), disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
                    client.DefaultRequestHeaders.UserAgent.ParseAdd("EcrAirflow/" + typeof(HttpClientCache).Assembly.GetName().Version);
                    client.DefaultRequestHeaders.ExpectContinue = false;
                    Clients[key] = client;
                }

                return client;
            }
        }

        /// <summary>The handler for a setting; internal so the tests can check each build's (both builds are tested).</summary>
        internal static HttpMessageHandler CreateHandler(HttpSettings settings)
        {
            // -Proxy or the system proxy, always set explicitly so that loopback stays local (LoopbackStaysLocal);
            // its Credentials answer the proxy's 407 (-ProxyCredential, or the logged-on user's).
            var proxy = settings.EffectiveProxy();
#if NET8_0_OR_GREATER
            var handler = new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                AllowAutoRedirect = false,
                UseCookies = false,
                UseProxy = proxy != null,
                Proxy = proxy,
            };
            // EnabledSslProtocols stays None: the OS's choice, TLS 1.2 and 1.3 on every platform .NET 8+ supports.
            if (settings.SkipCertificateCheck)
            {
                handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
            }
#else
            var handler = new HttpClientHandler
            {
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                AllowAutoRedirect = false,
                UseCookies = false,
                UseProxy = proxy != null,
                Proxy = proxy,
            };
            try
            {
                // Per request, where .NET Framework allows it (4.7.1+): TLS 1.2, and 1.3 where the OS has it.
                handler.SslProtocols = SslProtocols.Tls12 | (FrameworkDefaults.OsHasTls13 ? Tls13 : SslProtocols.None);
            }
            catch (PlatformNotSupportedException)
            {
                // Older runtimes: the process-wide setting FrameworkDefaults.Apply added TLS 1.2 to is used.
            }

            if (settings.SkipCertificateCheck)
            {
                handler.ServerCertificateCustomValidationCallback = (_, _, _, _) => true;
            }
#endif
            return handler;
        }

        /// <summary>Only for tests: forget every client (each test may then see a fresh system proxy).</summary>
        internal static void Reset()
        {
            lock (Gate)
            {
                foreach (var client in Clients.Values)
                {
                    client.Dispose();
                }

                Clients.Clear();
            }
        }
    }

    /// <summary>
    /// What .NET Framework (Windows PowerShell 5.1) does differently and only lets us change process-wide:
    /// ServicePointManager.SecurityProtocol is often still "Ssl3, Tls" there, while every AWS endpoint needs
    /// TLS 1.2. TLS 1.2 (and 1.3 where the OS offers it) is added to it, never taking away what someone else
    /// enabled, and SystemDefault (the OS decides, already modern) is left alone. Expect: 100-continue is off
    /// per request (the client's default headers), so ServicePointManager.Expect100Continue is not touched.
    /// On .NET 8+ nothing here applies.
    /// </summary>
    internal static class FrameworkDefaults
    {
        private static bool _applied;

        internal static bool IsNetFramework =>
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        /// <summary>Windows 10 build 20348 / Windows 11 and later have TLS 1.3 in SChannel.</summary>
        internal static bool OsHasTls13 =>
            Environment.OSVersion.Platform == PlatformID.Win32NT && Environment.OSVersion.Version >= new Version(10, 0, 20348);

        public static void Apply()
        {
            if (_applied)
            {
                return;
            }

            _applied = true;
            if (!IsNetFramework)
            {
                return;
            }

            var current = ServicePointManager.SecurityProtocol;
            ServicePointManager.SecurityProtocol = Additive(current, OsHasTls13);
        }

        /// <summary>The protocols to set: the current ones plus TLS 1.2 (and 1.3), or SystemDefault unchanged.</summary>
        internal static SecurityProtocolType Additive(SecurityProtocolType current, bool tls13)
        {
            if (current == 0)
            {
                return current; // SystemDefault: the OS picks, and it picks TLS 1.2+.
            }

            var wanted = current | SecurityProtocolType.Tls12;
            if (tls13)
            {
                wanted |= (SecurityProtocolType)12288;
            }

            return wanted;
        }
    }
}
