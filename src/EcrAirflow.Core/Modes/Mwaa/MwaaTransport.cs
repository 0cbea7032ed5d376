using System;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Core.Airflow.Api;
using EcrAirflow.Core.AwsApi;
using EcrAirflow.Core.Internal;
using EcrAirflow.Core.Internal.Http;
using EcrAirflow.Core.Internal.Secrets;

namespace EcrAirflow.Core.Modes.Mwaa
{
    /// <summary>
    /// Airflow's REST API through Amazon MWAA's InvokeRestApi (botocore's mwaa 2020-07-01 model): each
    /// Airflow call becomes one signed POST /restapi/{Name} on host prefix env. with
    /// {"Method","Path","Body"} — Path relative to the API root (MWAA adds /api/v1 on Airflow 2, /api/v2 on
    /// Airflow 3), Body the JSON document itself. The answer, {"RestApiStatusCode","RestApiResponse"} on 200
    /// and the same two members in RestApiClientException / RestApiServerException (HTTP 400), is unwrapped
    /// into an <see cref="AirflowReply"/> with Airflow's own status and body, so the Airflow 2 and 3 targets
    /// and <see cref="AirflowErrors"/> judge it exactly as in Rest mode. MWAA's own failures (no such
    /// environment, invalid request, access) are thrown with Mwaa* ids. Airflow's 429/5xx are retried here;
    /// AWS throttling and 5xx by the signed client.
    /// </summary>
    internal sealed class MwaaTransport : IAirflowTransport
    {
        private const string ClientException = "RestApiClientException";
        private const string ServerException = "RestApiServerException";

        private readonly IAwsSession _session;
        private readonly string _environment;
        private readonly HttpCallOptions _retry;

        public MwaaTransport(IAwsSession session, string environment, SecretRedactor redactor, int maximumRetryCount, TimeSpan? retryBaseDelay = null)
        {
            _session = session;
            _environment = environment;
            Redactor = redactor;
            _retry = new HttpCallOptions(TimeSpan.Zero, maximumRetryCount, "Mwaa", "the environment's Airflow")
            {
                BaseDelay = retryBaseDelay ?? HttpCallOptions.DefaultBaseDelay,
            };
        }

        /// <summary>mwaa:&lt;region&gt;:&lt;environment&gt; (the results' Target).</summary>
        public string Display => $"mwaa:{_session.Region}:{_environment}";

        public SecretRedactor Redactor { get; }

        public int MaximumRetryCount => _retry.MaximumRetryCount;

        /// <summary>
        /// <paramref name="authorization"/> is not used: MWAA signs the IAM principal into Airflow itself (the
        /// Airflow role of its airflow:InvokeRestApi resource).
        /// </summary>
        public async Task<AirflowReply> SendAsync(HttpMethod method, string apiPath, byte[]? jsonBody, AuthenticationHeaderValue? authorization,
            IOperationLog log, CancellationToken cancellationToken)
        {
            var query = apiPath.IndexOf('?');
            var path = RelativePath(query < 0 ? apiPath : apiPath.Substring(0, query));
            if (path.Length > MwaaErrors.MaxPathLength)
            {
                throw MwaaErrors.PathTooLongForPath(path); // MWAA would refuse it (ValidationException): say why, and send nothing
            }

            var body = RequestBody(method.Method, path, jsonBody, query < 0 ? null : apiPath.Substring(query + 1));
            var shown = new Uri($"mwaa://{_session.Region}/{Uri.EscapeDataString(_environment)}/{apiPath.TrimStart('/')}");
            log.Verbose($"{method.Method} {path} on MWAA environment {_environment} ({_session.Region}) through InvokeRestApi.");
            var clock = Stopwatch.StartNew();
            for (var attempt = 0; ; attempt++)
            {
                var call = InvokeCall(body);
                AwsReply reply;
                try
                {
                    reply = await _session.SendAsync(call, log, cancellationToken).ConfigureAwait(false);
                }
                catch (EcrAirflowException ex) when (ex.ErrorId == MwaaErrors.AccessDenied)
                {
                    throw MwaaErrors.InvokeDenied(ex, _environment, _session.Region);
                }

                var (status, response) = Unwrap(call, reply);
                if (HttpRetry.IsTransientStatus(status) && attempt < _retry.MaximumRetryCount)
                {
                    var delay = HttpRetry.Backoff(attempt, _retry, null);
                    log.Verbose($"Airflow answered {status} to {method.Method} {path} through MWAA; retry {attempt + 1} of {_retry.MaximumRetryCount} in {delay.TotalMilliseconds:0} ms.");
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                log.Verbose($"{method.Method} {path} through MWAA -> Airflow answered {status} ({clock.ElapsedMilliseconds} ms).");
                return new AirflowReply(method, shown, (HttpStatusCode)status, null, response, null);
            }
        }

        /// <summary>"api/v1/connections/ecr" → "/connections/ecr": MWAA adds the API root for the environment's Airflow.</summary>
        internal static string RelativePath(string apiPath)
        {
            var trimmed = apiPath.TrimStart('/');
            foreach (var root in new[] { "api/v1/", "api/v2/" })
            {
                if (trimmed.StartsWith(root, StringComparison.Ordinal))
                {
                    return "/" + trimmed.Substring(root.Length);
                }
            }

            // /auth/token and the version probe have no place here: Mwaa mode sends no Airflow credential
            // and reads the version from GetEnvironment.
            throw new InvalidOperationException($"'{apiPath}' is not below Airflow's REST API root; InvokeRestApi cannot reach it.");
        }

        /// <summary>
        /// InvokeRestApi's body: Name is the URI label, Body the request's JSON document embedded as is, and a
        /// query string as QueryParameters (a JSON object; a name given twice becomes a list).
        /// </summary>
        internal static byte[] RequestBody(string method, string path, byte[]? jsonBody, string? query = null)
        {
            var json = new JsonText(256 + (jsonBody?.Length ?? 0)).StartObject()
                .Member("Method", method)
                .Member("Path", path);
            if (!string.IsNullOrEmpty(query))
            {
                json.Name("QueryParameters").StartObject();
                foreach (var group in query!.Split('&').Where(p => p.Length > 0).Select(Pair).GroupBy(p => p.Name, StringComparer.Ordinal))
                {
                    json.Name(group.Key);
                    var values = group.Select(p => p.Value).ToList();
                    if (values.Count == 1)
                    {
                        json.String(values[0]);
                    }
                    else
                    {
                        json.StartArray();
                        values.ForEach(v => json.String(v));
                        json.EndArray();
                    }
                }

                json.EndObject();
            }
            if (jsonBody != null)
            {
                json.Name("Body").Raw(Encoding.UTF8.GetString(jsonBody));
            }

            return json.EndObject().ToUtf8();
        }

        private static (string Name, string Value) Pair(string part)
        {
            var equals = part.IndexOf('=');
            return equals < 0
                ? (Uri.UnescapeDataString(part), string.Empty)
                : (Uri.UnescapeDataString(part.Substring(0, equals)), Uri.UnescapeDataString(part.Substring(equals + 1)));
        }

        private AwsCall InvokeCall(byte[] body) => new AwsCall("InvokeRestApi", body, "airflow:InvokeRestApi")
        {
            Method = "POST",
            Path = "/restapi/" + Uri.EscapeDataString(_environment),
            HostPrefix = "env.",
            Redactor = Redactor,
        };

        /// <summary>Airflow's status and body from a 200 or a RestApiClientException/RestApiServerException; MWAA's own errors are thrown.</summary>
        private (int Status, string Body) Unwrap(AwsCall call, AwsReply reply)
        {
            if (reply.IsSuccess)
            {
                return Members(call, reply, reply.Status);
            }

            switch (reply.ErrorCode)
            {
                case ClientException:
                    return Members(call, reply, 400);
                case ServerException:
                    return Members(call, reply, 500);
                case "ResourceNotFoundException":
                    throw MwaaErrors.NotFound(call, reply, _environment, _session.Region);
                case "ValidationException":
                    throw MwaaErrors.Invalid(call, reply);
                case "UnknownOperationException":
                    throw AwsErrors.Unexpected(AwsService.Mwaa, call, reply with { ErrorCode = null });
                default:
                    throw AwsErrors.Unexpected(AwsService.Mwaa, call, reply);
            }
        }

        private static (int Status, string Body) Members(AwsCall call, AwsReply reply, int fallbackStatus)
        {
            try
            {
                using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(reply.Body) ? "{}" : reply.Body);
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw AwsErrors.Malformed(AwsService.Mwaa, call.Operation, "the body is not a JSON object");
                }

                var status = fallbackStatus;
                if (root.TryGetProperty("RestApiStatusCode", out var s))
                {
                    if (s.ValueKind != JsonValueKind.Number || !s.TryGetInt32(out status) || status < 100 || status > 599)
                    {
                        throw AwsErrors.Malformed(AwsService.Mwaa, call.Operation, "RestApiStatusCode is not an HTTP status");
                    }
                }
                else if (reply.IsSuccess)
                {
                    throw AwsErrors.Malformed(AwsService.Mwaa, call.Operation, "it has no RestApiStatusCode");
                }

                var body = root.TryGetProperty("RestApiResponse", out var r) && r.ValueKind != JsonValueKind.Null ? r.GetRawText() : string.Empty;
                return (status, body);
            }
            catch (JsonException ex)
            {
                throw AwsErrors.Malformed(AwsService.Mwaa, call.Operation, "it is not JSON", ex);
            }
        }
    }
}
