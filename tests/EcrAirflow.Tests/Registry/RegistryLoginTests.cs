using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
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
    /// <summary>The login check against Debian's docker-registry with htpasswd (bcrypt) auth, as docker login meets it.</summary>
    [Collection("registry")]
    public class RegistryLoginTests
    {
        private readonly RegistryFixture _peers;

        public RegistryLoginTests(RegistryFixture peers) => _peers = peers;

        private static RegistryLoginOptions Options(HttpSettings? http = null, int retries = 0) =>
            new RegistryLoginOptions(http ?? HttpSettings.Default, TimeSpan.FromSeconds(20), retries) { BaseDelay = TimeSpan.FromMilliseconds(20) };

        private static Task<RegistryLoginResult> Check(string registry, string? login, string? password, RecordingLog log, RegistryLoginOptions? options = null) =>
            RegistryLogin.CheckAsync(registry, login, password == null ? null : SecureText.ToSecure(password), options ?? Options(), log, CancellationToken.None);

        private static bool Sleep()
        {
            Thread.Sleep(100);
            return true;
        }

        private static string NewToken() => EcrTokenText.NewPassword(DateTimeOffset.UtcNow.AddHours(12));

        /// <summary>Every text a caller could print: the result, its problem, and the verbose lines.</summary>
        private static void NothingSecretIn(RecordingLog log, IEnumerable<RegistryLoginResult> results, params string[] passwords)
        {
            var text = log.All + "\n" + string.Join("\n", results.Select(r =>
                $"{r} {r.Outcome} {r.Registry} {r.Realm} {r.Reason} {r.Problem?.ErrorId} {r.Problem?.Message} {r.Problem?.Hint} {r.Problem?.TargetObject} {r.Problem?.InnerException}"));
            foreach (var password in passwords)
            {
                foreach (var form in SecretForms.Of(password).Concat(SecretForms.OfPair("AWS", password)))
                {
                    Assert.DoesNotContain(form, text, StringComparison.Ordinal);
                }
            }
        }

        [RegistryFact]
        public async Task The_stored_token_succeeds_and_a_rotated_htpasswd_makes_it_fail_with_the_realm()
        {
            var first = NewToken();
            var second = NewToken();
            Assert.NotEqual(first.Substring(0, 72), second.Substring(0, 72)); // bcrypt reads 72 bytes: the tokens must differ there
            var registry = _peers.StartRegistry(first);
            try
            {
                var log = new RecordingLog();
                var ok = await Check(registry.Url, "AWS", first, log);

                Assert.Equal(RegistryLoginOutcome.Succeeded, ok.Outcome);
                Assert.Null(ok.Reason);
                Assert.Null(ok.Problem);
                Assert.Equal("EcrAirflow test registry", ok.Realm);
                Assert.Equal($"{registry.Url}/v2/", ok.Registry);
                // As docker does it: first without credentials (401 + Basic challenge), then with them.
                Assert.Equal(new[] { "GET /v2/ 401", "GET /v2/ 200" }, _peers.Requests(registry));

                _peers.SetPassword(registry, second);
                var refused = await Check(registry.Url, "AWS", first, log);

                Assert.Equal(RegistryLoginOutcome.Failed, refused.Outcome);
                Assert.Equal("RegistryLoginRefused", refused.Problem!.ErrorId);
                Assert.Equal(FailureKind.PermissionDenied, refused.Problem.Kind);
                Assert.Contains("realm \"EcrAirflow test registry\"", refused.Reason);
                Assert.Contains("HTTP 401", refused.Reason);
                Assert.Contains("'AWS'", refused.Reason);
                Assert.Contains("Sync-AirflowEcrConnection", refused.Reason); // what to do
                Assert.Equal("EcrAirflow test registry", refused.Realm);

                var rotated = await Check(registry.Url, "AWS", second, log);
                Assert.Equal(RegistryLoginOutcome.Succeeded, rotated.Outcome);
                Assert.Equal(new[] { "GET /v2/ 401", "GET /v2/ 200", "GET /v2/ 401", "GET /v2/ 401", "GET /v2/ 401", "GET /v2/ 200" }, _peers.Requests(registry));

                NothingSecretIn(log, new[] { ok, refused, rotated }, first, second);
            }
            finally
            {
                _peers.StopRegistry(registry);
            }
        }

        [RegistryFact]
        public async Task Another_login_name_is_refused()
        {
            var token = NewToken();
            var registry = _peers.StartRegistry(token);
            try
            {
                var log = new RecordingLog();
                var result = await Check(registry.Url, "NotAWS", token, log);

                Assert.Equal(RegistryLoginOutcome.Failed, result.Outcome);
                Assert.Contains("'NotAWS'", result.Reason);
                NothingSecretIn(log, new[] { result }, token);
            }
            finally
            {
                _peers.StopRegistry(registry);
            }
        }

        [RegistryFact]
        public async Task A_loopback_host_without_a_scheme_is_asked_over_https_first_then_http_as_docker_does()
        {
            var token = NewToken();
            var registry = _peers.StartRegistry(token);
            try
            {
                foreach (var host in new[] { registry.Host, "localhost:" + registry.Host.Split(':')[1] })
                {
                    var log = new RecordingLog();
                    var result = await Check(host, "AWS", token, log);

                    Assert.Equal(RegistryLoginOutcome.Succeeded, result.Outcome);
                    Assert.StartsWith("http://", result.Registry);
                    Assert.Contains(log.Lines, l => l.Contains("RegistryTlsFailure; asking http://", StringComparison.Ordinal) && l.Contains("over plain http, as docker does", StringComparison.Ordinal));
                    NothingSecretIn(log, new[] { result }, token);
                }
            }
            finally
            {
                _peers.StopRegistry(registry);
            }
        }

        [RegistryFact]
        public async Task A_registry_that_asks_for_no_login_is_reported_and_never_gets_the_password()
        {
            var registry = _peers.StartRegistry(auth: "None");
            try
            {
                var token = NewToken();
                var log = new RecordingLog();
                var result = await Check(registry.Url, "AWS", token, log);

                Assert.Equal(RegistryLoginOutcome.Unavailable, result.Outcome);
                Assert.Equal("RegistryAuthenticationNotRequired", result.Problem!.ErrorId);
                Assert.Contains("checks no login", result.Reason);
                Assert.Equal(new[] { "GET /v2/ 200" }, _peers.Requests(registry)); // one request, without credentials
                NothingSecretIn(log, new[] { result }, token);
            }
            finally
            {
                _peers.StopRegistry(registry);
            }
        }

        [RegistryFact]
        public async Task A_registry_with_token_authentication_is_reported_with_its_realm_and_never_gets_the_password()
        {
            var registry = _peers.StartRegistry(auth: "Token");
            try
            {
                var token = NewToken();
                var log = new RecordingLog();
                var result = await Check(registry.Url, "AWS", token, log);

                Assert.Equal(RegistryLoginOutcome.Unavailable, result.Outcome);
                Assert.Equal("RegistryTokenAuthentication", result.Problem!.ErrorId);
                Assert.Equal("https://auth.ecrairflow.invalid/token", result.Realm);
                Assert.Contains("Bearer realm \"https://auth.ecrairflow.invalid/token\"", result.Reason);
                Assert.Equal(new[] { "GET /v2/ 401" }, _peers.Requests(registry));
                NothingSecretIn(log, new[] { result }, token);
            }
            finally
            {
                _peers.StopRegistry(registry);
            }
        }

        [RegistryFact]
        public async Task A_stopped_registry_is_unavailable_with_the_connection_failure()
        {
            var token = NewToken();
            var registry = _peers.StartRegistry(token);
            _peers.StopRegistry(registry);
            var log = new RecordingLog();

            var result = await Check(registry.Url, "AWS", token, log);

            Assert.Equal(RegistryLoginOutcome.Unavailable, result.Outcome);
            Assert.Equal("RegistryConnectionFailed", result.Problem!.ErrorId);
            Assert.Contains("refused", result.Reason);

            // Without a scheme: https, then plain http, as docker does; the failure named is the last one.
            var schemeless = await Check(registry.Host, "AWS", token, log);
            Assert.Equal("RegistryConnectionFailed", schemeless.Problem!.ErrorId);
            Assert.Equal(registry.Url + "/v2/", schemeless.Registry);
            Assert.Contains(log.Lines, l => l.Contains($"https://{registry.Host}/v2/: RegistryConnectionFailed; asking http://", StringComparison.Ordinal));
            NothingSecretIn(log, new[] { result, schemeless }, token);
        }

        [RegistryFact]
        public async Task Through_an_authenticating_proxy_the_check_goes_where_every_other_request_goes()
        {
            var token = NewToken();
            var registry = _peers.StartRegistry(token);
            const string proxyPassword = "Reg+Proxy/Pa55:word";
            var proxy = _peers.StartProxy("regcheck", proxyPassword);
            try
            {
                var http = new HttpSettings { Proxy = proxy.Url, ProxyCredential = new NetworkCredential("regcheck", proxyPassword) };
                var log = new RecordingLog();
                var result = await Check(registry.Url, "AWS", token, log, Options(http));

                Assert.Equal(RegistryLoginOutcome.Succeeded, result.Outcome);
                // squid logs a transaction once it is over; .NET answers each 407 challenge with the credentials.
                string[] forwarded;
                var deadline = DateTime.UtcNow.AddSeconds(60); // an upper bound for a loaded machine; the loop ends when both lines are there
                do
                {
                    forwarded = _peers.ProxyLog(proxy, 0).Where(l => l.Split(' ')[2] != "407").ToArray();
                }
                while (forwarded.Length < 2 && DateTime.UtcNow < deadline && Sleep());
                Assert.Equal(new[] { $"GET {registry.Url}/v2/ 401 regcheck", $"GET {registry.Url}/v2/ 200 regcheck" }, forwarded);
                NothingSecretIn(log, new[] { result }, token, proxyPassword);
            }
            finally
            {
                _peers.StopProxy(proxy);
                _peers.StopRegistry(registry);
            }
        }
    }
}
