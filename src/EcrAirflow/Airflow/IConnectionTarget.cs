using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Internal;

namespace EcrAirflow.Airflow
{
    /// <summary>
    /// One place Airflow connections can be written to (REST v1, REST v2, CLI, environment). A target
    /// receives the whole batch so it can write it in as few calls as its peer allows.
    /// </summary>
    internal interface IConnectionTarget
    {
        /// <summary>Rest, Cli or EnvironmentVariable.</summary>
        string Mode { get; }

        /// <summary>Where it writes, safe to print (no credentials): a URL, a command, a scope or a path.</summary>
        string Target { get; }

        /// <summary>For -WhatIf/-Confirm: where this connection would go, e.g. " at https://…" (never a secret).</summary>
        string Describe(DockerConnection connection);

        /// <summary>
        /// Writes every connection, never deleting one first. Failures that concern single connections
        /// are reported in the outcome; a failure that stops the whole batch (authentication, network)
        /// is thrown as an <see cref="EcrAirflowException"/> only when nothing was written yet, else it is
        /// reported per connection so the user learns what was written.
        /// </summary>
        Task<SyncOutcome> WriteAsync(IReadOnlyList<DockerConnection> connections, IOperationLog log, CancellationToken cancellationToken);
    }

    /// <summary>What a target did with a batch.</summary>
    internal sealed class SyncOutcome
    {
        public List<AirflowConnectionSyncResult> Written { get; } = new List<AirflowConnectionSyncResult>();

        public List<ConnectionFailure> Failed { get; } = new List<ConnectionFailure>();
    }

    internal sealed record ConnectionFailure(DockerConnection Connection, EcrAirflowException Error);
}
