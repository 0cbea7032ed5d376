using System;

namespace EcrAirflow.Core.Internal.Http
{
    /// <summary>Settings for one logical HTTP call: per-attempt timeout and bounded retries.</summary>
    internal sealed class HttpCallOptions
    {
        public static readonly TimeSpan DefaultBaseDelay = TimeSpan.FromMilliseconds(200);

        public HttpCallOptions(TimeSpan timeout, int maximumRetryCount, string errorPrefix, string peerName)
        {
            Timeout = timeout;
            MaximumRetryCount = maximumRetryCount;
            ErrorPrefix = errorPrefix;
            PeerName = peerName;
        }

        public TimeSpan Timeout { get; }

        public int MaximumRetryCount { get; }

        /// <summary>First backoff step; doubled per attempt, with "equal jitter" (see <see cref="HttpRetry.Backoff"/>).</summary>
        public TimeSpan BaseDelay { get; set; } = DefaultBaseDelay;

        /// <summary>Upper bound for one wait, including a server's Retry-After.</summary>
        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(20);

        /// <summary>Prefix of the error ids this call raises, e.g. "Ecr" or "Airflow".</summary>
        public string ErrorPrefix { get; }

        /// <summary>A name for the peer in messages, e.g. "Amazon ECR" or "the Airflow API".</summary>
        public string PeerName { get; }

        /// <summary>The cap on a reply's body, decompressed (see <see cref="HttpDefaults.MaxResponseBytes"/>).</summary>
        public int MaxResponseBytes { get; set; } = HttpDefaults.MaxResponseBytes;

        /// <summary>The proxy settings the client was made with: a failure on the way through a proxy names it.</summary>
        public HttpSettings Http { get; set; } = HttpSettings.Default;
    }
}
