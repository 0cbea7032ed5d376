using System;
using System.Linq;
using System.Text.Json;
using EcrAirflow.Airflow;
using EcrAirflow.Internal.Secrets;

namespace EcrAirflow.Modes.Cli
{
    /// <summary>
    /// Reads what `airflow connections get ID --output json` answered (connection_command.py: the connection through
    /// BaseHook.get_connection, printed with _connection_mapper as a JSON list: conn_id, conn_type, description, host,
    /// schema, login, password, port, extra_dejson, …; "Connection not found." and exit code 1 when there is none).
    /// The output holds the password: only the fields are kept, and none of it reaches a message.
    /// </summary>
    internal static class CliGetAnswer
    {
        public static StoredConnection Parse(CliRunResult run, string connectionId, string prefix)
        {
            var location = prefix + " (connection " + connectionId + ")";
            var output = run.StandardOutput + "\n" + run.StandardError;
            if (run.ExitCode != 0)
            {
                if (output.IndexOf("Connection not found", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    return StoredConnection.Missing(connectionId, location);
                }

                // stderr only, and only its first line: stdout could hold a password.
                var detail = run.StandardError.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? string.Empty;
                throw CliErrors.GetFailed(prefix, connectionId, run.ExitCode, ConnectionInput.Printable(detail, 300));
            }

            var start = run.StandardOutput.IndexOf('[');
            var end = run.StandardOutput.LastIndexOf(']');
            if (start < 0 || end < start)
            {
                throw CliErrors.GetUnreadable(prefix, connectionId);
            }

            try
            {
                using var doc = JsonDocument.Parse(run.StandardOutput.Substring(start, end - start + 1));
                if (doc.RootElement.ValueKind != JsonValueKind.Array || doc.RootElement.GetArrayLength() != 1 || doc.RootElement[0].ValueKind != JsonValueKind.Object)
                {
                    throw CliErrors.GetUnreadable(prefix, connectionId);
                }

                var item = doc.RootElement[0];
                if (Text(item, "conn_id") is string id && !string.Equals(id, connectionId, StringComparison.Ordinal))
                {
                    throw CliErrors.GetUnreadable(prefix, connectionId);
                }

                var type = Text(item, "conn_type");
                if (!string.Equals(type, DockerConnection.ConnType, StringComparison.Ordinal))
                {
                    return StoredConnection.NotDocker(connectionId, location, type == null ? "a connection without conn_type" : "a " + type + " connection");
                }

                var password = Text(item, "password");
                return new StoredConnection(connectionId, StoredKind.Docker, location)
                {
                    Type = type,
                    Host = Text(item, "host"),
                    Login = Text(item, "login"),
                    Schema = Text(item, "schema"),
                    Description = Text(item, "description"),
                    Port = item.TryGetProperty("port", out var port) && port.ValueKind == JsonValueKind.Number && port.TryGetInt32(out var p) ? p : (int?)null,
                    Extra = item.TryGetProperty("extra_dejson", out var extra) && extra.ValueKind == JsonValueKind.Object && extra.EnumerateObject().Any() ? extra.GetRawText() : null,
                    Password = string.IsNullOrEmpty(password) ? null : SecureText.ToSecure(password!),
                    PasswordVisibility = string.IsNullOrEmpty(password) ? PasswordVisibility.Absent : PasswordVisibility.Readable,
                };
            }
            catch (JsonException)
            {
                throw CliErrors.GetUnreadable(prefix, connectionId);
            }
        }

        private static string? Text(JsonElement item, string name) =>
            item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}
