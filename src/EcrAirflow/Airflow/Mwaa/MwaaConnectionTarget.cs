using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Airflow.Rest;
using EcrAirflow.Aws;
using EcrAirflow.Internal;

namespace EcrAirflow.Airflow.Mwaa
{
    /// <summary>
    /// Mwaa mode: the connection in an Amazon MWAA environment's Airflow database, through InvokeRestApi
    /// signed with AWS credentials. It checks the environment name when it is built (before any call),
    /// resolves each connection's region (-Region, else the environment or profile, else the piped
    /// credential's Region), picks the API (-ApiVersion, else GetEnvironment's AirflowVersion, once per
    /// session) and hands each region's batch to Rest mode's <see cref="RestV1ConnectionTarget"/> (Airflow 2:
    /// PATCH, 404 → POST, 409 → PATCH) or <see cref="RestV2ConnectionTarget"/> (Airflow 3: one bulk request)
    /// over a <see cref="MwaaTransport"/>. Nothing is ever deleted.
    /// </summary>
    internal sealed class MwaaConnectionTarget : IConnectionTarget
    {
        private readonly SyncOptions _options;
        private readonly AwsSessionRequest _aws;
        private readonly IAwsBackend? _backend;
        private readonly string _environment;
        private readonly Dictionary<string, OpenedSession> _sessions = new Dictionary<string, OpenedSession>(StringComparer.Ordinal);

        public MwaaConnectionTarget(SyncOptions options)
            : this(options, null)
        {
        }

        /// <param name="backend">Tests: the AWS side; null = the module's private AWS assembly.</param>
        internal MwaaConnectionTarget(SyncOptions options, IAwsBackend? backend)
        {
            _options = options;
            _aws = options.Aws ?? throw new InvalidOperationException("Mwaa mode needs the AWS parameters (SyncOptions.Aws).");
            _backend = backend;
            _environment = MwaaErrors.ValidateEnvironmentName(options.MwaaEnvironmentName);
        }

        public string Mode => "Mwaa";

        public string Target => $"mwaa:{_aws.Region ?? "<region>"}:{_environment}";

        /// <summary>Resolves the connection's region (its error is this connection's) and names environment and region; never a secret.</summary>
        public string Describe(DockerConnection connection)
        {
            var session = SessionFor(connection).Session;
            var api = _options.ApiVersion != AirflowApiVersion.Auto ? _options.ApiVersion : MwaaVersionLookup.Cached(session, _environment);
            if (api == AirflowApiVersion.V1)
            {
                CheckV1Path(connection);
            }

            return $" to MWAA environment '{_environment}' in {session.Region} (mwaa:{session.Region}:{_environment}, through InvokeRestApi)";
        }

        public async Task<SyncOutcome> WriteAsync(IReadOnlyList<DockerConnection> connections, IOperationLog log, CancellationToken cancellationToken)
        {
            var outcome = new SyncOutcome();
            var groups = new List<(OpenedSession Session, List<DockerConnection> Connections)>();
            foreach (var connection in connections)
            {
                OpenedSession opened;
                try
                {
                    opened = SessionFor(connection);
                }
                catch (EcrAirflowException ex)
                {
                    outcome.Failed.Add(new ConnectionFailure(connection, ex));
                    continue;
                }

                // One batch per region and endpoint (two fallback regions may resolve to the same one).
                var group = groups.FindIndex(g => g.Session.Key == opened.Key);
                if (group < 0)
                {
                    groups.Add((opened, new List<DockerConnection> { connection }));
                }
                else
                {
                    groups[group].Connections.Add(connection);
                }
            }

            foreach (var (session, batch) in groups)
            {
                try
                {
                    var part = await WriteGroupAsync(session, batch, log, cancellationToken).ConfigureAwait(false);
                    outcome.Written.AddRange(part.Written);
                    outcome.Failed.AddRange(part.Failed);
                }
                catch (EcrAirflowException ex) when (groups.Count > 1 || outcome.Failed.Count > 0)
                {
                    // Another region's batch may still be written: this one's failure is reported per connection.
                    outcome.Failed.AddRange(batch.Select(c => new ConnectionFailure(c, ex)));
                }
            }

            return outcome;
        }

        private async Task<SyncOutcome> WriteGroupAsync(OpenedSession opened, List<DockerConnection> batch, IOperationLog log, CancellationToken cancellationToken)
        {
            opened.ReplayOpenLog(log);
            var session = opened.Session;
            var redactor = new SecretRedactor();
            foreach (var connection in batch)
            {
                redactor.AddPair(connection.Login, connection.RevealPassword());
            }

            var api = _options.ApiVersion;
            var probed = api == AirflowApiVersion.Auto;
            if (probed)
            {
                api = await MwaaVersionLookup.ResolveAsync(session, _environment, redactor, log, cancellationToken).ConfigureAwait(false);
            }

            var outcome = new SyncOutcome();
            var sendable = batch;
            if (api == AirflowApiVersion.V1)
            {
                // Refused before any InvokeRestApi call (MWAA would answer ValidationException for the path).
                sendable = new List<DockerConnection>();
                foreach (var connection in batch)
                {
                    if (MwaaErrors.V1ItemPath(connection.ConnectionId).Length > MwaaErrors.MaxPathLength)
                    {
                        outcome.Failed.Add(new ConnectionFailure(connection, MwaaErrors.PathTooLongFor(connection.ConnectionId)));
                    }
                    else
                    {
                        sendable.Add(connection);
                    }
                }

                if (sendable.Count == 0)
                {
                    return outcome;
                }
            }

            var transport = new MwaaTransport(session, _environment, redactor, _aws.MaximumRetryCount, _aws.RetryBaseDelay ?? _options.Seams.RetryBaseDelay);
            IConnectionTarget target = api == AirflowApiVersion.V1
                ? new RestV1ConnectionTarget(transport, _options)
                : new RestV2ConnectionTarget(transport, _options);
            SyncOutcome written;
            try
            {
                written = await target.WriteAsync(sendable, log, cancellationToken).ConfigureAwait(false);
            }
            catch (EcrAirflowException ex) when (outcome.Failed.Count == 0)
            {
                if (probed && VersionLooksWrong(ex))
                {
                    MwaaVersionLookup.Forget(session, _environment);
                }

                throw MwaaErrors.ForMwaa(ex);
            }
            catch (EcrAirflowException ex)
            {
                // Some ids were already refused for their length: report this failure per connection too.
                written = new SyncOutcome();
                written.Failed.AddRange(sendable.Select(c => new ConnectionFailure(c, ex)));
            }

            if (probed && written.Failed.Exists(f => VersionLooksWrong(f.Error)))
            {
                MwaaVersionLookup.Forget(session, _environment);
            }

            foreach (var result in written.Written)
            {
                result.Mode = Mode;
                outcome.Written.Add(result);
            }

            outcome.Failed.AddRange(written.Failed.Select(f => new ConnectionFailure(f.Connection, MwaaErrors.ForMwaa(f.Error))));
            return outcome;
        }

        /// <summary>A cached version that no longer matches the environment shows as a missing API or method.</summary>
        private static bool VersionLooksWrong(EcrAirflowException ex) =>
            ex.ErrorId == AirflowErrors.ApiNotFound || ex.ErrorId == AirflowErrors.UnexpectedStatus;

        private static void CheckV1Path(DockerConnection connection)
        {
            if (MwaaErrors.V1ItemPath(connection.ConnectionId).Length > MwaaErrors.MaxPathLength)
            {
                throw MwaaErrors.PathTooLongFor(connection.ConnectionId);
            }
        }

        /// <summary>
        /// The session for a connection's region: opened once per fallback region (no request: region and
        /// endpoint are resolved here, credentials on the first call). Its verbose lines are kept for the write.
        /// </summary>
        private OpenedSession SessionFor(DockerConnection connection)
        {
            var fallback = _aws.Region != null ? string.Empty : connection.Region ?? string.Empty;
            if (_sessions.TryGetValue(fallback, out var known))
            {
                return known;
            }

            var request = fallback.Length == 0 ? _aws : _aws.WithFallbackRegion(fallback);
            var buffer = new BufferedLog();
            var session = (_backend ?? AwsBackend.Instance).Open(AwsService.Mwaa, request, buffer);
            var opened = new OpenedSession(session, buffer);
            _sessions[fallback] = opened;
            return opened;
        }

        /// <summary>A session and what opening it said (region and endpoint source), said again when it is first used.</summary>
        private sealed class OpenedSession
        {
            private readonly BufferedLog _openLog;
            private bool _replayed;

            public OpenedSession(IAwsSession session, BufferedLog openLog)
            {
                Session = session;
                _openLog = openLog;
                Key = AwsEndpoints.Display(session.Endpoint.Url) + "\n" + session.Region;
            }

            public IAwsSession Session { get; }

            public string Key { get; }

            public void ReplayOpenLog(IOperationLog log)
            {
                if (!_replayed)
                {
                    _replayed = true;
                    _openLog.ReplayTo(log);
                }
            }
        }

        /// <summary>Keeps the lines logged while no cmdlet stream is at hand (ProcessRecord), for later.</summary>
        private sealed class BufferedLog : IOperationLog
        {
            private readonly List<Action<IOperationLog>> _lines = new List<Action<IOperationLog>>();

            public void Verbose(string message) => _lines.Add(l => l.Verbose(message));

            public void Debug(string message) => _lines.Add(l => l.Debug(message));

            public void Warning(string message) => _lines.Add(l => l.Warning(message));

            public void Progress(string activity, string status, int percent, bool completed = false)
            {
            }

            public void ReplayTo(IOperationLog log) => _lines.ForEach(line => line(log));
        }
    }
}
