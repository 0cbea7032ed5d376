using System.Text.Json;
using Xunit;
using EcrAirflow.Airflow;
using EcrAirflow.Modes.EnvironmentVariable;

namespace EcrAirflow.Tests
{
    public class ConnectionValueTests
    {
        internal static DockerConnection Connection(string id = "ecr", string host = "123456789012.dkr.ecr.eu-west-1.amazonaws.com", string login = "AWS", string password = "tok+/=en") =>
            new DockerConnection(id, host, login, DockerConnection.Secure(password)) { Description = "Managed by EcrAirflow" };

        [Fact]
        public void Uri_percent_encodes_everything_outside_unreserved()
        {
            Assert.Equal("docker://AWS:tok%2B%2F%3Den@123456789012.dkr.ecr.eu-west-1.amazonaws.com", ConnectionUri.Build(Connection()));
            Assert.Equal("a-b.c_d~e%20%2B%2F%3D%40%3A%3F%23%25%5B%5D%C3%BC", ConnectionUri.Encode("a-b.c_d~e +/=@:?#%[]ü"));
        }

        [Theory]
        [InlineData("tok+/=en", "123456789012.dkr.ecr.eu-west-1.amazonaws.com", "AWS")]
        [InlineData("eyJwYXlsb2FkIjoiYWJjIn0+/+//==", "localhost:5000", "AWS")]
        [InlineData("p@ss:w/rd?#&=", "registry.example.com:443", "us er@corp")]
        [InlineData("%41%2Fliteral%", "[::1]:5000", "AWS")]
        [InlineData("ünï cødé+", "127.0.0.1:65535", "AWS")]
        [InlineData("semi;colon]bracket[", "my-registry.local", "a:b")]
        public void Uri_round_trips_through_Airflows_parse(string password, string host, string login)
        {
            var value = ConnectionUri.Build(Connection(host: host, login: login, password: password));
            var parsed = AirflowUriRules.Parse(value);
            Assert.Equal("docker", parsed.ConnType);
            Assert.Equal(password, parsed.Password);
            Assert.Equal(login, parsed.Login);
            // The host is encoded whole, so Airflow's host is the registry with its port and no port
            // field: the Docker hook then logs in to exactly this registry.
            Assert.Equal(host, parsed.Host);
            Assert.Null(parsed.Port);
            Assert.Equal("", parsed.Schema);
        }

        [Fact]
        public void Uri_host_is_lower_cased_by_urlsplit_which_registries_do_not_mind()
        {
            var parsed = AirflowUriRules.Parse(ConnectionUri.Build(Connection(host: "Registry.Example.COM:5000")));
            Assert.Equal("registry.example.com:5000", parsed.Host);
        }

        [Fact]
        public void Unencoded_slash_would_break_the_parse_which_is_why_we_encode()
        {
            // A naive value: the token's '/' ends the authority, so "AWS:tok+" is taken for host:port
            // and Python's urlsplit raises "Port could not be cast to integer value".
            Assert.Throws<System.FormatException>(() => AirflowUriRules.Parse("docker://AWS:tok+/=en@host"));
        }

        [Fact]
        public void Uri_extras_are_query_parameters_read_back_as_strings()
        {
            var c = Connection();
            c = c with { Email = "ops+ecr@example.com" };
            c = c with { Reauth = false };
            var value = ConnectionUri.Build(c);
            Assert.EndsWith("?email=ops%2Becr%40example.com&reauth=false", value);
            var parsed = AirflowUriRules.Parse(value);
            Assert.Equal("ops+ecr@example.com", parsed.Extra["email"]);
            Assert.Equal("false", parsed.Extra["reauth"]);
        }

        [Theory]
        [InlineData("tok+/=en", "Managed by EcrAirflow; token expires 2030-01-01 00:00:00 UTC")]
        [InlineData("a\"b\\c", "it's $HOME and `cmd` and \"quotes\" \\ back")]
        [InlineData("line\nbreak\u0001", "tab\there")]
        public void Json_round_trips_with_description_and_extra(string password, string description)
        {
            var c = Connection(password: password);
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
            var value = ConnectionJson.Object(Connection(), includeDescription: false);
            Assert.Equal("{\"conn_type\":\"docker\",\"host\":\"123456789012.dkr.ecr.eu-west-1.amazonaws.com\",\"login\":\"AWS\",\"password\":\"tok+/=en\"}", value);
        }

        [Fact]
        public void Import_file_maps_ids_to_connection_objects()
        {
            var a = Connection("ecr_a");
            var b = Connection("ecr_b", password: "other");
            b = b with { Reauth = false };
            using var doc = JsonDocument.Parse(ConnectionJson.ImportFile(new[] { a, b }));
            var root = doc.RootElement;
            Assert.Equal("tok+/=en", root.GetProperty("ecr_a").GetProperty("password").GetString());
            Assert.Equal("Managed by EcrAirflow", root.GetProperty("ecr_a").GetProperty("description").GetString());
            Assert.False(root.GetProperty("ecr_a").TryGetProperty("extra", out _));
            Assert.False(root.GetProperty("ecr_b").GetProperty("extra").GetProperty("reauth").GetBoolean());
        }

        [Theory]
        [InlineData("ecr", "AIRFLOW_CONN_ECR")]
        [InlineData("ecr_eu-west-1", "AIRFLOW_CONN_ECR_EU-WEST-1")]
        [InlineData("my.Conn", "AIRFLOW_CONN_MY.CONN")]
        public void Variable_name_is_the_upper_cased_id(string id, string name)
        {
            Assert.Equal(name, ConnectionVariableTarget.VariableName(id));
        }

        /// <summary>Python's str.upper (what Airflow applies) and .NET's ToUpperInvariant disagree beyond ASCII.</summary>
        [Theory]
        [InlineData("straße")]   // Python: STRASSE
        [InlineData("ecr_ﬁ")]     // Python: ECR_FI
        [InlineData("ecr_ı")]     // Python: ECR_I
        [InlineData("écr")]
        public void Variable_names_outside_ASCII_are_refused(string id)
        {
            var ex = Assert.Throws<EcrAirflowException>(() => ConnectionVariableTarget.VariableName(id));
            Assert.Equal("VariableNameNotAscii", ex.ErrorId);
        }
    }
}
