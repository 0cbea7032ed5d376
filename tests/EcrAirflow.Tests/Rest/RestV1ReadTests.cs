using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;
using EcrAirflow.Core.Airflow;

namespace EcrAirflow.Tests.Rest
{
    /// <summary>The read side of Rest mode on Airflow 2 (API v1) against the emulator.</summary>
    public sealed class RestV1ReadTests : IClassFixture<Airflow2Emulator>
    {
        private readonly Airflow2Emulator _airflow;

        public RestV1ReadTests(Airflow2Emulator airflow)
        {
            _airflow = airflow;
            _airflow.Reset();
        }

        [Fact]
        public async Task Says_what_is_there_for_each_id_in_order_without_the_password()
        {
            var docker = Kit.Id("dock");
            var other = Kit.Id("pg");
            var none = Kit.Id("none");
            _airflow.Seed(docker, Kit.UsersDocker(password: "users-old-Pa55"));
            _airflow.Seed(other, Kit.Postgres("pg-Pa55-secret"));
            var log = new RecordingLog();

            var outcome = await Kit.Read(Kit.Options(_airflow, AirflowApiVersion.V1), log, docker, other, none);

            Assert.Empty(outcome.Failed);
            Assert.Equal(new[] { docker, other, none }, outcome.Found.Select(f => f.ConnectionId));
            var d = outcome.Found[0];
            Assert.Equal(StoredKind.Docker, d.Kind);
            Assert.Equal(("docker", "old.example.com", "olduser", 5000, "v2", "Team registry"), (d.Type, d.Host, d.Login, d.Port, d.Schema, d.Description));
            Assert.Equal(JsonNode.Parse("{\"reauth\": false, \"email\": \"ops@example.com\", \"timeout\": 30}")!.ToJsonString(), JsonNode.Parse(d.Extra!)!.ToJsonString());
            Assert.Equal(PasswordVisibility.NotReturned, d.PasswordVisibility); // Airflow 2 never returns it: the result says so
            Assert.Null(d.Password);
            var p = outcome.Found[1];
            Assert.Equal(StoredKind.NotDocker, p.Kind);
            Assert.Equal("a postgres connection", p.Type);
            Assert.Null(p.Host);
            Assert.Equal(StoredKind.Missing, outcome.Found[2].Kind);
            Assert.Equal(new[] { $"GET /api/v1/connections/{docker} 200", $"GET /api/v1/connections/{other} 200", $"GET /api/v1/connections/{none} 404" }, _airflow.RequestLines());
            var said = log.All + string.Join("\n", outcome.Found.Select(f => f.ToString()));
            Kit.NoSecretIn(said, "users-old-Pa55", "pg-Pa55-secret", AirflowEmulatorFixture.Password);
        }

        [Fact]
        public async Task A_wrong_Airflow_password_stops_the_read_as_on_writes()
        {
            var wrong = "wrong-Pa55word";
            var ex = await Assert.ThrowsAsync<EcrAirflowException>(() => Kit.Read(Kit.Options(_airflow, AirflowApiVersion.V1, wrong), new RecordingLog(), Kit.Id("a"), Kit.Id("b")));

            Assert.Equal("AirflowAuthenticationFailed", ex.ErrorId);
            Assert.Equal(FailureKind.PermissionDenied, ex.Kind);
            Assert.Single(_airflow.RequestLines()); // the first 401 stops the batch
            Kit.NoSecretIn(Kit.Describe(ex), wrong, AirflowEmulatorFixture.Password);
        }

        [Fact]
        public async Task A_proxys_login_page_is_not_a_connection()
        {
            var id = Kit.Id("html");
            _airflow.FaultPage("GET", $"/api/v1/connections/{id}", 200, "<html><body>Please log in</body></html>");

            var outcome = await Kit.Read(Kit.Options(_airflow, AirflowApiVersion.V1), new RecordingLog(), id);

            var failure = Assert.Single(outcome.Failed); // as on writes: reported for that id, never read as Missing
            Assert.Empty(outcome.Found);
            Assert.Equal((id, "AirflowUnexpectedResponse"), (failure.ConnectionId, failure.Error.ErrorId));
            Assert.Contains("login page", failure.Error.Hint);
        }

        [Theory]
        [InlineData("<html><body>404 Not Found</body></html>")]   // a proxy's page
        [InlineData("{\"detail\": \"The requested URL was not found on the server.\", \"status\": 404, \"title\": \"Not Found\"}")] // a route Airflow does not have
        public async Task A_404_that_is_not_about_the_connection_means_no_API_not_Missing(string body)
        {
            var id = Kit.Id("noapi");
            if (body.StartsWith("{", StringComparison.Ordinal))
            {
                _airflow.Fault("GET", $"/api/v1/connections/{id}", 404, body: JsonNode.Parse(body));
            }
            else
            {
                _airflow.FaultPage("GET", $"/api/v1/connections/{id}", 404, body);
            }

            var ex = await Assert.ThrowsAsync<EcrAirflowException>(() => Kit.Read(Kit.Options(_airflow, AirflowApiVersion.V1), new RecordingLog(), id));

            Assert.Equal("AirflowApiNotFound", ex.ErrorId);
            Assert.Contains("-AirflowUrl", ex.Hint);
        }
    }
}
