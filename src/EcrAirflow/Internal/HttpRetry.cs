using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;

namespace EcrAirflow.Internal
{
    /// <summary>The defaults of every HTTP-based call (Get-EcrDockerCredential, and the modes that talk HTTP).</summary>
    internal static class HttpDefaults
    {
        public const int TimeoutSec = 30;

        public const int MaximumRetryCount = 3;

        /// <summary>
        /// The most any reply may hold, decompressed (4 MiB). Airflow's answers and AWS's are kilobytes; more
        /// is a wrong URL (a file server, a proxy's error page) or an attack, and is not read.
        /// </summary>
        public const int MaxResponseBytes = 4 * 1024 * 1024;
    }

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

    /// <summary>
    /// Sends a request with bounded retries: exponential backoff with equal jitter (a random wait between half
    /// and all of the step), honouring Retry-After, for
    /// network errors, timeouts and the statuses the caller calls transient. After the last attempt a
    /// transient status is returned to the caller to map; a network failure becomes an EcrAirflowException.
    /// </summary>
    internal static class HttpRetry
    {
        private static readonly Random Jitter = new Random();

        public static bool IsTransientStatus(HttpStatusCode status)
        {
            var code = (int)status;
            return code == 429 || code == 500 || code == 502 || code == 503 || code == 504;
        }

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
                        $"{options.PeerName} at {Describe(request.RequestUri)} did not answer within {options.Timeout.TotalSeconds:0.###} s.",
                        "Check that the endpoint is reachable from this machine, or raise -TimeoutSec.");
                }
                catch (Exception ex) when (ex is HttpRequestException || ex is IOException)
                {
                    // IOException: the connection broke while the body was read (a reset mid-response).
                    response?.Dispose();
                    response = null;
                    failure = MapNetworkFailure(ex as HttpRequestException ?? new HttpRequestException(ex.Message, ex), request.RequestUri, options);
                    if (((EcrAirflowException)failure).Kind == FailureKind.SecurityError || ((EcrAirflowException)failure).ErrorId == ProxyAuthenticationRequiredId)
                    {
                        throw failure; // a TLS failure, or a proxy that wants credentials, will not fix itself
                    }
                }

                if (response != null && (int)response.StatusCode == 407)
                {
                    // The proxy, not the server, refused: asking again without other credentials brings the same.
                    var proxy = options.Http.ProxyFor(request.RequestUri!);
                    response.Dispose();
                    throw ProxyAuthenticationRequired(proxy, request.RequestUri, options);
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
                log.Verbose($"{(response != null ? "HTTP " + (int)response.StatusCode : failure!.Message)} from {Describe(request.RequestUri)}; retry {attempt + 1} of {options.MaximumRetryCount} in {delay.TotalMilliseconds:0} ms.");
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
                throw TooLarge(uri, options);
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
                        throw TooLarge(uri, options);
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

        private static EcrAirflowException TooLarge(Uri? uri, HttpCallOptions options) => new EcrAirflowException(
            options.ErrorPrefix + "ResponseTooLarge",
            FailureKind.InvalidData,
            $"{options.PeerName} at {Describe(uri)} answered with more than {options.MaxResponseBytes / (1024 * 1024)} MB (decompressed), far more than any of its replies; it was not read further.",
            "Check that the URL points at the API itself (not at a file server, a download or a proxy page).");

        /// <summary>The URL as safe to show: scheme, host, port and path; never user info or query.</summary>
        public static string Describe(Uri? uri)
        {
            if (uri == null)
            {
                return "(no address)";
            }

            // Not GetLeftPart: it keeps user:password@. Authority never holds user info.
            return uri.IsAbsoluteUri ? uri.Scheme + "://" + uri.Authority + uri.AbsolutePath : "(relative address)";
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

        internal const string ProxyAuthenticationRequiredId = "ProxyAuthenticationRequired";
        internal const string ProxyConnectionFailedId = "ProxyConnectionFailed";

        private static EcrAirflowException ProxyAuthenticationRequired(Uri? proxy, Uri? uri, HttpCallOptions options) => new EcrAirflowException(
            ProxyAuthenticationRequiredId,
            FailureKind.PermissionDenied,
            $"The proxy {(proxy == null ? string.Empty : Describe(proxy) + " ")}asked for credentials (HTTP 407) when calling {options.PeerName} at {Describe(uri)}{(options.Http.ProxyCredential != null ? ", and did not accept the ones given" : string.Empty)}; nothing was sent on.",
            "Give the proxy's user and password with -ProxyCredential (Get-Credential), or on Windows -ProxyUseDefaultCredentials for integrated authentication; -Proxy names the proxy when it is not the system's.");

        /// <summary>.NET reports a proxy's refusal of a CONNECT tunnel as an exception that says its status code.</summary>
        private static bool IsProxyTunnel407(HttpRequestException ex)
        {
#if NET8_0_OR_GREATER
            if (ex.StatusCode == HttpStatusCode.ProxyAuthenticationRequired)
            {
                return true;
            }
#endif
            for (Exception? e = ex; e != null; e = e.InnerException)
            {
                if (e.Message.IndexOf("407", StringComparison.Ordinal) >= 0 && e.Message.IndexOf("proxy", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    return true;
                }
            }

            return false;
        }

        private static EcrAirflowException MapNetworkFailure(HttpRequestException ex, Uri? uri, HttpCallOptions options)
        {
            var proxy = uri == null ? null : options.Http.ProxyFor(uri);
            if (proxy != null && IsProxyTunnel407(ex))
            {
                return ProxyAuthenticationRequired(proxy, uri, options);
            }

            for (Exception? e = ex; e != null; e = e.InnerException)
            {
                // .NET reports TLS failures as an AuthenticationException; .NET Framework (Windows PowerShell
                // 5.1) as a WebException with a trust or secure-channel status.
                if (e is AuthenticationException ||
                    (e is WebException web && (web.Status == WebExceptionStatus.TrustFailure || web.Status == WebExceptionStatus.SecureChannelFailure)))
                {
                    return new EcrAirflowException(
                        options.ErrorPrefix + "TlsFailure",
                        FailureKind.SecurityError,
                        $"The TLS connection to {Describe(uri)} failed: {e.Message}",
                        "Check the server certificate and its chain; for a test server with a self-signed certificate use -SkipCertificateCheck.",
                        ex);
                }

                if (e is SocketException && proxy != null)
                {
                    // Through a proxy the socket is the proxy's: it, not the server, could not be reached.
                    return new EcrAirflowException(
                        ProxyConnectionFailedId,
                        FailureKind.ConnectionError,
                        $"The proxy {Describe(proxy)} could not be reached ({((SocketException)e).SocketErrorCode}) when calling {options.PeerName} at {Describe(uri)}.",
                        "Check -Proxy (or HTTPS_PROXY / HTTP_PROXY and NO_PROXY, or the system proxy on Windows): its host, its port, and that it runs.",
                        ex);
                }

                if (e is SocketException socket)
                {
                    var what = socket.SocketErrorCode == SocketError.HostNotFound || socket.SocketErrorCode == SocketError.TryAgain || socket.SocketErrorCode == SocketError.NoData
                        ? "The host name could not be resolved"
                        : socket.SocketErrorCode == SocketError.ConnectionRefused
                            ? "The connection was refused"
                            : "The connection failed (" + socket.SocketErrorCode + ")";
                    return new EcrAirflowException(
                        options.ErrorPrefix + "ConnectionFailed",
                        FailureKind.ConnectionError,
                        $"{what} when calling {options.PeerName} at {Describe(uri)}.",
                        "Check the URL, DNS and firewall, and that the service is running.",
                        ex);
                }
            }

            return new EcrAirflowException(
                options.ErrorPrefix + "ConnectionFailed",
                FailureKind.ConnectionError,
                $"Calling {options.PeerName} at {Describe(uri)} failed: {ex.Message}",
                "Check the URL, DNS and firewall, and that the service is running.",
                ex);
        }
    }
}
