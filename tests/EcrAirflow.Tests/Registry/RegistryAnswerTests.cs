using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Internal.Http;
using EcrAirflow.Core.Internal.Http;
using EcrAirflow.Core.Internal.Secrets;
using EcrAirflow.Core.Registry;
using EcrAirflow.Tests.Rest;
using Xunit;

namespace EcrAirflow.Tests.Registry
{
    /// <summary>
    /// What the login check does before any request (address rules), and with answers docker-registry never gives
    /// (a 404, a 503, a redirect, a challenge of another kind, an error body echoing the Authorization header). Those
    /// come from a loopback listener that records every request: logic the real peers cannot drive.
    /// </summary>
    public class RegistryAnswerTests
    {
        private const string Password = "eyJwYXlsb2FkIjoiUmVnQW5zd2VyK3Rlc3Q9PSJ9+/=";

        private static RegistryLoginOptions Options(HttpSettings? http = null, int retries = 0) =>
            new RegistryLoginOptions(http ?? HttpSettings.Default, TimeSpan.FromSeconds(20), retries) { BaseDelay = TimeSpan.FromMilliseconds(10) };

        private static Task<RegistryLoginResult> Check(string registry, RecordingLog log, RegistryLoginOptions? options = null, string? login = "AWS", string? password = Password) =>
            RegistryLogin.CheckAsync(registry, login, password == null ? null : SecureText.ToSecure(password), options ?? Options(), log, CancellationToken.None);

        private static void NothingSecretIn(RecordingLog log, RegistryLoginResult result)
        {
            var text = $"{log.All}\n{result} {result.Registry} {result.Realm} {result.Reason} {result.Problem?.Message} {result.Problem?.Hint} {result.Problem?.InnerException}";
            foreach (var form in SecretForms.Of(Password).Concat(SecretForms.OfPair("AWS", Password)))
            {
                Assert.DoesNotContain(form, text, StringComparison.Ordinal);
            }
        }

        [Theory]
        [InlineData("http://registry.example.com")]
        [InlineData("http://registry.example.com:5000")]
        [InlineData("http://10.0.0.5:5000")]
        [InlineData("http://[2001:db8::1]:5000")]
        [InlineData("http://127.0.0.1.nip.io:5000")]
        [InlineData("HTTP://localhost.example.com")]
        public async Task Plain_http_to_another_host_is_refused_before_any_request(string registry)
        {
            // Every request would go to this listener (the proxy): none may arrive.
            using var proxy = new CountingListener();
            var log = new RecordingLog();

            var result = await Check(registry, log, Options(new HttpSettings { Proxy = proxy.Url }));

            Assert.Equal(RegistryLoginOutcome.Unavailable, result.Outcome);
            Assert.Equal("RegistryPlainHttpRefused", result.Problem!.ErrorId);
            Assert.Equal(FailureKind.SecurityError, result.Problem.Kind);
            Assert.Contains("no request was made", result.Reason);
            Assert.Contains("https", result.Problem.Hint);
            Assert.Equal(0, proxy.Connections);
            NothingSecretIn(log, result);
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("AWS:secret@registry.example.com")]
        [InlineData("https://AWS:secret@registry.example.com")]
        [InlineData("ftp://registry.example.com")]
        [InlineData("registry example com")]
        [InlineData("registry.example.com\nX-Injected: 1")]
        public async Task What_is_not_a_registry_address_is_never_asked(string? registry)
        {
            using var proxy = new CountingListener();
            var result = await Check(registry!, new RecordingLog(), Options(new HttpSettings { Proxy = proxy.Url }));

            Assert.Equal(RegistryLoginOutcome.Unavailable, result.Outcome);
            Assert.Equal("InvalidRegistryAddress", result.Problem!.ErrorId);
            Assert.DoesNotContain("secret", result.Reason);
            Assert.Equal(0, proxy.Connections);
        }

        [Theory]
        [InlineData(null, Password)]
        [InlineData("", Password)]
        [InlineData("AWS", null)]
        [InlineData("AWS", "")]
        public async Task Without_a_login_or_a_password_nothing_is_asked(string? login, string? password)
        {
            using var proxy = new CountingListener();
            var result = await Check("registry.example.com", new RecordingLog(), Options(new HttpSettings { Proxy = proxy.Url }), login, password);

            Assert.Equal(RegistryLoginOutcome.Unavailable, result.Outcome);
            Assert.Equal("RegistryLoginMissing", result.Problem!.ErrorId);
            Assert.Equal(0, proxy.Connections);
        }

        [Fact]
        public async Task A_404_at_v2_is_not_a_registry_and_gets_no_password()
        {
            using var server = new CannedRegistry(_ => (404, null, "<html>Not Found</html>"));
            var log = new RecordingLog();

            var result = await Check(server.Url, log);

            Assert.Equal(RegistryLoginOutcome.Unavailable, result.Outcome);
            Assert.Equal("RegistryUnexpectedAnswer", result.Problem!.ErrorId);
            Assert.Contains("HTTP 404 (no registry API there)", result.Reason);
            Assert.Equal(new[] { "GET /v2/ -" }, server.Requests);
            NothingSecretIn(log, result);
        }

        [Fact]
        public async Task A_busy_registry_is_asked_again_then_reported_unavailable()
        {
            using var server = new CannedRegistry(_ => (503, null, "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"busy\"}]}"));
            var log = new RecordingLog();

            var result = await Check(server.Url, log, Options(retries: 2));

            Assert.Equal(RegistryLoginOutcome.Unavailable, result.Outcome);
            Assert.Equal("RegistryUnavailable", result.Problem!.ErrorId);
            Assert.Equal(FailureKind.ConnectionError, result.Problem.Kind);
            Assert.Equal(3, server.Requests.Count);
            Assert.All(server.Requests, r => Assert.Equal("GET /v2/ -", r));
            NothingSecretIn(log, result);
        }

        [Fact]
        public async Task A_redirect_is_not_followed_and_its_target_is_shown_without_user_info()
        {
            using var target = new CountingListener();
            using var server = new CannedRegistry(_ => (302, $"http://user:pw-in-location@127.0.0.1:{target.Url.Port}/elsewhere?token=abc", null));
            var log = new RecordingLog();

            var result = await Check(server.Url, log);

            Assert.Equal(RegistryLoginOutcome.Unavailable, result.Outcome);
            Assert.Contains($"a redirect to http://127.0.0.1:{target.Url.Port}/elsewhere, not followed", result.Reason);
            Assert.DoesNotContain("pw-in-location", result.Reason);
            Assert.DoesNotContain("token=abc", result.Reason);
            Assert.Equal(0, target.Connections);
            NothingSecretIn(log, result);
        }

        [Theory]
        [InlineData(null, "without a WWW-Authenticate challenge")]
        [InlineData("Negotiate", "asked for \"Negotiate\" authentication")]
        public async Task A_401_without_a_Basic_or_Bearer_challenge_gets_no_password(string? challenge, string reason)
        {
            using var server = new CannedRegistry(_ => (401, null, null), challenge);
            var log = new RecordingLog();

            var result = await Check(server.Url, log);

            Assert.Equal(RegistryLoginOutcome.Unavailable, result.Outcome);
            Assert.Equal("RegistryUnexpectedAnswer", result.Problem!.ErrorId);
            Assert.Contains(reason, result.Reason);
            Assert.Equal(new[] { "GET /v2/ -" }, server.Requests);
            NothingSecretIn(log, result);
        }

        [Fact]
        public async Task A_registry_that_echoes_the_Authorization_header_in_its_refusal_is_quoted_with_it_masked()
        {
            // ECR's own refusals say what is wrong ("Your authorization token has expired"); a careless one echoes the header.
            using var server = new CannedRegistry(
                request => request.Authorization == null
                    ? (401, null, null)
                    : (401, null, $"{{\"errors\":[{{\"code\":\"DENIED\",\"message\":\"token expired: {request.Authorization} for {Password}\"}}]}}"),
                "Basic realm=\"Echo \\\"quoted\\\" realm\"");
            var log = new RecordingLog();

            var result = await Check(server.Url, log);

            Assert.Equal(RegistryLoginOutcome.Failed, result.Outcome);
            Assert.Equal("Echo \"quoted\" realm", result.Realm);
            Assert.Contains("token expired: Basic ********", result.Reason);
            Assert.Equal(new[] { "GET /v2/ -", "GET /v2/ Basic" }, server.Requests);
            NothingSecretIn(log, result);
        }

        [Fact]
        public async Task A_403_with_the_login_is_a_refusal()
        {
            using var server = new CannedRegistry(request => request.Authorization == null ? (401, null, null) : (403, null, null), "Basic realm=\"r\"");

            var result = await Check(server.Url, new RecordingLog());

            Assert.Equal(RegistryLoginOutcome.Failed, result.Outcome);
            Assert.Contains("HTTP 403", result.Reason);
        }

        [Fact]
        public async Task An_https_registry_with_an_untrusted_certificate_is_a_tls_failure_and_gets_no_plain_http_retry()
        {
            // Not loopback-without-scheme: the https URL was given, so no http fallback; the listener speaks plain http.
            using var server = new CannedRegistry(_ => (200, null, "{}"));
            var log = new RecordingLog();

            var result = await Check(server.Url.Replace("http://", "https://"), log);

            Assert.Equal(RegistryLoginOutcome.Unavailable, result.Outcome);
            Assert.Equal("RegistryTlsFailure", result.Problem!.ErrorId);
            Assert.Empty(server.Requests);
            NothingSecretIn(log, result);
        }

        [Theory]
        [InlineData("123456789012.dkr.ecr.eu-west-1.amazonaws.com", "https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/v2/", null)]
        [InlineData("https://123456789012.dkr.ecr.eu-west-1.amazonaws.com", "https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/v2/", null)]
        [InlineData("https://registry.example.com:8443/some/path?x=1", "https://registry.example.com:8443/v2/", null)]
        [InlineData("public.ecr.aws", "https://public.ecr.aws/v2/", null)]
        [InlineData("127.0.0.1:5000", "https://127.0.0.1:5000/v2/", "http://127.0.0.1:5000/v2/")]
        [InlineData("127.9.8.7:5000", "https://127.9.8.7:5000/v2/", "http://127.9.8.7:5000/v2/")]
        [InlineData("localhost:5000", "https://localhost:5000/v2/", "http://localhost:5000/v2/")]
        [InlineData("[::1]:5000", "https://[::1]:5000/v2/", "http://[::1]:5000/v2/")]
        [InlineData("https://127.0.0.1:5000", "https://127.0.0.1:5000/v2/", null)]
        [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000/v2/", null)]
        [InlineData("  registry.example.com  ", "https://registry.example.com/v2/", null)]
        public void Addresses_resolve_as_docker_resolves_them(string stored, string v2, string? fallback)
        {
            var address = RegistryAddress.Parse(stored);

            Assert.NotNull(address);
            Assert.Equal(v2, address!.V2.ToString());
            Assert.Equal(fallback, address.PlainHttpFallback?.ToString());
            Assert.True(address.IsAllowed);
        }

        [Theory]
        [InlineData("Basic realm=\"Registry Realm\"", "Basic", "Registry Realm")]
        [InlineData("basic realm=registry", "basic", "registry")]
        [InlineData("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\"", "Bearer", "https://auth.docker.io/token")]
        [InlineData("Bearer service=\"x\", realm=\"https://a/t\"", "Bearer", "https://a/t")]
        [InlineData("Basic realm=\"with \\\"quotes\\\" and \\\\ slash\"", "Basic", "with \"quotes\" and \\ slash")]
        [InlineData("Basic", "Basic", null)]
        [InlineData("Basic realm=\"a\u0007b\"", "Basic", "a b")]
        public void Challenges_give_their_scheme_and_a_printable_realm(string header, string scheme, string? realm)
        {
            var challenge = RegistryChallenge.Parse(header);

            Assert.NotNull(challenge);
            Assert.Equal(scheme, challenge!.Scheme);
            Assert.Equal(realm, challenge.RealmText);
        }

        [Fact]
        public void A_long_realm_is_cut()
        {
            var challenge = RegistryChallenge.Parse("Basic realm=\"" + new string('r', 5000) + "\"");

            Assert.Equal(201, challenge!.RealmText!.Length);
            Assert.EndsWith("…", challenge.RealmText);
        }

        /// <summary>A loopback port that counts the connections made to it and answers none.</summary>
        private sealed class CountingListener : IDisposable
        {
            private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
            private int _connections;

            public CountingListener()
            {
                _listener.Start();
                _ = Task.Run(async () =>
                {
                    try
                    {
                        while (true)
                        {
                            using var client = await _listener.AcceptTcpClientAsync();
                            Interlocked.Increment(ref _connections);
                        }
                    }
                    catch (Exception)
                    {
                        // stopped
                    }
                });
            }

            public Uri Url => new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

            public int Connections => Volatile.Read(ref _connections);

            public void Dispose() => _listener.Stop();
        }

        /// <summary>What the canned registry saw of one request: its Authorization header, whole.</summary>
        private sealed record SeenRequest(string? Authorization);

        /// <summary>A loopback HTTP server answering GET /v2/ as told, recording "GET /v2/ Basic" (or "-" without credentials).</summary>
        private sealed class CannedRegistry : IDisposable
        {
            private readonly HttpListener _listener = new HttpListener();
            private readonly ConcurrentQueue<string> _requests = new ConcurrentQueue<string>();

            public CannedRegistry(Func<SeenRequest, (int Status, string? Location, string? Body)> answer, string? challenge = null)
            {
                int port;
                using (var probe = new TcpListener(IPAddress.Loopback, 0))
                {
                    probe.Start();
                    port = ((IPEndPoint)probe.LocalEndpoint).Port;
                }

                Url = $"http://127.0.0.1:{port}";
                _listener.Prefixes.Add(Url + "/");
                _listener.Start();
                _ = Task.Run(async () =>
                {
                    while (_listener.IsListening)
                    {
                        HttpListenerContext context;
                        try
                        {
                            context = await _listener.GetContextAsync();
                        }
                        catch (Exception)
                        {
                            return;
                        }

                        var authorization = context.Request.Headers["Authorization"];
                        _requests.Enqueue($"{context.Request.HttpMethod} {context.Request.Url!.AbsolutePath} {(authorization == null ? "-" : authorization.Split(' ')[0])}");
                        var (status, location, body) = answer(new SeenRequest(authorization));
                        context.Response.StatusCode = status;
                        if (location != null)
                        {
                            context.Response.RedirectLocation = location;
                        }

                        if (challenge != null && status == 401)
                        {
                            context.Response.AddHeader("WWW-Authenticate", challenge);
                        }

                        var bytes = Encoding.UTF8.GetBytes(body ?? string.Empty);
                        context.Response.ContentType = "application/json";
                        context.Response.ContentLength64 = bytes.Length;
                        await context.Response.OutputStream.WriteAsync(bytes);
                        context.Response.Close();
                    }
                });
            }

            public string Url { get; }

            public IReadOnlyList<string> Requests => _requests.ToList();

            public void Dispose() => _listener.Close();
        }
    }
}
