using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Aws;
using EcrAirflow.Internal;

namespace EcrAirflow.Airflow.AwsStores
{
    /// <summary>
    /// What Secrets Manager and Parameter Store modes share: a name per connection
    /// (&lt;prefix&gt;&lt;separator&gt;&lt;conn id&gt;, as Airflow's backends build it), checked before any call; the value in
    /// the -Format the backend reads; a signed session per region (-Region, else the environment or profile,
    /// else the piped credential's Region); one request per connection, never a delete.
    /// </summary>
    internal abstract class SecretStoreTarget : IConnectionTarget
    {
        private readonly IAwsBackend _backend;
        private readonly ConcurrentDictionary<string, IAwsSession> _sessions = new ConcurrentDictionary<string, IAwsSession>(StringComparer.Ordinal);

        protected SecretStoreTarget(SyncOptions options, AwsService service, IAwsBackend? backend)
        {
            Options = options;
            Service = service;
            Aws = options.Aws ?? throw new ArgumentException("An AWS-backed mode needs options.Aws.", nameof(options));
            _backend = backend ?? AwsBackend.Instance;
            Prefix = options.ConnectionsPrefix ?? DefaultPrefix;
            Separator = options.Separator ?? "/";
        }

        public abstract string Mode { get; }

        /// <summary>"secretsmanager:&lt;region&gt;:&lt;prefix&gt;" when the region is known without the pipe; per result otherwise.</summary>
        public string Target => $"{Scheme}:{Prefix}";

        protected SyncOptions Options { get; }

        protected AwsService Service { get; }

        protected AwsSessionRequest Aws { get; }

        protected string Prefix { get; }

        protected string Separator { get; }

        /// <summary>The prefix Airflow's backend uses by default.</summary>
        protected abstract string DefaultPrefix { get; }

        /// <summary>"secretsmanager" or "ssm", the first part of a result's Target.</summary>
        protected abstract string Scheme { get; }

        /// <summary>What one write is called in the progress bar.</summary>
        protected abstract string Activity { get; }

        public string Describe(DockerConnection connection)
        {
            var name = NameOf(connection);
            return $": {name} in {Session(connection, NullOperationLog.Instance).Region} ({Options.Format})";
        }

        public Task<SyncOutcome> WriteAsync(IReadOnlyList<DockerConnection> connections, IOperationLog log, CancellationToken cancellationToken) =>
            OneByOne.WriteAsync(connections, Activity, c => WriteOneAsync(c, log, cancellationToken), OneByOne.StopsBatch, log, cancellationToken);

        /// <summary>The secret's or parameter's name, checked against the store's rules (throws before any call).</summary>
        public string NameOf(DockerConnection connection)
        {
            var name = Prefix.Length == 0 ? connection.ConnectionId : Prefix + Separator + connection.ConnectionId;
            CheckName(name, connection);
            return name;
        }

        protected abstract void CheckName(string name, DockerConnection connection);

        protected abstract Task<AirflowConnectionSyncResult> WriteOneAsync(IAwsSession session, DockerConnection connection, string name, string value, IOperationLog log, CancellationToken cancellationToken);

        /// <summary>The value Airflow's backend reads: JSON (Airflow 2.3+) or a connection URI.</summary>
        protected virtual string ValueOf(DockerConnection connection) => Options.Format == ConnectionFormat.Json
            ? ConnectionJson.Object(connection, includeDescription: true)
            : EnvironmentVariables.ConnectionUri.Build(connection);

        /// <summary>An AWS call carrying this connection's value: every form of the token is masked in what AWS answers.</summary>
        protected AwsCall Call(string operation, byte[] body, string permission, DockerConnection connection, string value)
        {
            var call = new AwsCall(operation, body, permission);
            call.Redactor.AddPair(connection.Login, connection.RevealPassword());
            call.Redactor.Add(value);
            return call;
        }

        protected AirflowConnectionSyncResult Result(DockerConnection connection, IAwsSession session, string name, SyncAction action) =>
            new AirflowConnectionSyncResult
            {
                ConnectionId = connection.ConnectionId,
                Mode = Mode,
                Target = $"{Scheme}:{session.Region}:{name}",
                Action = action,
                Registry = connection.Host,
                ExpiresAt = connection.ExpiresAt,
            };

        /// <summary>The permission text for an access-denied hint, with the KMS actions when a customer key is used.</summary>
        protected string Permission(string actions) => string.IsNullOrEmpty(Options.KmsKeyId)
            ? actions
            : actions + " (and kms:Encrypt and kms:GenerateDataKey on the key " + Options.KmsKeyId + ")";

        private async Task<AirflowConnectionSyncResult> WriteOneAsync(DockerConnection connection, IOperationLog log, CancellationToken cancellationToken)
        {
            var name = NameOf(connection);
            var session = Session(connection, log);
            var value = ValueOf(connection);
            return await WriteOneAsync(session, connection, name, value, log, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>One session per region: the piped credential's Region matters only when nothing else names one.</summary>
        private IAwsSession Session(DockerConnection connection, IOperationLog log)
        {
            var fallback = connection.Region ?? string.Empty;
            return _sessions.GetOrAdd(fallback, f =>
            {
                var request = Aws.WithFallbackRegion(f.Length == 0 ? null : f);
                return _backend.Open(Service, request, log);
            });
        }
    }
}
