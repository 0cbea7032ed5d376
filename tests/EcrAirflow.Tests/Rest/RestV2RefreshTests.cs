using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;
using EcrAirflow.Core.Airflow;

namespace EcrAirflow.Tests.Rest
{
    /// <summary>
    /// A refresh through API v2 (Airflow 3) changes only what it owns, in one list read and one bulk write, on a
    /// release that honours a bulk update's update_mask and on a 3.0 release that ignores it (the same facts,
    /// run against both emulators below).
    /// </summary>
    public abstract class RestV2RefreshTests
    {
        private const string UsersExtra = "{\"reauth\": false, \"email\": \"ops@example.com\", \"timeout\": 30}";

        private readonly AirflowEmulatorFixture _airflow;

        protected RestV2RefreshTests(AirflowEmulatorFixture airflow)
        {
            _airflow = airflow;
            _airflow.Reset();
        }

        private string[] ApiLines() => _airflow.RequestLines().Where(l => !l.StartsWith("POST /auth/token", StringComparison.Ordinal)).ToArray();

        private JsonArray BulkActions() => _airflow.Requests("PATCH").Single(r => (string?)r["path"] == "/api/v2/connections")["bulkActions"]!.AsArray();

        private static string?[] Strings(JsonNode? array) => array!.AsArray().Select(n => (string?)n).ToArray();

        [Fact]
        public async Task Updates_what_exists_and_creates_the_rest_keeping_port_schema_extra_and_description()
        {
            var keep = Kit.Id("keep");
            var added = Kit.Id("new");
            _airflow.Seed(keep, Kit.UsersDocker());
            var fresh = Kit.Secret("fresh");
            var connection = Kit.Connection(keep, fresh);

            var outcome = await Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V2), new RecordingLog(), connection, Kit.Connection(added, Kit.Secret("added")));

            Assert.Empty(outcome.Failed);
            Assert.Equal(new[] { (keep, SyncAction.Updated), (added, SyncAction.Created) }, outcome.Written.Select(r => (r.ConnectionId, r.Action)));
            var stored = _airflow.StoredConnection(keep)!;
            Assert.Equal(("docker", Kit.Host, "AWS", fresh), ((string?)stored["conn_type"], (string?)stored["host"], (string?)stored["login"], (string?)stored["password"]));
            Assert.Equal((5000L, "v2"), ((long?)stored["port"], (string?)stored["schema"]));
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(UsersExtra), _airflow.StoredExtra(keep)));
            Assert.Equal(ExpiryNote.Compose("Team registry", null, connection.ExpiresAt), (string?)stored["description"]);
            Assert.Equal("docker", (string?)_airflow.StoredConnection(added)!["conn_type"]);

            // One read, one write: an update (masked, skip) for the id that exists, a create (skip) for the other.
            Assert.Equal(new[] { "GET /api/v2/connections 200", "PATCH /api/v2/connections 200" }, ApiLines());
            var actions = BulkActions();
            Assert.Equal(2, actions.Count);
            Assert.Equal(("update", "skip"), ((string?)actions[0]!["action"], (string?)actions[0]!["actionOnNonExistence"]));
            Assert.Equal(new[] { keep }, Strings(actions[0]!["ids"]));
            Assert.Equal(new[] { "host", "login", "password", "description" }, Strings(actions[0]!["updateMask"]));
            Assert.Equal(new[] { "connection_id", "conn_type", "host", "login", "password", "description", "port", "schema", "extra" }, Strings(actions[0]!["entityFields"])); // complete
            Assert.Equal(("create", "skip"), ((string?)actions[1]!["action"], (string?)actions[1]!["actionOnExistence"]));
            Assert.Equal(new[] { added }, Strings(actions[1]!["ids"]));
        }

        [Fact]
        public async Task Email_changes_only_the_email_key()
        {
            var id = Kit.Id("email");
            _airflow.Seed(id, Kit.UsersDocker());

            await Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V2), new RecordingLog(), Kit.Connection(id, Kit.Secret("e")) with { Email = "new@example.com" });

            Assert.True(JsonNode.DeepEquals(JsonNode.Parse("{\"reauth\": false, \"email\": \"new@example.com\", \"timeout\": 30}"), _airflow.StoredExtra(id)));
            Assert.Equal(new[] { "host", "login", "password", "description", "extra" }, Strings(BulkActions()[0]!["updateMask"]));
            Assert.Equal(5000L, (long?)_airflow.StoredConnection(id)!["port"]);
        }

        [Fact]
        public async Task A_masked_extra_value_is_never_written_back()
        {
            var masked = Kit.Id("mask");
            var plain = Kit.Id("plain");
            const string SecretExtra = "{\"email\": \"a@example.com\", \"registry_token\": \"real-extra-secret\"}";
            _airflow.Seed(masked, Kit.UsersDocker(extra: SecretExtra));
            _airflow.Seed(plain, Kit.UsersDocker());
            var fresh = Kit.Secret("fresh");
            var log = new RecordingLog();

            // Without -Email/-Reauth the extra is not the refresh's: it stays as Airflow has it, through a PATCH of its own.
            var outcome = await Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V2), log, Kit.Connection(masked, fresh), Kit.Connection(plain, Kit.Secret("p")));

            Assert.Empty(outcome.Failed);
            Assert.All(outcome.Written, r => Assert.Equal(SyncAction.Updated, r.Action));
            Assert.Equal(fresh, (string?)_airflow.StoredConnection(masked)!["password"]);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(SecretExtra), _airflow.StoredExtra(masked)));
            Assert.Equal(new[] { "GET /api/v2/connections 200", "PATCH /api/v2/connections 200", $"PATCH /api/v2/connections/{masked} 200" }, ApiLines());
            Assert.Equal(new[] { plain }, Strings(BulkActions()[0]!["ids"]));
            var single = _airflow.Requests("PATCH").Single(r => (string?)r["path"] == $"/api/v2/connections/{masked}");
            Assert.Equal("update_mask=host&update_mask=login&update_mask=password&update_mask=description", (string?)single["query"]);
            Assert.DoesNotContain("extra", Strings(single["bodyFields"]));

            // With -Email it would have to be merged into the masked text: refused, unchanged; the other is written.
            _airflow.ClearRequests();
            var refused = await Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V2), log, Kit.Connection(masked, Kit.Secret("x")) with { Email = "b@example.com" }, Kit.Connection(plain, Kit.Secret("q")) with { Email = "b@example.com" });

            var failure = Assert.Single(refused.Failed);
            Assert.Equal((masked, "AirflowExtraMasked"), (failure.Connection.ConnectionId, failure.Error.ErrorId));
            Assert.Equal(plain, Assert.Single(refused.Written).ConnectionId);
            Assert.Equal(fresh, (string?)_airflow.StoredConnection(masked)!["password"]);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(SecretExtra), _airflow.StoredExtra(masked)));
            Kit.NoSecretIn(log.All + Kit.Describe(failure.Error), "real-extra-secret", "users-old-Pa55");
        }

        [Fact]
        public async Task A_connection_of_another_type_is_refused_unless_ReplaceNonDocker()
        {
            var pg = Kit.Id("pg");
            var ok = Kit.Id("ok");
            _airflow.Seed(pg, Kit.Postgres("pg-Pa55-secret"));

            var outcome = await Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V2), new RecordingLog(), Kit.Connection(pg, Kit.Secret("p")), Kit.Connection(ok, Kit.Secret("o")));

            var failure = Assert.Single(outcome.Failed);
            Assert.Equal((pg, "NotDockerConnection"), (failure.Connection.ConnectionId, failure.Error.ErrorId));
            Assert.Contains("a postgres connection", failure.Error.Message);
            Assert.Equal(ok, Assert.Single(outcome.Written).ConnectionId);
            Assert.Equal(("postgres", "pg-Pa55-secret"), ((string?)_airflow.StoredConnection(pg)!["conn_type"], (string?)_airflow.StoredConnection(pg)!["password"]));
            Assert.Equal(new[] { ok }, Strings(Assert.Single(BulkActions())!["ids"]));
            Kit.NoSecretIn(Kit.Describe(failure.Error), "pg-Pa55-secret");

            _airflow.ClearRequests();
            var fresh = Kit.Secret("r");
            var replaced = await Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V2), new RecordingLog(), Kit.Connection(pg, fresh) with { ReplaceNonDocker = true });

            Assert.Equal(SyncAction.Updated, Assert.Single(replaced.Written).Action);
            var stored = _airflow.StoredConnection(pg)!;
            Assert.Equal(("docker", Kit.Host, fresh), ((string?)stored["conn_type"], (string?)stored["host"], (string?)stored["password"]));
            Assert.Null(stored["port"]);
            Assert.Null(stored["schema"]);
            Assert.Equal(("create", "overwrite"), ((string?)BulkActions()[0]!["action"], (string?)BulkActions()[0]!["actionOnExistence"]));
        }

        [Fact]
        public async Task The_bulk_reply_is_judged_per_id()
        {
            string a = Kit.Id("a"), b = Kit.Id("b"), c = Kit.Id("c"), d = Kit.Id("d"), e = Kit.Id("e");
            foreach (var id in new[] { a, b, d })
            {
                _airflow.Seed(id, Kit.UsersDocker());
            }

            await Kit.Read(Kit.Options(_airflow, AirflowApiVersion.V2), new RecordingLog(), a); // token
            _airflow.Fault("PATCH", "/api/v2/connections", 200, times: 2, body: new JsonObject // twice: e is tried once more
            {
                // c created; e neither created nor an error: someone created it between our read and our write (skip).
                ["create"] = new JsonObject { ["success"] = new JsonArray(c), ["errors"] = new JsonArray() },
                // a updated; b refused; d after b: Airflow's update loop stops at its first error.
                ["update"] = new JsonObject
                {
                    ["success"] = new JsonArray(a),
                    ["errors"] = new JsonArray(new JsonObject { ["error"] = $"[{{'type': 'value_error', 'loc': ('extra',), 'msg': 'bad extra', 'input': '{b}'}}]", ["status_code"] = 422 }),
                },
                ["delete"] = null,
            });

            var outcome = await Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V2), new RecordingLog(),
                Kit.Connection(a, "pa"), Kit.Connection(b, "pb"), Kit.Connection(c, "pc"), Kit.Connection(d, "pd"), Kit.Connection(e, "pe"));

            Assert.Equal(new[] { (a, SyncAction.Updated), (c, SyncAction.Created) }, outcome.Written.Select(r => (r.ConnectionId, r.Action)));
            Assert.Equal(new[] { (b, "AirflowRejectedConnection"), (d, "AirflowWriteFailed"), (e, "AirflowConnectionConflict") }, outcome.Failed.Select(f => (f.Connection.ConnectionId, f.Error.ErrorId)));
            Assert.Contains("bad extra", outcome.Failed[0].Error.Message);
            Assert.Contains("an error about another connection", outcome.Failed[1].Error.Message);
            Assert.Contains("exists now", outcome.Failed[2].Error.Message);
            Assert.Equal(new[] { "GET /api/v2/connections 200", "PATCH /api/v2/connections 200", "GET /api/v2/connections 200", "PATCH /api/v2/connections 200" }, ApiLines().Skip(1)); // after the warm-up read
        }

        [Fact]
        public async Task An_id_another_writer_created_between_the_read_and_the_write_is_read_and_written_once_more()
        {
            var id = Kit.Id("race");
            await Kit.Read(Kit.Options(_airflow, AirflowApiVersion.V2), new RecordingLog(), id); // token
            _airflow.ClearRequests();
            // The create was skipped: Airflow found the id there (another writer's), as action_on_existence skip says.
            _airflow.Fault("PATCH", "/api/v2/connections", 200, body: new JsonObject
            {
                ["create"] = new JsonObject { ["success"] = new JsonArray(), ["errors"] = new JsonArray() },
                ["update"] = null,
                ["delete"] = null,
            });
            var fresh = Kit.Secret("race");
            var log = new RecordingLog();

            var outcome = await Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V2), log, Kit.Connection(id, fresh));

            Assert.Equal(SyncAction.Created, Assert.Single(outcome.Written).Action); // the second round found it missing still and created it
            Assert.Equal(fresh, (string?)_airflow.StoredConnection(id)!["password"]);
            Assert.Equal(new[] { "GET /api/v2/connections 200", "PATCH /api/v2/connections 200", "GET /api/v2/connections 200", "PATCH /api/v2/connections 200" }, ApiLines());
            Assert.Contains(log.Lines, l => l.Contains("reading and writing them again", StringComparison.Ordinal));
        }
    }

    /// <summary>The refresh facts on a release that applies a bulk update's update_mask.</summary>
    public sealed class RestV2RefreshHonouringMaskTests : RestV2RefreshTests, IClassFixture<Airflow3Emulator>
    {
        public RestV2RefreshHonouringMaskTests(Airflow3Emulator airflow) : base(airflow) { }
    }

    /// <summary>The same facts on a 3.0 release whose bulk update ignores update_mask (complete entities keep them true).</summary>
    public sealed class RestV2RefreshIgnoringMaskTests : RestV2RefreshTests, IClassFixture<Airflow3IgnoringBulkMaskEmulator>
    {
        public RestV2RefreshIgnoringMaskTests(Airflow3IgnoringBulkMaskEmulator airflow) : base(airflow) { }
    }
}
