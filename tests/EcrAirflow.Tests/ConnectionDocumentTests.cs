using System.Text.Json;
using Xunit;
using EcrAirflow.Core.Airflow;
using EcrAirflow.Core.Internal.Secrets;

namespace EcrAirflow.Tests
{
    /// <summary>
    /// ConnectionDocument reads a stored value as Airflow does (Connection._parse_from_uri with Python's urllib, and
    /// Connection.from_json / the amazon backends' JSON). Each expectation is what Airflow makes of the value; the
    /// stand-in CLI, which parses with Python's own urllib, confirms the URI rules in <see cref="StandInParseTests"/>.
    /// </summary>
    public class ConnectionDocumentTests
    {
        private static StoredConnection Parse(string value) => ConnectionDocument.Parse("ecr", value, "AIRFLOW_CONN_ECR");

        private static string? Password(StoredConnection c) => c.Password == null ? null : SecureText.Reveal(c.Password);

        [Fact]
        public void Uri_login_password_host_are_percent_decoded_with_unquote_not_unquote_plus()
        {
            var c = Parse("docker://us%20er%40corp:tok%2B%2F%3Den+x@123456789012.dkr.ecr.eu-west-1.amazonaws.com");
            Assert.Equal(StoredKind.Docker, c.Kind);
            Assert.Equal("docker", c.Type);
            Assert.Equal("us er@corp", c.Login);
            Assert.Equal("tok+/=en+x", Password(c));             // a literal '+' stays '+' (unquote, not unquote_plus)
            Assert.Equal(PasswordVisibility.Readable, c.PasswordVisibility);
            Assert.Equal("123456789012.dkr.ecr.eu-west-1.amazonaws.com", c.Host);
            Assert.Null(c.Port);
            Assert.Null(c.Schema);
            Assert.Null(c.Extra);
        }

        [Fact]
        public void Uri_host_and_port_encoded_whole_is_a_host_with_its_port_and_no_port_field()
        {
            var c = Parse("docker://AWS:p@localhost%3A5000");
            Assert.Equal("localhost:5000", c.Host);
            Assert.Null(c.Port);
        }

        [Fact]
        public void Uri_separate_port_is_the_port_field()
        {
            var c = Parse("docker://AWS:p@registry.example.com:5000/");
            Assert.Equal("registry.example.com", c.Host);
            Assert.Equal(5000, c.Port);
            Assert.Null(c.Schema);   // "/" leaves an empty schema
        }

        [Theory]
        [InlineData("docker://AWS:p@[::1]:5000", "::1", 5000)]
        [InlineData("docker://AWS:p@[fe80::1]", "fe80::1", null)]
        [InlineData("docker://AWS:p@%5B%3A%3A1%5D%3A5000", "[::1]:5000", null)]
        public void Uri_v6_hosts_lose_their_brackets_unless_encoded_whole(string value, string host, int? port)
        {
            var c = Parse(value);
            Assert.Equal(host, c.Host);
            Assert.Equal(port, c.Port);
        }

        [Fact]
        public void Uri_host_is_lower_cased_before_its_first_escape_only()
        {
            Assert.Equal("registry.example.com", Parse("docker://a:b@Registry.Example.COM").Host);
            Assert.Equal("ab:XYZ", Parse("docker://a:b@AB%3AXYZ").Host);
        }

        [Fact]
        public void Uri_schema_comes_from_the_path_unquoted()
        {
            var c = Parse("docker://AWS:p@host/my%20schema/more");
            Assert.Equal("my schema/more", c.Schema);
        }

        [Fact]
        public void Uri_query_becomes_extra_with_string_values_and_the_last_of_a_repeated_name()
        {
            var c = Parse("docker://AWS:p@host?email=ops%2Becr%40example.com&reauth=false&timeout=30&flag&email=second+one");
            using var extra = JsonDocument.Parse(c.Extra!);
            Assert.Equal("second one", extra.RootElement.GetProperty("email").GetString());   // parse_qsl: '+' is a space
            Assert.Equal("false", extra.RootElement.GetProperty("reauth").GetString());
            Assert.Equal("30", extra.RootElement.GetProperty("timeout").GetString());
            Assert.Equal("", extra.RootElement.GetProperty("flag").GetString());
        }

        [Fact]
        public void Uri_semicolon_is_no_query_separator()
        {
            var c = Parse("docker://AWS:p@host?a=1;b=2");
            using var extra = JsonDocument.Parse(c.Extra!);
            Assert.Equal("1;b=2", extra.RootElement.GetProperty("a").GetString());
            Assert.False(extra.RootElement.TryGetProperty("b", out _));
        }

        [Fact]
        public void Uri___extra___is_the_extra_itself_and_the_rest_of_the_query_is_ignored()
        {
            var c = Parse("docker://AWS:p@host/?x=1&__extra__=%7B%22reauth%22%3A+false%2C+%22timeout%22%3A+30%7D");
            Assert.Equal("{\"reauth\": false, \"timeout\": 30}", c.Extra);
        }

        [Theory]
        [InlineData("postgresql://u:p@h/db", "a postgres connection")]
        [InlineData("google-cloud-platform://", "a google_cloud_platform connection")]
        [InlineData("Mysql://u:p@h", "a mysql connection")]
        public void Uri_of_another_type_is_NotDocker_named_by_its_normalised_type(string value, string what)
        {
            var c = Parse(value);
            Assert.Equal(StoredKind.NotDocker, c.Kind);
            Assert.Equal(what, c.Type);
            Assert.Null(c.Password);
            Assert.Null(c.Raw);
        }

        [Fact]
        public void Uri_scheme_is_lower_cased_as_urlsplit_does()
        {
            var c = Parse("DOCKER://AWS:p@host");
            Assert.Equal(StoredKind.Docker, c.Kind);
            Assert.Equal("host", c.Host);
        }

        [Theory]
        [InlineData("docker://AWS:p@host:99999", "a docker connection URI whose port Airflow cannot read")]
        [InlineData("docker://AWS:p@host:50x0", "a docker connection URI whose port Airflow cannot read")]
        [InlineData("docker://a://b://c", "a docker connection URI that Airflow cannot read")]
        [InlineData("docker://AWS:p@[::1", "a docker connection URI that Airflow cannot read")]
        [InlineData("docker://AWS:p@x[::1]", "a docker connection URI that Airflow cannot read")]
        public void Uri_Airflow_cannot_read_is_NotDocker_and_says_so_without_the_value(string value, string what)
        {
            var c = Parse(value);
            Assert.Equal(StoredKind.NotDocker, c.Kind);
            Assert.Equal(what, c.Type);
            Assert.DoesNotContain("AWS", c.ToString());
        }

        [Fact]
        public void Uri_with_a_host_of_its_own_protocol_keeps_the_protocol_in_the_host()
        {
            var c = Parse("docker://https://registry.example.com");
            Assert.Equal(StoredKind.Docker, c.Kind);
            Assert.Equal("https://registry.example.com", c.Host);
        }

        [Fact]
        public void Uri_tab_and_line_breaks_are_dropped_as_urlsplit_drops_them()
        {
            var c = Parse("docker://AWS:to\tk\n@host\r");
            Assert.Equal("tok", Password(c));
        }

        [Theory]
        [InlineData("just a password-looking thing", "text that is not a connection URI")]
        [InlineData("s3cr3t+/=token", "text that is not a connection URI")]
        [InlineData("   ", "an empty value")]
        [InlineData("{not json", "text that starts like JSON but is not JSON")]
        [InlineData("{\"db_password\": \"hunter2\"}", "a JSON object without conn_type")]
        [InlineData("{\"conn_type\": \"AKIAIOSFODNN7EXAMPLE+/=\"}", "a connection of another type")]
        [InlineData("{\"conn_type\": \"Docker\", \"host\": \"h\"}", "a connection whose conn_type is not spelled 'docker' (Airflow's types are lower case)")]
        [InlineData("tok3n+x.y://host", "a connection of another type")]
        public void NotDocker_words_name_the_kind_never_the_value(string value, string what)
        {
            var c = Parse(value);
            Assert.Equal(StoredKind.NotDocker, c.Kind);
            Assert.Equal(what, c.Type);
            Assert.DoesNotContain("hunter2", c.ToString());
            Assert.DoesNotContain("AKIA", c.ToString());
            Assert.DoesNotContain("s3cr3t", c.ToString());
        }

        [Fact]
        public void Json_reads_every_field_and_extra_as_object_or_string()
        {
            var c = Parse("  {\"conn_type\":\"docker\",\"host\":\"h.example.com\",\"login\":\"AWS\",\"password\":\"tok\\\"+/\",\"port\":\"5000\",\"schema\":\"s\",\"description\":\"mine\",\"extra\":{\"reauth\":false,\"timeout\":30}}  ");
            Assert.Equal(StoredKind.Docker, c.Kind);
            Assert.Equal("h.example.com", c.Host);
            Assert.Equal("AWS", c.Login);
            Assert.Equal("tok\"+/", Password(c));
            Assert.Equal(5000, c.Port);
            Assert.Equal("s", c.Schema);
            Assert.Equal("mine", c.Description);
            Assert.Equal("{\"reauth\":false,\"timeout\":30}", c.Extra);
            Assert.StartsWith("  {", c.Raw);

            Assert.Equal("{\"email\": \"a@b\"}", Parse("{\"conn_type\":\"docker\",\"extra\":\"{\\\"email\\\": \\\"a@b\\\"}\"}").Extra);
        }

        [Fact]
        public void Json_takes_the_amazon_backends_aliases_first_in_the_values_own_order()
        {
            var c = Parse("{\"engine\":\"docker\",\"user\":\"first\",\"login\":\"second\",\"remote_host\":\"r.example.com\",\"pass\":\"pw\",\"database\":\"db\"}");
            Assert.Equal(StoredKind.Docker, c.Kind);
            Assert.Equal("first", c.Login);
            Assert.Equal("r.example.com", c.Host);
            Assert.Equal("pw", Password(c));
            Assert.Equal("db", c.Schema);

            Assert.Equal("docker", Parse("{\"connection_type\":\"docker\",\"server\":\"s\",\"username\":\"u\",\"key\":\"k\"}").Type);
            // conn_id is one of conn_type's words: first in the object, it is the type the backend reads.
            Assert.Equal("a ecr connection", Parse("{\"conn_id\":\"ecr\",\"conn_type\":\"docker\"}").Type);
        }

        [Fact]
        public void Json_postgresql_is_normalised_to_postgres()
        {
            Assert.Equal("a postgres connection", Parse("{\"conn_type\":\"postgresql\"}").Type);
        }

        [Fact]
        public void A_connection_without_password_says_so()
        {
            var c = Parse("docker://AWS@host");
            Assert.Equal(PasswordVisibility.Absent, c.PasswordVisibility);
            Assert.Null(c.Password);
            Assert.Equal("AWS", c.Login);
        }
    }
}
