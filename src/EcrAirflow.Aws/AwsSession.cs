using System;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using EcrAirflow.Core.AwsApi;
using EcrAirflow.Core.Internal;
using EcrAirflow.Core.Internal.Http;

namespace EcrAirflow.Aws
{
    /// <summary>
    /// The one signed AWS JSON client: awsJson1_1 (POST / with X-Amz-Target) and rest-json (method, path,
    /// host prefix), SigV4 through AWSSDK.Core's public signer, HttpRetry's bounded retries (throttling in
    /// a 400 body included), and every failure that all services share mapped by <see cref="AwsErrors"/>.
    /// Credentials are resolved on the first call and kept for the session (one cmdlet call).
    /// </summary>
    internal sealed class AwsSession : IAwsSession
    {
        /// <summary>Per-process random key for identity hashes: a cache key never holds a bare hash of a secret.</summary>
        private static readonly byte[] IdentityHashKey = NewKey();

        private readonly AwsService _service;
        private readonly AwsSessionRequest _request;
        private readonly SemaphoreSlim _resolving = new SemaphoreSlim(1, 1);
        private ResolvedCredentials? _credentials;

        public AwsSession(AwsService service, AwsSessionRequest request, string region, string regionSource, AwsEndpoint endpoint)
        {
            _service = service;
            _request = request;
            Region = region;
            RegionSource = regionSource;
            Endpoint = endpoint;
        }

        public string Region { get; }

        public string RegionSource { get; }

        public AwsEndpoint Endpoint { get; }

        public async Task<string> IdentityKeyAsync(IOperationLog log, CancellationToken cancellationToken)
        {
            var c = (await CredentialsAsync(log, cancellationToken).ConfigureAwait(false)).Credentials;
            using var hmac = new HMACSHA256(IdentityHashKey);
            var hash = hmac.ComputeHash(Encoding.UTF8.GetBytes(c.AccessKey + "\n" + c.SecretKey + "\n" + c.Token));
            return BitConverter.ToString(hash, 0, 16).Replace("-", string.Empty);
        }

        public async Task<AwsReply> SendAsync(AwsCall call, IOperationLog log, CancellationToken cancellationToken)
        {
            var resolved = await CredentialsAsync(log, cancellationToken).ConfigureAwait(false);
            var credentials = resolved.Credentials;
            call.Redactor.Add(credentials.SecretKey);
            call.Redactor.Add(credentials.Token);
            var signing = string.IsNullOrEmpty(credentials.Token)
                ? (AWSCredentials)new BasicAWSCredentials(credentials.AccessKey, credentials.SecretKey)
                : new SessionAWSCredentials(credentials.AccessKey, credentials.SecretKey, credentials.Token);
            var region = RegionEndpoint.GetBySystemName(Endpoint.SigningRegion);
            var uri = RequestUri(call);
            var options = new HttpCallOptions(_request.Timeout, _request.MaximumRetryCount, _service.ErrorPrefix, "Amazon " + _service.DisplayName)
            {
                BaseDelay = _request.RetryBaseDelay ?? HttpCallOptions.DefaultBaseDelay,
                Http = _request.Http,
            };
            if (_request.Http.ProxyCredential != null)
            {
                call.Redactor.AddPair(_request.Http.ProxyCredential.UserName, _request.Http.ProxyCredential.Password);
            }

            log.Verbose($"{call.Method} {SafeUrl.Describe(uri)} {_service.DisplayName} {call.Operation} (SigV4 {_service.SigningName}/{Endpoint.SigningRegion}, access key {MaskKey(credentials.AccessKey)}).");
            var client = EcrAirflow.Core.Internal.Http.HttpClientCache.Get(_request.Http);
            using var response = await HttpRetry.SendAsync(
                client,
                () =>
                {
                    var signed = CreateSignedRequest(call, uri, signing, region);
                    log.Debug($"Signed {call.Operation} with SigV4 ({_service.SigningName}/{Endpoint.SigningRegion}).");
                    return signed;
                },
                options,
                log,
                cancellationToken,
                IsTransient).ConfigureAwait(false);

            var text = response.Content == null ? string.Empty : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            var rawRequestId = Header(response, "x-amzn-RequestId") ?? Header(response, "x-amz-request-id");
            var requestId = rawRequestId == null ? null : call.Redactor.Redact(rawRequestId); // the server's text, quoted in messages
            var status = (int)response.StatusCode;
            log.Verbose($"{_service.DisplayName} answered HTTP {status}{(requestId != null ? ", request id " + requestId : string.Empty)}.");
            var reply = AwsErrors.Reply(status, text, Header(response, "x-amzn-ErrorType"), requestId);
            var common = AwsErrors.Common(_service, call, reply, _request.MaximumRetryCount);
            if (common != null)
            {
                throw common;
            }

            return reply;
        }

        /// <summary>The credentials, resolved once per session (the chain may call STS, SSO or a process).</summary>
        private async Task<ResolvedCredentials> CredentialsAsync(IOperationLog log, CancellationToken cancellationToken)
        {
            if (_credentials != null)
            {
                return _credentials;
            }

            await _resolving.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return _credentials ??= await AwsCredentialResolver.ResolveAsync(_request.Credentials, Region, log, cancellationToken, _request.AllowUnencryptedAuthentication, _request.Http).ConfigureAwait(false);
            }
            finally
            {
                _resolving.Release();
            }
        }

        /// <summary>The endpoint, with the operation's host prefix on standard endpoints only, and its path.</summary>
        private Uri RequestUri(AwsCall call)
        {
            var builder = new UriBuilder(Endpoint.Url);
            if (!Endpoint.IsCustom && !string.IsNullOrEmpty(call.HostPrefix))
            {
                builder.Host = call.HostPrefix + builder.Host;
            }

            if (_service.Protocol == AwsProtocol.RestJson)
            {
                builder.Path = builder.Path.TrimEnd('/') + "/" + call.Path.TrimStart('/');
            }

            return builder.Uri;
        }

        /// <summary>Signs afresh for every attempt: a retried request needs a current X-Amz-Date.</summary>
        private HttpRequestMessage CreateSignedRequest(AwsCall call, Uri uri, AWSCredentials credentials, RegionEndpoint region)
        {
            var method = new HttpMethod(call.Method);
            var contentType = _service.Protocol == AwsProtocol.Json11 ? "application/x-amz-json-1.1" : "application/json";
            var target = _service.Protocol == AwsProtocol.Json11 ? _service.TargetPrefix + "." + call.Operation : null;
            var signing = new AWSSigningRequest
            {
                HttpMethod = method,
                RequestUri = uri,
                Content = call.Body,
            };
            // A rest-json GET (MWAA GetEnvironment) carries no body, so no content and no Content-Type:
            // .NET Framework (Windows PowerShell 5.1) refuses to send a GET with content at all.
            var hasBody = call.Body.Length > 0 || !(method == HttpMethod.Get || method == HttpMethod.Head);
            if (hasBody)
            {
                signing.Headers["Content-Type"] = contentType;
            }

            if (target != null)
            {
                signing.Headers["X-Amz-Target"] = target;
            }

            var signed = AWSSigV4Signer.Sign(signing, new AWSSigV4Parameters
            {
                Credentials = credentials,
                Region = region,
                Service = _service.SigningName,
                SignPayload = true,
            });

            var request = new HttpRequestMessage(method, uri);
            if (hasBody)
            {
                request.Content = new ByteArrayContent(call.Body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            }

            if (target != null)
            {
                request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
            }

            foreach (var header in signed.Headers)
            {
                if (string.Equals(header.Key, "Content-Type", StringComparison.OrdinalIgnoreCase) ||
                    string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase) ||
                    string.Equals(header.Key, "Host", StringComparison.OrdinalIgnoreCase) ||
                    string.Equals(header.Key, "X-Amz-Target", StringComparison.OrdinalIgnoreCase))
                {
                    continue; // already set, and HttpClient derives Host and Content-Length itself
                }

                request.Headers.Remove(header.Key);
                request.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            return request;
        }

        private static bool IsTransient(HttpResponseMessage response)
        {
            var status = (int)response.StatusCode;
            if (status != 400)
            {
                return AwsErrors.IsTransient(status, null);
            }

            // HttpRetry has read the body (capped) and buffered it, so this read does not block on the network.
            var body = response.Content == null ? string.Empty : response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            var code = AwsErrors.ReadBody(body).Code ?? (Header(response, "x-amzn-ErrorType") is string h ? AwsErrors.CleanCode(h) : null);
            return AwsErrors.IsTransient(status, code);
        }

        private static string? Header(HttpResponseMessage response, string name) =>
            response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

        /// <summary>An access key id is not a secret, but showing all of it is not needed either.</summary>
        internal static string MaskKey(string accessKeyId) =>
            accessKeyId.Length <= 8 ? "****" : accessKeyId.Substring(0, 4) + "…" + accessKeyId.Substring(accessKeyId.Length - 4);

        private static byte[] NewKey()
        {
            var key = new byte[32];
            using var rng = RandomNumberGenerator.Create();
            rng.GetBytes(key);
            return key;
        }
    }
}
