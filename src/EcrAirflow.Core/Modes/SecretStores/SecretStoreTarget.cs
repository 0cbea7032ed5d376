using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Core.Airflow;
using EcrAirflow.Core.AwsApi;
using EcrAirflow.Core.Internal;

namespace EcrAirflow.Core.Modes.SecretStores
{
    /// <summary>
    /// What the two AWS secret stores' targets share: one value per connection, read and written one by one in the
    /// connection's region, described and named by the <see cref="SecretStore"/>. Each store says how it reads one
    /// value and how it writes one connection.
    /// </summary>
    internal abstract class SecretStoreTarget : IConnectionTarget
    {
        protected SecretStoreTarget(SecretStore store)
        {
            Store = store;
        }

        public string Mode => Store.Mode;

        public string Target => Store.Target;

        protected SecretStore Store { get; }

        protected AwsService Service => Store.Service;

        /// <summary>The progress activity of a write ("Writing Airflow connections to ...").</summary>
        protected abstract string WriteActivity { get; }

        /// <summary>The progress activity of a read.</summary>
        protected abstract string ReadActivity { get; }

        /// <summary>What reading one value takes, for an AccessDenied hint.</summary>
        protected abstract string ReadPermission { get; }

        public string Describe(DockerConnection connection)
        {
            var name = Store.NameOf(connection.ConnectionId);
            return $": {name} in {Store.Sessions.For(connection.Region, NullOperationLog.Instance).Region} ({Store.Format})";
        }

        public Task<SyncOutcome> WriteAsync(IReadOnlyList<DockerConnection> connections, IOperationLog log, CancellationToken cancellationToken) =>
            OneByOne.WriteAsync(connections, WriteActivity, c => WriteOneAsync(c, log, cancellationToken), log, cancellationToken);

        public Task<ReadOutcome> ReadAsync(IReadOnlyList<ConnectionRef> connections, IOperationLog log, CancellationToken cancellationToken) =>
            OneByOne.ReadAsync(connections, ReadActivity,
                c => ReadOneAsync(Store.Sessions.For(c.Region, log), Store.NameOf(c.ConnectionId), c.ConnectionId, ReadPermission, log, cancellationToken),
                log, cancellationToken);

        /// <summary>One value as the backend reads it: a connection, something else, or nothing.</summary>
        protected abstract Task<StoredConnection> ReadOneAsync(IAwsSession session, string name, string connectionId, string permission, IOperationLog log, CancellationToken cancellationToken);

        /// <summary>One refresh: read, merge, write (or create).</summary>
        protected abstract Task<AirflowConnectionSyncResult> WriteOneAsync(DockerConnection connection, IOperationLog log, CancellationToken cancellationToken);
    }
}
