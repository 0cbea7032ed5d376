using System;
using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Internal;

namespace EcrAirflow.Airflow.Rest
{
    /// <summary>An answer from Airflow, read whole; the response itself is already disposed.</summary>
    internal sealed class AirflowReply
    {
        public AirflowReply(HttpMethod method, Uri uri, HttpStatusCode status, string? reason, string body, Uri? location)
        {
            Method = method;
            Uri = uri;
            Status = status;
            Reason = reason;
            Body = body;
            Location = location;
        }

        public HttpMethod Method { get; }

        public Uri Uri { get; }

        public HttpStatusCode Status { get; }

        public int Code => (int)Status;

        public string? Reason { get; }

        /// <summary>The body as text. May echo what we sent: never log it, only pass it through AirflowErrors.</summary>
        public string Body { get; }

        public Uri? Location { get; }

        public bool IsSuccess => Code >= 200 && Code < 300;

        /// <summary>"PATCH https://host/api/v1/connections/ecr", safe to print.</summary>
        public string Request => Method.Method + " " + HttpRetry.Describe(Uri);
    }

    /// <summary>
    /// Sends one JSON request to Airflow through the session's shared HttpClient with HttpRetry's bounded
    /// retries, and says in the verbose stream what was requested where and what came back (never bodies,
    /// never headers: they hold the password and tokens).
    /// </summary>
    internal sealed class AirflowHttp
    {
        private static readonly MediaTypeHeaderValue Json = new MediaTypeHeaderValue("application/json");
        private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new MediaTypeWithQualityHeaderValue("application/json");

        private readonly HttpClient _client;
        private readonly HttpCallOptions _call;

        public AirflowHttp(AirflowEndpoint endpoint, SyncOptions options, SecretRedactor redactor)
        {
            Endpoint = endpoint;
            Redactor = redactor;
            _client = HttpClientCache.Get(options.SkipCertificateCheck);
            _call = new HttpCallOptions
            {
                Timeout = options.Timeout,
                MaximumRetryCount = options.MaximumRetryCount,
                ErrorPrefix = "Airflow",
                PeerName = "the Airflow API",
            };
        }

        public AirflowEndpoint Endpoint { get; }

        public SecretRedactor Redactor { get; }

        public int MaximumRetryCount => _call.MaximumRetryCount;

        /// <summary>Only for tests: shorter backoff so retry tests do not sleep.</summary>
        internal TimeSpan BaseDelay
        {
            get => _call.BaseDelay;
            set => _call.BaseDelay = value;
        }

        public async Task<AirflowReply> SendAsync(
            HttpMethod method,
            string apiPath,
            byte[]? jsonBody,
            AuthenticationHeaderValue? authorization,
            IOperationLog log,
            CancellationToken cancellationToken)
        {
            var uri = Endpoint.Resolve(apiPath);
            var shown = method.Method + " " + HttpRetry.Describe(uri);
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
            log.Verbose($"{shown} -> {(int)response.StatusCode} {response.ReasonPhrase} ({clock.ElapsedMilliseconds} ms)");
            return new AirflowReply(method, uri, response.StatusCode, response.ReasonPhrase, body, response.Headers.Location);
        }
    }
}
