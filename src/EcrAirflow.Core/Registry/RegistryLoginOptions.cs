using System;
using EcrAirflow.Core.Internal.Http;

namespace EcrAirflow.Core.Registry
{
    /// <summary>How a login check reaches registries: the module's proxy and certificate settings, timeout and retries.</summary>
    internal sealed class RegistryLoginOptions
    {
        public RegistryLoginOptions(HttpSettings http, TimeSpan timeout, int maximumRetryCount)
        {
            Http = http ?? HttpSettings.Default;
            Timeout = timeout;
            MaximumRetryCount = maximumRetryCount;
        }

        public static RegistryLoginOptions Default { get; } =
            new RegistryLoginOptions(HttpSettings.Default, TimeSpan.FromSeconds(HttpDefaults.TimeoutSec), HttpDefaults.MaximumRetryCount);

        /// <summary>The proxy (-Proxy, -ProxyCredential or the system's) and -SkipCertificateCheck, as for every other call.</summary>
        public HttpSettings Http { get; }

        /// <summary>Per request (-TimeoutSec).</summary>
        public TimeSpan Timeout { get; }

        /// <summary>Retries of a network failure or a 429/5xx answer (-MaximumRetryCount).</summary>
        public int MaximumRetryCount { get; }

        /// <summary>The first backoff step (tests shorten it).</summary>
        public TimeSpan BaseDelay { get; set; } = HttpCallOptions.DefaultBaseDelay;
    }
}
