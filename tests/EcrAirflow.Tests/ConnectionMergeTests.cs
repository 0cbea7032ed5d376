using System;
using System.Text.Json;
using Xunit;
using EcrAirflow.Core.Airflow;
using EcrAirflow.Core.Internal.Secrets;

namespace EcrAirflow.Tests
{
    /// <summary>
    /// A refresh over a stored value: host, login, password and the expiry note are ours, everything else stays.
    /// Each merged value is read back with Airflow's rules (ConnectionDocument, checked against Python in
    /// <see cref="StandInParseTests"/>), so what is asserted is what Airflow would see.
    /// </summary>
    public class ConnectionMergeTests
    {
        private static readonly DateTimeOffset Expiry = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
        private const string Note = "token expires 2030-01-02 03:04:05 UTC";

        private static DockerConnection Ours(string host = "123456789012.dkr.ecr.eu-west-1.amazonaws.com", string password = "new+/=tok") =>
            new DockerConnection("ecr", host, "AWS", DockerConnection.Secure(password))
            {
                ExpiresAt = Expiry,
                Description = ExpiryNote.Compose(null, null, Expiry),
            };

        private static StoredConnection Stored(string value) => ConnectionDocument.Parse("ecr", value, "test");

        private static string Merge(string stored, DockerConnection ours, ConnectionFormat format = ConnectionFormat.Uri, bool formatGiven = false, bool includeDescription = true) =>
            ConnectionMerge.Value(Stored(stored), ours, format, formatGiven, includeDescription);

        private static StoredConnection ReadBack(string value)
        {
            var c = ConnectionDocument.Parse("ecr", value, "test");
            Assert.Equal(StoredKind.Docker, c.Kind);
            return c;
        }

        private static JsonElement ExtraOf(StoredConnection c) => JsonDocument.Parse(c.Extra!).RootElement;

        [Fact]
        public void Json_keeps_every_other_key_and_the_extra_with_its_types()
        {
            var stored = "{\"conn_type\":\"docker\",\"host\":\"old.example.com\",\"login\":\"old\",\"password\":\"old-tok\",\"port\":5000,\"schema\":\"s\",\"description\":\"Team registry\",\"extra\":{\"reauth\":false,\"email\":\"a@b\",\"timeout\":30,\"nested\":{\"x\":[1,2]}}}";
            var merged = Merge(stored, Ours(), ConnectionFormat.Uri);
            Assert.StartsWith("{", merged);   // it keeps its form: -Format was not typed
            using var doc = JsonDocument.Parse(merged);
            var root = doc.RootElement;
            Assert.Equal("123456789012.dkr.ecr.eu-west-1.amazonaws.com", root.GetProperty("host").GetString());
            Assert.Equal("AWS", root.GetProperty("login").GetString());
            Assert.Equal("new+/=tok", root.GetProperty("password").GetString());
            Assert.Equal(5000, root.GetProperty("port").GetInt32());
            Assert.Equal("s", root.GetProperty("schema").GetString());
            Assert.Equal("Team registry; " + Note, root.GetProperty("description").GetString());
            Assert.Equal("{\"reauth\":false,\"email\":\"a@b\",\"timeout\":30,\"nested\":{\"x\":[1,2]}}", root.GetProperty("extra").GetRawText());
            Assert.Equal(new[] { "conn_type", "host", "login", "password", "port", "schema", "description", "extra" }, Names(root));
        }

        [Fact]
        public void Json_email_changes_only_email_and_reauth_only_reauth()
        {
            var stored = "{\"conn_type\":\"docker\",\"host\":\"h\",\"login\":\"l\",\"password\":\"p\",\"extra\":{\"reauth\":false,\"email\":\"old@x\",\"timeout\":30}}";
            var merged = Merge(stored, Ours() with { Email = "new@x" });
            using var doc = JsonDocument.Parse(merged);
            Assert.Equal("{\"reauth\":false,\"email\":\"new@x\",\"timeout\":30}", doc.RootElement.GetProperty("extra").GetRawText());

            merged = Merge(stored, Ours() with { Reauth = true });
            using var second = JsonDocument.Parse(merged);
            Assert.Equal("{\"reauth\":true,\"email\":\"old@x\",\"timeout\":30}", second.RootElement.GetProperty("extra").GetRawText());
        }

        [Fact]
        public void Json_extra_stored_as_a_string_stays_a_string()
        {
            var stored = "{\"conn_type\":\"docker\",\"host\":\"h\",\"login\":\"l\",\"password\":\"p\",\"extra\":\"{\\\"timeout\\\": 30}\"}";
            using var doc = JsonDocument.Parse(Merge(stored, Ours() with { Email = "e@x" }));
            var extra = doc.RootElement.GetProperty("extra");
            Assert.Equal(JsonValueKind.String, extra.ValueKind);
            Assert.Equal("{\"timeout\":30,\"email\":\"e@x\"}", extra.GetString());
        }

        [Fact]
        public void Json_aliases_are_replaced_where_they_stand()
        {
            var stored = "{\"engine\":\"docker\",\"server\":\"old\",\"user\":\"old\",\"pass\":\"old\",\"database\":\"db\"}";
            using var doc = JsonDocument.Parse(Merge(stored, Ours(), includeDescription: false));
            Assert.Equal(new[] { "engine", "server", "user", "pass", "database" }, Names(doc.RootElement));
            Assert.Equal("new+/=tok", doc.RootElement.GetProperty("pass").GetString());
            Assert.Equal("AWS", doc.RootElement.GetProperty("user").GetString());
        }

        [Fact]
        public void Json_without_description_support_keeps_the_stored_description_untouched()
        {
            var stored = "{\"conn_type\":\"docker\",\"host\":\"h\",\"login\":\"l\",\"password\":\"p\",\"description\":\"theirs\"}";
            using var doc = JsonDocument.Parse(Merge(stored, Ours(), includeDescription: false));
            Assert.Equal("theirs", doc.RootElement.GetProperty("description").GetString());
        }

        [Fact]
        public void Json_a_stored_port_goes_when_our_host_names_its_own()
        {
            var stored = "{\"conn_type\":\"docker\",\"host\":\"h\",\"login\":\"l\",\"password\":\"p\",\"port\":5000}";
            using var doc = JsonDocument.Parse(Merge(stored, Ours(host: "localhost:5001")));
            Assert.False(doc.RootElement.TryGetProperty("port", out _));
            Assert.Equal("localhost:5001", doc.RootElement.GetProperty("host").GetString());
        }

        [Fact]
        public void Uri_keeps_port_path_query_order_and_fragment()
        {
            var merged = Merge("docker://old:old%2Ftok@old.example.com:5000/my%20schema?timeout=30&email=a%40b&z=1#frag", Ours());
            Assert.Equal("docker://AWS:new%2B%2F%3Dtok@123456789012.dkr.ecr.eu-west-1.amazonaws.com:5000/my%20schema?timeout=30&email=a%40b&z=1#frag", merged);
            var back = ReadBack(merged);
            Assert.Equal(5000, back.Port);
            Assert.Equal("my schema", back.Schema);
            Assert.Equal("new+/=tok", SecureText.Reveal(back.Password!));
        }

        [Fact]
        public void Uri_email_and_reauth_replace_their_own_parameter_in_place()
        {
            var merged = Merge("docker://l:p@h?e%6Dail=old%40x&timeout=30&email=dup&reauth=true", Ours() with { Email = "new+1@x", Reauth = false });
            Assert.EndsWith("?email=new%2B1%40x&timeout=30&reauth=false", merged);
            var extra = ExtraOf(ReadBack(merged));
            Assert.Equal("new+1@x", extra.GetProperty("email").GetString());
            Assert.Equal("30", extra.GetProperty("timeout").GetString());
            Assert.Equal("false", extra.GetProperty("reauth").GetString());
        }

        [Fact]
        public void Uri_with___extra___gets_email_inside_it_and_keeps_its_types()
        {
            var stored = "docker://l:p@h/s?__extra__=" + Uri.EscapeDataString("{\"reauth\": false, \"timeout\": 30}");
            var merged = Merge(stored, Ours() with { Email = "e@x" });
            var back = ReadBack(merged);
            Assert.Equal("{\"reauth\":false,\"timeout\":30,\"email\":\"e@x\"}", back.Extra);
            Assert.Equal("s", back.Schema);
        }

        [Fact]
        public void Uri_a_stored_port_goes_when_our_host_names_its_own_and_stays_for_a_v6_host_without_one()
        {
            Assert.Equal("docker://AWS:new%2B%2F%3Dtok@localhost%3A5001", Merge("docker://l:p@h:5000", Ours(host: "localhost:5001")));
            var v6 = ReadBack(Merge("docker://l:p@h:5000", Ours(host: "[::1]")));
            Assert.Equal("[::1]", v6.Host);
            Assert.Equal(5000, v6.Port);
        }

        [Fact]
        public void Uri_with_a_host_of_its_own_protocol_is_written_anew_with_what_it_kept()
        {
            var back = ReadBack(Merge("docker://https://old.example.com:5000/s?timeout=30", Ours()));
            Assert.Equal("123456789012.dkr.ecr.eu-west-1.amazonaws.com", back.Host);
            Assert.Equal(5000, back.Port);
            Assert.Equal("s", back.Schema);
            Assert.Equal("{\"timeout\":\"30\"}", back.Extra);
        }

        [Fact]
        public void Format_json_over_a_stored_uri_converts_and_keeps_port_schema_extra_and_writes_the_note()
        {
            var merged = Merge("docker://l:p@h:5000/s?timeout=30&email=a%40b", Ours() with { Reauth = true }, ConnectionFormat.Json, formatGiven: true);
            var back = ReadBack(merged);
            Assert.StartsWith("{\"conn_type\":\"docker\"", merged);
            Assert.Equal(5000, back.Port);
            Assert.Equal("s", back.Schema);
            Assert.Equal("{\"timeout\":\"30\",\"email\":\"a@b\",\"reauth\":true}", back.Extra);
            Assert.Equal("Managed by EcrAirflow; " + Note, back.Description);
        }

        [Fact]
        public void Format_uri_over_stored_json_converts_and_keeps_port_schema_and_typed_extra()
        {
            var stored = "{\"conn_type\":\"docker\",\"host\":\"h\",\"login\":\"l\",\"password\":\"p\",\"port\":5000,\"schema\":\"s\",\"extra\":{\"reauth\":false,\"timeout\":30}}";
            var merged = Merge(stored, Ours(), ConnectionFormat.Uri, formatGiven: true);
            Assert.StartsWith("docker://", merged);
            var back = ReadBack(merged);
            Assert.Equal(5000, back.Port);
            Assert.Equal("s", back.Schema);
            Assert.Equal("{\"reauth\":false,\"timeout\":30}", back.Extra);   // __extra__: the types survive

            // All-string extras stay readable key=value pairs.
            var flat = Merge("{\"conn_type\":\"docker\",\"host\":\"h\",\"extra\":{\"email\":\"a@b\"}}", Ours(), ConnectionFormat.Uri, formatGiven: true);
            Assert.EndsWith("?email=a%40b", flat);
        }

        [Fact]
        public void Format_uri_over_stored_json_without_extra_writes_email_and_reauth_as_a_new_one_does()
        {
            var merged = Merge("{\"conn_type\":\"docker\",\"host\":\"h\",\"port\":5000}", Ours() with { Reauth = false, Email = "e@x" }, ConnectionFormat.Uri, formatGiven: true);
            Assert.EndsWith(":5000?email=e%40x&reauth=false", merged);
        }

        [Fact]
        public void Nothing_stored_or_NotDocker_is_written_anew_in_the_asked_format()
        {
            Assert.Equal("docker://AWS:new%2B%2F%3Dtok@123456789012.dkr.ecr.eu-west-1.amazonaws.com", ConnectionMerge.Value(null, Ours(), ConnectionFormat.Uri, false, true));
            Assert.Equal("docker://AWS:new%2B%2F%3Dtok@123456789012.dkr.ecr.eu-west-1.amazonaws.com", Merge("mysql://u:p@h/db?x=1", Ours() with { ReplaceNonDocker = true }));
            Assert.StartsWith("{\"conn_type\":\"docker\"", ConnectionMerge.Value(StoredConnection.Missing("ecr", "t"), Ours(), ConnectionFormat.Json, false, true));
        }

        [Fact]
        public void Extra_merge_keeps_keys_in_order_and_leaves_text_alone_without_email_or_reauth()
        {
            Assert.Equal("{\"a\":1,\"email\":\"e\",\"b\":[true]}", ConnectionMerge.Extra("{\"a\":1,\"email\":\"old\",\"b\":[true]}", Ours() with { Email = "e" }));
            Assert.Equal("{ \"a\" : 1 }", ConnectionMerge.Extra("{ \"a\" : 1 }", Ours()));
            Assert.Null(ConnectionMerge.Extra(null, Ours()));
            Assert.Equal("{\"reauth\":false}", ConnectionMerge.Extra("not json", Ours() with { Reauth = false }));
        }

        [Fact]
        public void Import_file_entity_is_complete_and_merged()
        {
            var kept = Stored("{\"conn_type\":\"docker\",\"host\":\"h\",\"login\":\"l\",\"password\":\"old\",\"port\":5000,\"schema\":\"s\",\"description\":\"Mine; token expires 2029-01-01 00:00:00 UTC\",\"extra\":{\"timeout\":30,\"email\":\"a@b\"}}");
            var file = ConnectionJson.ImportFile(new[] { Ours() with { Reauth = false } }, new System.Collections.Generic.Dictionary<string, StoredConnection> { ["ecr"] = kept });
            using var doc = JsonDocument.Parse(file);
            var entity = doc.RootElement.GetProperty("ecr");
            Assert.Equal(new[] { "conn_type", "host", "login", "password", "description", "port", "schema", "extra" }, Names(entity));
            Assert.Equal("Mine; " + Note, entity.GetProperty("description").GetString());
            Assert.Equal(5000, entity.GetProperty("port").GetInt32());
            Assert.Equal("{\"timeout\":30,\"email\":\"a@b\",\"reauth\":false}", entity.GetProperty("extra").GetRawText());
        }

        [Fact]
        public void Import_file_keeps_an_extra_Airflow_cannot_read_as_the_text_it_was()
        {
            var kept = new StoredConnection("ecr", StoredKind.Docker, "t") { Extra = "{broken" };
            using var doc = JsonDocument.Parse(ConnectionJson.ImportFile(new[] { Ours() }, new System.Collections.Generic.Dictionary<string, StoredConnection> { ["ecr"] = kept }));
            Assert.Equal("{broken", doc.RootElement.GetProperty("ecr").GetProperty("extra").GetString());
        }

        [Theory]
        [InlineData("localhost:5000", true)]
        [InlineData("[::1]:5000", true)]
        [InlineData("[::1]", false)]
        [InlineData("registry.example.com", false)]
        [InlineData("host:", false)]
        public void Host_names_a_port(string host, bool names)
        {
            Assert.Equal(names, ConnectionMerge.HostNamesPort(host));
        }

        private static string[] Names(JsonElement o)
        {
            var names = new System.Collections.Generic.List<string>();
            foreach (var p in o.EnumerateObject())
            {
                names.Add(p.Name);
            }

            return names.ToArray();
        }
    }
}
