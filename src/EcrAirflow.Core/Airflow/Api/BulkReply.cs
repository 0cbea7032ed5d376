using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using EcrAirflow.Core.Internal.Secrets;

namespace EcrAirflow.Core.Airflow.Api
{
    /// <summary>
    /// Airflow 3's BulkResponse: {"create": {"success": [ids], "errors": [{"error", "status_code"}]} | null,
    /// "update": …, "delete": …}. It comes with 200 even when entities failed, so each connection is judged by the
    /// part of the action it was sent in; one id failing never fails the others.
    /// </summary>
    internal sealed class BulkReply
    {
        private readonly Dictionary<string, (HashSet<string> Success, List<(string Text, int Status)> Errors)> _actions =
            new Dictionary<string, (HashSet<string>, List<(string, int)>)>(StringComparer.Ordinal);

        private BulkReply()
        {
        }

        /// <summary>An id Airflow skipped because another writer created or deleted it after our read: worth one more read and write.</summary>
        internal sealed class Skipped
        {
            public Skipped(EcrAirflowException error)
            {
                Error = error;
            }

            /// <summary>What to report when it is skipped again.</summary>
            public EcrAirflowException Error { get; }
        }

        /// <summary>The reply's action results; UnexpectedResponse when it has none (not a bulk response: a proxy page, another endpoint).</summary>
        public static BulkReply Read(AirflowReply reply, SecretRedactor redactor)
        {
            var read = new BulkReply();
            try
            {
                using var doc = JsonDocument.Parse(reply.Body);
                if (doc.RootElement.ValueKind == JsonValueKind.Object)
                {
                    foreach (var name in new[] { "create", "update" })
                    {
                        if (doc.RootElement.TryGetProperty(name, out var part) && part.ValueKind == JsonValueKind.Object)
                        {
                            read._actions[name] = (Ids(part), Errors(part, redactor));
                        }
                    }
                }
            }
            catch (JsonException)
            {
                throw Unexpected(reply, "it is not JSON");
            }

            if (read._actions.Count == 0)
            {
                throw Unexpected(reply, "it has neither a \"create\" nor an \"update\" result");
            }

            return read;
        }

        /// <summary>
        /// <paramref name="done"/> when the action lists the id as a success. Else the errors that name it, or those
        /// that name no id of the action (Airflow's text does not always say which). Else, when only other ids' errors
        /// are there, Airflow stopped the action at one of them (handle_bulk_update's loop ends at its first error).
        /// Else it was <see cref="Skipped"/>: with skip, an id created or deleted by someone else between our read and our
        /// write is neither a success nor an error.
        /// </summary>
        public object Verdict(DockerConnection connection, string action, SyncAction done, AirflowReply reply, IReadOnlyCollection<string> actionIds)
        {
            var id = connection.ConnectionId;
            if (!_actions.TryGetValue(action, out var result))
            {
                return new EcrAirflowException(AirflowErrors.UnexpectedResponse, FailureKind.InvalidData,
                    $"Airflow's reply to {reply.Request} has no \"{action}\" result, so whether connection '{id}' was written is unknown.",
                    "Check the connection in Airflow and run the command again: it is safe to repeat.")
                { TargetObject = id };
            }

            if (result.Success.Contains(id))
            {
                return done;
            }

            var mine = result.Errors.FindAll(e => Names(e.Text, id));
            if (mine.Count == 0)
            {
                mine = result.Errors.FindAll(e => !actionIds.Any(other => Names(e.Text, other)));
            }

            if (mine.Count == 0 && result.Errors.Count > 0)
            {
                return new EcrAirflowException(AirflowErrors.WriteFailed, FailureKind.WriteError,
                    $"Airflow 3 did not write connection '{id}' in the bulk request {reply.Request}: it stopped the {action} at an error about another connection ({Join(result.Errors)}).",
                    "The other connections of the request were judged on their own; fix what Airflow's message names and run the command again.")
                { TargetObject = id };
            }

            if (mine.Count == 0)
            {
                var what = action == "update" ? "no longer exists (it was deleted after it was read)" : "exists now (it was created by someone else after it was read)";
                return new Skipped(new EcrAirflowException(AirflowErrors.Conflict, FailureKind.InvalidOperation,
                    $"Airflow 3 skipped connection '{id}' in the bulk request {reply.Request}: it {what}, so it was not written.",
                    "Another writer changed the connection at the same time; run the command again.")
                { TargetObject = id });
            }

            var status = mine[0].Status;
            var (errorId, kind) = status switch
            {
                400 => (AirflowErrors.RejectedConnection, FailureKind.InvalidData),
                422 => (AirflowErrors.RejectedConnection, FailureKind.InvalidData),
                409 => (AirflowErrors.Conflict, FailureKind.InvalidOperation),
                401 => (AirflowErrors.PermissionDenied, FailureKind.PermissionDenied),
                403 => (AirflowErrors.PermissionDenied, FailureKind.PermissionDenied),
                _ => (AirflowErrors.WriteFailed, FailureKind.WriteError),
            };
            var code = status > 0 ? $" (status {status})" : "";
            return new EcrAirflowException(errorId, kind,
                $"Airflow 3 did not write connection '{id}' in the bulk request {reply.Request}{code}: {Join(mine)}",
                "The other connections of the request were judged on their own; fix what Airflow's message names and run the command again.")
            { TargetObject = id };
        }

        private static string Join(List<(string Text, int Status)> errors) => string.Join("; ", errors.ConvertAll(e => e.Text));

        /// <summary>Whether an error's text names the id as Airflow writes ids: in quotes or backticks ('ecr', `ecr`).</summary>
        private static bool Names(string text, string id) =>
            text.IndexOf("'" + id + "'", StringComparison.Ordinal) >= 0
            || text.IndexOf("`" + id + "`", StringComparison.Ordinal) >= 0
            || text.IndexOf("\"" + id + "\"", StringComparison.Ordinal) >= 0;

        private static HashSet<string> Ids(JsonElement part)
        {
            var ids = new HashSet<string>(StringComparer.Ordinal);
            if (part.TryGetProperty("success", out var ok) && ok.ValueKind == JsonValueKind.Array)
            {
                foreach (var id in ok.EnumerateArray())
                {
                    if (id.ValueKind == JsonValueKind.String)
                    {
                        ids.Add(id.GetString()!);
                    }
                }
            }

            return ids;
        }

        private static List<(string Text, int Status)> Errors(JsonElement part, SecretRedactor redactor)
        {
            var errors = new List<(string, int)>();
            if (part.TryGetProperty("errors", out var failed) && failed.ValueKind == JsonValueKind.Array)
            {
                foreach (var error in failed.EnumerateArray())
                {
                    errors.Add(ReadError(error, redactor));
                }
            }

            return errors;
        }

        private static (string Text, int Status) ReadError(JsonElement error, SecretRedactor redactor)
        {
            var status = 0;
            string text;
            if (error.ValueKind == JsonValueKind.Object)
            {
                if (error.TryGetProperty("status_code", out var s) && s.ValueKind == JsonValueKind.Number)
                {
                    s.TryGetInt32(out status);
                }

                text = error.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String
                    ? e.GetString() ?? ""
                    : AirflowErrors.Detail(error.GetRawText(), redactor);
            }
            else
            {
                text = error.ValueKind == JsonValueKind.String ? error.GetString() ?? "" : error.GetRawText();
            }

            text = redactor.Redact(text);
            return (text.Length > 600 ? text.Substring(0, 600) + "…" : text, status);
        }

        private static EcrAirflowException Unexpected(AirflowReply reply, string why) =>
            new EcrAirflowException(AirflowErrors.UnexpectedResponse, FailureKind.InvalidData,
                $"Airflow answered {reply.Request} with {reply.Code} but the reply is not a bulk response ({why}); whether the connections were written is unknown.",
                "Check that -AirflowUrl points at the Airflow 3 API server (not a proxy page), then run the command again: it is safe to repeat.");
    }
}
