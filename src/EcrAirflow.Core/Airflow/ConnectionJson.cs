using System.Collections.Generic;
using EcrAirflow.Core.Internal;

namespace EcrAirflow.Core.Airflow
{
    /// <summary>
    /// Every JSON form of a <see cref="DockerConnection"/>, from one writer (<see cref="JsonText"/>):
    /// <list type="bullet">
    /// <item>REST API v1 POST body: only the fields the spec documents; <c>extra</c> is a JSON <em>string</em>
    /// there (the refresh's PATCH and bulk bodies, built over what was read, are in Airflow/Api/ApiBodies).</item>
    /// <item>The file <c>airflow connections import</c> reads, <c>AIRFLOW_CONN_*</c> JSON values (Airflow ≥ 2.3)
    /// and the secret-store values (Secrets Manager, Parameter Store): a connection object whose
    /// <c>extra</c> is an object, read by <c>Connection.from_json</c> / <c>Connection(**value)</c>.</item>
    /// </list>
    /// The text holds the password: it goes to the request or file it was built for and nowhere else.
    /// </summary>
    internal static class ConnectionJson
    {
        /// <summary>API v1 POST body: a new Docker connection.</summary>
        public static byte[] RestV1(DockerConnection connection)
        {
            var json = new JsonText();
            WriteRestEntity(json, connection);
            return json.ToUtf8();
        }

        /// <summary>Airflow 3 POST /auth/token body.</summary>
        public static byte[] TokenRequest(string userName, string password) =>
            new JsonText().StartObject().Member("username", userName).Member("password", password).EndObject().ToUtf8();

        /// <summary>
        /// The connection object alone: an AIRFLOW_CONN_* JSON value, or a secret store's value. With
        /// <paramref name="kept"/>, what the stored connection had beyond what a refresh owns (port, schema, extra
        /// keys, its description's own text) is written too.
        /// </summary>
        public static string Object(DockerConnection connection, bool includeDescription, StoredConnection? kept = null)
        {
            var json = new JsonText();
            WriteObject(json, connection, includeDescription, kept);
            return json.ToString();
        }

        /// <summary>The file Airflow's connections import reads: {"&lt;conn id&gt;": {…}, …}, one per line.</summary>
        /// <param name="kept">What each connection's stored one had (by id), to keep in the import (it replaces the whole connection).</param>
        public static string ImportFile(IEnumerable<DockerConnection> connections, IReadOnlyDictionary<string, StoredConnection>? kept = null)
        {
            var entries = new List<string>();
            foreach (var connection in connections)
            {
                StoredConnection? stored = null;
                kept?.TryGetValue(connection.ConnectionId, out stored);
                entries.Add("\n  " + JsonText.Quote(connection.ConnectionId) + ": " + Object(connection, includeDescription: true, stored));
            }

            return "{" + string.Join(",", entries) + "\n}\n";
        }

        /// <summary>The extra field's text: {"email":…,"reauth":…} with only what was given; null when neither.</summary>
        public static string? Extra(DockerConnection connection)
        {
            if (!connection.HasExtra)
            {
                return null;
            }

            var json = new JsonText();
            WriteExtra(json, connection);
            return json.ToString();
        }

        private static void WriteRestEntity(JsonText json, DockerConnection c)
        {
            json.StartObject()
                .Member("connection_id", c.ConnectionId)
                .Member("conn_type", DockerConnection.ConnType)
                .OptionalMember("description", c.Description)
                .Member("host", c.Host)
                .Member("login", c.Login)
                .Member("password", c.RevealPassword())
                .OptionalMember("extra", Extra(c))
                .EndObject();
        }

        private static void WriteObject(JsonText json, DockerConnection c, bool includeDescription, StoredConnection? kept)
        {
            json.StartObject()
                .Member("conn_type", DockerConnection.ConnType)
                .Member("host", c.Host)
                .Member("login", c.Login)
                .Member("password", c.RevealPassword());
            if (includeDescription)
            {
                json.OptionalMember("description", kept != null && kept.Kind == StoredKind.Docker ? c.DescriptionOver(kept.Description) : c.Description);
            }

            if (kept != null && kept.Kind == StoredKind.Docker)
            {
                if (kept.Port.HasValue && !ConnectionMerge.HostNamesPort(c.Host))
                {
                    json.Name("port").Number(kept.Port.Value);
                }

                json.OptionalMember("schema", kept.Schema);
                var extra = ConnectionMerge.Extra(kept.Extra, c);
                if (extra != null && ConnectionMerge.IsJsonObject(extra))
                {
                    json.Name("extra").Raw(extra);
                }
                else if (extra != null)
                {
                    // Text Airflow stored as extra but cannot read as an object: kept as it was, as a string.
                    json.Member("extra", extra);
                }
            }
            else if (c.HasExtra)
            {
                json.Name("extra");
                WriteExtra(json, c);
            }

            json.EndObject();
        }

        private static void WriteExtra(JsonText json, DockerConnection c)
        {
            json.StartObject().OptionalMember("email", c.Email);
            if (c.Reauth.HasValue)
            {
                json.Name("reauth").Bool(c.Reauth.Value);
            }

            json.EndObject();
        }
    }
}
