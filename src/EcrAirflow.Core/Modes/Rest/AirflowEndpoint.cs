using System;
using EcrAirflow.Core.Internal.Http;

namespace EcrAirflow.Core.Modes.Rest
{
    /// <summary>
    /// The base URL of an Airflow webserver / API server, checked once: http or https, no credentials in
    /// the URL, no query or fragment. Keeps any path prefix (Airflow served under /airflow) and joins API
    /// paths below it.
    /// </summary>
    internal sealed class AirflowEndpoint
    {
        private AirflowEndpoint(Uri root, string pathPrefix, AirflowApiVersion versionFromPath)
        {
            Root = root;
            PathPrefix = pathPrefix;
            VersionFromPath = versionFromPath;
            Display = root.Scheme + "://" + root.Authority + pathPrefix;
        }

        /// <summary>scheme://host:port with no path.</summary>
        public Uri Root { get; }

        /// <summary>"" or an escaped prefix like "/airflow" (no trailing slash).</summary>
        public string PathPrefix { get; }

        /// <summary>The base URL as it is safe to print and to use as a cache key.</summary>
        public string Display { get; }

        /// <summary>V1/V2 when the user's URL ended in /api/v1 or /api/v2 (we strip that); else Auto.</summary>
        public AirflowApiVersion VersionFromPath { get; }

        public bool IsLoopback => IsLoopbackHost(Root.DnsSafeHost);

        public static AirflowEndpoint Parse(Uri? url)
        {
            if (url == null)
            {
                throw new EcrAirflowException(RestErrors.AirflowUrlRequiredId, FailureKind.InvalidArgument,
                    "-Mode Rest needs -AirflowUrl.",
                    "Give the base URL of the Airflow webserver or API server, e.g. -AirflowUrl https://airflow.example.com.");
            }

            if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            {
                // A relative "airflow.example.com:8080" parses with scheme "airflow.example.com": say so plainly.
                throw new EcrAirflowException(RestErrors.InvalidAirflowUrlId, FailureKind.InvalidArgument,
                    "-AirflowUrl must be an absolute http:// or https:// URL.",
                    "Write the scheme, e.g. -AirflowUrl https://airflow.example.com or http://127.0.0.1:8080.",
                    null)
                { TargetObject = url.IsAbsoluteUri ? url.Scheme + "://" + url.Authority : null };
            }

            var safe = url.Scheme + "://" + url.Authority;
            if (!string.IsNullOrEmpty(url.UserInfo))
            {
                throw new EcrAirflowException(RestErrors.AirflowUrlContainsCredentialsId, FailureKind.InvalidArgument,
                    $"-AirflowUrl for {safe} contains a user name or password; credentials in a URL end up in logs, history and error messages, so it is refused.",
                    "Remove user:password@ from the URL and pass -AirflowCredential (Get-Credential) or -AccessToken instead.")
                { TargetObject = safe };
            }

            if (!string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment))
            {
                throw new EcrAirflowException(RestErrors.InvalidAirflowUrlId, FailureKind.InvalidArgument,
                    $"-AirflowUrl for {safe} has a query string or fragment; it must be the base URL of Airflow.",
                    "Give only scheme, host, port and (if Airflow is served under one) the path prefix, e.g. https://example.com/airflow.")
                { TargetObject = safe };
            }

            var prefix = url.AbsolutePath.TrimEnd('/');
            var version = AirflowApiVersion.Auto;
            if (EndsWithSegment(prefix, "/api/v1"))
            {
                version = AirflowApiVersion.V1;
                prefix = prefix.Substring(0, prefix.Length - "/api/v1".Length);
            }
            else if (EndsWithSegment(prefix, "/api/v2"))
            {
                version = AirflowApiVersion.V2;
                prefix = prefix.Substring(0, prefix.Length - "/api/v2".Length);
            }

            return new AirflowEndpoint(new Uri(safe + "/"), prefix, version);
        }

        /// <summary>
        /// Refuses clear text unless the host is this machine or the user said so (<see cref="CleartextRule"/>).
        /// Every Sync write carries the ECR password in its body, so the rule holds with or without an Airflow
        /// credential. Called before any request.
        /// </summary>
        public void EnsureSecretsMaySend(bool sendsAirflowCredential, bool allowUnencryptedAuthentication) =>
            CleartextRule.Ensure(Root, allowUnencryptedAuthentication,
                sendsAirflowCredential ? "the ECR password and the Airflow credential" : "the ECR password (in every write's body)",
                "-AirflowUrl");

        /// <summary>
        /// Joins an API path (segments already escaped, no leading slash) below the prefix:
        /// https://host/airflow + api/v1/connections → https://host/airflow/api/v1/connections.
        /// </summary>
        public Uri Resolve(string apiPath) => new Uri(Display + "/" + apiPath.TrimStart('/'));

        internal static bool IsLoopbackHost(string host) => CleartextRule.IsLoopbackHost(host);

        private static bool EndsWithSegment(string path, string suffix) =>
            path.EndsWith(suffix, StringComparison.OrdinalIgnoreCase);
    }
}
