using System;
using System.Collections;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Core.Airflow;
using EcrAirflow.Core.AwsApi;
using EcrAirflow.Modes;
using EcrAirflow.Core.Modes;
using EcrAirflow.Core.Modes.SecretsManager;
using EcrAirflow.Tests.Rest;
using Xunit;

namespace EcrAirflow.Tests.SecretStores
{
    /// <summary>
    /// Secrets Manager's write paths when another writer acts between two of our calls (a scripted session: moto
    /// cannot be made to delete or create a secret at that moment). The steady paths are tested against moto in
    /// tests/pester/SyncSecretStores.Tests.ps1.
    /// </summary>
    public sealed class SecretsManagerWriteTests
    {
        private const string Get = "GetSecretValue";
        private const string Put = "PutSecretValue";
        private const string Create = "CreateSecret";
        private const string Describe = "DescribeSecret";

        private static AwsReply Secret(string value) => ScriptedAws.Ok(JsonSerializer.Serialize(new { Name = "n", VersionId = "v-old", SecretString = value }));

        private static AwsReply Written(string versionId) => ScriptedAws.Ok($"{{\"ARN\":\"arn\",\"Name\":\"n\",\"VersionId\":\"{versionId}\"}}");

        private static readonly string Docker5000 = "{\"conn_type\":\"docker\",\"host\":\"old\",\"login\":\"u\",\"password\":\"old-pw\",\"port\":5000}";

        private static readonly string Docker6000 = "{\"conn_type\":\"docker\",\"host\":\"other\",\"login\":\"u\",\"password\":\"their-pw\",\"port\":6000,\"extra\":{\"timeout\":9}}";

        private static async Task<(SyncOutcome Outcome, RecordingLog Log)> WriteAsync(ScriptedAws aws, DockerConnection connection, string? kmsKeyId = null, Hashtable? tags = null)
        {
            var parameters = new SecretsManagerParameters { KmsKeyId = kmsKeyId, Tag = tags };
            var target = new SecretsManagerTarget(parameters, new ModeContext { Aws = new AwsSessionRequest { Region = "eu-west-1" } }, aws);
            var log = new RecordingLog();
            var outcome = await target.WriteAsync(new[] { connection }, log, CancellationToken.None);
            return (outcome, log);
        }

        private static JsonElement ValueOf(JsonElement body) => JsonDocument.Parse(body.GetProperty("SecretString").GetString()!).RootElement.Clone();

        [Fact]
        public async Task Deleted_then_created_by_another_writer_between_our_calls_the_refresh_reads_again_and_writes_over_what_is_there_now()
        {
            var secret = Kit.Secret("race");
            var aws = new ScriptedAws(AwsService.SecretsManager)
                .On(Get, Secret(Docker5000), Secret(Docker6000))
                .On(Put, ScriptedAws.Error("ResourceNotFoundException"), Written("v-ours"))
                .On(Create, ScriptedAws.Error("ResourceExistsException"));

            var (outcome, log) = await WriteAsync(aws, Kit.Connection("ecr_race", secret));

            Assert.Equal(new[] { Get, Put, Create, Get, Put }, aws.Operations);
            var result = Assert.Single(outcome.Written);
            Assert.Equal(SyncAction.Updated, result.Action);
            Assert.Equal("v-ours", result.VersionId);
            // The last write is merged over what the other writer created, not over what we read first.
            var value = ValueOf(aws.Body(Put, 1));
            Assert.Equal(6000, value.GetProperty("port").GetInt32());
            Assert.Equal(9, value.GetProperty("extra").GetProperty("timeout").GetInt32());
            Assert.Equal(secret, value.GetProperty("password").GetString());
            Assert.Equal(Kit.Host, value.GetProperty("host").GetString());
            Assert.NotEqual(aws.Body(Put, 0).GetProperty("ClientRequestToken").GetString(), aws.Body(Put, 1).GetProperty("ClientRequestToken").GetString());
            Kit.NoSecretIn(log.All, secret, "their-pw", "old-pw");
        }

        [Fact]
        public async Task Created_by_another_writer_after_our_read_found_nothing_is_read_again_and_refused_when_it_is_not_a_Docker_connection()
        {
            var aws = new ScriptedAws(AwsService.SecretsManager)
                .On(Get, ScriptedAws.Error("ResourceNotFoundException"), Secret("{\"db_password\":\"their-db-pw\"}"))
                .On(Create, ScriptedAws.Error("ResourceExistsException"));

            var (outcome, log) = await WriteAsync(aws, Kit.Connection("ecr_race", Kit.Secret("race")));

            Assert.Equal(new[] { Get, Create, Get }, aws.Operations);
            Assert.Empty(outcome.Written);
            var failure = Assert.Single(outcome.Failed);
            Assert.Equal(ModeErrors.NotDockerConnection, failure.Error.ErrorId);
            Assert.Contains("a JSON object without conn_type", failure.Error.Message);
            Kit.NoSecretIn(Kit.Describe(failure.Error) + log.All, "their-db-pw");
        }

        [Fact]
        public async Task Created_by_another_writer_after_our_read_found_nothing_gets_a_new_version_merged_over_theirs()
        {
            var aws = new ScriptedAws(AwsService.SecretsManager)
                .On(Get, ScriptedAws.Error("ResourceNotFoundException"), Secret(Docker6000))
                .On(Create, ScriptedAws.Error("ResourceExistsException"))
                .On(Put, Written("v-ours"));

            var (outcome, _) = await WriteAsync(aws, Kit.Connection("ecr_race", Kit.Secret("race")), tags: new Hashtable { ["team"] = "data" });

            Assert.Equal(new[] { Get, Create, Get, Put }, aws.Operations);
            Assert.Equal(SyncAction.Updated, Assert.Single(outcome.Written).Action); // theirs, so not created here (and not tagged)
            Assert.Equal(6000, ValueOf(aws.Body(Put)).GetProperty("port").GetInt32());
        }

        [Fact]
        public async Task A_secret_that_keeps_vanishing_and_reappearing_is_reported_after_one_round_not_chased_forever()
        {
            var aws = new ScriptedAws(AwsService.SecretsManager)
                .On(Get, Secret(Docker5000), Secret(Docker5000))
                .On(Put, ScriptedAws.Error("ResourceNotFoundException"), ScriptedAws.Error("ResourceNotFoundException", "Secrets Manager can't find the specified secret."))
                .On(Create, ScriptedAws.Error("ResourceExistsException"));

            var (outcome, _) = await WriteAsync(aws, Kit.Connection("ecr_race", Kit.Secret("race")));

            Assert.Equal(new[] { Get, Put, Create, Get, Put }, aws.Operations);
            var failure = Assert.Single(outcome.Failed);
            Assert.Equal("SecretsManagerRequestFailed", failure.Error.ErrorId);
            Assert.Contains("ResourceNotFoundException", failure.Error.Message);
        }

        [Fact]
        public async Task A_new_secret_is_created_with_the_value_key_tags_and_a_description_naming_the_module()
        {
            var secret = Kit.Secret("new");
            var aws = new ScriptedAws(AwsService.SecretsManager)
                .On(Get, ScriptedAws.Error("ResourceNotFoundException", "Secrets Manager can't find the specified secret."))
                .On(Create, Written("v-1"));

            var (outcome, _) = await WriteAsync(aws, Kit.Connection("ecr_new", secret), kmsKeyId: "alias/airflow", tags: new Hashtable { ["team"] = "data" });

            Assert.Equal(new[] { Get, Create }, aws.Operations);
            Assert.Equal(SyncAction.Created, Assert.Single(outcome.Written).Action);
            var body = aws.Body(Create);
            Assert.Equal("airflow/connections/ecr_new", body.GetProperty("Name").GetString());
            Assert.Equal("alias/airflow", body.GetProperty("KmsKeyId").GetString());
            Assert.Equal("data", body.GetProperty("Tags")[0].GetProperty("Value").GetString());
            Assert.Contains("EcrAirflow", body.GetProperty("Description").GetString());
            var value = ValueOf(body);
            Assert.Equal("docker", value.GetProperty("conn_type").GetString());
            Assert.Equal(secret, value.GetProperty("password").GetString());
            Assert.False(value.TryGetProperty("description", out _)); // the backend would drop it
        }

        [Theory]
        [InlineData("alias/other", null, false)]                                                        // the secret uses aws/secretsmanager
        [InlineData("alias/aws/secretsmanager", null, true)]
        [InlineData("alias/other", "alias/airflow", false)]
        [InlineData("alias/airflow", "alias/airflow", true)]
        [InlineData("alias/airflow", "arn:aws:kms:eu-west-1:123456789012:alias/airflow", true)]
        [InlineData("1234abcd-12ab-34cd-56ef-1234567890ab", "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", true)]
        [InlineData("alias/airflow", "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", false)] // not resolved: said, not guessed
        public async Task KmsKeyId_on_an_existing_secret_is_compared_with_the_key_DescribeSecret_reports(string given, string? stored, bool same)
        {
            var described = stored == null ? "{\"Name\":\"n\"}" : $"{{\"Name\":\"n\",\"KmsKeyId\":\"{stored}\"}}";
            var aws = new ScriptedAws(AwsService.SecretsManager)
                .On(Get, Secret(Docker5000))
                .On(Describe, ScriptedAws.Ok(described))
                .On(Put, Written("v-2"));

            var (outcome, _) = await WriteAsync(aws, Kit.Connection("ecr_kms", Kit.Secret("kms")), kmsKeyId: given);

            if (same)
            {
                Assert.Equal(new[] { Get, Describe, Put }, aws.Operations);
                Assert.Equal(SyncAction.Updated, Assert.Single(outcome.Written).Action);
                return;
            }

            Assert.Equal(new[] { Get, Describe }, aws.Operations);
            var failure = Assert.Single(outcome.Failed);
            Assert.Equal("SecretsManagerKmsKeyMismatch", failure.Error.ErrorId);
            Assert.Equal(FailureKind.InvalidOperation, failure.Error.Kind);
            Assert.Contains(stored ?? "aws/secretsmanager", failure.Error.Message);
            Assert.Contains(given, failure.Error.Message);
            Assert.Contains($"aws secretsmanager update-secret --secret-id airflow/connections/ecr_kms --kms-key-id {given}", failure.Error.Hint);
        }

        [Fact]
        public async Task Without_KmsKeyId_an_existing_secret_is_written_without_asking_for_its_key()
        {
            var aws = new ScriptedAws(AwsService.SecretsManager).On(Get, Secret(Docker5000)).On(Put, Written("v-2"));
            var (outcome, _) = await WriteAsync(aws, Kit.Connection("ecr_nokms", Kit.Secret("nokms")));
            Assert.Equal(new[] { Get, Put }, aws.Operations);
            Assert.False(aws.Body(Put).TryGetProperty("KmsKeyId", out _));
            Assert.Single(outcome.Written);
        }
    }
}
