using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Internal;

namespace EcrAirflow.Airflow.Rest
{
    /// <summary>
    /// Airflow 2, stable REST API v1. One connection at a time: PATCH /api/v1/connections/{id} (an
    /// update in place, so the connection never disappears); on 404 POST /api/v1/connections; on 409
    /// (someone created it meanwhile) PATCH again. HTTP Basic with -AirflowCredential (the basic_auth
    /// backend), Bearer with -AccessToken. Steady state: one PATCH per connection.
    /// </summary>
    internal sealed class RestV1ConnectionTarget : IConnectionTarget
    {
        private const string Activity = "Writing Airflow connections (REST API v1)";

        private readonly IAirflowTransport _http;
        private readonly AuthenticationHeaderValue? _authorization;

        public RestV1ConnectionTarget(IAirflowTransport http, SyncOptions options)
        {
            _http = http;
            _authorization = Authorization(options);
        }

        public string Mode => "Rest";

        public string Target => _http.Display;

        public string Describe(DockerConnection connection) => " at " + Target;

        /// <summary>One connection at a time (<see cref="OneByOne"/>); an authentication, permission or network failure stops the batch.</summary>
        public Task<SyncOutcome> WriteAsync(IReadOnlyList<DockerConnection> connections, IOperationLog log, CancellationToken cancellationToken) =>
            OneByOne.WriteAsync(
                connections,
                Activity,
                async connection => RestResults.For(connection, Target, AirflowApiVersion.V1, await UpsertAsync(connection, log, cancellationToken).ConfigureAwait(false)),
                AirflowErrors.StopsBatch,
                log,
                cancellationToken);

        internal static AuthenticationHeaderValue? Authorization(SyncOptions options)
        {
            if (options.AccessToken != null)
            {
                return new AuthenticationHeaderValue("Bearer", SecureText.Reveal(options.AccessToken));
            }

            if (options.UserName != null)
            {
                var pair = Encoding.UTF8.GetBytes(options.UserName + ":" + (options.Password == null ? "" : SecureText.Reveal(options.Password)));
                try
                {
                    return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(pair));
                }
                finally
                {
                    Array.Clear(pair, 0, pair.Length);
                }
            }

            return null; // Airflow 2 with the default (no-auth) backend
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
            var itemPath = "api/v1/connections/" + AirflowEndpoint.Segment(connection.ConnectionId);
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
            var created = await Send(HttpMethod.Post, "api/v1/connections", body, log, cancellationToken).ConfigureAwait(false);
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
