using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Core.Internal;
using EcrAirflow.Core.Internal.Http;
using EcrAirflow.Core.Internal.Secrets;

namespace EcrAirflow.Core.Registry
{
    /// <summary>
    /// Checks a stored login at its registry the way docker login (and Airflow's DockerHook, through docker's
    /// client.login) does: GET /v2/ without credentials; a 401 with a Basic challenge; the same GET with
    /// Authorization: Basic base64(login:password); 200 means the registry accepts the login, 401 (or 403) that it
    /// refuses it. The password is sent only in answer to a Basic challenge, only over https (or plain http to this
    /// machine), never after a redirect (the shared client follows none). Everything about one registry comes back
    /// as a <see cref="RegistryLoginResult"/>; only cancellation is thrown.
    /// </summary>
    internal static class RegistryLogin
    {
        private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new MediaTypeWithQualityHeaderValue("application/json");

        /// <summary>Most a registry's own error message is quoted in a reason (ECR's say e.g. that the token has expired).</summary>
        private const int MaxQuotedLength = 200;

        /// <summary>Whether <paramref name="registry"/> accepts <paramref name="login"/> and <paramref name="password"/>.</summary>
        /// <param name="registry">The connection's host as stored: host, host:port, or an http(s) URL of one.</param>
        /// <param name="login">The stored login (AWS for ECR).</param>
        /// <param name="password">The stored password; read only to build the one Basic header, and to mask it in what the registry says.</param>
        public static async Task<RegistryLoginResult> CheckAsync(
            string? registry,
            string? login,
            SecureString? password,
            RegistryLoginOptions options,
            IOperationLog log,
            CancellationToken cancellationToken)
        {
            var address = RegistryAddress.Parse(registry);
            if (address == null)
            {
                return RegistryLoginResult.Unavailable("(not a registry address)", null, RegistryErrors.InvalidAddress());
            }

            var shown = address.ToString();
            if (!address.IsAllowed)
            {
                return RegistryLoginResult.Unavailable(shown, null, RegistryErrors.PlainHttpRefused(shown));
            }

            if (string.IsNullOrEmpty(login) || password == null || password.Length == 0)
            {
                return RegistryLoginResult.Unavailable(shown, null, RegistryErrors.LoginMissing(shown));
            }

            var redactor = new SecretRedactor();
            redactor.AddPair(login!, SecureText.Reveal(password));
            if (options.Http.ProxyCredential != null)
            {
                redactor.AddPair(options.Http.ProxyCredential.UserName, options.Http.ProxyCredential.Password);
            }

            var check = new Check(login!, password, options, redactor, log);
            var result = await check.RunAsync(address.V2, cancellationToken).ConfigureAwait(false);
            if (address.PlainHttpFallback == null || !check.HttpsUnanswered)
            {
                return result;
            }

            // docker's rule for a registry on this machine: https first, then plain http.
            log.Verbose($"{shown}: {result.Problem!.ErrorId}; asking {SafeUrl.Describe(address.PlainHttpFallback)} over plain http, as docker does for a registry on this machine.");
            return await check.RunAsync(address.PlainHttpFallback, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>One check's state: the credential and where messages go.</summary>
        private sealed class Check
        {
            private readonly string _login;
            private readonly SecureString _password;
            private readonly SecretRedactor _redactor;
            private readonly IOperationLog _log;
            private readonly HttpClient _client;
            private readonly HttpCallOptions _call;

            public Check(string login, SecureString password, RegistryLoginOptions options, SecretRedactor redactor, IOperationLog log)
            {
                _login = login;
                _password = password;
                _redactor = redactor;
                _log = log;
                _client = HttpClientCache.Get(options.Http);
                _call = new HttpCallOptions(options.Timeout, options.MaximumRetryCount, RegistryErrors.ErrorPrefix, RegistryErrors.PeerName)
                {
                    BaseDelay = options.BaseDelay,
                    Http = options.Http,
                };
            }

            /// <summary>
            /// Whether the last run's first request got no answer over https: a failed TLS handshake (a plain-http
            /// server, as .NET reports it) or a failed connection (as .NET Framework may report the same). Nothing was
            /// sent; for a registry on this machine the caller then tries plain http, as docker does.
            /// </summary>
            public bool HttpsUnanswered { get; private set; }

            /// <summary>The two requests at <paramref name="v2"/>; every failure is a result.</summary>
            public async Task<RegistryLoginResult> RunAsync(Uri v2, CancellationToken cancellationToken)
            {
                var shown = SafeUrl.Describe(v2);
                HttpsUnanswered = false;
                Answer anonymous;
                try
                {
                    anonymous = await GetAsync(v2, null, cancellationToken).ConfigureAwait(false);
                }
                catch (EcrAirflowException ex)
                {
                    HttpsUnanswered = v2.Scheme == Uri.UriSchemeHttps &&
                        (ex.ErrorId == RegistryErrors.ErrorPrefix + "TlsFailure" || ex.ErrorId == RegistryErrors.ErrorPrefix + "ConnectionFailed");
                    return RegistryLoginResult.Unavailable(shown, null, ex);
                }

                var challenge = anonymous.Challenge;
                _log.Verbose($"GET {shown} without credentials -> {anonymous.Status}{(challenge == null ? string.Empty : " (" + challenge.Scheme + (challenge.RealmText == null ? string.Empty : " realm \"" + _redactor.Redact(challenge.RealmText) + "\"") + ")")}");
                if (anonymous.Status == 200)
                {
                    return RegistryLoginResult.Unavailable(shown, null, RegistryErrors.AuthenticationNotRequired(shown));
                }

                if (anonymous.Status != 401)
                {
                    return RegistryLoginResult.Unavailable(shown, null, Unexpected(shown, anonymous, "without credentials"));
                }

                if (challenge == null)
                {
                    return RegistryLoginResult.Unavailable(shown, null, RegistryErrors.UnexpectedAnswer(shown, "GET /v2/ answered 401 without a WWW-Authenticate challenge"));
                }

                var realm = challenge.RealmText == null ? null : _redactor.Redact(challenge.RealmText);
                if (challenge.IsBearer)
                {
                    return RegistryLoginResult.Unavailable(shown, realm, RegistryErrors.TokenAuthentication(shown, realm));
                }

                if (!challenge.IsBasic)
                {
                    return RegistryLoginResult.Unavailable(shown, realm, RegistryErrors.UnexpectedAnswer(shown, $"GET /v2/ asked for \"{challenge.Scheme}\" authentication, neither Basic nor Bearer"));
                }

                Answer withLogin;
                try
                {
                    withLogin = await GetAsync(v2, BasicHeader(), cancellationToken).ConfigureAwait(false);
                }
                catch (EcrAirflowException ex)
                {
                    return RegistryLoginResult.Unavailable(shown, realm, ex);
                }

                _log.Verbose($"GET {shown} with the stored login -> {withLogin.Status}");
                switch (withLogin.Status)
                {
                    case 200:
                        return RegistryLoginResult.Succeeded(shown, realm);
                    case 401:
                    case 403:
                        return RegistryLoginResult.Failed(shown, realm, RegistryErrors.LoginRefused(
                            shown, realm, RegistryChallenge.Clean(_login, 100), withLogin.Status, withLogin.RegistrySaid));
                    default:
                        return RegistryLoginResult.Unavailable(shown, realm, Unexpected(shown, withLogin, "with the stored login"));
                }
            }

            private EcrAirflowException Unexpected(string shown, Answer answer, string how)
            {
                if (HttpRetry.IsTransientStatus(answer.Status))
                {
                    return RegistryErrors.Unavailable(shown, answer.Status);
                }

                var what = $"GET /v2/ {how} answered HTTP {answer.Status}";
                if (answer.Status >= 300 && answer.Status < 400)
                {
                    what += answer.Location == null ? " (a redirect, not followed)" : $" (a redirect to {SafeUrl.Describe(answer.Location)}, not followed)";
                }
                else if (answer.Status == 404)
                {
                    what += " (no registry API there)";
                }

                return RegistryErrors.UnexpectedAnswer(shown, answer.RegistrySaid == null ? what : $"{what}, saying \"{answer.RegistrySaid}\"");
            }

            /// <summary>Authorization: Basic base64(login:password), built without a plain-text copy of the pair.</summary>
            private AuthenticationHeaderValue BasicHeader()
            {
                var secret = SecureText.RevealChars(_password);
                var pair = new char[_login.Length + 1 + secret.Length];
                byte[]? bytes = null;
                try
                {
                    _login.CopyTo(0, pair, 0, _login.Length);
                    pair[_login.Length] = ':';
                    Array.Copy(secret, 0, pair, _login.Length + 1, secret.Length);
                    bytes = Encoding.UTF8.GetBytes(pair);
                    return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(bytes));
                }
                finally
                {
                    Array.Clear(secret, 0, secret.Length);
                    Array.Clear(pair, 0, pair.Length);
                    if (bytes != null)
                    {
                        Array.Clear(bytes, 0, bytes.Length);
                    }
                }
            }

            private async Task<Answer> GetAsync(Uri v2, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken)
            {
                using var response = await HttpRetry.SendAsync(
                    _client,
                    () =>
                    {
                        var request = new HttpRequestMessage(HttpMethod.Get, v2);
                        request.Headers.Accept.Add(AcceptJson);
                        if (authorization != null)
                        {
                            request.Headers.Authorization = authorization;
                        }

                        return request;
                    },
                    _call,
                    _log,
                    cancellationToken).ConfigureAwait(false);
                var body = response.Content == null ? string.Empty : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                return new Answer(
                    (int)response.StatusCode,
                    (int)response.StatusCode == 401 ? RegistryChallenge.From(response) : null,
                    response.Headers.Location == null || response.Headers.Location.IsAbsoluteUri ? response.Headers.Location : new Uri(v2, response.Headers.Location),
                    RegistrySaid(body));
            }

            /// <summary>The first message of a registry's error body ({"errors":[{"code":…,"message":…}]}), cleaned and redacted.</summary>
            private string? RegistrySaid(string body)
            {
                if (string.IsNullOrEmpty(body) || body.TrimStart().Length == 0 || body.TrimStart()[0] != '{')
                {
                    return null;
                }

                try
                {
                    using var doc = JsonDocument.Parse(body);
                    if (doc.RootElement.ValueKind == JsonValueKind.Object &&
                        doc.RootElement.TryGetProperty("errors", out var errors) &&
                        errors.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var error in errors.EnumerateArray())
                        {
                            if (error.ValueKind == JsonValueKind.Object &&
                                error.TryGetProperty("message", out var message) &&
                                message.ValueKind == JsonValueKind.String)
                            {
                                return RegistryChallenge.Clean(_redactor.Redact(message.GetString()), MaxQuotedLength);
                            }
                        }
                    }
                }
                catch (JsonException)
                {
                    // not the registry's error document: nothing to quote
                }

                return null;
            }
        }

        /// <summary>What one GET /v2/ brought back, without the body itself.</summary>
        private sealed class Answer
        {
            public Answer(int status, RegistryChallenge? challenge, Uri? location, string? registrySaid)
            {
                Status = status;
                Challenge = challenge;
                Location = location;
                RegistrySaid = registrySaid;
            }

            public int Status { get; }

            public RegistryChallenge? Challenge { get; }

            public Uri? Location { get; }

            public string? RegistrySaid { get; }
        }
    }
}
