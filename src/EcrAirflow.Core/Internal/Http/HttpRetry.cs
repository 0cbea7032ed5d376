using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace EcrAirflow.Core.Internal.Http
{
    /// <summary>
    /// Sends a request with bounded retries: exponential backoff with equal jitter (a random wait between half
    /// and all of the step), honouring Retry-After, for
    /// network errors, timeouts and the statuses the caller calls transient. After the last attempt a
    /// transient status is returned to the caller to map; a network failure becomes an EcrAirflowException.
    /// </summary>
    internal static class HttpRetry
    {
        private static readonly Random Jitter = new Random();

        /// <summary>The one list of statuses worth asking again (every peer: Airflow, MWAA's Airflow, AWS).</summary>
        public static bool IsTransientStatus(int status) =>
            status == 429 || status == 500 || status == 502 || status == 503 || status == 504;

        public static bool IsTransientStatus(HttpStatusCode status) => IsTransientStatus((int)status);

        public static async Task<HttpResponseMessage> SendAsync(
            HttpClient client,
            Func<HttpRequestMessage> createRequest,
            HttpCallOptions options,
            IOperationLog log,
            CancellationToken cancellationToken,
            Func<HttpResponseMessage, bool>? isTransient = null)
        {
            isTransient ??= r => IsTransientStatus(r.StatusCode);
            for (var attempt = 0; ; attempt++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var request = createRequest();
                if (attempt == 0 && request.RequestUri != null && options.Http.ProxyFor(request.RequestUri) is Uri via)
                {
                    log.Verbose($"{request.Method} {SafeUrl.Describe(request.RequestUri)} goes through the proxy {SafeUrl.Describe(via)}.");
                }

                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(options.Timeout);
                HttpResponseMessage? response = null;
                Exception? failure = null;
                try
                {
                    // Headers first, then the body through the one capped read: ResponseContentRead would
                    // buffer a reply of any size (a 100 MB answer grew the process to 930 MB).
                    response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                    await BufferCappedAsync(response, request.RequestUri, options, timeout.Token).ConfigureAwait(false);
                }
                catch (EcrAirflowException)
                {
                    response?.Dispose();
                    throw; // too large: asking again brings the same
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    response?.Dispose();
                    response = null;
                    failure = new EcrAirflowException(
                        options.ErrorPrefix + "Timeout",
                        FailureKind.ConnectionError,
                        $"{options.PeerName} at {SafeUrl.Describe(request.RequestUri)} did not answer within {options.Timeout.TotalSeconds:0.###} s.",
                        "Check that the endpoint is reachable from this machine, or raise -TimeoutSec.");
                }
                catch (Exception ex) when (ex is HttpRequestException || ex is IOException)
                {
                    // IOException: the connection broke while the body was read (a reset mid-response).
                    response?.Dispose();
                    response = null;
                    failure = HttpFailures.MapNetworkFailure(ex as HttpRequestException ?? new HttpRequestException(ex.Message, ex), request.RequestUri, options);
                    if (((EcrAirflowException)failure).Kind == FailureKind.SecurityError || ((EcrAirflowException)failure).ErrorId == HttpFailures.ProxyAuthenticationRequiredId)
                    {
                        throw failure; // a TLS failure, or a proxy that wants credentials, will not fix itself
                    }
                }

                if (response != null && (int)response.StatusCode == 407)
                {
                    // The proxy, not the server, refused: asking again without other credentials brings the same.
                    var proxy = options.Http.ProxyFor(request.RequestUri!);
                    response.Dispose();
                    throw HttpFailures.ProxyAuthenticationRequired(proxy, request.RequestUri, options);
                }

                if (response != null && !(isTransient(response) && attempt < options.MaximumRetryCount))
                {
                    return response;
                }

                if (attempt >= options.MaximumRetryCount)
                {
                    throw failure!;
                }

                var delay = Backoff(attempt, options, response);
                log.Verbose($"{(response != null ? "HTTP " + (int)response.StatusCode : failure!.Message)} from {SafeUrl.Describe(request.RequestUri)}; retry {attempt + 1} of {options.MaximumRetryCount} in {delay.TotalMilliseconds:0} ms.");
                response?.Dispose();
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Reads the body (decompressed, as the handler hands it over) up to the cap and puts it back as buffered
        /// content, so callers read it as before; a larger reply stops the read and is &lt;Prefix&gt;ResponseTooLarge.
        /// </summary>
        internal static async Task BufferCappedAsync(HttpResponseMessage response, Uri? uri, HttpCallOptions options, CancellationToken cancellationToken)
        {
            var content = response.Content;
            if (content == null)
            {
                return;
            }

            var cap = options.MaxResponseBytes;
            if (content.Headers.ContentLength > cap)
            {
                throw HttpFailures.TooLarge(uri, options);
            }

            byte[] bytes;
            using (var stream = await content.ReadAsStreamAsync().ConfigureAwait(false))
            using (var buffer = new MemoryStream())
            {
                var chunk = new byte[16 * 1024];
                int read;
                while ((read = await stream.ReadAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (buffer.Length + read > cap)
                    {
                        throw HttpFailures.TooLarge(uri, options);
                    }

                    buffer.Write(chunk, 0, read);
                }

                bytes = buffer.ToArray();
            }

            var buffered = new ByteArrayContent(bytes);
            foreach (var header in content.Headers)
            {
                if (!string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
            }

            response.Content = buffered;
            content.Dispose();
        }

        internal static TimeSpan Backoff(int attempt, HttpCallOptions options, HttpResponseMessage? response)
        {
            var retryAfter = RetryAfter(response);
            if (retryAfter.HasValue)
            {
                return retryAfter.Value > options.MaxDelay ? options.MaxDelay : retryAfter.Value;
            }

            var ceiling = options.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 10));
            ceiling = Math.Min(ceiling, options.MaxDelay.TotalMilliseconds);
            double factor;
            lock (Jitter)
            {
                factor = 0.5 + (Jitter.NextDouble() / 2); // "equal jitter": never less than half the step
            }

            return TimeSpan.FromMilliseconds(ceiling * factor);
        }

        private static TimeSpan? RetryAfter(HttpResponseMessage? response)
        {
            var header = response?.Headers.RetryAfter;
            if (header == null)
            {
                return null;
            }

            if (header.Delta.HasValue)
            {
                return header.Delta.Value;
            }

            if (header.Date.HasValue)
            {
                var wait = header.Date.Value - DateTimeOffset.UtcNow;
                return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
            }

            return null;
        }
    }
}
