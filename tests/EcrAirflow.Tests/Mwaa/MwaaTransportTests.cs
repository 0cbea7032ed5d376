using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using EcrAirflow.Core.Airflow;
using EcrAirflow.Core.Airflow.Api;
using EcrAirflow.Core.AwsApi;
using EcrAirflow.Core.Internal.Secrets;
using EcrAirflow.Core.Modes.Mwaa;
using EcrAirflow.Tests.Rest;

namespace EcrAirflow.Tests.Mwaa
{
    public sealed class MwaaTransportTests
    {
        private static MwaaTransport Transport(ScriptedMwaa mwaa, SecretRedactor? redactor = null, int retries = 2) =>
            new MwaaTransport(mwaa, "demo", redactor ?? new SecretRedactor(), retries, TimeSpan.FromMilliseconds(5));

        private static Task<AirflowReply> Patch(MwaaTransport transport, string apiPath, byte[]? body, RecordingLog? log = null) =>
            transport.SendAsync(new HttpMethod("PATCH"), apiPath, body, null, log ?? new RecordingLog(), CancellationToken.None);

        [Fact]
        public async Task Wraps_the_Airflow_call_in_one_signed_InvokeRestApi_with_the_body_as_a_JSON_document()
        {
            var secret = Kit.Secret("wrap");
            var connection = Kit.Connection("ecr_wrap", secret);
            var mwaa = new ScriptedMwaa((call, body) => ScriptedMwaa.Ok(200, "{\"connection_id\":\"ecr_wrap\"}"));

            var reply = await Patch(Transport(mwaa), "api/v1/connections/ecr_wrap", ConnectionJson.RestV1(connection));

            var (call, sent) = Assert.Single(mwaa.Calls);
            Assert.Equal("InvokeRestApi", call.Operation);
            Assert.Equal("POST", call.Method);
            Assert.Equal("/restapi/demo", call.Path);
            Assert.Equal("env.", call.HostPrefix);
            using var doc = JsonDocument.Parse(sent);
            var root = doc.RootElement;
            Assert.Equal(new[] { "Method", "Path", "Body" }, root.EnumerateObject().Select(p => p.Name).ToArray()); // Name is the URI label
            Assert.Equal("PATCH", root.GetProperty("Method").GetString());
            Assert.Equal("/connections/ecr_wrap", root.GetProperty("Path").GetString()); // MWAA adds /api/v1 itself
            Assert.Equal(JsonValueKind.Object, root.GetProperty("Body").ValueKind);      // a document, not a string
            Assert.Equal(secret, root.GetProperty("Body").GetProperty("password").GetString());
            Assert.Equal("docker", root.GetProperty("Body").GetProperty("conn_type").GetString());

            Assert.Equal(200, reply.Code);
            Assert.Equal("{\"connection_id\":\"ecr_wrap\"}", reply.Body);
            Assert.Equal("PATCH mwaa://eu-west-1/demo/api/v1/connections/ecr_wrap", reply.Request);
        }

        [Fact]
        public async Task Sends_the_Airflow_3_bulk_path_and_no_Body_when_there_is_none()
        {
            var mwaa = new ScriptedMwaa((call, body) => ScriptedMwaa.Ok(200, "{}"));
            await Patch(Transport(mwaa), "api/v2/connections", null);
            using var doc = JsonDocument.Parse(mwaa.Calls[0].Body);
            Assert.Equal("/connections", doc.RootElement.GetProperty("Path").GetString());
            Assert.False(doc.RootElement.TryGetProperty("Body", out _));
        }

        [Fact]
        public async Task Unwraps_RestApiClientException_into_Airflows_own_status_and_body()
        {
            var mwaa = new ScriptedMwaa((call, body) => ScriptedMwaa.Wrapped("RestApiClientException", 404, "{\"title\":\"Connection not found\",\"status\":404}"));
            var reply = await Patch(Transport(mwaa), "api/v1/connections/ecr", new byte[] { (byte)'{', (byte)'}' });
            Assert.Equal(404, reply.Code);
            Assert.Contains("Connection not found", reply.Body);
            Assert.Single(mwaa.Calls); // a 404 is an answer, not retried
        }

        [Fact]
        public async Task Retries_an_Airflow_5xx_in_RestApiServerException_then_returns_it_for_the_target_to_report()
        {
            var mwaa = new ScriptedMwaa((call, body) => ScriptedMwaa.Wrapped("RestApiServerException", 503, "{\"detail\":\"busy\"}"));
            var log = new RecordingLog();
            var reply = await Patch(Transport(mwaa, retries: 2), "api/v2/connections", new byte[] { (byte)'{', (byte)'}' }, log);
            Assert.Equal(503, reply.Code);
            Assert.Equal(3, mwaa.Calls.Count);
            Assert.Contains("retry 2 of 2", log.All);
        }

        [Fact]
        public async Task Refuses_a_path_over_64_characters_without_calling_MWAA()
        {
            var mwaa = new ScriptedMwaa((call, body) => throw new InvalidOperationException("no call expected"));
            var ex = await Assert.ThrowsAsync<EcrAirflowException>(() => Patch(Transport(mwaa), "api/v1/connections/" + new string('a', 52), null));
            Assert.Equal("MwaaPathTooLong", ex.ErrorId);
            Assert.Contains("64", ex.Message);
            Assert.Empty(mwaa.Calls);
            Assert.Equal(51, MwaaErrors.MaxV1ConnectionIdLength);
            // A 51-character id fits exactly.
            var fits = new ScriptedMwaa((call, body) => ScriptedMwaa.Ok(200, "{}"));
            Assert.Equal(200, (await Patch(Transport(fits), "api/v1/connections/" + new string('a', 51), null)).Code);
        }

        [Fact]
        public async Task An_unknown_environment_is_MwaaEnvironmentNotFound_naming_environment_and_region()
        {
            var mwaa = new ScriptedMwaa((call, body) => ScriptedMwaa.Error(404, "ResourceNotFoundException", "Environment demo not found."));
            var ex = await Assert.ThrowsAsync<EcrAirflowException>(() => Patch(Transport(mwaa), "api/v2/connections", null));
            Assert.Equal("MwaaEnvironmentNotFound", ex.ErrorId);
            Assert.Equal(FailureKind.ObjectNotFound, ex.Kind);
            Assert.Contains("'demo' in eu-west-1", ex.Message);
            Assert.Contains("list-environments", ex.Hint);
        }

        [Fact]
        public async Task A_ValidationException_is_quoted_with_every_secret_masked()
        {
            var secret = Kit.Secret("valid");
            var redactor = new SecretRedactor();
            redactor.AddPair("AWS", secret);
            var mwaa = new ScriptedMwaa((call, body) => ScriptedMwaa.Error(400, "ValidationException", $"Value '{secret}' at 'body' failed to satisfy constraint"));
            var ex = await Assert.ThrowsAsync<EcrAirflowException>(() => Patch(Transport(mwaa, redactor), "api/v2/connections", null));
            Assert.Equal("MwaaValidationFailed", ex.ErrorId);
            Assert.Contains("failed to satisfy constraint", ex.Message);
            Assert.Contains(SecretRedactor.Mask, ex.Message);
            Kit.NoSecretIn(Kit.Describe(ex), secret);
        }

        [Fact]
        public async Task Access_denied_names_airflow_InvokeRestApi_and_an_Airflow_role_that_may_edit_connections()
        {
            var mwaa = new ScriptedMwaa((call, body) => throw new InvalidOperationException())
            {
                Throw = new EcrAirflowException("MwaaAccessDenied", FailureKind.PermissionDenied, "MWAA InvokeRestApi failed: AccessDeniedException: not authorized", "Grant …"),
            };
            var ex = await Assert.ThrowsAsync<EcrAirflowException>(() => Patch(Transport(mwaa), "api/v2/connections", null));
            Assert.Equal("MwaaAccessDenied", ex.ErrorId);
            Assert.Equal(FailureKind.PermissionDenied, ex.Kind);
            Assert.Contains("not authorized", ex.Message);
            Assert.Contains("airflow:InvokeRestApi", ex.Hint);
            Assert.Contains("arn:aws:airflow:eu-west-1:<account>:role/demo/", ex.Hint);
            Assert.Contains("Op or Admin", ex.Hint);
        }

        [Fact]
        public async Task A_success_without_RestApiStatusCode_is_a_malformed_reply_not_a_success()
        {
            var mwaa = new ScriptedMwaa((call, body) => new AwsReply(200, "<html>proxy</html>", null, null, null));
            var ex = await Assert.ThrowsAsync<EcrAirflowException>(() => Patch(Transport(mwaa), "api/v2/connections", null));
            Assert.Equal("MwaaMalformedResponse", ex.ErrorId);
        }

        [Theory]
        [InlineData("3.0.6", AirflowApiVersion.V2)]
        [InlineData("2.10.3", AirflowApiVersion.V1)]
        [InlineData("2.4.3", AirflowApiVersion.V1)]
        public void Reads_the_API_from_the_environments_Airflow_version(string version, AirflowApiVersion expected)
        {
            Assert.Equal(expected, MwaaVersionLookup.ApiFor(version, "demo", "eu-west-1"));
        }

        [Theory]
        [InlineData("2.4.2")]
        [InlineData("2.2.2")]
        [InlineData("1.10.12")]
        public void Refuses_an_environment_before_Airflow_2_4_3_naming_its_version(string version)
        {
            var ex = Assert.Throws<EcrAirflowException>(() => MwaaVersionLookup.ApiFor(version, "demo", "eu-west-1"));
            Assert.Equal("MwaaAirflowTooOld", ex.ErrorId);
            Assert.Contains(version, ex.Message);
            Assert.Contains("2.4.3", ex.Message);
        }

        [Theory]
        [InlineData("9-starts-with-a-digit")]
        [InlineData("has space")]
        [InlineData("arn:aws:airflow:eu-west-1:123456789012:environment/demo")]
        [InlineData("demo\n")]
        public void Refuses_a_name_that_is_not_an_MWAA_environment_name(string name)
        {
            var ex = Assert.Throws<EcrAirflowException>(() => MwaaErrors.ValidateEnvironmentName(name));
            Assert.Equal("InvalidMwaaEnvironmentName", ex.ErrorId);
            Assert.Contains("starts with a letter", ex.Hint);
        }

        [Fact]
        public void Takes_names_of_up_to_80_characters_and_refuses_81()
        {
            Assert.Equal("My_Env-2", MwaaErrors.ValidateEnvironmentName("My_Env-2"));
            Assert.Equal(80, MwaaErrors.ValidateEnvironmentName("a" + new string('b', 79)).Length);
            Assert.Equal("InvalidMwaaEnvironmentName", Assert.Throws<EcrAirflowException>(() => MwaaErrors.ValidateEnvironmentName(new string('a', 81))).ErrorId);
        }
    }
}
