using System.Collections;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Core.Airflow;
using EcrAirflow.Core.AwsApi;
using EcrAirflow.Modes;
using EcrAirflow.Core.Modes;
using EcrAirflow.Core.Modes.ParameterStore;
using EcrAirflow.Tests.Rest;
using Xunit;

namespace EcrAirflow.Tests.SecretStores
{
    /// <summary>
    /// Parameter Store's create paths, and what an overwrite sends, over a scripted session: a parameter another
    /// writer creates between our read and our create, one deleted between our two reads. The steady paths and a
    /// lost reply to the creating PutParameter are tested against moto (SyncSecretStores, Hardening.Faults).
    /// </summary>
    public sealed class ParameterStoreWriteTests
    {
        private const string Get = "GetParameter";
        private const string Describe = "DescribeParameters";
        private const string Put = "PutParameter";
        private const string Tag = "AddTagsToResource";

        private static readonly string Docker5000 = "{\"conn_type\":\"docker\",\"host\":\"old\",\"login\":\"u\",\"password\":\"their-pw\",\"port\":5000,\"description\":\"Team A; token expires 2020-01-01 00:00:00 UTC\"}";

        private static AwsReply Parameter(string value, string type = "SecureString") =>
            ScriptedAws.Ok(JsonSerializer.Serialize(new { Parameter = new { Name = "n", Type = type, Value = value, Version = 1 } }));

        private static AwsReply Metadata(string type, string? keyId, string? description, string tier) =>
            ScriptedAws.Ok(JsonSerializer.Serialize(new { Parameters = new[] { new { Name = "/airflow/connections/ecr_ps", Type = type, KeyId = keyId, Description = description, Tier = tier, Version = 1 } } }));

        private static AwsReply Version(int version, string tier = "Standard") => ScriptedAws.Ok($"{{\"Version\":{version},\"Tier\":\"{tier}\"}}");

        private static readonly AwsReply NotFound = ScriptedAws.Error("ParameterNotFound");

        private static async Task<SyncOutcome> WriteAsync(ScriptedAws aws, DockerConnection connection, string? kmsKeyId = null, Hashtable? tags = null)
        {
            var parameters = new ParameterStoreParameters { KmsKeyId = kmsKeyId, Tag = tags };
            var target = new ParameterStoreTarget(parameters, new ModeContext { Aws = new AwsSessionRequest { Region = "eu-west-1" } }, aws);
            return await target.WriteAsync(new[] { connection }, new RecordingLog(), CancellationToken.None);
        }

        private static JsonElement ValueOf(JsonElement body) => JsonDocument.Parse(body.GetProperty("Value").GetString()!).RootElement.Clone();

        [Fact]
        public async Task A_new_parameter_is_created_without_Overwrite_as_a_SecureString_with_its_tags_in_the_same_request()
        {
            var secret = Kit.Secret("new");
            var aws = new ScriptedAws(AwsService.Ssm).On(Get, NotFound).On(Put, Version(1));

            var outcome = await WriteAsync(aws, Kit.Connection("ecr_ps", secret), kmsKeyId: "alias/airflow", tags: new Hashtable { ["team"] = "data" });

            Assert.Equal(new[] { Get, Put }, aws.Operations);
            var result = Assert.Single(outcome.Written);
            Assert.Equal(SyncAction.Created, result.Action);
            Assert.Equal(1, result.Version);
            var body = aws.Body(Put);
            Assert.Equal("/airflow/connections/ecr_ps", body.GetProperty("Name").GetString());
            Assert.False(body.TryGetProperty("Overwrite", out var overwrite) && overwrite.GetBoolean()); // a create never goes over another writer's parameter
            Assert.Equal("SecureString", body.GetProperty("Type").GetString());
            Assert.Equal("alias/airflow", body.GetProperty("KeyId").GetString());
            Assert.Equal("team", body.GetProperty("Tags")[0].GetProperty("Key").GetString());
            Assert.Contains("EcrAirflow", body.GetProperty("Description").GetString());
            Assert.Equal(secret, ValueOf(body).GetProperty("password").GetString());
        }

        [Fact]
        public async Task Created_by_another_writer_or_by_our_own_lost_reply_the_parameter_is_read_again_overwritten_as_it_is_and_tagged_by_name()
        {
            var secret = Kit.Secret("exists");
            var aws = new ScriptedAws(AwsService.Ssm)
                .On(Get, NotFound, Parameter(Docker5000, "String"))
                .On(Put, ScriptedAws.Error("ParameterAlreadyExists", "The parameter already exists."), Version(2))
                .On(Describe, Metadata("String", null, "Their parameter", "Standard"))
                .On(Tag, ScriptedAws.Ok("{}"));

            var outcome = await WriteAsync(aws, Kit.Connection("ecr_ps", secret), tags: new Hashtable { ["team"] = "data" });

            Assert.Equal(new[] { Get, Put, Get, Describe, Put, Tag }, aws.Operations);
            var result = Assert.Single(outcome.Written);
            Assert.Equal(SyncAction.Created, result.Action); // nothing was there when this refresh looked
            Assert.Equal(2, result.Version);
            var put = aws.Body(Put, 1);
            Assert.True(put.GetProperty("Overwrite").GetBoolean());
            Assert.Equal("String", put.GetProperty("Type").GetString()); // never made SecureString
            Assert.Equal("Their parameter", put.GetProperty("Description").GetString());
            Assert.False(put.TryGetProperty("KeyId", out _));
            Assert.False(put.TryGetProperty("Tags", out _)); // SSM refuses Tags with Overwrite
            Assert.Equal(5000, ValueOf(put).GetProperty("port").GetInt32());
            Assert.Equal(secret, ValueOf(put).GetProperty("password").GetString());
            var tag = aws.Body(Tag);
            Assert.Equal("Parameter", tag.GetProperty("ResourceType").GetString());
            Assert.Equal("/airflow/connections/ecr_ps", tag.GetProperty("ResourceId").GetString());
            Assert.Equal("data", tag.GetProperty("Tags")[0].GetProperty("Value").GetString());
        }

        [Fact]
        public async Task Created_by_another_writer_as_something_that_is_not_a_Docker_connection_is_refused_untouched_and_untagged()
        {
            var aws = new ScriptedAws(AwsService.Ssm)
                .On(Get, NotFound, Parameter("jdbc:postgresql://db/app?password=their-db-pw", "String"))
                .On(Put, ScriptedAws.Error("ParameterAlreadyExists"));

            var outcome = await WriteAsync(aws, Kit.Connection("ecr_ps", Kit.Secret("x")), tags: new Hashtable { ["team"] = "data" });

            Assert.Equal(new[] { Get, Put, Get }, aws.Operations);
            var failure = Assert.Single(outcome.Failed);
            Assert.Equal(ModeErrors.NotDockerConnection, failure.Error.ErrorId);
            Kit.NoSecretIn(Kit.Describe(failure.Error), "their-db-pw");
        }

        [Fact]
        public async Task An_overwrite_sends_the_parameters_own_type_key_description_and_tier_and_no_tags()
        {
            var aws = new ScriptedAws(AwsService.Ssm)
                .On(Get, Parameter(Docker5000))
                .On(Describe, Metadata("SecureString", "alias/team-key", "Team A registry", "Advanced"))
                .On(Put, Version(7, "Advanced"));

            var outcome = await WriteAsync(aws, Kit.Connection("ecr_ps", Kit.Secret("ow")), tags: new Hashtable { ["team"] = "data" });

            Assert.Equal(new[] { Get, Describe, Put }, aws.Operations);
            var result = Assert.Single(outcome.Written);
            Assert.Equal(SyncAction.Updated, result.Action);
            Assert.Equal("Advanced", result.Tier);
            var put = aws.Body(Put);
            Assert.True(put.GetProperty("Overwrite").GetBoolean());
            Assert.Equal("SecureString", put.GetProperty("Type").GetString());
            Assert.Equal("alias/team-key", put.GetProperty("KeyId").GetString());
            Assert.Equal("Team A registry", put.GetProperty("Description").GetString());
            Assert.Equal("Advanced", put.GetProperty("Tier").GetString());
            Assert.False(put.TryGetProperty("Tags", out _));
            // The connection's own description keeps the user's text and renews only the expiry note.
            Assert.StartsWith("Team A; token expires ", ValueOf(put).GetProperty("description").GetString());
            Assert.DoesNotContain("2020-01-01", ValueOf(put).GetProperty("description").GetString());
        }

        [Fact]
        public async Task Deleted_between_our_two_reads_the_parameter_is_created_anew_with_its_tags()
        {
            var aws = new ScriptedAws(AwsService.Ssm)
                .On(Get, Parameter(Docker5000))
                .On(Describe, ScriptedAws.Ok("{\"Parameters\":[]}"))
                .On(Put, Version(1));

            var outcome = await WriteAsync(aws, Kit.Connection("ecr_ps", Kit.Secret("gone")), tags: new Hashtable { ["team"] = "data" });

            Assert.Equal(new[] { Get, Describe, Put }, aws.Operations);
            Assert.Equal(SyncAction.Created, Assert.Single(outcome.Written).Action);
            var put = aws.Body(Put);
            Assert.False(put.TryGetProperty("Overwrite", out var overwrite) && overwrite.GetBoolean());
            Assert.Equal("team", put.GetProperty("Tags")[0].GetProperty("Key").GetString());
        }

        [Fact]
        public async Task DescribeParameters_asks_for_exactly_this_name()
        {
            var aws = new ScriptedAws(AwsService.Ssm)
                .On(Get, Parameter(Docker5000))
                .On(Describe, Metadata("SecureString", "alias/aws/ssm", null, "Standard"))
                .On(Put, Version(2));

            await WriteAsync(aws, Kit.Connection("ecr_ps", Kit.Secret("d")));

            var filter = aws.Body(Describe).GetProperty("ParameterFilters")[0];
            Assert.Equal("Name", filter.GetProperty("Key").GetString());
            Assert.Equal("Equals", filter.GetProperty("Option").GetString());
            Assert.Equal(new[] { "/airflow/connections/ecr_ps" }, filter.GetProperty("Values").EnumerateArray().Select(v => v.GetString()).ToArray());
            Assert.False(aws.Body(Put).TryGetProperty("Description", out _)); // none to keep, and ours is not forced on
        }
    }
}
