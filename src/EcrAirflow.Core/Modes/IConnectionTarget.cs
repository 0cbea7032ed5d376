using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Core.Airflow;
using EcrAirflow.Core.Internal;

namespace EcrAirflow.Core.Modes
{
    /// <summary>
    /// One place Airflow connections are kept (its mode's folder holds the implementation). A target writes a
    /// whole batch, so it can do so in as few calls as its peer allows, and reads what it holds for a set of
    /// ids the same way, with the same transport, retry, redaction and error rules.
    /// </summary>
    internal interface IConnectionTarget
    {
        /// <summary>The mode's name, as results show it.</summary>
        string Mode { get; }

        /// <summary>Where it writes, safe to print (no credentials): a URL, a command, a scope or a path.</summary>
        string Target { get; }

        /// <summary>For -WhatIf/-Confirm: where this connection would go, e.g. " at https://…" (never a secret).</summary>
        string Describe(DockerConnection connection);

        /// <summary>
        /// Writes every connection, never deleting one first. Failures that concern single connections are
        /// reported in the outcome; a failure that stops the whole batch (authentication, network) is thrown as an
        /// <see cref="EcrAirflowException"/> only when nothing was written yet, else it is reported per connection
        /// so the user learns what was written.
        /// </summary>
        Task<SyncOutcome> WriteAsync(IReadOnlyList<DockerConnection> connections, IOperationLog log, CancellationToken cancellationToken);

        /// <summary>
        /// What the target holds now for each id: nothing, a Docker connection, or something else (its kind only).
        /// One answer per id, in the order asked. A failure for one id is reported for it; one that stops every
        /// read (authentication, network) is thrown when nothing was read yet, like a write's.
        /// </summary>
        Task<ReadOutcome> ReadAsync(IReadOnlyList<ConnectionRef> connections, IOperationLog log, CancellationToken cancellationToken);
    }

    /// <summary>A connection to read: its id, and the region of the piped object it came with (the AWS-backed modes' last fallback).</summary>
    internal sealed record ConnectionRef(string ConnectionId, string? Region = null)
    {
        public static ConnectionRef Of(DockerConnection connection) => new ConnectionRef(connection.ConnectionId, connection.Region);
    }

    /// <summary>What a target did with a batch.</summary>
    internal sealed class SyncOutcome
    {
        public List<AirflowConnectionSyncResult> Written { get; } = new List<AirflowConnectionSyncResult>();

        public List<ConnectionFailure> Failed { get; } = new List<ConnectionFailure>();
    }

    internal sealed record ConnectionFailure(DockerConnection Connection, EcrAirflowException Error);

    /// <summary>What a target's read side found.</summary>
    internal sealed class ReadOutcome
    {
        public List<StoredConnection> Found { get; } = new List<StoredConnection>();

        public List<ReadFailure> Failed { get; } = new List<ReadFailure>();
    }

    internal sealed record ReadFailure(string ConnectionId, EcrAirflowException Error);
}
