using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Core.Airflow;
using EcrAirflow.Core.Ecr;
using EcrAirflow.Core.Internal;

namespace EcrAirflow.Core.Modes
{
    /// <summary>
    /// Sync-AirflowEcrConnection -SkipIfValidFor: one read of what the target holds (one request for many ids where
    /// the target allows), then only the connections that need it are written. A connection needs a write unless
    /// the stored one is a Docker connection for the same registry and login whose token (by its own word, or by
    /// EcrAirflow's note where the password cannot be read) stays valid for at least the time given. The others come
    /// back with Action Skipped, and no write request is made for them.
    /// </summary>
    internal static class SkipFresh
    {
        /// <summary>
        /// Writes <paramref name="batch"/>, or with <paramref name="validFor"/> (-SkipIfValidFor) only the connections
        /// that are due; the results come in the batch's order, the skipped among the written.
        /// </summary>
        public static async Task<SyncOutcome> WriteDueAsync(
            IConnectionTarget target, IReadOnlyList<DockerConnection> batch, TimeSpan? validFor, IOperationLog log, CancellationToken cancellationToken)
        {
            if (!validFor.HasValue)
            {
                return await target.WriteAsync(batch, log, cancellationToken).ConfigureAwait(false);
            }

            var (due, skipped) = await PartitionAsync(target, batch, validFor.Value, log, cancellationToken).ConfigureAwait(false);
            var outcome = due.Count == 0 ? new SyncOutcome() : await target.WriteAsync(due, log, cancellationToken).ConfigureAwait(false);
            if (skipped.Count > 0)
            {
                var position = new Dictionary<string, int>(StringComparer.Ordinal);
                for (var i = 0; i < batch.Count; i++)
                {
                    position[batch[i].ConnectionId] = i;
                }

                // OrderBy is stable; an id outside the batch (none is expected) keeps its place at the end.
                var ordered = outcome.Written.Concat(skipped).OrderBy(r => position.TryGetValue(r.ConnectionId, out var i) ? i : int.MaxValue).ToList();
                outcome.Written.Clear();
                outcome.Written.AddRange(ordered);
            }

            return outcome;
        }

        public static async Task<(List<DockerConnection> Due, List<AirflowConnectionSyncResult> Skipped)> PartitionAsync(
            IConnectionTarget target, IReadOnlyList<DockerConnection> connections, TimeSpan validFor, IOperationLog log, CancellationToken cancellationToken)
        {
            ReadOutcome read;
            try
            {
                read = await target.ReadAsync(connections.Select(ConnectionRef.Of).ToList(), log, cancellationToken).ConfigureAwait(false);
            }
            catch (EcrAirflowException ex)
            {
                // The read only spares writes: when it fails, every connection is written (and the write, if it
                // fails the same way, reports it with its own error).
                log.Verbose($"What the target holds could not be read ({ex.ErrorId}); writing every connection.");
                return (connections.ToList(), new List<AirflowConnectionSyncResult>());
            }

            var stored = read.Found.ToDictionary(s => s.ConnectionId, StringComparer.Ordinal);
            var due = new List<DockerConnection>();
            var skipped = new List<AirflowConnectionSyncResult>();
            var now = DateTimeOffset.UtcNow;
            foreach (var connection in connections)
            {
                if (stored.TryGetValue(connection.ConnectionId, out var holds) && StaysValid(holds, connection, validFor, now, out var expiresAt))
                {
                    log.Verbose($"Connection '{connection.ConnectionId}' holds a token for {connection.Host} valid until {expiresAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, at least {Duration.Describe(validFor)} from now: not written (-SkipIfValidFor).");
                    skipped.Add(new AirflowConnectionSyncResult
                    {
                        ConnectionId = connection.ConnectionId,
                        Mode = target.Mode,
                        Target = holds.Location,
                        Action = SyncAction.Skipped,
                        Registry = holds.Host ?? connection.Host,
                        ExpiresAt = expiresAt,
                    });
                }
                else
                {
                    // Unreadable, missing, another registry or login, expiring: written (a read failure is the write's to report).
                    due.Add(connection);
                }
            }

            return (due, skipped);
        }

        private static bool StaysValid(StoredConnection holds, DockerConnection connection, TimeSpan validFor, DateTimeOffset now, out DateTimeOffset expiresAt)
        {
            expiresAt = default;
            if (holds.Kind != StoredKind.Docker
                || !string.Equals(holds.Host, connection.Host, StringComparison.OrdinalIgnoreCase)
                || !string.Equals(holds.Login, connection.Login, StringComparison.Ordinal))
            {
                return false;
            }

            var assessment = Freshness.Assess(holds, validFor, now, EcrPassword.ReadExpiry);
            if (assessment.Status != ConnectionStatus.Fresh || !assessment.ExpiresAt.HasValue)
            {
                return false;
            }

            expiresAt = assessment.ExpiresAt.Value;
            return true;
        }
    }
}
