using System;
using System.Net;

namespace EcrAirflow.Core.Internal.Http
{
    /// <summary>
    /// Wraps a proxy (-Proxy, or the system's) so that a request to a loopback address never leaves the machine: it
    /// goes direct, as NO_PROXY conventions have it for localhost, unless the proxy is itself on this machine (a
    /// local debugging proxy, or a test's squid). A remote proxy's "localhost" is the proxy itself, so sending it a
    /// loopback request is never what the user meant, and over plain http it would carry the request's secrets
    /// (the Airflow password or JWT, the ECR token) to another host in clear text.
    /// </summary>
    internal sealed class LoopbackStaysLocal : IWebProxy
    {
        private readonly IWebProxy _inner;

        public LoopbackStaysLocal(IWebProxy inner, ICredentials? credentials)
        {
            _inner = inner;
            Credentials = credentials ?? inner.Credentials;
        }

        public ICredentials? Credentials { get; set; }

        public Uri? GetProxy(Uri destination) => _inner.GetProxy(destination);

        public bool IsBypassed(Uri host)
        {
            if (_inner.IsBypassed(host))
            {
                return true;
            }

            if (!IsLoopback(host))
            {
                return false;
            }

            var proxy = _inner.GetProxy(host);
            return proxy == null || proxy == host || !IsLoopback(proxy);
        }

        /// <summary>
        /// The proxy the configuration names for <paramref name="destination"/> (-Proxy, or the system's after
        /// NO_PROXY), even where a loopback destination goes direct; null when it names none.
        /// </summary>
        public Uri? NamedProxyFor(Uri destination)
        {
            if (_inner.IsBypassed(destination))
            {
                return null;
            }

            var proxy = _inner.GetProxy(destination);
            return proxy == null || proxy == destination ? null : proxy;
        }

        internal static bool IsLoopback(Uri uri) => uri.IsAbsoluteUri && CleartextRule.IsLoopbackHost(uri.DnsSafeHost);
    }
}
