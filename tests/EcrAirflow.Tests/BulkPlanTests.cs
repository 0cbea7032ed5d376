using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Xunit;
using EcrAirflow.Tests.Rest;
using EcrAirflow.Core.Airflow;
using EcrAirflow.Core.Airflow.Api;

namespace EcrAirflow.Tests
{
    /// <summary>
    /// BulkPlan and ApiBodies.Bulk: what one Airflow 3 bulk request says for each piped connection, from what was read.
    /// </summary>
    public sealed class BulkPlanTests
    {
        // ConnectionBody's documented properties (v2 spec; additionalProperties: false).
        private static readonly string[] Documented = { "connection_id", "conn_type", "description", "host", "login", "schema", "port", "password", "extra" };

        [Fact]
        public void The_bulk_body_has_only_documented_fields_and_complete_update_entities()
        {
            var a = Kit.Connection("a", "p1");
            var b = Kit.Connection("b", "p2") with { Email = "ops@example.com", Reauth = false };
            var c = Kit.Connection("c", "p3") with { ReplaceNonDocker = true };
            var stored = new Dictionary<string, StoredConnection>
            {
                ["a"] = new StoredConnection("a", StoredKind.Docker, "x") { Type = "docker", Port = 5000, Schema = "v2", Extra = "{\"timeout\": 30}", Description = "Mine" },
                ["b"] = StoredConnection.Missing("b", "x"),
                ["c"] = StoredConnection.NotDocker("c", "x", "a postgres connection"),
            };
            var plan = BulkPlan.For(new[] { a, b, c }, stored);
            using var doc = JsonDocument.Parse(ApiBodies.Bulk(plan));

            var actions = doc.RootElement.GetProperty("actions").EnumerateArray().ToList();
            Assert.Equal(new[] { "update", "create", "create" }, actions.Select(x => x.GetProperty("action").GetString()));
            Assert.Equal(new[] { "action", "entities", "update_mask", "action_on_non_existence" }, actions[0].EnumerateObject().Select(p => p.Name));
            Assert.Equal("skip", actions[0].GetProperty("action_on_non_existence").GetString());
            Assert.Equal(new[] { "host", "login", "password", "description" }, actions[0].GetProperty("update_mask").EnumerateArray().Select(x => x.GetString()));
            Assert.Equal("skip", actions[1].GetProperty("action_on_existence").GetString());
            Assert.Equal("overwrite", actions[2].GetProperty("action_on_existence").GetString());
            var entities = actions.SelectMany(x => x.GetProperty("entities").EnumerateArray()).ToList();
            Assert.All(entities, e => Assert.All(e.EnumerateObject(), p => Assert.Contains(p.Name, Documented)));
            var update = entities[0];
            Assert.Equal(Documented.OrderBy(n => n), update.EnumerateObject().Select(p => p.Name).OrderBy(n => n)); // complete: a release may ignore the mask
            Assert.Equal((5000, "v2", "{\"timeout\": 30}"), (update.GetProperty("port").GetInt32(), update.GetProperty("schema").GetString(), update.GetProperty("extra").GetString()));
            Assert.StartsWith("Mine", update.GetProperty("description").GetString());
            Assert.Equal(JsonValueKind.String, entities[1].GetProperty("extra").ValueKind); // a JSON *string*
            Assert.Equal("{\"email\":\"ops@example.com\",\"reauth\":false}", entities[1].GetProperty("extra").GetString());
            Assert.False(entities[2].TryGetProperty("extra", out _)); // only when -Email/-Reauth was given
            Assert.All(entities, e => Assert.Equal("docker", e.GetProperty("conn_type").GetString()));
        }

        [Fact]
        public void An_extra_read_back_masked_never_goes_in_the_bulk_body()
        {
            var masked = new StoredConnection("m", StoredKind.Docker, "x") { Type = "docker", Extra = "{\"registry_token\": \"***\", \"email\": \"a\"}" };
            var odd = new StoredConnection("o", StoredKind.Docker, "x") { Type = "docker", Extra = "not json" };
            var plan = BulkPlan.For(new[] { Kit.Connection("m", "p"), Kit.Connection("o", "p") }, new Dictionary<string, StoredConnection> { ["m"] = masked, ["o"] = odd });
            Assert.Equal(0, plan.Count);
            Assert.Equal(new[] { "m", "o" }, plan.Single.Select(s => s.Connection.ConnectionId));

            var withEmail = BulkPlan.For(new[] { Kit.Connection("m", "p") with { Email = "b" }, Kit.Connection("o", "p") with { Email = "b" } }, new Dictionary<string, StoredConnection> { ["m"] = masked, ["o"] = odd });
            Assert.Equal("AirflowExtraMasked", Assert.Single(withEmail.Refused).Error.ErrorId);
            Assert.Equal("{\"email\":\"b\"}", Assert.Single(withEmail.Update).Extra); // text Airflow could not read either is replaced by ours
        }
    }
}
