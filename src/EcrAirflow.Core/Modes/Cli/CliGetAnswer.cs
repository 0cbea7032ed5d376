using System;
using System.Linq;
using System.Text.Json;
using EcrAirflow.Core.Airflow;
using EcrAirflow.Core.Internal.Secrets;

namespace EcrAirflow.Core.Modes.Cli
{
    /// <summary>
    /// Reads what `airflow connections get ID --output json` answered. connection_command.py finds the connection as
    /// BaseHook.get_connection does (a secrets backend, AIRFLOW_CONN_*, then the database) and prints _connection_mapper's
    /// row through AirflowConsole: a JSON list of one object whose values _normalize_data made strings ("port": "5000",
    /// "extra_dejson": {"reauth": "False"}), with "id" null for a connection that is not in the database; or
    /// "Connection not found." with exit code 1. The output holds the password: only the fields are kept, and none of
    /// it reaches a message.
    /// </summary>
    /// <remarks>
    /// extra is taken from get_uri, which carries it exactly (key=value pairs when every value is a string, else the
    /// extra's own JSON as __extra__); extra_dejson has lost its types (false became "False") and is the fallback only.
    /// </remarks>
    internal static class CliGetAnswer
    {
        public static CliStoredConnection Parse(CliRunResult run, string connectionId, string prefix)
        {
            var location = prefix + " (connection " + connectionId + ")";
            if (run.ExitCode != 0)
            {
                if (run.ExitCode == 1 && (run.StandardError + "\n" + run.StandardOutput).IndexOf("Connection not found", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    return new CliStoredConnection(StoredConnection.Missing(connectionId, location), InDatabase: false);
                }

                throw Failure(run, connectionId, prefix);
            }

            var list = JsonList(run.StandardOutput);
            if (list == null)
            {
                throw CliErrors.GetUnreadable(prefix, connectionId).StoppingBatch();
            }

            try
            {
                using var doc = JsonDocument.Parse(list);
                if (doc.RootElement.ValueKind != JsonValueKind.Array || doc.RootElement.GetArrayLength() != 1 || doc.RootElement[0].ValueKind != JsonValueKind.Object)
                {
                    throw CliErrors.GetUnreadable(prefix, connectionId).StoppingBatch();
                }

                var item = doc.RootElement[0];
                if (Text(item, "conn_id") is string id && !string.Equals(id, connectionId, StringComparison.Ordinal))
                {
                    throw CliErrors.GetUnreadable(prefix, connectionId).StoppingBatch();
                }

                var inDatabase = item.TryGetProperty("id", out var rowId) && rowId.ValueKind != JsonValueKind.Null;
                var type = Text(item, "conn_type");
                if (!string.Equals(type, DockerConnection.ConnType, StringComparison.Ordinal))
                {
                    var what = string.IsNullOrEmpty(type) ? "a connection without conn_type" : ConnectionDocument.OtherType(type!);
                    return new CliStoredConnection(StoredConnection.NotDocker(connectionId, location, what), inDatabase);
                }

                var password = Text(item, "password");
                return new CliStoredConnection(new StoredConnection(connectionId, StoredKind.Docker, location)
                {
                    Type = type,
                    Host = Text(item, "host"),
                    Login = Text(item, "login"),
                    Schema = Text(item, "schema"),
                    Description = Text(item, "description"),
                    Port = Port(item),
                    Extra = Extra(item),
                    Password = string.IsNullOrEmpty(password) ? null : SecureText.ToSecure(password!),
                    PasswordVisibility = string.IsNullOrEmpty(password) ? PasswordVisibility.Absent : PasswordVisibility.Readable,
                }, inDatabase);
            }
            catch (JsonException)
            {
                throw CliErrors.GetUnreadable(prefix, connectionId).StoppingBatch();
            }
        }

        /// <summary>
        /// A read that failed: as the import's failures for what concerns the command (2 argparse, 126, 127), else
        /// AirflowCliReadFailed with the exception line of stderr (never stdout, which could hold a password). Each
        /// stops the batch: every later read would meet it too.
        /// </summary>
        private static EcrAirflowException Failure(CliRunResult run, string connectionId, string prefix)
        {
            if (run.ExitCode == 2 || run.ExitCode == 126 || run.ExitCode == 127)
            {
                return CliImportAnswer.BatchFailure(run, prefix).StoppingBatch();
            }

            var detail = ConnectionInput.Printable(CliImportAnswer.Summary(run.StandardError, string.Empty), 300);
            return CliErrors.GetFailed(prefix, connectionId, run.ExitCode, detail).StoppingBatch();
        }

        /// <summary>
        /// The JSON list in what the CLI printed: the last line that starts one and parses (a wrapper or a warning may
        /// print lines of its own before it, some with brackets); null when there is none.
        /// </summary>
        private static string? JsonList(string stdout)
        {
            var end = stdout.LastIndexOf(']');
            for (var start = stdout.LastIndexOf('[', Math.Max(0, end)); start >= 0 && end > start; start = start == 0 ? -1 : stdout.LastIndexOf('[', start - 1))
            {
                var lineStart = start == 0 ? 0 : stdout.LastIndexOf('\n', start - 1) + 1;
                if (stdout.Substring(lineStart, start - lineStart).Trim().Length > 0)
                {
                    continue;
                }

                var text = stdout.Substring(start, end - start + 1);
                try
                {
                    using var doc = JsonDocument.Parse(text);
                    if (doc.RootElement.ValueKind == JsonValueKind.Array)
                    {
                        return text;
                    }
                }
                catch (JsonException)
                {
                    // Not the list: an earlier line may start it.
                }
            }

            return null;
        }

        /// <summary>The port as the CLI prints it: a string of digits (a number from other tools).</summary>
        private static int? Port(JsonElement item)
        {
            if (!item.TryGetProperty("port", out var port))
            {
                return null;
            }

            if (port.ValueKind == JsonValueKind.Number)
            {
                return port.TryGetInt32(out var n) ? n : (int?)null;
            }

            return port.ValueKind == JsonValueKind.String && int.TryParse(port.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p) ? p : (int?)null;
        }

        /// <summary>The extra as stored: from get_uri's query (exact), else extra_dejson (values may have become strings).</summary>
        private static string? Extra(JsonElement item)
        {
            var uri = Text(item, "get_uri");
            if (!string.IsNullOrEmpty(uri) && PythonUrl.Split(uri!) is PythonUrl parts)
            {
                return ConnectionDocument.QueryExtra(parts.Query);
            }

            return item.TryGetProperty("extra_dejson", out var extra) && extra.ValueKind == JsonValueKind.Object && extra.EnumerateObject().Any() ? extra.GetRawText() : null;
        }

        private static string? Text(JsonElement item, string name) =>
            item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    /// <summary>What `connections get` found, and whether it is in Airflow's database (an import can only change that one).</summary>
    internal sealed record CliStoredConnection(StoredConnection Stored, bool InDatabase);
}
