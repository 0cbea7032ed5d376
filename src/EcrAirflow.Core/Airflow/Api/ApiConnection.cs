using System;
using System.Text.Json;

namespace EcrAirflow.Core.Airflow.Api
{
    /// <summary>
    /// A connection as Airflow's REST API returns it (API v1 Connection, API v2 ConnectionResponse: connection_id,
    /// conn_type, description, host, login, schema, port, extra as a JSON string; v2 also password, masked), read
    /// into a <see cref="StoredConnection"/> after checking that the reply is what the API promises.
    /// </summary>
    internal static class ApiConnection
    {
        /// <summary>Airflow 3 masks a stored password with this.</summary>
        public const string Mask = "***";

        /// <summary>
        /// A 404 that says "no such connection" about this id: Airflow 2's problem document and Airflow 3's
        /// {"detail": …} both read "The Connection with connection_id: `&lt;id&gt;` was not found". Any other 404 (a
        /// route the server does not have, Airflow 3 asked for API v1, a proxy's page) is not an answer about the
        /// connection: it means no API is there.
        /// </summary>
        public static bool IsNotFoundProblem(AirflowReply reply, string connectionId)
        {
            if (reply.Code != 404)
            {
                return false;
            }

            try
            {
                using var doc = JsonDocument.Parse(reply.Body);
                return doc.RootElement.ValueKind == JsonValueKind.Object
                    && doc.RootElement.TryGetProperty("detail", out var detail)
                    && detail.ValueKind == JsonValueKind.String
                    && detail.GetString()!.IndexOf("`" + connectionId + "`", StringComparison.Ordinal) >= 0
                    && detail.GetString()!.IndexOf("not found", StringComparison.OrdinalIgnoreCase) >= 0;
            }
            catch (JsonException)
            {
                return false;
            }
        }

        /// <summary>One connection reply; UnexpectedResponse when it is not the connection asked for.</summary>
        public static StoredConnection Read(AirflowReply reply, string connectionId, string location, AirflowApiVersion api)
        {
            try
            {
                using var doc = JsonDocument.Parse(reply.Body);
                if (doc.RootElement.ValueKind == JsonValueKind.Object)
                {
                    var stored = FromElement(doc.RootElement, location, api);
                    if (stored != null && string.Equals(stored.ConnectionId, connectionId, StringComparison.Ordinal))
                    {
                        return stored;
                    }
                }
            }
            catch (JsonException)
            {
                throw Unexpected(reply, $"the connection '{connectionId}'", NotJson(reply));
            }

            throw Unexpected(reply, $"the connection '{connectionId}'");
        }

        /// <summary>One item of a reply; null when it has no connection_id.</summary>
        public static StoredConnection? FromElement(JsonElement item, string location, AirflowApiVersion api)
        {
            var id = Text(item, "connection_id");
            if (id == null)
            {
                return null;
            }

            var type = Text(item, "conn_type");
            if (!string.Equals(type, DockerConnection.ConnType, StringComparison.Ordinal))
            {
                return StoredConnection.NotDocker(id, location, type == null ? "a connection without conn_type" : "a " + type + " connection");
            }

            var password = Text(item, "password");
            return new StoredConnection(id, StoredKind.Docker, location)
            {
                Type = type,
                Host = Text(item, "host"),
                Login = Text(item, "login"),
                Schema = Text(item, "schema"),
                Description = Text(item, "description"),
                Port = item.TryGetProperty("port", out var port) && port.ValueKind == JsonValueKind.Number && port.TryGetInt32(out var p) ? p : (int?)null,
                Extra = Text(item, "extra"),
                PasswordVisibility = api == AirflowApiVersion.V1
                    ? PasswordVisibility.NotReturned
                    : password == null ? PasswordVisibility.Absent : PasswordVisibility.Redacted,
            };
        }

        public static EcrAirflowException Unexpected(AirflowReply reply, string what, string? why = null) =>
            new EcrAirflowException(AirflowErrors.UnexpectedResponse, FailureKind.InvalidData,
                $"Airflow answered {reply.Request} with {reply.Code}, but the reply is not {what} that the REST API returns{(why == null ? "" : " (" + why + ")")}.",
                "Check that the URL points at Airflow's API itself, not at a login page or a proxy in front of it.");

        /// <summary>Why a reply that does not parse is not JSON, in a word (a proxy's page, or text).</summary>
        public static string NotJson(AirflowReply reply) =>
            reply.Body.TrimStart().StartsWith("<", StringComparison.Ordinal) ? "it is an HTML page" : "it is not JSON";

        private static string? Text(JsonElement item, string name) =>
            item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}
