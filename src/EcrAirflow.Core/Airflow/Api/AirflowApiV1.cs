using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Core.Internal;
using EcrAirflow.Core.Modes;

namespace EcrAirflow.Core.Airflow.Api
{
    /// <summary>
    /// Airflow 2, stable REST API v1. One connection at a time: GET /api/v1/connections/{id} (never the password:
    /// writeOnly in the spec), then POST /api/v1/connections for a new one, or PATCH /api/v1/connections/{id} with
    /// update_mask for an existing Docker connection (an update in place: it never disappears, and what the
    /// refresh does not own stays). Something that is not a Docker connection is refused unless
    /// -ReplaceNonDocker. HTTP Basic with a user, Bearer with -AccessToken. Two requests per connection, steady
    /// state and first creation alike. Rest mode sends them over HTTP, Mwaa mode through InvokeRestApi
    /// (<see cref="IAirflowTransport"/>).
    /// </summary>
    internal sealed class AirflowApiV1 : IConnectionTarget
    {
        private const string WriteActivity = "Writing Airflow connections (REST API v1)";
        private const string ReadActivity = "Reading Airflow connections (REST API v1)";

        private readonly IAirflowTransport _http;
        private readonly AirflowAuth _auth;
        private readonly AuthenticationHeaderValue? _authorization;

        public AirflowApiV1(IAirflowTransport http, AirflowAuth auth, string mode)
        {
            _http = http;
            _auth = auth;
            _authorization = auth.V1Header();
            Mode = mode;
        }

        public string Mode { get; }

        public string Target => _http.Display;

        public string Describe(DockerConnection connection) => " at " + Target;

        /// <summary>One connection at a time (<see cref="OneByOne"/>); an authentication, permission or network failure stops the batch.</summary>
        public Task<SyncOutcome> WriteAsync(IReadOnlyList<DockerConnection> connections, IOperationLog log, CancellationToken cancellationToken) =>
            OneByOne.WriteAsync(
                connections,
                WriteActivity,
                async connection => ApiResults.For(connection, Mode, Target, AirflowApiVersion.V1, await UpsertAsync(connection, log, cancellationToken).ConfigureAwait(false)),
                log,
                cancellationToken);

        /// <summary>GET /api/v1/connections/{id} per id: the connection without its password, or nothing (404).</summary>
        public Task<ReadOutcome> ReadAsync(IReadOnlyList<ConnectionRef> connections, IOperationLog log, CancellationToken cancellationToken) =>
            OneByOne.ReadAsync(connections, ReadActivity, c => ReadOneAsync(c.ConnectionId, log, cancellationToken), log, cancellationToken);

        private async Task<StoredConnection> ReadOneAsync(string connectionId, IOperationLog log, CancellationToken cancellationToken)
        {
            var reply = await _http.SendAsync(HttpMethod.Get, ApiPaths.V1Connection(connectionId), null, _authorization, log, cancellationToken).ConfigureAwait(false);
            var location = Target + " (connection " + connectionId + ")";
            if (ApiConnection.IsNotFoundProblem(reply, connectionId))
            {
                return StoredConnection.Missing(connectionId, location);
            }

            if (!reply.IsSuccess)
            {
                throw AirflowErrors.FromReply(reply, AirflowApiVersion.V1, $"reading connection '{connectionId}'", _http.Redactor, _http, connectionId, _auth);
            }

            return ApiConnection.Read(reply, connectionId, location, AirflowApiVersion.V1);
        }

        /// <summary>
        /// Reads the connection, then writes what a refresh owns: POST a new one, or PATCH an existing Docker
        /// connection with only host, login, password and description (and extra with -Email/-Reauth: Airflow 2
        /// replaces the whole extra, so the stored one merged with them), update_mask naming them. A 409 on POST
        /// (created meanwhile) or a 404 on PATCH (deleted meanwhile) reads and writes once more.
        /// </summary>
        private async Task<SyncAction> UpsertAsync(DockerConnection connection, IOperationLog log, CancellationToken cancellationToken)
        {
            var stored = await ReadOneAsync(connection.ConnectionId, log, cancellationToken).ConfigureAwait(false);
            for (var attempt = 0; ; attempt++)
            {
                var again = attempt == 0;
                if (stored.Kind == StoredKind.Missing)
                {
                    var created = await SendAndClearAsync(HttpMethod.Post, ApiPaths.V1Connections, ConnectionJson.RestV1(connection), log, cancellationToken).ConfigureAwait(false);
                    if (created.IsSuccess)
                    {
                        return Confirmed(created, connection, SyncAction.Created);
                    }

                    if (created.Code == 409 && again)
                    {
                        log.Verbose($"Connection '{connection.ConnectionId}' was created by someone else meanwhile; reading it again.");
                        stored = await ReadOneAsync(connection.ConnectionId, log, cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    throw Fail(created, connection);
                }

                if (!stored.MayBeReplacedBy(connection))
                {
                    throw ModeErrors.NotDocker(stored);
                }

                var (body, mask) = stored.Kind == StoredKind.Docker ? ApiBodies.V1Update(connection, stored) : ApiBodies.V1Replace(connection);
                var path = ApiPaths.V1Connection(connection.ConnectionId) + "?update_mask=" + mask;
                var updated = await SendAndClearAsync(new HttpMethod("PATCH"), path, body, log, cancellationToken).ConfigureAwait(false); // HttpMethod.Patch is not in netstandard2.0
                if (updated.IsSuccess)
                {
                    return Confirmed(updated, connection, SyncAction.Updated);
                }

                if (ApiConnection.IsNotFoundProblem(updated, connection.ConnectionId) && again)
                {
                    log.Verbose($"Connection '{connection.ConnectionId}' was deleted by someone else meanwhile; creating it.");
                    stored = StoredConnection.Missing(connection.ConnectionId, stored.Location);
                    continue;
                }

                throw Fail(updated, connection);
            }
        }

        /// <summary>One write; the body holds the ECR password and is not kept past its request.</summary>
        private async Task<AirflowReply> SendAndClearAsync(HttpMethod method, string path, byte[] body, IOperationLog log, CancellationToken cancellationToken)
        {
            try
            {
                return await _http.SendAsync(method, path, body, _authorization, log, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Array.Clear(body, 0, body.Length);
            }
        }

        /// <summary>
        /// A 2xx counts only when it is what API v1 promises for PATCH and POST: a JSON Connection whose
        /// connection_id is ours. A proxy's 200 login page, or a reply about another connection, says nothing
        /// about whether ours was written.
        /// </summary>
        private static SyncAction Confirmed(AirflowReply reply, DockerConnection connection, SyncAction action)
        {
            string why;
            try
            {
                using var doc = JsonDocument.Parse(reply.Body);
                var root = doc.RootElement;
                if (root.ValueKind == JsonValueKind.Object
                    && root.TryGetProperty("connection_id", out var id)
                    && id.ValueKind == JsonValueKind.String)
                {
                    if (string.Equals(id.GetString(), connection.ConnectionId, StringComparison.Ordinal))
                    {
                        return action;
                    }

                    why = "it is about another connection id";
                }
                else
                {
                    why = "it has no connection_id";
                }
            }
            catch (JsonException)
            {
                why = reply.Body.TrimStart().StartsWith("<", StringComparison.Ordinal) ? "it is an HTML page" : "it is not JSON";
            }

            throw new EcrAirflowException(AirflowErrors.UnexpectedResponse, FailureKind.InvalidData,
                $"Airflow answered {reply.Request} with {reply.Code}, but the reply is not the connection '{connection.ConnectionId}' that API v1 returns ({why}); nothing says the connection was written.",
                "Check that -AirflowUrl points at the Airflow 2 webserver itself, not at a login page or a proxy in front of it, then run the command again: it is safe to repeat.")
            { TargetObject = connection.ConnectionId };
        }

        private EcrAirflowException Fail(AirflowReply reply, DockerConnection connection) =>
            AirflowErrors.FromReply(reply, AirflowApiVersion.V1, $"writing connection '{connection.ConnectionId}'", _http.Redactor, _http, connection.ConnectionId, _auth);
    }
}
