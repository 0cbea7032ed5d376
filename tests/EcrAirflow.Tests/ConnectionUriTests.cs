using Xunit;
using EcrAirflow.Core.Airflow;

namespace EcrAirflow.Tests
{
    /// <summary>
    /// AIRFLOW_CONN_* URIs, read back by Airflow's own rules (AirflowUriRules).
    /// </summary>
    public sealed class ConnectionUriTests
    {
        [Fact]
        public void Uri_percent_encodes_everything_outside_unreserved()
        {
            Assert.Equal("docker://AWS:tok%2B%2F%3Den@123456789012.dkr.ecr.eu-west-1.amazonaws.com", ConnectionUri.Build(Samples.Connection()));
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
            var value = ConnectionUri.Build(Samples.Connection(host: host, login: login, password: password));
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
            var parsed = AirflowUriRules.Parse(ConnectionUri.Build(Samples.Connection(host: "Registry.Example.COM:5000")));
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
            var c = Samples.Connection();
            c = c with { Email = "ops+ecr@example.com" };
            c = c with { Reauth = false };
            var value = ConnectionUri.Build(c);
            Assert.EndsWith("?email=ops%2Becr%40example.com&reauth=false", value);
            var parsed = AirflowUriRules.Parse(value);
            Assert.Equal("ops+ecr@example.com", parsed.Extra["email"]);
            Assert.Equal("false", parsed.Extra["reauth"]);
        }
    }
}
