using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using EcrAirflow.Ecr;
using EcrAirflow.Internal;

namespace EcrAirflow.Aws
{
    /// <summary>
    /// GetAuthorizationToken over awsJson1_1: POST / with X-Amz-Target, signed with SigV4 by AWSSDK.Core's
    /// public signer. One HTTP request per call (plus bounded retries on throttling, 5xx and network errors).
    /// </summary>
    internal static class EcrClient
    {
        private const string JsonContentType = "application/x-amz-json-1.1";

        public static async Task<List<EcrAuthorization>> GetAuthorizationTokenAsync(
            EcrEndpoint endpoint,
            ImmutableCredentials credentials,
            IReadOnlyList<string>? registryIds,
            HttpCallOptions call,
            IOperationLog log,
            CancellationToken cancellationToken)
        {
            var body = BuildBody(endpoint.IsPublic ? null : registryIds);
            var signingCredentials = string.IsNullOrEmpty(credentials.Token)
                ? (AWSCredentials)new BasicAWSCredentials(credentials.AccessKey, credentials.SecretKey)
                : new SessionAWSCredentials(credentials.AccessKey, credentials.SecretKey, credentials.Token);
            var region = RegionEndpoint.GetBySystemName(endpoint.SigningRegion);

            log.Verbose($"POST {HttpRetry.Describe(endpoint.Url)} {endpoint.Target} (SigV4 {endpoint.SigningName}/{endpoint.SigningRegion}, access key {MaskKey(credentials.AccessKey)}).");
            var client = Internal.HttpClientCache.Get(false);
            using var response = await HttpRetry.SendAsync(
                client,
                () => CreateSignedRequest(endpoint, body, signingCredentials, region),
                call,
                log,
                cancellationToken,
                IsTransient).ConfigureAwait(false);

            var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            var requestId = Header(response, "x-amzn-RequestId") ?? Header(response, "x-amz-request-id");
            log.Verbose($"ECR answered HTTP {(int)response.StatusCode}{(requestId != null ? ", request id " + requestId : string.Empty)}.");
            if (!response.IsSuccessStatusCode)
            {
                throw EcrResponseParser.ParseError(response.StatusCode, text, Header(response, "x-amzn-ErrorType"), requestId, endpoint.IsPublic);
            }

            return EcrResponseParser.ParseSuccess(text, endpoint.IsPublic);
        }

        internal static byte[] BuildBody(IReadOnlyList<string>? registryIds)
        {
            if (registryIds == null || registryIds.Count == 0)
            {
                return Encoding.UTF8.GetBytes("{}");
            }

            using var stream = new System.IO.MemoryStream();
            using (var writer = new Utf8JsonWriter(stream))
            {
                writer.WriteStartObject();
                writer.WriteStartArray("registryIds");
                foreach (var id in registryIds)
                {
                    writer.WriteStringValue(id);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            return stream.ToArray();
        }

        /// <summary>Signs afresh for every attempt: a retried request needs a current X-Amz-Date.</summary>
        internal static HttpRequestMessage CreateSignedRequest(EcrEndpoint endpoint, byte[] body, AWSCredentials credentials, RegionEndpoint region)
        {
            var signing = new AWSSigningRequest
            {
                HttpMethod = HttpMethod.Post,
                RequestUri = endpoint.Url,
                Content = body,
            };
            signing.Headers["Content-Type"] = JsonContentType;
            signing.Headers["X-Amz-Target"] = endpoint.Target;
            var signed = AWSSigV4Signer.Sign(signing, new AWSSigV4Parameters
            {
                Credentials = credentials,
                Region = region,
                Service = endpoint.SigningName,
                SignPayload = true,
            });

            var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(JsonContentType);
            request.Headers.TryAddWithoutValidation("X-Amz-Target", endpoint.Target);
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
            if (HttpRetry.IsTransientStatus(response.StatusCode))
            {
                return true;
            }

            if ((int)response.StatusCode == 400)
            {
                // The content is buffered (ResponseContentRead), so this read does not block on the network.
                var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
                return EcrResponseParser.IsThrottlingCode(body, Header(response, "x-amzn-ErrorType"));
            }

            return false;
        }

        private static string? Header(HttpResponseMessage response, string name) =>
            response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

        /// <summary>An access key id is not a secret, but showing all of it is not needed either.</summary>
        internal static string MaskKey(string accessKeyId) =>
            accessKeyId.Length <= 8 ? "****" : accessKeyId.Substring(0, 4) + "…" + accessKeyId.Substring(accessKeyId.Length - 4);
    }
}
