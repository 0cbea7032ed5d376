using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Internal;

namespace EcrAirflow.Airflow
{
    /// <summary>
    /// Writes a batch one connection at a time, for targets whose peer takes one per request. A failure
    /// that concerns one connection is reported for it and the rest go on; a failure that would stop every
    /// later one too (authentication, permission, network) is thrown when nothing was written yet (one clear
    /// terminating error), else reported for this and every later connection, so the user learns exactly
    /// which were written.
    /// </summary>
    internal static class OneByOne
    {
        public static async Task<SyncOutcome> WriteAsync(
            IReadOnlyList<DockerConnection> connections,
            string activity,
            Func<DockerConnection, Task<AirflowConnectionSyncResult>> write,
            Func<EcrAirflowException, bool> stopsBatch,
            IOperationLog log,
            CancellationToken cancellationToken)
        {
            var outcome = new SyncOutcome();
            EcrAirflowException? stopped = null;
            var showProgress = connections.Count > 1;
            for (var i = 0; i < connections.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var connection = connections[i];
                if (stopped != null)
                {
                    outcome.Failed.Add(new ConnectionFailure(connection, stopped));
                    continue;
                }

                if (showProgress)
                {
                    log.Progress(activity, $"{i + 1} of {connections.Count}: {connection.ConnectionId}", i * 100 / connections.Count);
                }

                try
                {
                    outcome.Written.Add(await write(connection).ConfigureAwait(false));
                }
                catch (EcrAirflowException ex) when (stopsBatch(ex))
                {
                    if (outcome.Written.Count == 0 && outcome.Failed.Count == 0)
                    {
                        throw;
                    }

                    stopped = ex;
                    outcome.Failed.Add(new ConnectionFailure(connection, ex));
                }
                catch (EcrAirflowException ex)
                {
                    outcome.Failed.Add(new ConnectionFailure(connection, ex));
                }
            }

            if (showProgress)
            {
                log.Progress(activity, "Done", 100, completed: true);
            }

            return outcome;
        }

        /// <summary>The failures after which no later request can succeed either.</summary>
        public static bool StopsBatch(EcrAirflowException ex) =>
            ex.Kind == FailureKind.PermissionDenied
            || ex.Kind == FailureKind.ConnectionError
            || ex.Kind == FailureKind.SecurityError;
    }
}
