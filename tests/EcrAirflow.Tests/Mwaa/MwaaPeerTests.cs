using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using EcrAirflow.Core.Airflow;
using EcrAirflow.Modes;
using EcrAirflow.Core.Modes;
using EcrAirflow.Tests.Rest;

namespace EcrAirflow.Tests.Mwaa
{
    /// <summary>Mwaa mode's read side and refresh against the MWAA peer, on Airflow 2 (API v1) and an Airflow 3.0 release (API v2).</summary>
    public sealed class MwaaPeerTests : IClassFixture<MwaaPeerFixture>
    {
        private readonly MwaaPeerFixture _mwaa;

        public MwaaPeerTests(MwaaPeerFixture mwaa)
        {
            _mwaa = mwaa;
            _mwaa.Reset();
        }

        private Task<ReadOutcome> Read(int version, RecordingLog log, params string[] ids) =>
            _mwaa.Target(version).ReadAsync(ids.Select(id => new ConnectionRef(id)).ToList(), log, CancellationToken.None);

        [Theory]
        [InlineData(2)]
        [InlineData(3)]
        public async Task Reads_Missing_Docker_and_another_type_and_says_what_it_knows_of_the_password(int version)
        {
            var airflow = _mwaa.Airflow(version);
            var tag = Guid.NewGuid().ToString("n").Substring(0, 8);
            string docker = $"m{tag}_dock", other = $"m{tag}_pg", none = $"m{tag}_none";
            airflow.Seed(docker, Kit.UsersDocker(password: "users-old-Pa55"));
            airflow.Seed(other, Kit.Postgres("pg-Pa55-secret"));
            var log = new RecordingLog();

            var outcome = await Read(version, log, docker, other, none);

            Assert.Empty(outcome.Failed);
            Assert.Equal(new[] { docker, other, none }, outcome.Found.Select(f => f.ConnectionId));
            var d = outcome.Found[0];
            Assert.Equal(("docker", "old.example.com", "olduser", 5000, "v2", "Team registry"), (d.Type, d.Host, d.Login, d.Port, d.Schema, d.Description));
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse("{\"reauth\": false, \"email\": \"ops@example.com\", \"timeout\": 30}"), JsonNode.Parse(d.Extra!)));
            Assert.Equal(version == 2 ? PasswordVisibility.NotReturned : PasswordVisibility.Redacted, d.PasswordVisibility);
            Assert.Equal((StoredKind.NotDocker, "a postgres connection"), (outcome.Found[1].Kind, outcome.Found[1].Type));
            Assert.Equal(StoredKind.Missing, outcome.Found[2].Kind);
            Assert.Equal($"mwaa:us-east-1:af{version} (connection {docker})", d.Location);

            var expected = version == 2
                ? new[] { $"GET /connections/{docker} -> 200", $"GET /connections/{other} -> 200", $"GET /connections/{none} -> 404" }
                : new[] { "GET /connections -> 200" }; // many ids in ONE InvokeRestApi call
            Assert.Equal(expected, _mwaa.InvokeLines());
            Kit.NoSecretIn(log.All + _mwaa.RequestLogText() + string.Join("\n", outcome.Found.Select(f => f.ToString())), "users-old-Pa55", "pg-Pa55-secret", AirflowEmulatorFixture.Password, MwaaPeerFixture.SecretAccessKey);
        }

        [Fact]
        public async Task On_Airflow_2_a_52_character_id_is_refused_before_any_call_on_Airflow_3_it_is_read()
        {
            var longId = "m" + Guid.NewGuid().ToString("n") + new string('x', 19);
            Assert.Equal(52, longId.Length);
            _mwaa.Airflow3.Seed(longId, Kit.UsersDocker());

            var two = await Read(2, new RecordingLog(), longId);
            Assert.Equal("MwaaPathTooLong", Assert.Single(two.Failed).Error.ErrorId);
            Assert.Empty(two.Found);
            Assert.Empty(_mwaa.InvokeLines());

            var three = await Read(3, new RecordingLog(), longId);
            Assert.Equal(StoredKind.Docker, Assert.Single(three.Found).Kind);
            Assert.Equal(new[] { "GET /connections -> 200" }, _mwaa.InvokeLines());
        }

        [Theory]
        [InlineData(2, "/api/v1/connections/{0}")]
        [InlineData(3, "/api/v2/connections")]
        public async Task An_Airflow_500_on_the_read_is_retried_then_AirflowUnavailable(int version, string path)
        {
            var id = "m" + Guid.NewGuid().ToString("n").Substring(0, 10);
            _mwaa.Airflow(version).Fault("GET", string.Format(System.Globalization.CultureInfo.InvariantCulture, path, id), 500, times: 10);

            var ex = await Assert.ThrowsAsync<EcrAirflowException>(() => Read(version, new RecordingLog(), id));

            Assert.Equal("AirflowUnavailable", ex.ErrorId);
            Assert.Equal(4, _mwaa.InvokeLines().Count); // 1 + the default 3 retries
        }

        [Fact]
        public async Task A_refresh_on_Airflow_3_is_one_read_and_one_write_and_keeps_what_the_user_set()
        {
            var tag = Guid.NewGuid().ToString("n").Substring(0, 8);
            string keep = $"m{tag}_keep", added = $"m{tag}_new";
            _mwaa.Airflow3.Seed(keep, Kit.UsersDocker());
            var fresh = Kit.Secret("fresh");

            var outcome = await _mwaa.Target(3).WriteAsync(new[] { Kit.Connection(keep, fresh), Kit.Connection(added, Kit.Secret("n")) }, new RecordingLog(), CancellationToken.None);

            Assert.Equal(new[] { (keep, SyncAction.Updated), (added, SyncAction.Created) }, outcome.Written.Select(r => (r.ConnectionId, r.Action)));
            Assert.Equal(new[] { "GET /connections -> 200", "PATCH /connections -> 200" }, _mwaa.InvokeLines());
            var stored = _mwaa.Airflow3.StoredConnection(keep)!;
            Assert.Equal((fresh, 5000L, "v2"), ((string?)stored["password"], (long?)stored["port"], (string?)stored["schema"]));
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse("{\"reauth\": false, \"email\": \"ops@example.com\", \"timeout\": 30}"), _mwaa.Airflow3.StoredExtra(keep)));
        }
    }
}
