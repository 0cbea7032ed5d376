

namespace EcrAirflow.Core.Internal
{
    /// <summary>
    /// How core code reports what it is doing. The cmdlets forward these to the verbose, debug, warning
    /// and progress streams on the pipeline thread. Nothing passed here may contain a secret.
    /// </summary>
    internal interface IOperationLog
    {
        void Verbose(string message);

        void Debug(string message);

        void Warning(string message);

        /// <summary>Progress of a long operation; percent -1 means unknown, completed closes the bar.</summary>
        void Progress(string activity, string status, int percent, bool completed = false);
    }

    /// <summary>A log that drops everything (tests, benchmarks).</summary>
    internal sealed class NullOperationLog : IOperationLog
    {
        public static readonly NullOperationLog Instance = new NullOperationLog();

        public void Verbose(string message) { }

        public void Debug(string message) { }

        public void Warning(string message) { }

        public void Progress(string activity, string status, int percent, bool completed = false) { }
    }
}
