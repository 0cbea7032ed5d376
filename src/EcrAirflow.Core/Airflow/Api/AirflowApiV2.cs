using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Core.Internal;
using EcrAirflow.Core.Internal.Secrets;
using EcrAirflow.Core.Modes;

namespace EcrAirflow.Core.Airflow.Api
{
    /// <summary>
    /// Airflow 3, public REST API v2. A refresh is two requests for any number of connections: one list read
    /// (GET /api/v2/connections, connection_id_pattern; the password comes back masked, so do sensitive extra
    /// values), then one bulk PATCH /api/v2/connections with an "update" of the Docker connections that exist and
    /// a "create" of the rest (<see cref="BulkPlan"/>, <see cref="ApiBodies.Bulk"/>). Nothing is ever deleted. The
    /// reply is 200 even when entities failed, so each connection is judged by its action's success and errors
    /// (<see cref="BulkReply"/>). Authentication: a JWT from POST /auth/token (cached per URL and user for the
    /// session, renewed once on 401), or -AccessToken as the bearer token as given.
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

        /// <summary>
        /// One read of every id (the list), then one bulk request: update what exists, create what does not,
        /// replace what -ReplaceNonDocker may replace; each id is judged by its action's part of the reply. A
        /// Docker connection whose extra cannot be sent back gets a PATCH of its own (<see cref="BulkPlan"/>). An id
        /// another writer created or deleted between our read and our write is skipped by Airflow (skip): those are
        /// read and written once more (two more requests, only in that race).
        /// </summary>
        public async Task<SyncOutcome> WriteAsync(IReadOnlyList<DockerConnection> connections, IOperationLog log, CancellationToken cancellationToken)
        {
            var verdicts = new Dictionary<string, object>(StringComparer.Ordinal);
            IReadOnlyList<DockerConnection> pending = connections;
            for (var round = 0; round < 2 && pending.Count > 0; round++)
            {
                if (round > 0)
                {
                    log.Verbose($"Another writer created or deleted {string.Join(", ", pending.Select(c => "'" + c.ConnectionId + "'"))} between the read and the write; reading and writing them again.");
                }

                try
                {
                    await WriteRoundAsync(pending, verdicts, log, cancellationToken).ConfigureAwait(false);
                }
                catch (EcrAirflowException ex) when (round > 0)
                {
                    // The first round wrote others already: this failure is the second round's ids' only.
                    foreach (var connection in pending)
                    {
                        verdicts[connection.ConnectionId] = ex;
                    }
                }

                pending = pending.Where(c => verdicts[c.ConnectionId] is BulkReply.Skipped).ToList();
            }

            var outcome = new SyncOutcome();
            foreach (var connection in connections)
            {
                switch (verdicts[connection.ConnectionId])
                {
                    case EcrAirflowException error:
                        outcome.Failed.Add(new ConnectionFailure(connection, error));
                        break;
                    case BulkReply.Skipped skipped:
                        outcome.Failed.Add(new ConnectionFailure(connection, skipped.Error));
                        break;
                    case SyncAction action:
                        outcome.Written.Add(ApiResults.For(connection, Mode, Target, AirflowApiVersion.V2, action));
                        break;
                }
            }

            return outcome;
        }

        /// <summary>One read and one bulk write (plus the rare own PATCHes) for <paramref name="connections"/>; a verdict for each.</summary>
        private async Task WriteRoundAsync(IReadOnlyList<DockerConnection> connections, Dictionary<string, object> verdicts, IOperationLog log, CancellationToken cancellationToken)
        {
            var stored = await ReadStoredAsync(connections.Select(c => c.ConnectionId).ToList(), log, cancellationToken).ConfigureAwait(false);
            var plan = BulkPlan.For(connections, stored);
            foreach (var refused in plan.Refused)
            {
                verdicts[refused.Connection.ConnectionId] = refused.Error;
            }

            if (plan.Count > 0)
            {
                try
                {
                    await WriteBulkAsync(plan, verdicts, log, cancellationToken).ConfigureAwait(false);
                }
                catch (EcrAirflowException ex) when (plan.Refused.Count > 0 || plan.Single.Count > 0)
                {
                    // Others of the batch were refused or are still to write: this failure is the bulk part's.
                    foreach (var connection in plan.Update.Select(u => u.Connection).Concat(plan.Create).Concat(plan.Replace))
                    {
                        verdicts[connection.ConnectionId] = ex;
                    }
                }
            }

            foreach (var (connection, there) in plan.Single)
            {
                try
                {
                    verdicts[connection.ConnectionId] = await PatchOneAsync(connection, there, log, cancellationToken).ConfigureAwait(false);
                }
                catch (EcrAirflowException ex)
                {
                    verdicts[connection.ConnectionId] = ex;
                }
            }
        }

        /// <summary>The one bulk PATCH /api/v2/connections; each connection's verdict (a SyncAction or an error) from its action's results.</summary>
        private async Task WriteBulkAsync(BulkPlan plan, Dictionary<string, object> verdicts, IOperationLog log, CancellationToken cancellationToken)
        {
            var updated = plan.Update.Select(u => u.Connection.ConnectionId).ToList();
            var created = plan.Create.Concat(plan.Replace).Select(c => c.ConnectionId).ToList();
            var what = plan.Count == 1 ? $"writing connection '{updated.Concat(created).Single()}'" : $"writing {plan.Count} connections";
            var body = ApiBodies.Bulk(plan);
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
                throw AirflowErrors.FromReply(reply, AirflowApiVersion.V2, what, _http.Redactor, _http, auth: _auth);
            }

            var results = BulkReply.Read(reply, _http.Redactor);
            foreach (var (connection, _, _) in plan.Update)
            {
                verdicts[connection.ConnectionId] = results.Verdict(connection, "update", SyncAction.Updated, reply, updated);
            }

            foreach (var connection in plan.Create)
            {
                verdicts[connection.ConnectionId] = results.Verdict(connection, "create", SyncAction.Created, reply, created);
            }

            foreach (var connection in plan.Replace)
            {
                verdicts[connection.ConnectionId] = results.Verdict(connection, "create", SyncAction.Updated, reply, created);
            }
        }

        /// <summary>PATCH /api/v2/connections/{id} with update_mask: the owned fields only, the extra left as Airflow has it.</summary>
        private async Task<SyncAction> PatchOneAsync(DockerConnection connection, StoredConnection stored, IOperationLog log, CancellationToken cancellationToken)
        {
            log.Verbose($"Connection '{connection.ConnectionId}' has an extra Airflow returns masked or not as JSON: writing it with its own PATCH that leaves the extra as it is.");
            var (body, query) = ApiBodies.V2Single(connection, stored);
            AirflowReply reply;
            try
            {
                reply = await SendAuthorizedAsync(new HttpMethod("PATCH"), ApiPaths.V2Connection(connection.ConnectionId) + "?" + query, body, log, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Array.Clear(body, 0, body.Length);
            }

            if (!reply.IsSuccess)
            {
                throw AirflowErrors.FromReply(reply, AirflowApiVersion.V2, $"writing connection '{connection.ConnectionId}'", _http.Redactor, _http, connection.ConnectionId, _auth);
            }

            var written = ApiConnection.Read(reply, connection.ConnectionId, Location(connection.ConnectionId), AirflowApiVersion.V2);
            return written.Kind == StoredKind.Docker ? SyncAction.Updated : throw ApiConnection.Unexpected(reply, $"the Docker connection '{connection.ConnectionId}'");
        }

        /// <summary>One list request for any number of ids (more only when over a page of connections share their prefix).</summary>
        public async Task<ReadOutcome> ReadAsync(IReadOnlyList<ConnectionRef> connections, IOperationLog log, CancellationToken cancellationToken)
        {
            var outcome = new ReadOutcome();
            if (connections.Count == 0)
            {
                return outcome;
            }

            var stored = await ReadStoredAsync(connections.Select(c => c.ConnectionId).ToList(), log, cancellationToken).ConfigureAwait(false);
            outcome.Found.AddRange(connections.Select(c => stored[c.ConnectionId]));
            return outcome;
        }

        /// <summary>
        /// GET /api/v2/connections?connection_id_pattern=&lt;the ids' common prefix&gt;, a page of 100 ordered by id,
        /// filtered to the ids asked for; the next page only while some are missing and more match. One request
        /// for one id too: the path stays /connections, whatever the id's length (MWAA's 64-character Path).
        /// </summary>
        private async Task<Dictionary<string, StoredConnection>> ReadStoredAsync(IReadOnlyList<string> ids, IOperationLog log, CancellationToken cancellationToken)
        {
            var wanted = new HashSet<string>(ids, StringComparer.Ordinal);
            var found = new Dictionary<string, StoredConnection>(StringComparer.Ordinal);
            var pattern = CommonPrefix(wanted);
            for (var offset = 0; ; offset += PageSize)
            {
                var path = ApiPaths.V2Connections + "?limit=" + PageSize + "&offset=" + offset + "&order_by=connection_id"
                    + (pattern.Length > 0 ? "&connection_id_pattern=" + Uri.EscapeDataString(pattern + "%") : string.Empty);
                var reply = await SendAuthorizedAsync(HttpMethod.Get, path, null, log, cancellationToken).ConfigureAwait(false);
                if (!reply.IsSuccess)
                {
                    var what = ids.Count == 1 ? $"reading connection '{ids[0]}'" : $"reading {ids.Count} connections";
                    throw AirflowErrors.FromReply(reply, AirflowApiVersion.V2, what, _http.Redactor, _http, auth: _auth);
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

            foreach (var id in wanted.Where(id => !found.ContainsKey(id)))
            {
                found[id] = StoredConnection.Missing(id, Location(id));
            }

            return found;
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
                throw ApiConnection.Unexpected(reply, "a list of connections", ApiConnection.NotJson(reply));
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
                throw AirflowErrors.FromReply(reply, AirflowApiVersion.V2, what, _http.Redactor, _http, auth: _auth);
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
