using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using Xunit;
using EcrAirflow.Airflow;
using EcrAirflow.Airflow.Api;
using EcrAirflow.Internal.Secrets;
using EcrAirflow.Modes;
using EcrAirflow.Modes.Rest;

namespace EcrAirflow.Tests.Rest
{
    public sealed class AirflowEndpointTests
    {
        [Theory]
        [InlineData("https://airflow.example.com", "https://airflow.example.com/api/v1/connections")]
        [InlineData("https://airflow.example.com/", "https://airflow.example.com/api/v1/connections")]
        [InlineData("https://example.com/airflow", "https://example.com/airflow/api/v1/connections")]
        [InlineData("https://example.com/airflow/", "https://example.com/airflow/api/v1/connections")]
        [InlineData("https://example.com/team/airflow//", "https://example.com/team/airflow/api/v1/connections")]
        [InlineData("https://Example.COM:8443/airflow", "https://example.com:8443/airflow/api/v1/connections")]
        [InlineData("http://[::1]:8080/a", "http://[::1]:8080/a/api/v1/connections")]
        [InlineData("https://example.com/airflow/api/v1", "https://example.com/airflow/api/v1/connections")]
        [InlineData("https://example.com/api/v2/", "https://example.com/api/v1/connections")]
        public void Joins_API_paths_below_any_prefix(string baseUrl, string expected)
        {
            var endpoint = AirflowEndpoint.Parse(new Uri(baseUrl));
            Assert.Equal(expected, endpoint.Resolve("api/v1/connections").AbsoluteUri);
        }

        [Fact]
        public void Escapes_the_connection_id_segment_and_keeps_the_display_clean()
        {
            var endpoint = AirflowEndpoint.Parse(new Uri("https://example.com/airflow/"));
            Assert.Equal("https://example.com/airflow", endpoint.Display);
            Assert.Equal("https://example.com/airflow/api/v1/connections/%C3%A9cr.eu-west-1",
                endpoint.Resolve("api/v1/connections/" + ApiPaths.Segment("écr.eu-west-1")).AbsoluteUri);
        }

        [Theory]
        [InlineData("https://example.com/api/v1", AirflowApiVersion.V1)]
        [InlineData("https://example.com/x/API/V2/", AirflowApiVersion.V2)]
        [InlineData("https://example.com/x", AirflowApiVersion.Auto)]
        public void A_version_suffix_on_the_URL_names_the_API(string url, AirflowApiVersion expected)
        {
            Assert.Equal(expected, AirflowEndpoint.Parse(new Uri(url)).VersionFromPath);
        }

        [Fact]
        public void Refuses_credentials_in_the_URL_without_repeating_them()
        {
            var ex = Assert.Throws<EcrAirflowException>(() => AirflowEndpoint.Parse(new Uri("https://admin:s3cret-pw@airflow.example.com/")));
            Assert.Equal("AirflowUrlContainsCredentials", ex.ErrorId);
            Assert.Equal(FailureKind.InvalidArgument, ex.Kind);
            Kit.NoSecretIn(Kit.Describe(ex) + ex.TargetObject, "s3cret-pw");
        }

        [Theory]
        [InlineData("ftp://airflow.example.com")]
        [InlineData("https://airflow.example.com/?x=1")]
        [InlineData("https://airflow.example.com/#top")]
        public void Refuses_what_is_not_a_base_URL(string url)
        {
            var ex = Assert.Throws<EcrAirflowException>(() => AirflowEndpoint.Parse(new Uri(url)));
            Assert.Equal("InvalidAirflowUrl", ex.ErrorId);
        }

        [Theory]
        [InlineData("localhost", true)]
        [InlineData("LOCALHOST", true)]
        [InlineData("127.0.0.1", true)]
        [InlineData("127.45.6.7", true)]
        [InlineData("::1", true)]
        [InlineData("[::1]", true)]
        [InlineData("::ffff:127.0.0.1", true)]
        [InlineData("10.0.0.1", false)]
        [InlineData("128.0.0.1", false)]
        [InlineData("airflow.invalid", false)]
        [InlineData("localhost.example.com", false)]
        [InlineData("::2", false)]
        public void Knows_loopback_hosts(string host, bool loopback)
        {
            Assert.Equal(loopback, AirflowEndpoint.IsLoopbackHost(host));
        }

        [Theory]
        [InlineData("http://airflow.invalid", true, false, true)]
        [InlineData("http://airflow.invalid", true, true, false)]   // -AllowUnencryptedAuthentication
        [InlineData("http://airflow.invalid", false, false, true)]  // no Airflow credential, but the ECR password is in every body
        [InlineData("https://airflow.invalid", true, false, false)]
        [InlineData("http://127.0.0.1:8080", true, false, false)]
        [InlineData("http://[::1]:8080", true, false, false)]
        [InlineData("http://localhost:8080", true, false, false)]
        public void Refuses_secrets_over_clear_text_to_another_host(string url, bool credentials, bool allow, bool refused)
        {
            var endpoint = AirflowEndpoint.Parse(new Uri(url));
            var ex = Record.Exception(() => endpoint.EnsureSecretsMaySend(credentials, allow));
            if (!refused)
            {
                Assert.Null(ex);
                return;
            }

            var error = Assert.IsType<EcrAirflowException>(ex);
            Assert.Equal("UnencryptedAuthenticationRefused", error.ErrorId);
            Assert.Equal(FailureKind.SecurityError, error.Kind);
            Assert.Contains("-AllowUnencryptedAuthentication", error.Hint);
            Assert.Contains("-AllowUnencryptedAuthentication", error.Message);
            Assert.Contains("ECR password", error.Message);
        }

        [Fact]
        public void The_Rest_target_refuses_before_any_request()
        {
            var parameters = new RestParameters { AirflowUrl = new Uri("http://airflow.invalid"), AirflowCredential = new System.Management.Automation.PSCredential("admin", DockerConnection.Secure("pw-secret")), ApiVersion = AirflowApiVersion.V2 };
            var ex = Assert.Throws<EcrAirflowException>(() => ModeRegistry.Get(SyncMode.Rest).CreateTarget(parameters, ModeContext.Default));
            Assert.Equal("UnencryptedAuthenticationRefused", ex.ErrorId);
            Kit.NoSecretIn(Kit.Describe(ex), "pw-secret");

            parameters.AccessToken = DockerConnection.Secure("tok-secret");
            parameters.AirflowCredential = null;
            Assert.Equal("UnencryptedAuthenticationRefused", Assert.Throws<EcrAirflowException>(() => ModeRegistry.Get(SyncMode.Rest).CreateTarget(parameters, ModeContext.Default)).ErrorId);
        }
    }

    public sealed class AirflowErrorsTests
    {
        private static SecretRedactor Redactor(params string[] secrets)
        {
            var r = new SecretRedactor();
            foreach (var s in secrets)
            {
                r.Add(s);
            }

            return r;
        }

        [Fact]
        public void Reads_the_detail_of_a_v1_problem()
        {
            var body = "{\"detail\": \"The connection_id cannot be updated.\", \"status\": 400, \"title\": \"Bad Request\", \"type\": \"x\"}";
            Assert.Equal("The connection_id cannot be updated.", AirflowErrors.Detail(body, Redactor()));
        }

        [Fact]
        public void Reads_a_v2_validation_error_without_its_input()
        {
            var body = "{\"detail\":[{\"type\":\"extra_forbidden\",\"loc\":[\"body\",\"actions\",0,\"create\",\"entities\",0,\"colour\"],\"msg\":\"Extra inputs are not permitted\",\"input\":{\"password\":\"tok+/=secret\"}}]}";
            var detail = AirflowErrors.Detail(body, Redactor());
            Assert.Equal("actions.0.create.entities.0.colour: Extra inputs are not permitted", detail);
            Assert.DoesNotContain("tok+/=secret", detail);
        }

        [Fact]
        public void Masks_secrets_and_ignores_HTML()
        {
            Assert.Equal("bad password ******** for you", AirflowErrors.Detail("{\"detail\":\"bad password tok+/=secret for you\"}", Redactor("tok+/=secret")));
            Assert.Equal("", AirflowErrors.Detail("<html><body>502 Bad Gateway</body></html>", Redactor()));
            Assert.Equal("upstream timed out", AirflowErrors.Detail("upstream timed out", Redactor()));
        }
    }

    public sealed class ConnectionJsonTests
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

        [Fact]
        public void The_extra_holds_only_what_was_given()
        {
            var c = Kit.Connection("a", "p");
            Assert.Null(ConnectionJson.Extra(c));
            c = c with { Reauth = true };
            Assert.Equal("{\"reauth\":true}", ConnectionJson.Extra(c));
        }
    }

    public sealed class AccessTokenCacheTests
    {
        private static string Jwt(DateTimeOffset exp)
        {
            static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            return B64("{\"alg\":\"HS512\",\"typ\":\"JWT\"}") + "." + B64("{\"sub\":\"1\",\"exp\":" + exp.ToUnixTimeSeconds() + "}") + ".c2ln";
        }

        [Fact]
        public void Reads_the_exp_claim_and_drops_expired_tokens()
        {
            var endpoint = AirflowEndpoint.Parse(new Uri("https://cache.example.com"));
            var key = AccessTokenCache.Key(endpoint.Display, "u", "p");
            var exp = DateTimeOffset.UtcNow.AddHours(1);
            Assert.Equal(exp.ToUnixTimeSeconds(), AccessTokenCache.ExpiresAt(Jwt(exp))!.Value.ToUnixTimeSeconds());

            AccessTokenCache.Set(key, Jwt(exp));
            Assert.NotNull(AccessTokenCache.Get(key));
            AccessTokenCache.Set(key, Jwt(DateTimeOffset.UtcNow.AddSeconds(10))); // inside the renewal margin
            Assert.Null(AccessTokenCache.Get(key));
            AccessTokenCache.Set(key, "opaque-token");
            Assert.Equal("opaque-token", AccessTokenCache.Get(key));
        }

        [Fact]
        public void The_key_depends_on_the_password_but_does_not_hold_it()
        {
            var endpoint = AirflowEndpoint.Parse(new Uri("https://cache.example.com"));
            var right = AccessTokenCache.Key(endpoint.Display, "u", "right-password");
            Assert.NotEqual(right, AccessTokenCache.Key(endpoint.Display, "u", "wrong-password"));
            Assert.DoesNotContain("right-password", right);
        }
    }
}
