using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Core.Airflow;
using EcrAirflow.Core.Internal;

namespace EcrAirflow.Core.Modes
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
        public static Task<SyncOutcome> WriteAsync(IReadOnlyList<DockerConnection> connections, string activity,
            Func<DockerConnection, Task<AirflowConnectionSyncResult>> write, IOperationLog log, CancellationToken cancellationToken) =>
            RunAsync(connections, c => c.ConnectionId, activity, new SyncOutcome(),
                async (c, outcome) => outcome.Written.Add(await write(c).ConfigureAwait(false)),
                (c, ex, outcome) => outcome.Failed.Add(new ConnectionFailure(c, ex)), log, cancellationToken);

        public static Task<ReadOutcome> ReadAsync(IReadOnlyList<ConnectionRef> connections, string activity,
            Func<ConnectionRef, Task<StoredConnection>> read, IOperationLog log, CancellationToken cancellationToken) =>
            RunAsync(connections, c => c.ConnectionId, activity, new ReadOutcome(),
                async (c, outcome) => outcome.Found.Add(await read(c).ConfigureAwait(false)),
                (c, ex, outcome) => outcome.Failed.Add(new ReadFailure(c.ConnectionId, ex)), log, cancellationToken);

        private static async Task<TOutcome> RunAsync<T, TOutcome>(
            IReadOnlyList<T> items,
            Func<T, string> idOf,
            string activity,
            TOutcome outcome,
            Func<T, TOutcome, Task> each,
            Action<T, EcrAirflowException, TOutcome> failed,
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
                    failed(item, stopped, outcome);
                    continue;
                }

                if (showProgress)
                {
                    log.Progress(activity, $"{i + 1} of {items.Count}: {idOf(item)}", i * 100 / items.Count);
                }

                try
                {
                    await each(item, outcome).ConfigureAwait(false);
                }
                catch (EcrAirflowException ex) when (ex.StopsBatch)
                {
                    if (done == 0)
                    {
                        throw;
                    }

                    stopped = ex;
                    failed(item, ex, outcome);
                }
                catch (EcrAirflowException ex)
                {
                    failed(item, ex, outcome);
                }

                done++;
            }

            if (showProgress)
            {
                log.Progress(activity, "Done", 100, completed: true);
            }

            return outcome;
        }
    }
}
