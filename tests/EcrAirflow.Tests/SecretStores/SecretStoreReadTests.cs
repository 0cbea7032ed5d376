using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Core.Airflow;
using EcrAirflow.Aws;
using EcrAirflow.Core.AwsApi;
using EcrAirflow.Core.Internal.Secrets;
using EcrAirflow.Modes;
using EcrAirflow.Core.Modes;
using EcrAirflow.Core.Modes.ParameterStore;
using EcrAirflow.Core.Modes.SecretsManager;
using EcrAirflow.Tests.Rest;
using Xunit;

namespace EcrAirflow.Tests.SecretStores
{
    /// <summary>
    /// The secret stores' read side against moto (SigV4 and IAM checked): GetSecretValue and GetParameter with
    /// decryption, as Airflow's backends read, for every kind of value a name may hold. What is read is what a
    /// user or another tool put there with boto3 (<see cref="MotoStores"/>).
    /// </summary>
    [Collection("moto")]
    public sealed class SecretStoreReadTests
    {
        private const string StoredPassword = "stored+/=Pa55:";
        private const string OtherSecret = "db-Pa55+/=not-docker";

        private readonly MotoFixture _moto;

        public SecretStoreReadTests(MotoFixture moto) => _moto = moto;

        private ModeContext Context((string AccessKeyId, string SecretAccessKey) key) => new ModeContext
        {
            Aws = new AwsSessionRequest
            {
                Region = "eu-west-1",
                EndpointUrl = _moto.Endpoint,
                Credentials = new AwsCredentialRequest { AccessKeyId = key.AccessKeyId, SecretAccessKey = key.SecretAccessKey },
                MaximumRetryCount = 1,
                RetryBaseDelay = TimeSpan.FromMilliseconds(20),
            },
        };

        private IConnectionTarget SecretsManager((string, string) key) => new SecretsManagerTarget(new SecretsManagerParameters(), Context(key), new AwsBackendService());

        private IConnectionTarget ParameterStore((string, string) key) => new ParameterStoreTarget(new ParameterStoreParameters(), Context(key), new AwsBackendService());

        private static Task<ReadOutcome> Read(IConnectionTarget target, RecordingLog log, params string[] ids) =>
            target.ReadAsync(ids.Select(id => new ConnectionRef(id)).ToList(), log, CancellationToken.None);

        private static string Id(string tag) => Kit.Id(tag);

        private static string Json(string password) =>
            "{\"conn_type\": \"docker\", \"host\": \"old.example.com\", \"login\": \"olduser\", \"password\": \"" + password + "\", \"port\": 5000, \"schema\": \"team\", \"extra\": {\"reauth\": false, \"timeout\": 30}}";

        private static void IsTheSeededConnection(StoredConnection stored, string password)
        {
            Assert.Equal(StoredKind.Docker, stored.Kind);
            Assert.Equal("docker", stored.Type);
            Assert.Equal("old.example.com", stored.Host);
            Assert.Equal("olduser", stored.Login);
            Assert.Equal(5000, stored.Port);
            Assert.Equal("team", stored.Schema);
            Assert.Contains("\"timeout\"", stored.Extra);
            Assert.Equal(PasswordVisibility.Readable, stored.PasswordVisibility);
            Assert.Equal(password, SecureText.Reveal(stored.Password!));
        }

        /// <summary>What a user may see (ToString, messages, the log) never holds a stored secret.</summary>
        private static void NothingSecretIn(ReadOutcome outcome, RecordingLog log, params string[] secrets)
        {
            var text = string.Join("\n", outcome.Found.Select(f => f.ToString() + " " + f.Type + " " + f.Location))
                + string.Join("\n", outcome.Failed.Select(f => Kit.Describe(f.Error))) + "\n" + log.All;
            Kit.NoSecretIn(text, secrets);
        }

        [Fact]
        public async Task SecretsManager_reads_JSON_a_URI_a_SecretBinary_other_JSON_and_nothing_in_the_order_asked()
        {
            var json = Id("smjson");
            var uri = Id("smuri");
            var binary = Id("smbin");
            var other = Id("smother");
            var missing = Id("smnone");
            var jsonPassword = StoredPassword + json;
            MotoStores.Seed(_moto, "secret", new { name = "airflow/connections/" + json, @string = Json(jsonPassword) });
            MotoStores.Seed(_moto, "secret", new { name = "airflow/connections/" + uri, @string = "docker://olduser:" + Uri.EscapeDataString(StoredPassword) + "@old.example.com:5000/team?reauth=false&timeout=30" });
            MotoStores.Seed(_moto, "secret", new { name = "airflow/connections/" + binary, binary = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(OtherSecret)) });
            MotoStores.Seed(_moto, "secret", new { name = "airflow/connections/" + other, @string = "{\"db_password\": \"" + OtherSecret + "\"}" });
            var log = new RecordingLog();

            var outcome = await Read(SecretsManager(_moto.Writer), log, json, uri, binary, other, missing);

            Assert.Empty(outcome.Failed);
            Assert.Equal(new[] { json, uri, binary, other, missing }, outcome.Found.Select(f => f.ConnectionId).ToArray());
            IsTheSeededConnection(outcome.Found[0], jsonPassword);
            Assert.Equal("secretsmanager:eu-west-1:airflow/connections/" + json, outcome.Found[0].Location);
            Assert.Equal(Json(jsonPassword), outcome.Found[0].Raw);
            var fromUri = outcome.Found[1];
            Assert.Equal(StoredKind.Docker, fromUri.Kind);
            Assert.Equal("old.example.com", fromUri.Host);
            Assert.Equal(5000, fromUri.Port);
            Assert.Equal("team", fromUri.Schema);
            Assert.Equal("{\"reauth\":\"false\",\"timeout\":\"30\"}", fromUri.Extra);
            Assert.Equal(StoredPassword, SecureText.Reveal(fromUri.Password!));
            Assert.Equal((StoredKind.NotDocker, "a SecretBinary"), (outcome.Found[2].Kind, outcome.Found[2].Type));
            Assert.Equal((StoredKind.NotDocker, "a JSON object without conn_type"), (outcome.Found[3].Kind, outcome.Found[3].Type));
            Assert.Null(outcome.Found[3].Raw); // only the kind of what is not ours is kept
            Assert.Equal(StoredKind.Missing, outcome.Found[4].Kind);
            NothingSecretIn(outcome, log, jsonPassword, StoredPassword, OtherSecret, _moto.Writer.SecretAccessKey);
        }

        [Fact]
        public async Task SecretsManager_reports_a_secret_pending_deletion_for_its_id_and_reads_the_others()
        {
            var deleted = Id("smdel");
            var kept = Id("smkept");
            MotoStores.Seed(_moto, "secret", new { name = "airflow/connections/" + deleted, @string = Json(StoredPassword) });
            MotoStores.Seed(_moto, "secret", new { name = "airflow/connections/" + kept, @string = Json(StoredPassword) });
            MotoStores.DeleteSecret(_moto, "airflow/connections/" + deleted);
            var log = new RecordingLog();

            var outcome = await Read(SecretsManager(_moto.Writer), log, deleted, kept);

            var failure = Assert.Single(outcome.Failed);
            Assert.Equal(deleted, failure.ConnectionId);
            Assert.Equal("SecretsManagerSecretPendingDeletion", failure.Error.ErrorId);
            Assert.Contains("restore-secret", failure.Error.Hint);
            Assert.Equal(kept, Assert.Single(outcome.Found).ConnectionId);
            NothingSecretIn(outcome, log, StoredPassword);
        }

        [Fact]
        public async Task SecretsManager_access_denied_names_GetSecretValue_and_stops_before_any_read()
        {
            var id = Id("smdeny");
            MotoStores.Seed(_moto, "secret", new { name = "airflow/connections/" + id, @string = Json(StoredPassword) });
            var log = new RecordingLog();

            var ex = await Assert.ThrowsAsync<EcrAirflowException>(() => Read(SecretsManager(_moto.EcrOnly), log, id, Id("smdeny2")));

            Assert.Equal("SecretsManagerAccessDenied", ex.ErrorId);
            Assert.Equal(FailureKind.PermissionDenied, ex.Kind);
            Assert.Contains("secretsmanager:GetSecretValue", ex.Hint);
            Kit.NoSecretIn(Kit.Describe(ex) + log.All, StoredPassword, _moto.EcrOnly.SecretAccessKey);
        }

        [Fact]
        public async Task ParameterStore_reads_a_SecureString_a_String_a_StringList_and_nothing_with_decryption_in_the_order_asked()
        {
            var secure = Id("pssec");
            var plain = Id("psstr");
            var list = Id("pslist");
            var missing = Id("psnone");
            var securePassword = StoredPassword + secure;
            MotoStores.Seed(_moto, "parameter", new { name = "/airflow/connections/" + secure, value = Json(securePassword), type = "SecureString", keyId = "alias/team-key" });
            MotoStores.Seed(_moto, "parameter", new { name = "/airflow/connections/" + plain, value = Json(StoredPassword), type = "String" });
            MotoStores.Seed(_moto, "parameter", new { name = "/airflow/connections/" + list, value = "docker://olduser:" + Uri.EscapeDataString(StoredPassword) + "@old.example.com:5000/team", type = "StringList" });
            var log = new RecordingLog();

            var outcome = await Read(ParameterStore(_moto.Writer), log, secure, plain, list, missing);

            Assert.Empty(outcome.Failed);
            Assert.Equal(new[] { secure, plain, list, missing }, outcome.Found.Select(f => f.ConnectionId).ToArray());
            IsTheSeededConnection(outcome.Found[0], securePassword); // decrypted, as the backend reads it
            Assert.Equal("ssm:eu-west-1:/airflow/connections/" + secure, outcome.Found[0].Location);
            IsTheSeededConnection(outcome.Found[1], StoredPassword);
            Assert.Equal(StoredKind.Docker, outcome.Found[2].Kind);
            Assert.Equal(5000, outcome.Found[2].Port);
            Assert.Equal(StoredPassword, SecureText.Reveal(outcome.Found[2].Password!));
            Assert.Equal(StoredKind.Missing, outcome.Found[3].Kind);
            NothingSecretIn(outcome, log, securePassword, StoredPassword, _moto.Writer.SecretAccessKey);
        }

        [Fact]
        public async Task ParameterStore_reports_what_is_not_a_Docker_connection_by_its_kind()
        {
            var other = Id("psother");
            MotoStores.Seed(_moto, "parameter", new { name = "/airflow/connections/" + other, value = OtherSecret, type = "String" });
            var log = new RecordingLog();

            var outcome = await Read(ParameterStore(_moto.Writer), log, other);

            Assert.Equal((StoredKind.NotDocker, "text that is not a connection URI"), (outcome.Found[0].Kind, outcome.Found[0].Type));
            NothingSecretIn(outcome, log, OtherSecret);
        }

        [Fact]
        public async Task ParameterStore_access_denied_names_GetParameter()
        {
            var log = new RecordingLog();
            var ex = await Assert.ThrowsAsync<EcrAirflowException>(() => Read(ParameterStore(_moto.EcrOnly), log, Id("psdeny")));
            Assert.Equal("ParameterStoreAccessDenied", ex.ErrorId);
            Assert.Equal(FailureKind.PermissionDenied, ex.Kind);
            Assert.Contains("ssm:GetParameter", ex.Hint);
            Kit.NoSecretIn(Kit.Describe(ex) + log.All, _moto.EcrOnly.SecretAccessKey);
        }
    }
}
