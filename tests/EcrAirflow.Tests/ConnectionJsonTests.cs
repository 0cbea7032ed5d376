using System.Linq;
using System.Text.Json;
using Xunit;
using EcrAirflow.Tests.Rest;
using EcrAirflow.Core.Airflow;
using EcrAirflow.Core.Airflow.Api;

namespace EcrAirflow.Tests
{
    /// <summary>
    /// Connection JSON: the AIRFLOW_CONN_* and import-file forms, and the REST API's bodies.
    /// </summary>
    public sealed class ConnectionJsonTests
    {
        [Theory]
        [InlineData("tok+/=en", "Managed by EcrAirflow; token expires 2030-01-01 00:00:00 UTC")]
        [InlineData("a\"b\\c", "it's $HOME and `cmd` and \"quotes\" \\ back")]
        [InlineData("line\nbreak\u0001", "tab\there")]
        public void Json_round_trips_with_description_and_extra(string password, string description)
        {
            var c = Samples.Connection(password: password);
            c = c with { Description = description };
            c = c with { Email = "a@b.c" };
            c = c with { Reauth = true };
            var value = ConnectionJson.Object(c, includeDescription: true);
            Assert.StartsWith("{\"conn_type\":\"docker\",", value);
            Assert.DoesNotContain("'", value);
            Assert.DoesNotContain("$", value);
            var parsed = AirflowUriRules.Parse(value);
            Assert.Equal("docker", parsed.ConnType);
            Assert.Equal(password, parsed.Password);
            Assert.Equal(description, parsed.Description);
            Assert.Equal("AWS", parsed.Login);
            Assert.Equal("a@b.c", parsed.Extra["email"]);
            Assert.Equal(true, parsed.Extra["reauth"]);
        }

        [Fact]
        public void Json_has_no_extra_when_none_was_given()
        {
            var value = ConnectionJson.Object(Samples.Connection(), includeDescription: false);
            Assert.Equal("{\"conn_type\":\"docker\",\"host\":\"123456789012.dkr.ecr.eu-west-1.amazonaws.com\",\"login\":\"AWS\",\"password\":\"tok+/=en\"}", value);
        }

        [Fact]
        public void Import_file_maps_ids_to_connection_objects()
        {
            var a = Samples.Connection("ecr_a");
            var b = Samples.Connection("ecr_b", password: "other");
            b = b with { Reauth = false };
            using var doc = JsonDocument.Parse(ConnectionJson.ImportFile(new[] { a, b }));
            var root = doc.RootElement;
            Assert.Equal("tok+/=en", root.GetProperty("ecr_a").GetProperty("password").GetString());
            Assert.Equal("Managed by EcrAirflow", root.GetProperty("ecr_a").GetProperty("description").GetString());
            Assert.False(root.GetProperty("ecr_a").TryGetProperty("extra", out _));
            Assert.False(root.GetProperty("ecr_b").GetProperty("extra").GetProperty("reauth").GetBoolean());
        }

        [Fact]
        public void The_extra_holds_only_what_was_given()
        {
            var c = Kit.Connection("a", "p");
            Assert.Null(ConnectionJson.Extra(c));
            c = c with { Reauth = true };
            Assert.Equal("{\"reauth\":true}", ConnectionJson.Extra(c));
        }
    }
}
