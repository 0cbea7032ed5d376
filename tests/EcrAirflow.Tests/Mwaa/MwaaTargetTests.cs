using System;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using EcrAirflow.Core.AwsApi;
using EcrAirflow.Modes;
using EcrAirflow.Core.Modes;
using EcrAirflow.Core.Modes.Mwaa;
using EcrAirflow.Tests.Rest;

namespace EcrAirflow.Tests.Mwaa
{
    public sealed class MwaaTargetTests
    {
        private static MwaaTarget Target(AirflowApiVersion api, ScriptedMwaa mwaa, string? region = "eu-west-1") => new MwaaTarget(
            new MwaaParameters { MwaaEnvironmentName = "demo", ApiVersion = api },
            new ModeContext { Aws = new AwsSessionRequest { Region = region, RetryBaseDelay = TimeSpan.FromMilliseconds(5) } },
            mwaa);

        [Fact]
        public async Task Airflow_2_GET_404_then_POST_creates_the_connection_and_says_so()
        {
            var secret = Kit.Secret("create");
            var mwaa = new ScriptedMwaa((call, body) => body.Contains("\"GET\"")
                ? ScriptedMwaa.Wrapped("RestApiClientException", 404, "{\"detail\":\"The Connection with connection_id: `ecr` was not found\",\"title\":\"Connection not found\"}")
                : ScriptedMwaa.Ok(200, "{\"connection_id\":\"ecr\"}"));
            var log = new RecordingLog();
            var target = Target(AirflowApiVersion.V1, mwaa);

            var outcome = await target.WriteAsync(new[] { Kit.Connection("ecr", secret) }, log, CancellationToken.None);

            var result = Assert.Single(outcome.Written);
            Assert.Empty(outcome.Failed);
            Assert.Equal("Mwaa", result.Mode);
            Assert.Equal("mwaa:eu-west-1:demo", result.Target);
            Assert.Equal("V1", result.ApiVersion);
            Assert.Equal(SyncAction.Created, result.Action);
            Assert.Equal(new[] { "/connections/ecr", "/connections" }, mwaa.Calls.Select(c => JsonDocument.Parse(c.Body).RootElement.GetProperty("Path").GetString()).ToArray());
            Assert.Contains("Region eu-west-1 (from a test).", log.All); // what opening the session said, replayed
            Kit.NoSecretIn(log.All, secret);
        }

        [Fact]
        public async Task Auto_reads_the_version_with_GetEnvironment_once_and_writes_Airflow_3_in_one_call()
        {
            MwaaVersionLookup.ClearForTests();
            var mwaa = new ScriptedMwaa((call, body) => call.Operation == "GetEnvironment"
                ? ScriptedMwaa.Environment("3.0.6")
                : body.Contains("\"GET\"")
                    ? ScriptedMwaa.Ok(200, "{\"connections\":[],\"total_entries\":0}")
                    : ScriptedMwaa.Ok(200, "{\"create\":{\"success\":[\"a\",\"b\",\"c\"],\"errors\":[]},\"update\":null}"));
            var connections = new[] { Kit.Connection("a", Kit.Secret("a")), Kit.Connection("b", Kit.Secret("b")), Kit.Connection("c", Kit.Secret("c")) };

            for (var run = 0; run < 2; run++)
            {
                var outcome = await Target(AirflowApiVersion.Auto, mwaa).WriteAsync(connections, new RecordingLog(), CancellationToken.None);
                Assert.Equal(new[] { "a", "b", "c" }, outcome.Written.Select(r => r.ConnectionId).ToArray());
                Assert.All(outcome.Written, r => Assert.Equal(SyncAction.Created, r.Action));
            }

            // GetEnvironment once; then per run one list read and one bulk write, whatever the number of connections.
            Assert.Equal(new[] { "GetEnvironment", "InvokeRestApi", "InvokeRestApi", "InvokeRestApi", "InvokeRestApi" }, mwaa.Calls.Select(c => c.Call.Operation).ToArray());
            using (var read = JsonDocument.Parse(mwaa.Calls[1].Body))
            {
                Assert.Equal(("GET", "/connections"), (read.RootElement.GetProperty("Method").GetString(), read.RootElement.GetProperty("Path").GetString()));
                Assert.Equal("100", read.RootElement.GetProperty("QueryParameters").GetProperty("limit").GetString());
            }

            var get = mwaa.Calls[0].Call;
            Assert.Equal(("GET", "/environments/demo", "api."), (get.Method, get.Path, get.HostPrefix));
        }

        [Fact]
        public async Task A_52_character_id_is_refused_on_Airflow_2_before_any_call_and_the_others_are_written()
        {
            // Only ecr_ok may reach MWAA, so every reply there is is about its connection.
            var mwaa = new ScriptedMwaa((call, body) => ScriptedMwaa.Ok(200, "{\"connection_id\":\"ecr_ok\",\"conn_type\":\"docker\"}"));
            var target = Target(AirflowApiVersion.V1, mwaa);
            var longId = new string('x', 52);

            var ex = Assert.Throws<EcrAirflowException>(() => target.Describe(Kit.Connection(longId, "pw-long")));
            Assert.Equal("MwaaPathTooLong", ex.ErrorId);
            Assert.Contains("51", ex.Message);

            var outcome = await target.WriteAsync(new[] { Kit.Connection(longId, "pw-long"), Kit.Connection("ecr_ok", "pw-ok") }, new RecordingLog(), CancellationToken.None);
            Assert.Equal("MwaaPathTooLong", Assert.Single(outcome.Failed).Error.ErrorId);
            Assert.Equal("ecr_ok", Assert.Single(outcome.Written).ConnectionId);
            Assert.Equal(2, mwaa.Calls.Count); // GET and PATCH of ecr_ok only

            // The read side refuses the long id the same way, before any call.
            mwaa.Calls.Clear();
            var read = await target.ReadAsync(new[] { new ConnectionRef(longId), new ConnectionRef("ecr_ok") }, new RecordingLog(), CancellationToken.None);
            Assert.Equal((longId, "MwaaPathTooLong"), (Assert.Single(read.Failed).ConnectionId, read.Failed[0].Error.ErrorId));
            Assert.Equal("ecr_ok", Assert.Single(read.Found).ConnectionId);
            Assert.Single(mwaa.Calls);
        }

        [Fact]
        public void WhatIf_text_names_the_environment_and_the_region_from_the_piped_credential()
        {
            var mwaa = new ScriptedMwaa((call, body) => throw new InvalidOperationException("no call expected"));
            var target = Target(AirflowApiVersion.Auto, mwaa, region: null);
            var text = target.Describe(Kit.Connection("ecr", "pw-whatif") with { Region = "ap-southeast-2" });
            Assert.Contains("MWAA environment 'demo' in ap-southeast-2", text);
            Assert.Equal("ap-southeast-2", Assert.Single(mwaa.Opened).FallbackRegion);
            Assert.Empty(mwaa.Calls);
        }

        [Fact]
        public async Task A_reply_that_is_not_a_bulk_response_is_unknown_not_a_success_and_points_at_ApiVersion()
        {
            var mwaa = new ScriptedMwaa((call, body) => body.Contains("\"GET\"")
                ? ScriptedMwaa.Ok(200, "{\"connections\":[],\"total_entries\":0}")
                : ScriptedMwaa.Ok(200, "{\"connection_id\":\"ecr\"}"));
            var target = Target(AirflowApiVersion.V2, mwaa);
            var failure = await Assert.ThrowsAsync<EcrAirflowException>(() => target.WriteAsync(new[] { Kit.Connection("ecr", "pw-odd") }, new RecordingLog(), CancellationToken.None));
            Assert.Equal("AirflowUnexpectedResponse", failure.ErrorId);
            Assert.Contains("whether the connections were written is unknown", failure.Message);
            Assert.Contains("-ApiVersion", failure.Hint);
            Assert.DoesNotContain("-AirflowUrl", failure.Hint);
        }

        [Fact]
        public async Task An_Airflow_403_through_MWAA_gets_MWAAs_hint_about_the_Airflow_role()
        {
            var mwaa = new ScriptedMwaa((call, body) => ScriptedMwaa.Wrapped("RestApiClientException", 403, "{\"detail\":\"Forbidden\"}"));
            var target = Target(AirflowApiVersion.V2, mwaa);
            var ex = await Assert.ThrowsAsync<EcrAirflowException>(() => target.WriteAsync(new[] { Kit.Connection("ecr", "pw-403") }, new RecordingLog(), CancellationToken.None));
            Assert.Equal("AirflowPermissionDenied", ex.ErrorId);
            Assert.Contains("Op or Admin", ex.Hint);
            Assert.Contains("airflow:InvokeRestApi", ex.Hint);
        }
    }
}
