using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Xunit;
using EcrAirflow.Modes;
using EcrAirflow.Core.Modes;
using EcrAirflow.Core.Modes.Rest;

namespace EcrAirflow.Tests.Rest
{
    /// <summary>The API v1 target against the emulator running as Airflow 2.</summary>
    public sealed class RestTargetV1Tests : IClassFixture<Airflow2Emulator>
    {
        private readonly Airflow2Emulator _airflow;

        public RestTargetV1Tests(Airflow2Emulator airflow)
        {
            _airflow = airflow;
            _airflow.Reset();
        }

        [Fact]
        public async Task Creates_then_updates_in_place()
        {
            var id = Kit.Id("v1");
            var first = Kit.Secret("one");
            var log = new RecordingLog();

            var created = await Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V1), log, Kit.Connection(id, first));

            var result = Assert.Single(created.Written);
            Assert.Empty(created.Failed);
            Assert.Equal(SyncAction.Created, result.Action);
            Assert.Equal("Rest", result.Mode);
            Assert.Equal("V1", result.ApiVersion);
            Assert.Equal(_airflow.Url.ToString().TrimEnd('/'), result.Target);
            Assert.Equal(Kit.Host, result.Registry);
            var stored = _airflow.StoredConnection(id)!;
            Assert.Equal("docker", (string?)stored["conn_type"]);
            Assert.Equal(Kit.Host, (string?)stored["host"]);
            Assert.Equal("AWS", (string?)stored["login"]);
            Assert.Equal(first, (string?)stored["password"]);
            Assert.Equal(new[] { $"GET /api/v1/connections/{id} 404", "POST /api/v1/connections 200" }, _airflow.RequestLines());
            Assert.All(_airflow.Requests(), r => Assert.Equal("Basic", (string?)r!["auth"]));

            _airflow.ClearRequests();
            var second = Kit.Secret("two");
            var updated = await Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V1), log, Kit.Connection(id, second));

            Assert.Equal(SyncAction.Updated, Assert.Single(updated.Written).Action);
            Assert.Equal(second, (string?)_airflow.StoredConnection(id)!["password"]);
            Assert.Equal(new[] { $"GET /api/v1/connections/{id} 200", $"PATCH /api/v1/connections/{id} 200" }, _airflow.RequestLines());
            Kit.NoSecretIn(log.All, first, second, AirflowEmulatorFixture.Password);
            Assert.Contains(log.Lines, l => l.Contains($"PATCH {_airflow.Url.ToString().TrimEnd('/')}/api/v1/connections/{id} -> 200", StringComparison.Ordinal));
        }

        [Fact]
        public async Task Steady_state_is_one_GET_and_one_PATCH_per_connection_with_progress()
        {
            var ids = Enumerable.Range(0, 3).Select(i => Kit.Id("many" + i)).ToArray();
            foreach (var id in ids)
            {
                _airflow.Seed(id, Kit.Host, "AWS", "old-password");
            }

            _airflow.ClearRequests();
            var log = new RecordingLog();
            var outcome = await Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V1), log, ids.Select(id => Kit.Connection(id, Kit.Secret(id))).ToArray());

            Assert.Equal(ids, outcome.Written.Select(r => r.ConnectionId));
            Assert.All(outcome.Written, r => Assert.Equal(SyncAction.Updated, r.Action));
            Assert.Equal(ids.SelectMany(id => new[] { $"GET /api/v1/connections/{id} 200", $"PATCH /api/v1/connections/{id} 200" }), _airflow.RequestLines());
            Assert.Equal(4, log.ProgressRecords.Count);
            Assert.True(log.ProgressRecords.Last().Completed);
        }

        [Fact]
        public async Task A_500_on_write_leaves_the_previous_connection_intact()
        {
            var id = Kit.Id("fail");
            _airflow.Seed(id, Kit.Host, "AWS", "previous-password");
            _airflow.Fault("PATCH", $"/api/v1/connections/{id}", 500, times: 10);
            var fresh = Kit.Secret("new");

            var ex = await Assert.ThrowsAsync<EcrAirflowException>(() =>
                Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V1), new RecordingLog(), Kit.Connection(id, fresh)));

            Assert.Equal("AirflowUnavailable", ex.ErrorId);
            Assert.Equal(FailureKind.ConnectionError, ex.Kind);
            Assert.Equal("previous-password", (string?)_airflow.StoredConnection(id)!["password"]);
            Assert.Equal(3, _airflow.RequestLines().Count(l => l.StartsWith("PATCH", StringComparison.Ordinal))); // 1 + MaximumRetryCount 2
            Assert.DoesNotContain(_airflow.Requests(), r => (string?)r!["method"] == "DELETE");
            Kit.NoSecretIn(Kit.Describe(ex), fresh, AirflowEmulatorFixture.Password);
        }

        [Theory]
        [InlineData(503)]
        [InlineData(429)]
        public async Task Retries_a_transient_status_honouring_Retry_After(int status)
        {
            var id = Kit.Id("retry");
            _airflow.Seed(id, Kit.Host, "AWS", "old");
            _airflow.Fault("PATCH", $"/api/v1/connections/{id}", status, times: 1, retryAfter: 1);
            var clock = Stopwatch.StartNew();

            var outcome = await Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V1), new RecordingLog(), Kit.Connection(id, Kit.Secret("r")));

            Assert.Equal(SyncAction.Updated, Assert.Single(outcome.Written).Action);
            Assert.Equal(new[] { $"GET /api/v1/connections/{id} 200", $"PATCH /api/v1/connections/{id} {status}", $"PATCH /api/v1/connections/{id} 200" }, _airflow.RequestLines());
            Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(950), $"Retry-After: 1 was not honoured ({clock.Elapsed}).");
        }

        [Fact]
        public async Task A_wrong_password_is_PermissionDenied_without_the_password()
        {
            var wrong = "wrong-Pa55word";
            var ex = await Assert.ThrowsAsync<EcrAirflowException>(() =>
                Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V1, wrong), new RecordingLog(), Kit.Connection(Kit.Id("auth"), Kit.Secret("a"))));

            Assert.Equal("AirflowAuthenticationFailed", ex.ErrorId);
            Assert.Equal(FailureKind.PermissionDenied, ex.Kind);
            Assert.Contains("auth_backends", ex.Hint);
            Kit.NoSecretIn(Kit.Describe(ex), wrong);
        }

        [Fact]
        public async Task A_failure_after_some_writes_reports_which_were_written()
        {
            var ids = Enumerable.Range(0, 3).Select(i => Kit.Id("part" + i)).ToArray();
            _airflow.Fault("GET", $"/api/v1/connections/{ids[1]}", 403); // the read is refused like a write

            var outcome = await Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V1), new RecordingLog(), ids.Select(id => Kit.Connection(id, Kit.Secret(id))).ToArray());

            Assert.Equal(new[] { ids[0] }, outcome.Written.Select(r => r.ConnectionId));
            Assert.Equal(new[] { ids[1], ids[2] }, outcome.Failed.Select(f => f.Connection.ConnectionId));
            Assert.All(outcome.Failed, f => Assert.Equal(FailureKind.PermissionDenied, f.Error.Kind));
            Assert.Null(_airflow.StoredConnection(ids[2])); // nothing was tried after the refusal
        }

        [Fact]
        public async Task Auto_probes_once_per_URL_and_session()
        {
            var options = Kit.Options(_airflow, AirflowApiVersion.Auto);
            ApiVersionProbe.Forget(AirflowEndpoint.Parse(_airflow.Url));
            var id = Kit.Id("auto");

            var first = await Kit.Write(options, new RecordingLog(), Kit.Connection(id, Kit.Secret("a")));
            Assert.Equal("V1", Assert.Single(first.Written).ApiVersion);
            Assert.Equal(new[] { "GET /api/v2/version 404", "GET /api/v1/version 200" }, _airflow.RequestLines().Take(2));

            _airflow.ClearRequests();
            await Kit.Write(options, new RecordingLog(), Kit.Connection(id, Kit.Secret("b")));
            Assert.Equal(new[] { $"GET /api/v1/connections/{id} 200", $"PATCH /api/v1/connections/{id} 200" }, _airflow.RequestLines());
        }

        [Fact]
        public async Task A_400_reports_Airflows_detail_for_that_connection_only()
        {
            var ok = Kit.Id("ok");
            var bad = Kit.Id("bad");
            _airflow.Seed(ok, Kit.Host, "AWS", "x");
            _airflow.Seed(bad, Kit.Host, "AWS", "x");
            var detail = new System.Text.Json.Nodes.JsonObject
            {
                ["type"] = "https://airflow.apache.org/docs/apache-airflow/2.10.5/stable-rest-api-ref.html#section/Errors/BadRequest",
                ["title"] = "Bad Request",
                ["status"] = 400,
                ["detail"] = "{'host': ['Not a valid string.']}",
            };
            _airflow.Fault("PATCH", $"/api/v1/connections/{bad}", 400, body: detail);

            var outcome = await Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V1), new RecordingLog(), Kit.Connection(bad, Kit.Secret("b")), Kit.Connection(ok, Kit.Secret("o")));

            Assert.Equal(new[] { ok }, outcome.Written.Select(r => r.ConnectionId));
            var failure = Assert.Single(outcome.Failed);
            Assert.Equal("AirflowRejectedConnection", failure.Error.ErrorId);
            Assert.Equal(FailureKind.InvalidData, failure.Error.Kind);
            Assert.Contains("Not a valid string.", failure.Error.Message);
        }

        [Fact]
        public async Task A_timeout_is_retried_then_reported_as_a_connection_error()
        {
            var id = Kit.Id("slow");
            _airflow.Fault(new System.Text.Json.Nodes.JsonObject { ["method"] = "GET", ["path"] = $"/api/v1/connections/{id}", ["delayMs"] = 1500, ["times"] = 5 });
            var options = Kit.Options(_airflow, AirflowApiVersion.V1);
            options.Seams = new TestSeams { RetryBaseDelay = TimeSpan.FromMilliseconds(20), Timeout = TimeSpan.FromMilliseconds(300) };
            options.Parameters.MaximumRetryCount = 1;

            var ex = await Assert.ThrowsAsync<EcrAirflowException>(() => Kit.Write(options, new RecordingLog(), Kit.Connection(id, Kit.Secret("t"))));

            Assert.Equal("AirflowTimeout", ex.ErrorId);
            Assert.Equal(FailureKind.ConnectionError, ex.Kind);
            Assert.Contains("-TimeoutSec", ex.Hint);
        }

        [Fact]
        public async Task A_dropped_connection_is_retried()
        {
            var id = Kit.Id("drop");
            _airflow.Seed(id, Kit.Host, "AWS", "old");
            _airflow.Fault(new System.Text.Json.Nodes.JsonObject { ["method"] = "PATCH", ["path"] = $"/api/v1/connections/{id}", ["drop"] = true, ["times"] = 1 });
            var fresh = Kit.Secret("d");
            var log = new RecordingLog();

            var outcome = await Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V1), log, Kit.Connection(id, fresh));

            Assert.Equal(SyncAction.Updated, Assert.Single(outcome.Written).Action);
            Assert.Equal(fresh, (string?)_airflow.StoredConnection(id)!["password"]);
            Assert.Contains(log.Lines, l => l.Contains("retry 1 of 2", StringComparison.Ordinal));
        }

        [Theory]
        [InlineData(200, 0, "V1")]     // 200 from /api/v2/version, but an HTML page, not a VersionInfo
        [InlineData(401, 0, "V1")]     // a proxy protects /api/v2 only: /api/v1/version still answers
        [InlineData(401, 401, "AirflowApiVersionUnknown")]
        [InlineData(404, 404, "AirflowApiNotFound")]
        public async Task Auto_reads_the_version_endpoints_carefully(int v2Status, int v1Status, string expected)
        {
            var endpoint = AirflowEndpoint.Parse(_airflow.Url);
            ApiVersionProbe.Forget(endpoint);
            if (v2Status != 200)
            {
                _airflow.Fault("GET", "/api/v2/version", v2Status);
            }

            if (v1Status != 0)
            {
                _airflow.Fault("GET", "/api/v1/version", v1Status);
            }

            if (v2Status == 200)
            {
                // A 200 that is not a VersionInfo (an HTML page) does not count as Airflow 3.
                _airflow.Fault("GET", "/api/v2/version", 200, body: System.Text.Json.Nodes.JsonValue.Create("<html></html>"));
            }

            var options = Kit.Options(_airflow, AirflowApiVersion.Auto);
            var write = Kit.Write(options, new RecordingLog(), Kit.Connection(Kit.Id("probe"), Kit.Secret("p")));
            if (expected.StartsWith("V", StringComparison.Ordinal))
            {
                Assert.Equal(expected, Assert.Single((await write).Written).ApiVersion);
            }
            else
            {
                var ex = await Assert.ThrowsAsync<EcrAirflowException>(() => write);
                Assert.Equal(expected, ex.ErrorId);
                Assert.Contains("-ApiVersion", ex.Hint);
            }

            ApiVersionProbe.Forget(endpoint);
        }
    }
}
