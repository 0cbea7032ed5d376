using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Airflow;
using EcrAirflow.Internal;

namespace EcrAirflow.Modes
{
    /// <summary>
    /// Writes or reads a batch one connection at a time, for targets whose peer takes one per request. A failure
    /// that concerns one connection is reported for it and the rest go on; a failure that would stop every later
    /// one too (<see cref="EcrAirflowException.StopsBatch"/>: authentication, permission, network) is thrown when
    /// nothing was done yet (one clear terminating error), else reported for this and every later connection, so
    /// the user learns exactly which were done.
    /// </summary>
    internal static class OneByOne
    {
        public static async Task<SyncOutcome> WriteAsync(
            IReadOnlyList<DockerConnection> connections,
            string activity,
            Func<DockerConnection, Task<AirflowConnectionSyncResult>> write,
            IOperationLog log,
            CancellationToken cancellationToken)
        {
            var outcome = new SyncOutcome();
            await RunAsync(connections, c => c.ConnectionId, activity,
                async c => outcome.Written.Add(await write(c).ConfigureAwait(false)),
                (c, ex) => outcome.Failed.Add(new ConnectionFailure(c, ex)),
                log, cancellationToken).ConfigureAwait(false);
            return outcome;
        }

        public static async Task<ReadOutcome> ReadAsync(
            IReadOnlyList<ConnectionRef> connections,
            string activity,
            Func<ConnectionRef, Task<StoredConnection>> read,
            IOperationLog log,
            CancellationToken cancellationToken)
        {
            var outcome = new ReadOutcome();
            await RunAsync(connections, c => c.ConnectionId, activity,
                async c => outcome.Found.Add(await read(c).ConfigureAwait(false)),
                (c, ex) => outcome.Failed.Add(new ReadFailure(c.ConnectionId, ex)),
                log, cancellationToken).ConfigureAwait(false);
            return outcome;
        }

        private static async Task RunAsync<T>(
            IReadOnlyList<T> items,
            Func<T, string> idOf,
            string activity,
            Func<T, Task> each,
            Action<T, EcrAirflowException> failed,
            IOperationLog log,
            CancellationToken cancellationToken)
        {
            EcrAirflowException? stopped = null;
            var done = 0;
            var showProgress = items.Count > 1;
            for (var i = 0; i < items.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var item = items[i];
                if (stopped != null)
                {
                    failed(item, stopped);
                    continue;
                }

                if (showProgress)
                {
                    log.Progress(activity, $"{i + 1} of {items.Count}: {idOf(item)}", i * 100 / items.Count);
                }

                try
                {
                    await each(item).ConfigureAwait(false);
                }
                catch (EcrAirflowException ex) when (ex.StopsBatch)
                {
                    if (done == 0)
                    {
                        throw;
                    }

                    stopped = ex;
                    failed(item, ex);
                }
                catch (EcrAirflowException ex)
                {
                    failed(item, ex);
                }

                done++;
            }

            if (showProgress)
            {
                log.Progress(activity, "Done", 100, completed: true);
            }
        }
    }
}
