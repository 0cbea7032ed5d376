using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;
using EcrAirflow.Core.Airflow;

namespace EcrAirflow.Tests.Rest
{
    /// <summary>A refresh through API v1 (Airflow 2) changes only what it owns: GET, then a PATCH with update_mask.</summary>
    public sealed class RestV1RefreshTests : IClassFixture<Airflow2Emulator>
    {
        private readonly Airflow2Emulator _airflow;

        public RestV1RefreshTests(Airflow2Emulator airflow)
        {
            _airflow = airflow;
            _airflow.Reset();
        }

        [Fact]
        public async Task Keeps_port_schema_extra_and_the_users_description_and_sends_only_what_it_owns()
        {
            var id = Kit.Id("keep");
            _airflow.Seed(id, Kit.UsersDocker());
            var fresh = Kit.Secret("fresh");
            var connection = Kit.Connection(id, fresh);

            var outcome = await Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V1), new RecordingLog(), connection);

            Assert.Equal(SyncAction.Updated, Assert.Single(outcome.Written).Action);
            var stored = _airflow.StoredConnection(id)!;
            Assert.Equal((Kit.Host, "AWS", fresh), ((string?)stored["host"], (string?)stored["login"], (string?)stored["password"]));
            Assert.Equal(("docker", 5000L, "v2"), ((string?)stored["conn_type"], (long?)stored["port"], (string?)stored["schema"]));
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse("{\"reauth\": false, \"email\": \"ops@example.com\", \"timeout\": 30}"), _airflow.StoredExtra(id)));
            Assert.Equal(ExpiryNote.Compose("Team registry", null, connection.ExpiresAt), (string?)stored["description"]);
            Assert.StartsWith("Team registry; token expires ", (string?)stored["description"]);

            Assert.Equal(new[] { $"GET /api/v1/connections/{id} 200", $"PATCH /api/v1/connections/{id} 200" }, _airflow.RequestLines());
            var patch = Assert.Single(_airflow.Requests("PATCH"));
            Assert.Equal("update_mask=host,login,password,description", (string?)patch["query"]);
            Assert.Equal(new[] { "host", "login", "password", "description" }, patch["bodyFields"]!.AsArray().Select(n => (string?)n));
        }

        [Fact]
        public async Task Email_changes_only_the_email_key_of_the_stored_extra()
        {
            var id = Kit.Id("email");
            _airflow.Seed(id, Kit.UsersDocker());

            await Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V1), new RecordingLog(), Kit.Connection(id, Kit.Secret("e")) with { Email = "new@example.com" });

            Assert.True(JsonNode.DeepEquals(JsonNode.Parse("{\"reauth\": false, \"email\": \"new@example.com\", \"timeout\": 30}"), _airflow.StoredExtra(id)));
            var patch = Assert.Single(_airflow.Requests("PATCH"));
            Assert.Equal("update_mask=host,login,password,description,extra", (string?)patch["query"]);
            Assert.Equal(5000L, (long?)_airflow.StoredConnection(id)!["port"]);
        }

        [Fact]
        public async Task A_new_connection_is_one_GET_and_one_POST()
        {
            var id = Kit.Id("new");

            var outcome = await Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V1), new RecordingLog(), Kit.Connection(id, Kit.Secret("n")) with { Reauth = true });

            Assert.Equal(SyncAction.Created, Assert.Single(outcome.Written).Action);
            Assert.Equal(new[] { $"GET /api/v1/connections/{id} 404", "POST /api/v1/connections 200" }, _airflow.RequestLines());
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse("{\"reauth\": true}"), _airflow.StoredExtra(id)));
        }

        [Fact]
        public async Task A_connection_of_another_type_is_refused_unchanged_and_the_others_are_written()
        {
            var pg = Kit.Id("pg");
            var ok = Kit.Id("ok");
            _airflow.Seed(pg, Kit.Postgres("pg-Pa55-secret"));
            var log = new RecordingLog();

            var outcome = await Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V1), log, Kit.Connection(pg, Kit.Secret("p")), Kit.Connection(ok, Kit.Secret("o")));

            var failure = Assert.Single(outcome.Failed);
            Assert.Equal(pg, failure.Connection.ConnectionId);
            Assert.Equal("NotDockerConnection", failure.Error.ErrorId);
            Assert.Contains("a postgres connection", failure.Error.Message);
            Assert.Contains("-ReplaceNonDocker", failure.Error.Hint);
            Assert.Equal(ok, Assert.Single(outcome.Written).ConnectionId);
            var stored = _airflow.StoredConnection(pg)!;
            Assert.Equal(("postgres", "db.example.com", "pg-Pa55-secret"), ((string?)stored["conn_type"], (string?)stored["host"], (string?)stored["password"]));
            Assert.DoesNotContain(_airflow.RequestLines(), l => l.Contains($"/{pg} ", StringComparison.Ordinal) && !l.StartsWith("GET", StringComparison.Ordinal));
            Kit.NoSecretIn(Kit.Describe(failure.Error) + log.All, "pg-Pa55-secret", "db.example.com");
        }

        [Fact]
        public async Task ReplaceNonDocker_writes_a_Docker_connection_in_its_place()
        {
            var pg = Kit.Id("pgr");
            _airflow.Seed(pg, Kit.Postgres());
            var fresh = Kit.Secret("r");

            var outcome = await Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V1), new RecordingLog(), Kit.Connection(pg, fresh) with { ReplaceNonDocker = true });

            Assert.Equal(SyncAction.Updated, Assert.Single(outcome.Written).Action);
            var stored = _airflow.StoredConnection(pg)!;
            Assert.Equal(("docker", Kit.Host, fresh), ((string?)stored["conn_type"], (string?)stored["host"], (string?)stored["password"]));
            Assert.Null(stored["port"]);
            Assert.Null(stored["schema"]);
        }

        [Fact]
        public async Task Email_over_an_extra_Airflow_returns_masked_is_refused_and_without_it_the_extra_stays()
        {
            var id = Kit.Id("mask");
            _airflow.Seed(id, Kit.UsersDocker(extra: "{\"email\": \"a@example.com\", \"registry_token\": \"real-extra-secret\"}"));
            var log = new RecordingLog();

            var refused = await Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V1), log, Kit.Connection(id, Kit.Secret("m")) with { Email = "b@example.com" });

            var failure = Assert.Single(refused.Failed);
            Assert.Equal("AirflowExtraMasked", failure.Error.ErrorId);
            Assert.Contains("'registry_token'", failure.Error.Message);
            Assert.Equal("users-old-Pa55", (string?)_airflow.StoredConnection(id)!["password"]);
            Assert.Empty(_airflow.Requests("PATCH"));

            var fresh = Kit.Secret("m2");
            var written = await Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V1), log, Kit.Connection(id, fresh));

            Assert.Equal(SyncAction.Updated, Assert.Single(written.Written).Action);
            Assert.Equal(fresh, (string?)_airflow.StoredConnection(id)!["password"]);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse("{\"email\": \"a@example.com\", \"registry_token\": \"real-extra-secret\"}"), _airflow.StoredExtra(id)));
            Kit.NoSecretIn(log.All + Kit.Describe(failure.Error), "real-extra-secret", "users-old-Pa55");
        }

        [Fact]
        public async Task A_connection_created_by_someone_else_after_the_read_is_read_again_and_updated()
        {
            var id = Kit.Id("race");
            _airflow.Seed(id, Kit.UsersDocker());
            _airflow.Fault("GET", $"/api/v1/connections/{id}", 404, body: NotFound(id)); // "not there yet" when we looked
            var mine = Kit.Secret("mine");

            var outcome = await Kit.Write(Kit.Options(_airflow, AirflowApiVersion.V1), new RecordingLog(), Kit.Connection(id, mine));

            Assert.Equal(SyncAction.Updated, Assert.Single(outcome.Written).Action);
            Assert.Equal(new[] { $"GET /api/v1/connections/{id} 404", "POST /api/v1/connections 409", $"GET /api/v1/connections/{id} 200", $"PATCH /api/v1/connections/{id} 200" }, _airflow.RequestLines());
            Assert.Equal(mine, (string?)_airflow.StoredConnection(id)!["password"]);
            Assert.Equal(5000L, (long?)_airflow.StoredConnection(id)!["port"]); // what the other writer set stays
        }

        internal static JsonObject NotFound(string id) => new JsonObject
        {
            ["detail"] = $"The Connection with connection_id: `{id}` was not found",
            ["status"] = 404,
            ["title"] = "Connection not found",
            ["type"] = "https://airflow.apache.org/docs/apache-airflow/2.10.5/stable-rest-api-ref.html#section/Errors/NotFound",
        };
    }
}
