using System;

namespace EcrAirflow
{
    /// <summary>What kind of failure happened, independent of PowerShell (the cmdlets map it to ErrorCategory).</summary>
    public enum FailureKind
    {
        NotSpecified,
        InvalidArgument,
        InvalidOperation,
        InvalidData,
        ObjectNotFound,
        PermissionDenied,
        SecurityError,
        ConnectionError,
        LimitsExceeded,
        ResourceUnavailable,
        NotImplemented,
        OperationStopped,
        WriteError,
        ReadError,
        OperationTimeout,
    }

    /// <summary>
    /// The one exception type core code throws for failures a user can act on. The message must never
    /// contain a secret; <see cref="Hint"/> says what to do about it.
    /// </summary>
    public sealed class EcrAirflowException : Exception
    {
        public EcrAirflowException(string errorId, FailureKind kind, string message, string? hint = null, Exception? inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Kind = kind;
            Hint = hint;
        }

        /// <summary>The stable identifier, used as the first part of FullyQualifiedErrorId.</summary>
        public string ErrorId { get; }

        public FailureKind Kind { get; }

        /// <summary>What the user can do about it (ErrorRecord.ErrorDetails.RecommendedAction).</summary>
        public string? Hint { get; }

        /// <summary>Server request id (AWS x-amzn-RequestId), when there was one.</summary>
        public string? RequestId { get; init; }

        /// <summary>The object the error is about (a registry, a connection id), for ErrorRecord.TargetObject.</summary>
        public object? TargetObject { get; init; }

        /// <summary>
        /// Whether every later connection of a batch would fail the same way (authentication, permission,
        /// network, TLS, or a failure the raiser marks: no API at that URL, no such MWAA environment).
        /// </summary>
        internal bool StopsBatch
        {
            get => _stopsBatch || Kind == FailureKind.PermissionDenied || Kind == FailureKind.ConnectionError || Kind == FailureKind.SecurityError;
            set => _stopsBatch = value;
        }

        private bool _stopsBatch;

        /// <summary>This error, marked as one that every later connection of the batch would meet too.</summary>
        internal EcrAirflowException StoppingBatch()
        {
            _stopsBatch = true;
            return this;
        }
    }
}
