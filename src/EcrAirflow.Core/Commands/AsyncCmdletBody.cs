using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Core.Internal;

namespace EcrAirflow.Core.Commands
{
    /// <summary>
    /// The body of every cmdlet (<see cref="AsyncCmdletBase"/> declares it in EcrAirflow.dll and hands each call
    /// here): runs async core work from the cmdlet, so Ctrl+C (StopProcessing) cancels it, and whatever the work
    /// logs is written to the verbose/debug/warning/progress streams on the pipeline thread, where
    /// PowerShell allows writes.
    /// </summary>
    internal abstract class AsyncCmdletBody : ICommandBody
    {
        private readonly AsyncCmdletBase _cmdlet;

        protected AsyncCmdletBody(AsyncCmdletBase cmdlet) => _cmdlet = cmdlet;

        public virtual void Begin()
        {
        }

        public virtual void Process()
        {
        }

        public virtual void End()
        {
        }

        /// <summary>Runs <paramref name="work"/> on the thread pool and pumps its log to this thread.</summary>
        internal T RunAsync<T>(Func<IOperationLog, CancellationToken, Task<T>> work)
        {
            using var pump = new Pump(_cmdlet);
            var stopping = _cmdlet.StopToken;
            var task = Task.Run(() => work(pump, stopping));
            task.ContinueWith(_ => pump.Complete(), TaskScheduler.Default);
            pump.Run();
            try
            {
                return task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (Exception ex) when (!(ex is EcrAirflowException) && !(ex is PipelineStoppedException) && !(ex is OperationCanceledException))
            {
                // A failure no mapping foresaw still becomes an error with an id, and never a raw .NET
                // exception: its message (e.g. a FormatException quoting a header) could hold a secret,
                // so only its type is named and it is not kept as the inner exception.
                throw new EcrAirflowException("UnexpectedError", FailureKind.NotSpecified,
                    $"EcrAirflow stopped on an unexpected {ex.GetType().FullName}; its message is not shown because it might hold a secret.",
                    "Run the command again; if it fails the same way, report it to the EcrAirflow project with the command (without secrets) and this error id.");
            }
        }

        /// <summary>Stops the command with <paramref name="error"/> as a terminating error (its id, category and hint).</summary>
        private protected void Terminate(EcrAirflowException error) => _cmdlet.ThrowTerminatingError(ToErrorRecord(error));

        /// <summary>Turns a core failure into an ErrorRecord with its id, category and hint.</summary>
        internal static ErrorRecord ToErrorRecord(EcrAirflowException ex, object? target = null)
        {
            var record = new ErrorRecord(ex, ex.ErrorId, MapCategory(ex.Kind), target ?? ex.TargetObject);
            record.ErrorDetails = new ErrorDetails(ex.Message);
            if (!string.IsNullOrEmpty(ex.Hint))
            {
                record.ErrorDetails.RecommendedAction = ex.Hint;
            }

            return record;
        }

        internal static ErrorRecord NewError(string errorId, ErrorCategory category, string message, string hint, object? target)
        {
            var ex = new EcrAirflowException(errorId, FailureKind.NotSpecified, message, hint);
            var record = new ErrorRecord(ex, errorId, category, target);
            record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = hint };
            return record;
        }

        internal static ErrorCategory MapCategory(FailureKind kind) => kind switch
        {
            FailureKind.InvalidArgument => ErrorCategory.InvalidArgument,
            FailureKind.InvalidOperation => ErrorCategory.InvalidOperation,
            FailureKind.InvalidData => ErrorCategory.InvalidData,
            FailureKind.ObjectNotFound => ErrorCategory.ObjectNotFound,
            FailureKind.PermissionDenied => ErrorCategory.PermissionDenied,
            FailureKind.SecurityError => ErrorCategory.SecurityError,
            FailureKind.ConnectionError => ErrorCategory.ConnectionError,
            FailureKind.LimitsExceeded => ErrorCategory.LimitsExceeded,
            FailureKind.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
            FailureKind.NotImplemented => ErrorCategory.NotImplemented,
            FailureKind.OperationStopped => ErrorCategory.OperationStopped,
            FailureKind.WriteError => ErrorCategory.WriteError,
            FailureKind.ReadError => ErrorCategory.ReadError,
            FailureKind.OperationTimeout => ErrorCategory.OperationTimeout,
            _ => ErrorCategory.NotSpecified,
        };

        private sealed class Pump : IOperationLog, IDisposable
        {
            private readonly BlockingCollection<Action> _queue = new BlockingCollection<Action>();
            private readonly PSCmdlet _cmdlet;

            public Pump(PSCmdlet cmdlet) => _cmdlet = cmdlet;

            public void Run()
            {
                foreach (var action in _queue.GetConsumingEnumerable())
                {
                    action();
                }
            }

            public void Complete() => _queue.CompleteAdding();

            public void Verbose(string message) => Post(() => _cmdlet.WriteVerbose(message));

            public void Debug(string message) => Post(() => _cmdlet.WriteDebug(message));

            public void Warning(string message) => Post(() => _cmdlet.WriteWarning(message));

            public void Progress(string activity, string status, int percent, bool completed = false) => Post(() =>
            {
                var record = new ProgressRecord(0x0EC2, activity, status) { PercentComplete = percent };
                if (completed)
                {
                    record.RecordType = ProgressRecordType.Completed;
                }

                _cmdlet.WriteProgress(record);
            });

            public void Dispose() => _queue.Dispose();

            private void Post(Action action)
            {
                try
                {
                    _queue.TryAdd(action);
                }
                catch (InvalidOperationException)
                {
                    // Logged after the work completed: nothing is pumping any more; drop it.
                }
            }
        }
    }
}
