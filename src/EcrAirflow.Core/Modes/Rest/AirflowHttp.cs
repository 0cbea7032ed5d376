using System.Diagnostics;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Core.Airflow.Api;
using EcrAirflow.Core.Internal;
using EcrAirflow.Core.Internal.Http;
using EcrAirflow.Core.Internal.Secrets;

namespace EcrAirflow.Core.Modes.Rest
{
    /// <summary>
    /// Sends one JSON request to Airflow through the session's shared HttpClient with HttpRetry's bounded
    /// retries, and says in the verbose stream what was requested where and what came back (never bodies,
    /// never headers: they hold the password and tokens).
    /// </summary>
    internal sealed class AirflowHttp : IAirflowTransport
    {
        private static readonly MediaTypeHeaderValue Json = new MediaTypeHeaderValue("application/json");
        private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new MediaTypeWithQualityHeaderValue("application/json");

        private readonly HttpClient _client;
        private readonly HttpCallOptions _call;

        public AirflowHttp(AirflowEndpoint endpoint, RestParameters parameters, ModeContext context, SecretRedactor redactor)
        {
            Endpoint = endpoint;
            Redactor = redactor;
            var http = context.Http.WithSkipCertificateCheck(parameters.SkipCertificateCheck);
            _client = HttpClientCache.Get(http);
            _call = new HttpCallOptions(context.Seams.Timeout ?? System.TimeSpan.FromSeconds(parameters.TimeoutSec), parameters.MaximumRetryCount, "Airflow", "the Airflow API")
            {
                BaseDelay = context.Seams.RetryBaseDelay ?? HttpCallOptions.DefaultBaseDelay,
                Http = http,
            };
            if (http.ProxyCredential != null)
            {
                redactor.AddPair(http.ProxyCredential.UserName, http.ProxyCredential.Password);
            }
        }

        public AirflowEndpoint Endpoint { get; }

        public string Display => Endpoint.Display;

        public SecretRedactor Redactor { get; }

        public int MaximumRetryCount => _call.MaximumRetryCount;

        public async Task<AirflowReply> SendAsync(HttpMethod method, string apiPath, byte[]? jsonBody, AuthenticationHeaderValue? authorization,
            IOperationLog log, CancellationToken cancellationToken)
        {
            var uri = Endpoint.Resolve(apiPath);
            var shown = method.Method + " " + SafeUrl.Describe(uri);
            log.Verbose(shown);
            var clock = Stopwatch.StartNew();
            using var response = await HttpRetry.SendAsync(
                _client,
                () =>
                {
                    var request = new HttpRequestMessage(method, uri);
                    request.Headers.Accept.Add(AcceptJson);
                    if (authorization != null)
                    {
                        request.Headers.Authorization = authorization;
                    }

                    if (jsonBody != null)
                    {
                        request.Content = new ByteArrayContent(jsonBody);
                        request.Content.Headers.ContentType = Json;
                    }

                    return request;
                },
                _call,
                log,
                cancellationToken).ConfigureAwait(false);

            var body = response.Content == null ? "" : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            // The reason phrase is the server's text too (a proxy may echo the Authorization header in it).
            var reason = Redactor.Redact(response.ReasonPhrase);
            log.Verbose($"{shown} -> {(int)response.StatusCode} {reason} ({clock.ElapsedMilliseconds} ms)");
            return new AirflowReply(method, uri, response.StatusCode, reason, body, response.Headers.Location);
        }
    }
}
