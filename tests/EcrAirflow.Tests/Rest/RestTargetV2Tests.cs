using System;
using System.Diagnostics;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;
using EcrAirflow.Core.Airflow;
using EcrAirflow.Core.Airflow.Api;
using EcrAirflow.Core.Modes.Rest;

namespace EcrAirflow.Tests.Rest
{
    /// <summary>The API v2 target against the emulator running as Airflow 3.</summary>
    public sealed class RestTargetV2Tests : IClassFixture<Airflow3Emulator>
    {
        private readonly Airflow3Emulator _airflow;

        public RestTargetV2Tests(Airflow3Emulator airflow)
        {
            _airflow = airflow;
            _airflow.Reset();
        }

        [Fact]
        public async Task Creates_then_updates_with_one_list_read_and_one_bulk_request_after_the_token()
        {
            var id = Kit.Id("v2");
            var first = Kit.Secret("one");
            var log = new RecordingLog();
            AccessTokenCache.ClearForTests();

            var created = await Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V2), log, Kit.Connection(id, first));

            var result = Assert.Single(created.Written);
            Assert.Empty(created.Failed);
            Assert.Equal(SyncAction.Created, result.Action);
            Assert.Equal("V2", result.ApiVersion);
            Assert.Equal("Rest", result.Mode);
            var stored = _airflow.StoredConnection(id)!;
            Assert.Equal(Kit.Host, (string?)stored["host"]);
            Assert.Equal("AWS", (string?)stored["login"]);
            Assert.Equal("docker", (string?)stored["conn_type"]);
            Assert.Equal(first, (string?)stored["password"]);
            Assert.Equal(new[] { "POST /auth/token 201", "GET /api/v2/connections 200", "PATCH /api/v2/connections 200" }, _airflow.RequestLines());
            Assert.Equal("Bearer", (string?)_airflow.Requests()[1]!["auth"]);
            Assert.Equal("Bearer", (string?)_airflow.Requests()[2]!["auth"]);

            _airflow.ClearRequests();
            var second = Kit.Secret("two");
            var updated = await Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V2), log, Kit.Connection(id, second));

            Assert.Equal(SyncAction.Updated, Assert.Single(updated.Written).Action);
            Assert.Equal(second, (string?)_airflow.StoredConnection(id)!["password"]);
            Assert.Equal(new[] { "GET /api/v2/connections 200", "PATCH /api/v2/connections 200" }, _airflow.RequestLines()); // token from the session cache
            Kit.NoSecretIn(log.All, first, second, AirflowEmulatorFixture.Password);
        }

        [Fact]
        public async Task Many_connections_go_in_exactly_one_bulk_request()
        {
            var ids = Enumerable.Range(0, 5).Select(i => Kit.Id("bulk" + i)).ToArray();
            _airflow.Seed(ids[0], "old.example.com", "old", "old-password"); // one exists, four do not
            _airflow.ClearRequests();

            var outcome = await Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V2), new RecordingLog(), ids.Select(id => Kit.Connection(id, Kit.Secret(id))).ToArray());

            Assert.Equal(ids, outcome.Written.Select(r => r.ConnectionId));
            Assert.Single(_airflow.RequestLines(), l => l.StartsWith("PATCH /api/v2/connections", StringComparison.Ordinal));
            Assert.Single(_airflow.RequestLines(), l => l.StartsWith("GET /api/v2/connections", StringComparison.Ordinal));
            Assert.Equal(ids, _airflow.Requests().Single(r => (string?)r!["method"] == "PATCH")!["connectionIds"]!.AsArray().Select(n => (string?)n));
            Assert.Equal(Kit.Host, (string?)_airflow.StoredConnection(ids[0])!["host"]);
        }

        [Fact]
        public async Task A_revoked_token_is_renewed_once()
        {
            var id = Kit.Id("renew");
            var options = Kit.Options(_airflow, AirflowApiVersion.V2);
            await Kit.Write(options, new RecordingLog(), Kit.Connection(id, Kit.Secret("a"))); // token now cached
            _airflow.RevokeTokens();
            _airflow.ClearRequests();

            var outcome = await Kit.Write(options, new RecordingLog(), Kit.Connection(id, Kit.Secret("b")));

            Assert.Single(outcome.Written);
            Assert.Equal(new[] { "GET /api/v2/connections 401", "POST /auth/token 201", "GET /api/v2/connections 200", "PATCH /api/v2/connections 200" }, _airflow.RequestLines());
        }

        [Fact]
        public async Task A_wrong_password_is_PermissionDenied_and_a_good_token_does_not_hide_it()
        {
            await Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V2), new RecordingLog(), Kit.Connection(Kit.Id("good"), Kit.Secret("g")));
            _airflow.ClearRequests();
            var wrong = "wrong-Pa55word";

            var ex = await Assert.ThrowsAsync<EcrAirflowException>(() =>
                Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V2, wrong), new RecordingLog(), Kit.Connection(Kit.Id("auth"), Kit.Secret("a"))));

            Assert.Equal("AirflowAuthenticationFailed", ex.ErrorId);
            Assert.Equal(FailureKind.PermissionDenied, ex.Kind);
            Assert.Contains("auth manager", ex.Hint);
            Assert.Equal(new[] { "POST /auth/token 401" }, _airflow.RequestLines());
            Kit.NoSecretIn(Kit.Describe(ex), wrong);
        }

        [Fact]
        public async Task An_access_token_is_used_as_given_without_auth_token()
        {
            var token = _airflow.IssueToken();
            _airflow.ClearRequests();
            var options = Kit.Options(_airflow, AirflowApiVersion.V2, password: null);
            options.Parameters.AccessToken = DockerConnection.Secure(token);
            var log = new RecordingLog();

            var outcome = await Kit.Write(options, log, Kit.Connection(Kit.Id("tok"), Kit.Secret("t")));

            Assert.Single(outcome.Written);
            Assert.Equal(new[] { "GET /api/v2/connections 200", "PATCH /api/v2/connections 200" }, _airflow.RequestLines());
            Kit.NoSecretIn(log.All, token);
        }

        [Fact]
        public async Task A_500_on_the_bulk_write_leaves_the_previous_connection_intact()
        {
            var id = Kit.Id("fail");
            _airflow.Seed(id, Kit.Host, "AWS", "previous-password");
            await Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V2), new RecordingLog(), Kit.Connection(Kit.Id("warm"), Kit.Secret("w"))); // token
            _airflow.Fault("PATCH", "/api/v2/connections", 500, times: 10);
            var fresh = Kit.Secret("new");

            var ex = await Assert.ThrowsAsync<EcrAirflowException>(() =>
                Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V2), new RecordingLog(), Kit.Connection(id, fresh)));

            Assert.Equal("AirflowUnavailable", ex.ErrorId);
            Assert.Equal(FailureKind.ConnectionError, ex.Kind);
            Assert.Equal("previous-password", (string?)_airflow.StoredConnection(id)!["password"]);
            Kit.NoSecretIn(Kit.Describe(ex), fresh);
        }

        [Fact]
        public async Task Retries_503_honouring_Retry_After()
        {
            var id = Kit.Id("retry");
            await Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V2), new RecordingLog(), Kit.Connection(id, Kit.Secret("w")));
            _airflow.ClearRequests();
            _airflow.Fault("PATCH", "/api/v2/connections", 503, times: 1, retryAfter: 1);
            var clock = Stopwatch.StartNew();

            var outcome = await Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V2), new RecordingLog(), Kit.Connection(id, Kit.Secret("r")));

            Assert.Single(outcome.Written);
            Assert.Equal(new[] { "GET /api/v2/connections 200", "PATCH /api/v2/connections 503", "PATCH /api/v2/connections 200" }, _airflow.RequestLines());
            Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(950), $"Retry-After: 1 was not honoured ({clock.Elapsed}).");
        }

        [Fact]
        public async Task Per_entity_errors_in_a_200_reply_are_reported_per_connection()
        {
            var ok = Kit.Id("ok");
            var bad = Kit.Id("bad");
            var reply = new JsonObject
            {
                ["create"] = new JsonObject
                {
                    ["success"] = new JsonArray(ok),
                    ["errors"] = new JsonArray(new JsonObject { ["error"] = $"The connections with these connection_ids: {{'{bad}'}} already exist.", ["status_code"] = 409 }),
                },
                ["update"] = null,
                ["delete"] = null,
            };
            await Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V2), new RecordingLog(), Kit.Connection(Kit.Id("warm"), Kit.Secret("w"))); // token
            _airflow.Fault("PATCH", "/api/v2/connections", 200, body: reply);

            var outcome = await Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V2), new RecordingLog(), Kit.Connection(ok, Kit.Secret("o")), Kit.Connection(bad, Kit.Secret("b")));

            Assert.Equal(new[] { ok }, outcome.Written.Select(r => r.ConnectionId));
            var failure = Assert.Single(outcome.Failed);
            Assert.Equal(bad, failure.Connection.ConnectionId);
            Assert.Equal("AirflowConnectionConflict", failure.Error.ErrorId);
            Assert.Contains("already exist", failure.Error.Message);
        }

        [Fact]
        public async Task Auto_detects_Airflow_3_from_the_v2_version_endpoint()
        {
            ApiVersionProbe.Forget(AirflowEndpoint.Parse(_airflow.Url));
            var outcome = await Kit.Write(Kit.Options(_airflow, AirflowApiVersion.Auto), new RecordingLog(), Kit.Connection(Kit.Id("auto"), Kit.Secret("a")));

            Assert.Equal("V2", Assert.Single(outcome.Written).ApiVersion);
            Assert.Equal("GET /api/v2/version 200", _airflow.RequestLines().First());
            Assert.Null(_airflow.Requests().First()!["auth"]); // the probe carries no credential
        }

        [Fact]
        public async Task Against_Airflow_3_explicit_V1_says_the_API_is_not_there()
        {
            var ex = await Assert.ThrowsAsync<EcrAirflowException>(() =>
                Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V1), new RecordingLog(), Kit.Connection(Kit.Id("v1"), Kit.Secret("a"))));

            Assert.Equal("AirflowApiNotFound", ex.ErrorId);
            Assert.Equal(FailureKind.ObjectNotFound, ex.Kind);
            Assert.Contains("-ApiVersion", ex.Hint);
        }

        [Fact]
        public async Task A_bad_connection_id_is_a_422_naming_the_field_without_the_password()
        {
            var secret = Kit.Secret("bad");
            var ex = await Assert.ThrowsAsync<EcrAirflowException>(() =>
                Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V2), new RecordingLog(), Kit.Connection("not valid!", secret)));

            Assert.Equal("AirflowRejectedConnection", ex.ErrorId);
            Assert.Equal(FailureKind.InvalidData, ex.Kind);
            Assert.Contains("connection_id", ex.Message);
            Kit.NoSecretIn(Kit.Describe(ex), secret);
            Assert.Contains("PATCH /api/v2/connections 422", _airflow.RequestLines());
        }
    }
}
