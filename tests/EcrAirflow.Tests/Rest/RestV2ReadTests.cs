using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;
using EcrAirflow.Core.Airflow;
using EcrAirflow.Core.Airflow.Api;

namespace EcrAirflow.Tests.Rest
{
    /// <summary>The read side of Rest mode on Airflow 3 (API v2) against the emulator: one list request for any number of ids.</summary>
    public sealed class RestV2ReadTests : IClassFixture<Airflow3Emulator>
    {
        private readonly Airflow3Emulator _airflow;

        public RestV2ReadTests(Airflow3Emulator airflow)
        {
            _airflow = airflow;
            _airflow.Reset();
        }

        /// <summary>The API requests besides getting a token (cached for the session, so only the first test of the class gets one).</summary>
        private string[] ApiLines() => _airflow.RequestLines().Where(l => !l.StartsWith("POST /auth/token", StringComparison.Ordinal)).ToArray();

        [Fact]
        public async Task Reads_many_ids_in_one_request_and_says_the_password_is_redacted()
        {
            var tag = Guid.NewGuid().ToString("n").Substring(0, 8);
            string docker = $"ecr_{tag}_dock", other = $"ecr_{tag}_pg", none = $"ecr_{tag}_none";
            _airflow.Seed(docker, Kit.UsersDocker(password: "users-old-Pa55"));
            _airflow.Seed(other, Kit.Postgres("pg-Pa55-secret"));
            _airflow.Seed($"unrelated_{tag}", Kit.Postgres());
            var log = new RecordingLog();

            var outcome = await Kit.Read(Kit.Options(_airflow, AirflowApiVersion.V2), log, docker, other, none);

            Assert.Empty(outcome.Failed);
            Assert.Equal(new[] { docker, other, none }, outcome.Found.Select(f => f.ConnectionId));
            var d = outcome.Found[0];
            Assert.Equal(StoredKind.Docker, d.Kind);
            Assert.Equal(("docker", "old.example.com", "olduser", 5000, "v2", "Team registry"), (d.Type, d.Host, d.Login, d.Port, d.Schema, d.Description));
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse("{\"reauth\": false, \"email\": \"ops@example.com\", \"timeout\": 30}"), JsonNode.Parse(d.Extra!)));
            Assert.Equal(PasswordVisibility.Redacted, d.PasswordVisibility); // Airflow 3 returns "***": the result says so
            Assert.Null(d.Password);
            Assert.Equal((StoredKind.NotDocker, "a postgres connection"), (outcome.Found[1].Kind, outcome.Found[1].Type));
            Assert.Equal(StoredKind.Missing, outcome.Found[2].Kind);

            // ONE list request for the three ids.
            Assert.Equal(new[] { "GET /api/v2/connections 200" }, ApiLines());
            Assert.Contains("connection_id_pattern=" + Uri.EscapeDataString($"ecr_{tag}_%"), (string?)_airflow.Requests("GET").Single()["query"]);
            Kit.NoSecretIn(log.All + string.Join("\n", outcome.Found.Select(f => f.ToString())), "users-old-Pa55", "pg-Pa55-secret", AirflowEmulatorFixture.Password);
        }

        [Fact]
        public async Task An_extra_value_Airflow_masks_is_read_as_the_mask_never_as_the_value()
        {
            var id = Kit.Id("mask");
            _airflow.Seed(id, Kit.UsersDocker(extra: "{\"email\": \"a@example.com\", \"registry_token\": \"real-extra-secret\"}"));

            var outcome = await Kit.Read(Kit.Options(_airflow, AirflowApiVersion.V2), new RecordingLog(), id);

            var found = Assert.Single(outcome.Found);
            Assert.Equal(new[] { "registry_token" }, ApiExtra.MaskedKeys(found.Extra));
            Assert.DoesNotContain("real-extra-secret", found.Extra);
        }

        [Fact]
        public async Task Reads_one_id_with_the_list_too_and_pages_only_when_more_match()
        {
            var tag = Guid.NewGuid().ToString("n").Substring(0, 6);
            var ids = Enumerable.Range(0, AirflowApiV2.PageSize + 5).Select(i => $"p{tag}_{i:D3}").ToArray();
            foreach (var id in ids)
            {
                _airflow.Seed(id, Kit.UsersDocker());
            }

            _airflow.ClearRequests();
            var one = await Kit.Read(Kit.Options(_airflow, AirflowApiVersion.V2), new RecordingLog(), ids[0]);
            Assert.Equal(StoredKind.Docker, Assert.Single(one.Found).Kind);
            Assert.Single(_airflow.Requests("GET"));

            _airflow.ClearRequests();
            var last = await Kit.Read(Kit.Options(_airflow, AirflowApiVersion.V2), new RecordingLog(), ids[0], ids[^1]);
            Assert.All(last.Found, f => Assert.Equal(StoredKind.Docker, f.Kind));
            Assert.Equal(2, _airflow.Requests("GET").Count); // 105 ids share the prefix: the second id is on page two
        }

        [Fact]
        public async Task A_wrong_Airflow_password_stops_the_read_as_on_writes()
        {
            var wrong = "wrong-Pa55word";
            var ex = await Assert.ThrowsAsync<EcrAirflowException>(() => Kit.Read(Kit.Options(_airflow, AirflowApiVersion.V2, wrong), new RecordingLog(), Kit.Id("a")));

            Assert.Equal("AirflowAuthenticationFailed", ex.ErrorId);
            Assert.Equal(new[] { "POST /auth/token 401" }, _airflow.RequestLines());
            Kit.NoSecretIn(Kit.Describe(ex), wrong);
        }

        [Fact]
        public async Task A_proxys_page_is_not_a_list_of_connections()
        {
            await Kit.Read(Kit.Options(_airflow, AirflowApiVersion.V2), new RecordingLog(), Kit.Id("warm")); // token
            _airflow.FaultPage("GET", "/api/v2/connections", 200, "<html><body>Please log in</body></html>");

            var ex = await Assert.ThrowsAsync<EcrAirflowException>(() => Kit.Read(Kit.Options(_airflow, AirflowApiVersion.V2), new RecordingLog(), Kit.Id("a"), Kit.Id("b")));

            Assert.Equal("AirflowUnexpectedResponse", ex.ErrorId);
            Assert.Contains("a list of connections", ex.Message);
        }

        [Fact]
        public async Task No_API_at_the_URL_is_AirflowApiNotFound()
        {
            await Kit.Read(Kit.Options(_airflow, AirflowApiVersion.V2), new RecordingLog(), Kit.Id("warm")); // token
            _airflow.FaultPage("GET", "/api/v2/connections", 404, "<html><body>404 Not Found</body></html>");

            var ex = await Assert.ThrowsAsync<EcrAirflowException>(() => Kit.Read(Kit.Options(_airflow, AirflowApiVersion.V2), new RecordingLog(), Kit.Id("a")));

            Assert.Equal("AirflowApiNotFound", ex.ErrorId);
        }

        [Fact]
        public async Task Asked_for_API_v1_Airflow_3s_404_means_no_API_not_a_missing_connection()
        {
            var ex = await Assert.ThrowsAsync<EcrAirflowException>(() => Kit.Read(Kit.Options(_airflow, AirflowApiVersion.V1), new RecordingLog(), Kit.Id("v1")));

            Assert.Equal("AirflowApiNotFound", ex.ErrorId);
            Assert.Contains("-ApiVersion", ex.Hint);
        }
    }
}
