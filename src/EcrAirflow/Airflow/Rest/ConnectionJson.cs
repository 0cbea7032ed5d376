using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace EcrAirflow.Airflow.Rest
{
    /// <summary>
    /// JSON bodies for the REST API. Only fields both specs document (v1 <c>Connection</c>, v2
    /// <c>ConnectionBody</c>, which rejects anything else): connection_id, conn_type, description, host,
    /// login, password and — only when -Email or -Reauth was given — extra, a JSON <em>string</em>.
    /// The bytes hold the password: they go to the request and nowhere else.
    /// </summary>
    internal static class ConnectionJson
    {
        /// <summary>One connection (API v1 PATCH/POST body).</summary>
        public static byte[] Connection(DockerConnection connection) => Write(w => WriteConnection(w, connection));

        /// <summary>API v2 bulk upsert: one create action with overwrite for the whole batch.</summary>
        public static byte[] BulkUpsert(IReadOnlyList<DockerConnection> connections) => Write(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("actions");
            w.WriteStartObject();
            w.WriteString("action", "create");
            w.WriteStartArray("entities");
            foreach (var connection in connections)
            {
                WriteConnection(w, connection);
            }

            w.WriteEndArray();
            w.WriteString("action_on_existence", "overwrite");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        });

        /// <summary>Airflow 3 POST /auth/token body.</summary>
        public static byte[] TokenRequest(string userName, string password) => Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("username", userName);
            w.WriteString("password", password);
            w.WriteEndObject();
        });

        /// <summary>The extra field's text: {"email":…,"reauth":…} with only what was given; null when neither.</summary>
        public static string? Extra(DockerConnection connection)
        {
            if (!connection.HasExtra)
            {
                return null;
            }

            var bytes = Write(w =>
            {
                w.WriteStartObject();
                if (connection.Email != null)
                {
                    w.WriteString("email", connection.Email);
                }

                if (connection.Reauth.HasValue)
                {
                    w.WriteBoolean("reauth", connection.Reauth.Value);
                }

                w.WriteEndObject();
            });
            return System.Text.Encoding.UTF8.GetString(bytes);
        }

        private static void WriteConnection(Utf8JsonWriter w, DockerConnection c)
        {
            w.WriteStartObject();
            w.WriteString("connection_id", c.ConnectionId);
            w.WriteString("conn_type", DockerConnection.ConnType);
            if (c.Description != null)
            {
                w.WriteString("description", c.Description);
            }

            w.WriteString("host", c.Host);
            w.WriteString("login", c.Login);
            w.WriteString("password", c.Password);
            var extra = Extra(c);
            if (extra != null)
            {
                w.WriteString("extra", extra);
            }

            w.WriteEndObject();
        }

        private static byte[] Write(System.Action<Utf8JsonWriter> write)
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream))
            {
                write(writer);
            }

            return stream.ToArray();
        }
    }
}
