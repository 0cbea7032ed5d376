using System;
using System.Collections.Concurrent;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Core.Airflow.Api;
using EcrAirflow.Core.Internal;
using EcrAirflow.Core.Internal.Http;

namespace EcrAirflow.Core.Modes.Rest
{
    /// <summary>
    /// -ApiVersion Auto: asks GET {base}/api/v2/version (Airflow 3), then /api/v1/version (Airflow 2),
    /// once per base URL per session. Both endpoints are public in Airflow, so the probe carries no
    /// credential.
    /// </summary>
    internal static class ApiVersionProbe
    {
        // Keyed on Display: scheme and host already lower-cased by Uri, the path exact (/TeamA is not /teama).
        private static readonly ConcurrentDictionary<string, AirflowApiVersion> Known =
            new ConcurrentDictionary<string, AirflowApiVersion>(StringComparer.Ordinal);

        public static async Task<AirflowApiVersion> ResolveAsync(AirflowHttp http, IOperationLog log, CancellationToken cancellationToken)
        {
            var key = http.Endpoint.Display;
            if (Known.TryGetValue(key, out var cached))
            {
                log.Verbose($"Airflow at {key} speaks API {cached} (probed earlier in this session).");
                return cached;
            }

            var version = await ProbeAsync(http, log, cancellationToken).ConfigureAwait(false);
            Known[key] = version;
            log.Verbose($"Airflow at {key} speaks API {version}.");
            return version;
        }

        /// <summary>Drops a cached answer that turned out wrong (the URL now answers 404).</summary>
        public static void Forget(AirflowEndpoint endpoint) => Known.TryRemove(endpoint.Display, out _);

        internal static void ClearForTests() => Known.Clear();

        private static async Task<AirflowApiVersion> ProbeAsync(AirflowHttp http, IOperationLog log, CancellationToken cancellationToken)
        {
            var v2 = await http.SendAsync(HttpMethod.Get, "api/v2/version", null, null, log, cancellationToken).ConfigureAwait(false);
            if (IsVersionInfo(v2))
            {
                return AirflowApiVersion.V2;
            }

            var v1 = await http.SendAsync(HttpMethod.Get, "api/v1/version", null, null, log, cancellationToken).ConfigureAwait(false);
            if (IsVersionInfo(v1))
            {
                return AirflowApiVersion.V1;
            }

            // Airflow itself never protects these endpoints, but a proxy in front of it may. A 401/403 on
            // one path and a 404 on the other still says which API is there; 401/403 on both does not.
            if (IsProtected(v2) && v1.Code == 404)
            {
                return AirflowApiVersion.V2;
            }

            if (IsProtected(v1) && v2.Code == 404)
            {
                return AirflowApiVersion.V1;
            }

            if (IsProtected(v1) && IsProtected(v2))
            {
                throw new EcrAirflowException("AirflowApiVersionUnknown", FailureKind.InvalidOperation,
                    $"Cannot tell which Airflow REST API {http.Endpoint.Display} serves: GET {SafeUrl.Describe(v2.Uri)} answered {v2.Code} and GET {SafeUrl.Describe(v1.Uri)} answered {v1.Code} (Airflow answers both without authentication; something in front of it does not).",
                    "Name the version: -ApiVersion V1 for Airflow 2, -ApiVersion V2 for Airflow 3.")
                { TargetObject = http.Endpoint.Display };
            }

            // Neither is there. Report the most telling answer: a non-404 from either beats a 404.
            var telling = v2.Code != 404 ? v2 : v1;
            if (telling.Code == 404 || telling.IsSuccess)
            {
                throw new EcrAirflowException(AirflowErrors.ApiNotFound, FailureKind.ObjectNotFound,
                    $"No Airflow REST API at {http.Endpoint.Display}: GET {SafeUrl.Describe(v2.Uri)} answered {v2.Code} and GET {SafeUrl.Describe(v1.Uri)} answered {v1.Code}.",
                    "Check -AirflowUrl: the base URL of the Airflow webserver (Airflow 2) or API server (Airflow 3), including a path prefix when Airflow is served under one (e.g. https://example.com/airflow); "
                    + "on Airflow 2 check that the REST API is enabled ([api] auth_backends). Or name the version with -ApiVersion V1 or V2.")
                { TargetObject = http.Endpoint.Display };
            }

            throw AirflowErrors.FromReply(telling, AirflowApiVersion.Auto, "detecting the API version", http.Redactor, http, http.Endpoint.Display);
        }

        private static bool IsProtected(AirflowReply reply) => reply.Code == 401 || reply.Code == 403;

        /// <summary>200 with a VersionInfo body (an HTML page answering 200 to anything is not the API).</summary>
        private static bool IsVersionInfo(AirflowReply reply)
        {
            if (!reply.IsSuccess)
            {
                return false;
            }

            try
            {
                using var doc = JsonDocument.Parse(reply.Body);
                return doc.RootElement.ValueKind == JsonValueKind.Object
                    && doc.RootElement.TryGetProperty("version", out var version)
                    && version.ValueKind == JsonValueKind.String;
            }
            catch (JsonException)
            {
                return false;
            }
        }
    }
}
