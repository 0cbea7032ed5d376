using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Internal;
using EcrAirflow.Internal.Secrets;
using EcrAirflow.Modes;

namespace EcrAirflow.Airflow.Api
{
    /// <summary>
    /// Airflow 3, public REST API v2. The whole batch in one request: PATCH /api/v2/connections with a
    /// single "create" action and action_on_existence "overwrite" (an upsert that never deletes). The
    /// reply is 200 even when entities failed, so each connection is judged by create.success and
    /// create.errors. Reads: GET /api/v2/connections/{id} for one id, one list request (connection_id_pattern,
    /// paged) for many; the password comes back masked. Authentication: a JWT from POST /auth/token (cached per
    /// URL and user for the session, renewed once on 401), or -AccessToken as the bearer token as given.
    /// </summary>
    internal sealed class AirflowApiV2 : IConnectionTarget
    {
        /// <summary>Airflow's [api] maximum_page_limit default: a larger limit is cut to it.</summary>
        internal const int PageSize = 100;

        private readonly IAirflowTransport _http;
        private readonly AirflowAuth _auth;

        public AirflowApiV2(IAirflowTransport http, AirflowAuth auth, string mode)
        {
            _http = http;
            _auth = auth;
            Mode = mode;
        }

        public string Mode { get; }

        public string Target => _http.Display;

        public string Describe(DockerConnection connection) => " at " + Target;

        public async Task<SyncOutcome> WriteAsync(IReadOnlyList<DockerConnection> connections, IOperationLog log, CancellationToken cancellationToken)
        {
            var what = connections.Count == 1
                ? $"writing connection '{connections[0].ConnectionId}'"
                : $"writing {connections.Count} connections";

            var body = ConnectionJson.BulkUpsert(connections);
            AirflowReply reply;
            try
            {
                reply = await SendAuthorizedAsync(new HttpMethod("PATCH"), ApiPaths.V2Connections, body, log, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Array.Clear(body, 0, body.Length); // every password of the batch: not kept past the request
            }

            if (!reply.IsSuccess)
            {
                throw AirflowErrors.FromReply(reply, AirflowApiVersion.V2, what, _http.Redactor, _http);
            }

            return Judge(reply, connections);
        }

        /// <summary>One GET for one id; for many, one list request per page of ids that share a prefix (usually one in all).</summary>
        public async Task<ReadOutcome> ReadAsync(IReadOnlyList<ConnectionRef> connections, IOperationLog log, CancellationToken cancellationToken)
        {
            var outcome = new ReadOutcome();
            if (connections.Count == 0)
            {
                return outcome;
            }

            if (connections.Count == 1)
            {
                var id = connections[0].ConnectionId;
                var reply = await SendAuthorizedAsync(HttpMethod.Get, ApiPaths.V2Connection(id), null, log, cancellationToken).ConfigureAwait(false);
                if (reply.Code == 404 && ApiConnection.IsNotFoundProblem(reply))
                {
                    outcome.Found.Add(StoredConnection.Missing(id, Location(id)));
                }
                else if (!reply.IsSuccess)
                {
                    throw AirflowErrors.FromReply(reply, AirflowApiVersion.V2, $"reading connection '{id}'", _http.Redactor, _http, id);
                }
                else
                {
                    outcome.Found.Add(ApiConnection.Read(reply, id, Location(id), AirflowApiVersion.V2));
                }

                return outcome;
            }

            var wanted = new HashSet<string>(connections.Select(c => c.ConnectionId), StringComparer.Ordinal);
            var found = new Dictionary<string, StoredConnection>(StringComparer.Ordinal);
            var pattern = CommonPrefix(wanted);
            for (var offset = 0; ; offset += PageSize)
            {
                var path = ApiPaths.V2Connections + "?limit=" + PageSize + "&offset=" + offset + "&order_by=connection_id"
                    + (pattern.Length > 0 ? "&connection_id_pattern=" + Uri.EscapeDataString(pattern + "%") : string.Empty);
                var reply = await SendAuthorizedAsync(HttpMethod.Get, path, null, log, cancellationToken).ConfigureAwait(false);
                if (!reply.IsSuccess)
                {
                    throw AirflowErrors.FromReply(reply, AirflowApiVersion.V2, $"reading {connections.Count} connections", _http.Redactor, _http);
                }

                var (items, total) = ReadPage(reply);
                foreach (var item in items.Where(i => wanted.Contains(i.ConnectionId)))
                {
                    found[item.ConnectionId] = item;
                }

                if (items.Count == 0 || offset + items.Count >= total || found.Count == wanted.Count)
                {
                    break;
                }
            }

            foreach (var connection in connections)
            {
                outcome.Found.Add(found.TryGetValue(connection.ConnectionId, out var stored)
                    ? stored
                    : StoredConnection.Missing(connection.ConnectionId, Location(connection.ConnectionId)));
            }

            return outcome;
        }

        private string Location(string connectionId) => Target + " (connection " + connectionId + ")";

        /// <summary>ConnectionCollectionResponse: {"connections": [...], "total_entries": n}; anything else is not a page.</summary>
        private (List<StoredConnection> Items, long Total) ReadPage(AirflowReply reply)
        {
            try
            {
                using var doc = JsonDocument.Parse(reply.Body);
                var root = doc.RootElement;
                if (root.ValueKind == JsonValueKind.Object
                    && root.TryGetProperty("connections", out var list) && list.ValueKind == JsonValueKind.Array
                    && root.TryGetProperty("total_entries", out var total) && total.ValueKind == JsonValueKind.Number && total.TryGetInt64(out var count))
                {
                    var items = new List<StoredConnection>();
                    foreach (var element in list.EnumerateArray())
                    {
                        var stored = element.ValueKind == JsonValueKind.Object ? ApiConnection.FromElement(element, Target, AirflowApiVersion.V2) : null;
                        if (stored == null)
                        {
                            throw ApiConnection.Unexpected(reply, "a list of connections");
                        }

                        items.Add(ApiConnection.FromElement(element, Location(stored.ConnectionId), AirflowApiVersion.V2)!);
                    }

                    return (items, count);
                }
            }
            catch (JsonException)
            {
            }

            throw ApiConnection.Unexpected(reply, "a list of connections");
        }

        /// <summary>The longest prefix every id shares (connection_id_pattern is SQL LIKE: '_' matches any one letter, so it may match more; the list is filtered).</summary>
        internal static string CommonPrefix(IEnumerable<string> ids)
        {
            string? prefix = null;
            foreach (var id in ids)
            {
                if (prefix == null)
                {
                    prefix = id;
                    continue;
                }

                var n = 0;
                while (n < prefix.Length && n < id.Length && prefix[n] == id[n])
                {
                    n++;
                }

                prefix = prefix.Substring(0, n);
            }

            return prefix ?? string.Empty;
        }

        /// <summary>A request with the bearer token; a cached JWT that Airflow refuses is renewed once.</summary>
        private async Task<AirflowReply> SendAuthorizedAsync(HttpMethod method, string path, byte[]? body, IOperationLog log, CancellationToken cancellationToken)
        {
            var token = await BearerAsync(renew: false, log, cancellationToken).ConfigureAwait(false);
            var reply = await _http.SendAsync(method, path, body, token.Header, log, cancellationToken).ConfigureAwait(false);
            if (reply.Code == 401 && token.FromCache)
            {
                // The cached JWT expired early or was revoked: one new token, one more try.
                log.Verbose("Airflow refused the cached token; getting a new one.");
                AccessTokenCache.Remove(token.CacheKey!);
                token = await BearerAsync(renew: true, log, cancellationToken).ConfigureAwait(false);
                reply = await _http.SendAsync(method, path, body, token.Header, log, cancellationToken).ConfigureAwait(false);
            }

            return reply;
        }

        /// <summary>Reads BulkResponse.create: success lists the ids written, errors say what failed.</summary>
        private SyncOutcome Judge(AirflowReply reply, IReadOnlyList<DockerConnection> connections)
        {
            var success = new HashSet<string>(StringComparer.Ordinal);
            var errors = new List<(string Text, int Status)>();
            try
            {
                using var doc = JsonDocument.Parse(reply.Body);
                if (doc.RootElement.ValueKind != JsonValueKind.Object
                    || !doc.RootElement.TryGetProperty("create", out var create)
                    || create.ValueKind != JsonValueKind.Object)
                {
                    throw Unexpected(reply, "it has no \"create\" result");
                }

                if (create.TryGetProperty("success", out var ok) && ok.ValueKind == JsonValueKind.Array)
                {
                    foreach (var id in ok.EnumerateArray())
                    {
                        if (id.ValueKind == JsonValueKind.String)
                        {
                            success.Add(id.GetString()!);
                        }
                    }
                }

                if (create.TryGetProperty("errors", out var failed) && failed.ValueKind == JsonValueKind.Array)
                {
                    foreach (var error in failed.EnumerateArray())
                    {
                        errors.Add(ReadError(error));
                    }
                }
            }
            catch (JsonException)
            {
                throw Unexpected(reply, "it is not JSON");
            }

            var outcome = new SyncOutcome();
            foreach (var connection in connections)
            {
                if (success.Contains(connection.ConnectionId))
                {
                    // With overwrite Airflow does not say whether the id existed; reading it back to
                    // find out would cost a request, so say what is true: it was upserted.
                    outcome.Written.Add(ApiResults.For(connection, Mode, Target, AirflowApiVersion.V2, SyncAction.Upserted));
                    continue;
                }

                outcome.Failed.Add(new ConnectionFailure(connection, EntityError(connection, errors, reply)));
            }

            return outcome;
        }

        /// <summary>The error that names this connection, or all of them when none does.</summary>
        private EcrAirflowException EntityError(DockerConnection connection, List<(string Text, int Status)> errors, AirflowReply reply)
        {
            var mine = errors.FindAll(e => e.Text.IndexOf(connection.ConnectionId, StringComparison.Ordinal) >= 0);
            var chosen = mine.Count > 0 ? mine : errors;
            if (chosen.Count == 0)
            {
                return new EcrAirflowException(AirflowErrors.UnexpectedResponse, FailureKind.InvalidData,
                    $"Airflow's reply to {reply.Request} neither lists connection '{connection.ConnectionId}' as written nor reports an error for it.",
                    "Check the connection in Airflow and run the command again.")
                { TargetObject = connection.ConnectionId };
            }

            var text = string.Join("; ", chosen.ConvertAll(e => e.Text));
            var status = chosen[0].Status;
            var (id, kind) = status switch
            {
                400 => (AirflowErrors.RejectedConnection, FailureKind.InvalidData),
                422 => (AirflowErrors.RejectedConnection, FailureKind.InvalidData),
                409 => (AirflowErrors.Conflict, FailureKind.InvalidOperation),
                401 => (AirflowErrors.PermissionDenied, FailureKind.PermissionDenied),
                403 => (AirflowErrors.PermissionDenied, FailureKind.PermissionDenied),
                _ => (AirflowErrors.WriteFailed, FailureKind.WriteError),
            };
            var code = status > 0 ? $" (status {status})" : "";
            return new EcrAirflowException(id, kind,
                $"Airflow 3 did not write connection '{connection.ConnectionId}' in the bulk request {reply.Request}{code}: {text}",
                "The other connections of the request were judged on their own; fix what Airflow's message names and run the command again.")
            { TargetObject = connection.ConnectionId };
        }

        private (string Text, int Status) ReadError(JsonElement error)
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
                    : AirflowErrors.Detail(error.GetRawText(), _http.Redactor);
            }
            else
            {
                text = error.ValueKind == JsonValueKind.String ? error.GetString() ?? "" : error.GetRawText();
            }

            text = _http.Redactor.Redact(text);
            return (text.Length > 600 ? text.Substring(0, 600) + "…" : text, status);
        }

        private EcrAirflowException Unexpected(AirflowReply reply, string why) =>
            new EcrAirflowException(AirflowErrors.UnexpectedResponse, FailureKind.InvalidData,
                $"Airflow answered {reply.Request} with {reply.Code} but the reply is not a bulk response ({why}); whether the connections were written is unknown.",
                "Check that -AirflowUrl points at the Airflow 3 API server (not a proxy page), then run the command again: it is safe to repeat.");

        private string Password() => _auth.RevealPassword();

        /// <summary>What goes in Authorization, and where it came from.</summary>
        private sealed class Bearer
        {
            public AuthenticationHeaderValue? Header { get; set; }

            public bool FromCache { get; set; }

            public string? CacheKey { get; set; }
        }

        private async Task<Bearer> BearerAsync(bool renew, IOperationLog log, CancellationToken cancellationToken)
        {
            if (_auth.AccessToken != null)
            {
                return new Bearer { Header = new AuthenticationHeaderValue("Bearer", SecureText.Reveal(_auth.AccessToken)) };
            }

            if (_auth.UserName == null)
            {
                return new Bearer(); // an Airflow 3 whose auth manager lets everyone in
            }

            var key = AccessTokenCache.Key(_http.Display, _auth.UserName, Password());
            if (!renew)
            {
                var cached = AccessTokenCache.Get(key);
                if (cached != null)
                {
                    _http.Redactor.Add(cached);
                    log.Verbose($"Using the Airflow token cached for {_auth.UserName} at {_http.Display}.");
                    return new Bearer { Header = new AuthenticationHeaderValue("Bearer", cached), FromCache = true, CacheKey = key };
                }
            }

            var token = await FetchTokenAsync(log, cancellationToken).ConfigureAwait(false);
            AccessTokenCache.Set(key, token);
            return new Bearer { Header = new AuthenticationHeaderValue("Bearer", token), CacheKey = key };
        }

        /// <summary>POST {base}/auth/token {"username","password"} → 201 {"access_token": …}.</summary>
        private async Task<string> FetchTokenAsync(IOperationLog log, CancellationToken cancellationToken)
        {
            var body = ConnectionJson.TokenRequest(_auth.UserName!, Password());
            AirflowReply reply;
            try
            {
                reply = await _http.SendAsync(HttpMethod.Post, "auth/token", body, null, log, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Array.Clear(body, 0, body.Length); // the Airflow password
            }

            var what = $"getting a token for user '{_auth.UserName}'";
            if (!reply.IsSuccess)
            {
                throw AirflowErrors.FromReply(reply, AirflowApiVersion.V2, what, _http.Redactor, _http);
            }

            try
            {
                using var doc = JsonDocument.Parse(reply.Body);
                if (doc.RootElement.ValueKind == JsonValueKind.Object
                    && doc.RootElement.TryGetProperty("access_token", out var t)
                    && t.ValueKind == JsonValueKind.String
                    && !string.IsNullOrEmpty(t.GetString()))
                {
                    var token = t.GetString()!;
                    _http.Redactor.Add(token);
                    if (!AccessTokenCache.IsHeaderSafe(token))
                    {
                        throw new EcrAirflowException(AirflowErrors.UnexpectedResponse, FailureKind.InvalidData,
                            $"Airflow answered {reply.Request} with an access_token that holds a line break, a space or a character outside printable ASCII; no Authorization header can carry it, so it was not used.",
                            "Check that -AirflowUrl is the Airflow 3 API server itself, not a proxy that rewrites its answers.");
                    }

                    return token;
                }
            }
            catch (JsonException)
            {
            }

            throw new EcrAirflowException(AirflowErrors.UnexpectedResponse, FailureKind.InvalidData,
                $"Airflow answered {reply.Request} with {reply.Code} but without an access_token.",
                "Check that -AirflowUrl is the Airflow 3 API server; with another auth manager, get a token yourself and pass it with -AccessToken.");
        }
    }
}
