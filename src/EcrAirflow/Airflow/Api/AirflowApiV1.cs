using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Internal;
using EcrAirflow.Modes;

namespace EcrAirflow.Airflow.Api
{
    /// <summary>
    /// Airflow 2, stable REST API v1. One connection at a time: PATCH /api/v1/connections/{id} (an update in
    /// place, so the connection never disappears); on 404 POST /api/v1/connections; on 409 (someone created it
    /// meanwhile) PATCH again. Reads are GET /api/v1/connections/{id}, which never returns the password
    /// (writeOnly in the spec). HTTP Basic with a user, Bearer with -AccessToken. Steady state: one PATCH per
    /// connection. Rest mode sends it over HTTP, Mwaa mode through InvokeRestApi (<see cref="IAirflowTransport"/>).
    /// </summary>
    internal sealed class AirflowApiV1 : IConnectionTarget
    {
        private const string WriteActivity = "Writing Airflow connections (REST API v1)";
        private const string ReadActivity = "Reading Airflow connections (REST API v1)";

        private readonly IAirflowTransport _http;
        private readonly AuthenticationHeaderValue? _authorization;

        public AirflowApiV1(IAirflowTransport http, AirflowAuth auth, string mode)
        {
            _http = http;
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
            if (reply.Code == 404 && ApiConnection.IsNotFoundProblem(reply))
            {
                return StoredConnection.Missing(connectionId, location);
            }

            if (!reply.IsSuccess)
            {
                throw AirflowErrors.FromReply(reply, AirflowApiVersion.V1, $"reading connection '{connectionId}'", _http.Redactor, _http, connectionId);
            }

            return ApiConnection.Read(reply, connectionId, location, AirflowApiVersion.V1);
        }

        private async Task<SyncAction> UpsertAsync(DockerConnection connection, IOperationLog log, CancellationToken cancellationToken)
        {
            var body = ConnectionJson.RestV1(connection);
            try
            {
                return await UpsertAsync(connection, body, log, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Array.Clear(body, 0, body.Length); // the body holds the ECR password: not kept past its requests
            }
        }

        private async Task<SyncAction> UpsertAsync(DockerConnection connection, byte[] body, IOperationLog log, CancellationToken cancellationToken)
        {
            var itemPath = ApiPaths.V1Connection(connection.ConnectionId);
            var what = $"writing connection '{connection.ConnectionId}'";
            var patch = new HttpMethod("PATCH"); // HttpMethod.Patch does not exist on netstandard2.0

            var updated = await Send(patch, itemPath, body, log, cancellationToken).ConfigureAwait(false);
            if (updated.IsSuccess)
            {
                return Confirmed(updated, connection, SyncAction.Updated);
            }

            if (updated.Code != 404)
            {
                throw Fail(updated, what, connection);
            }

            log.Verbose($"Connection '{connection.ConnectionId}' does not exist yet; creating it.");
            var created = await Send(HttpMethod.Post, ApiPaths.V1Connections, body, log, cancellationToken).ConfigureAwait(false);
            if (created.IsSuccess)
            {
                return Confirmed(created, connection, SyncAction.Created);
            }

            if (created.Code != 409)
            {
                throw Fail(created, what, connection);
            }

            // Another writer created it between our PATCH and POST: it exists now, so update it.
            log.Verbose($"Connection '{connection.ConnectionId}' was created by someone else meanwhile; updating it.");
            var again = await Send(patch, itemPath, body, log, cancellationToken).ConfigureAwait(false);
            if (again.IsSuccess)
            {
                return Confirmed(again, connection, SyncAction.Updated);
            }

            throw Fail(again, what, connection);
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

        private Task<AirflowReply> Send(HttpMethod method, string path, byte[] body, IOperationLog log, CancellationToken cancellationToken) =>
            _http.SendAsync(method, path, body, _authorization, log, cancellationToken);

        private EcrAirflowException Fail(AirflowReply reply, string what, DockerConnection connection) =>
            AirflowErrors.FromReply(reply, AirflowApiVersion.V1, what, _http.Redactor, _http, connection.ConnectionId);
    }
}
