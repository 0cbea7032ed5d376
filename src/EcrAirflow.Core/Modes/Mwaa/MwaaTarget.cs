using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Core.Airflow;
using EcrAirflow.Core.Airflow.Api;
using EcrAirflow.Core.AwsApi;
using EcrAirflow.Core.Internal;
using EcrAirflow.Core.Internal.Secrets;

namespace EcrAirflow.Core.Modes.Mwaa
{
    /// <summary>
    /// Mwaa mode: the connection in an Amazon MWAA environment's Airflow database, through InvokeRestApi signed
    /// with AWS credentials. It checks the environment name when it is built (before any call), resolves each
    /// connection's region (<see cref="AwsSessions"/>), picks the API (-ApiVersion, else GetEnvironment's
    /// AirflowVersion, once per session) and hands each region's batch to <see cref="AirflowApiV1"/> (Airflow 2:
    /// GET, then PATCH with update_mask or POST, per id) or <see cref="AirflowApiV2"/> (Airflow 3: one list
    /// request, then one bulk request) over a <see cref="MwaaTransport"/>. Nothing is ever deleted.
    /// </summary>
    internal sealed class MwaaTarget : IConnectionTarget
    {
        private readonly MwaaParameters _parameters;
        private readonly ModeContext _context;
        private readonly AwsSessions _sessions;
        private readonly string _environment;

        public MwaaTarget(MwaaParameters parameters, ModeContext context)
            : this(parameters, context, null)
        {
        }

        /// <param name="backend">Tests: the AWS side; null = the module's private AWS assembly.</param>
        internal MwaaTarget(MwaaParameters parameters, ModeContext context, IAwsBackend? backend)
        {
            _parameters = parameters;
            _context = context;
            _environment = MwaaErrors.ValidateEnvironmentName(parameters.MwaaEnvironmentName);
            _sessions = new AwsSessions(AwsService.Mwaa, context.RequireAws(), backend);
        }

        public string Mode => "Mwaa";

        public string Target => $"mwaa:{_sessions.FixedRegion ?? "<region>"}:{_environment}";

        /// <summary>Resolves the connection's region (its error is this connection's) and names environment and region; never a secret.</summary>
        public string Describe(DockerConnection connection)
        {
            var session = _sessions.For(connection.Region, NullOperationLog.Instance);
            var api = _parameters.ApiVersion != AirflowApiVersion.Auto ? _parameters.ApiVersion : MwaaVersionLookup.Cached(session, _environment);
            if (api == AirflowApiVersion.V1 && MwaaErrors.V1ItemPath(connection.ConnectionId).Length > MwaaErrors.MaxPathLength)
            {
                throw MwaaErrors.PathTooLongFor(connection.ConnectionId);
            }

            return $" to MWAA environment '{_environment}' in {session.Region} (mwaa:{session.Region}:{_environment}, through InvokeRestApi)";
        }

        public async Task<SyncOutcome> WriteAsync(IReadOnlyList<DockerConnection> connections, IOperationLog log, CancellationToken cancellationToken)
        {
            var outcome = new SyncOutcome();
            var groups = Group(connections, c => c.Region, log, (c, ex) => outcome.Failed.Add(new ConnectionFailure(c, ex)));
            foreach (var (session, batch) in groups)
            {
                var redactor = new SecretRedactor();
                foreach (var connection in batch)
                {
                    redactor.AddPair(connection.Login, connection.RevealPassword());
                }

                try
                {
                    var part = await InEnvironmentAsync(session, redactor, batch, c => c.ConnectionId,
                        (c, ex) => outcome.Failed.Add(new ConnectionFailure(c, ex)),
                        (api, sendable) => api.WriteAsync(sendable, log, cancellationToken),
                        part => part.Failed.Select(f => f.Error), log, cancellationToken).ConfigureAwait(false);
                    if (part != null)
                    {
                        outcome.Written.AddRange(part.Written);
                        outcome.Failed.AddRange(part.Failed.Select(f => new ConnectionFailure(f.Connection, MwaaErrors.ForMwaa(f.Error))));
                    }
                }
                catch (EcrAirflowException ex) when (groups.Count > 1 || outcome.Failed.Count > 0)
                {
                    // Another region's batch may still be written: this one's failure is reported per connection.
                    outcome.Failed.AddRange(batch.Select(c => new ConnectionFailure(c, ex)));
                }
            }

            return outcome;
        }

        public async Task<ReadOutcome> ReadAsync(IReadOnlyList<ConnectionRef> connections, IOperationLog log, CancellationToken cancellationToken)
        {
            var outcome = new ReadOutcome();
            var groups = Group(connections, c => c.Region, log, (c, ex) => outcome.Failed.Add(new ReadFailure(c.ConnectionId, ex)));
            foreach (var (session, batch) in groups)
            {
                try
                {
                    var part = await InEnvironmentAsync(session, new SecretRedactor(), batch, c => c.ConnectionId,
                        (c, ex) => outcome.Failed.Add(new ReadFailure(c.ConnectionId, ex)),
                        (api, readable) => api.ReadAsync(readable, log, cancellationToken),
                        part => part.Failed.Select(f => f.Error), log, cancellationToken).ConfigureAwait(false);
                    if (part != null)
                    {
                        outcome.Found.AddRange(part.Found);
                        outcome.Failed.AddRange(part.Failed.Select(f => new ReadFailure(f.ConnectionId, MwaaErrors.ForMwaa(f.Error))));
                    }
                }
                catch (EcrAirflowException ex) when (groups.Count > 1 || outcome.Failed.Count > 0)
                {
                    outcome.Failed.AddRange(batch.Select(c => new ReadFailure(c.ConnectionId, ex)));
                }
            }

            // One answer per id, in the order asked.
            var order = connections.Select((c, i) => (c.ConnectionId, i)).ToDictionary(p => p.ConnectionId, p => p.i, StringComparer.Ordinal);
            outcome.Found.Sort((a, b) => order[a.ConnectionId].CompareTo(order[b.ConnectionId]));
            return outcome;
        }

        /// <summary>The items by session (region and endpoint); an item whose region cannot be resolved is reported, not grouped.</summary>
        private List<(IAwsSession Session, List<T> Items)> Group<T>(IReadOnlyList<T> items, Func<T, string?> regionOf, IOperationLog log, Action<T, EcrAirflowException> failed)
        {
            var groups = new List<(IAwsSession Session, List<T> Items)>();
            foreach (var item in items)
            {
                IAwsSession session;
                try
                {
                    session = _sessions.For(regionOf(item), log);
                }
                catch (EcrAirflowException ex)
                {
                    failed(item, ex);
                    continue;
                }

                var key = AwsSessions.Key(session);
                var index = groups.FindIndex(g => AwsSessions.Key(g.Session) == key);
                if (index < 0)
                {
                    groups.Add((session, new List<T> { item }));
                }
                else
                {
                    groups[index].Items.Add(item);
                }
            }

            return groups;
        }

        /// <summary>
        /// One region's batch against the environment: the API it speaks, the ids InvokeRestApi's path can carry on
        /// Airflow 2 (the others reported here, before any call), then <paramref name="work"/> through MWAA. Returns
        /// null when no id was left to send.
        /// </summary>
        private async Task<TOutcome?> InEnvironmentAsync<T, TOutcome>(
            IAwsSession session,
            SecretRedactor redactor,
            List<T> batch,
            Func<T, string> idOf,
            Action<T, EcrAirflowException> refused,
            Func<IConnectionTarget, IReadOnlyList<T>, Task<TOutcome>> work,
            Func<TOutcome, IEnumerable<EcrAirflowException>> failuresOf,
            IOperationLog log,
            CancellationToken cancellationToken)
            where TOutcome : class
        {
            var api = _parameters.ApiVersion;
            var probed = api == AirflowApiVersion.Auto;
            if (probed)
            {
                api = await MwaaVersionLookup.ResolveAsync(session, _environment, redactor, log, cancellationToken).ConfigureAwait(false);
            }

            var sendable = batch;
            var refusedAny = false;
            if (api == AirflowApiVersion.V1)
            {
                // Refused before any InvokeRestApi call (MWAA would answer ValidationException for the path).
                sendable = new List<T>();
                foreach (var item in batch)
                {
                    if (MwaaErrors.V1ItemPath(idOf(item)).Length > MwaaErrors.MaxPathLength)
                    {
                        refused(item, MwaaErrors.PathTooLongFor(idOf(item)));
                        refusedAny = true;
                    }
                    else
                    {
                        sendable.Add(item);
                    }
                }

                if (sendable.Count == 0)
                {
                    return null;
                }
            }

            var aws = _context.RequireAws();
            var transport = new MwaaTransport(session, _environment, redactor, aws.MaximumRetryCount, aws.RetryBaseDelay ?? _context.Seams.RetryBaseDelay);
            IConnectionTarget target = api == AirflowApiVersion.V1
                ? new AirflowApiV1(transport, AirflowAuth.ByTransport, Mode)
                : new AirflowApiV2(transport, AirflowAuth.ByTransport, Mode);
            TOutcome outcome;
            try
            {
                outcome = await work(target, sendable).ConfigureAwait(false);
            }
            catch (EcrAirflowException ex) when (!refusedAny)
            {
                if (probed && VersionLooksWrong(ex))
                {
                    MwaaVersionLookup.Forget(session, _environment);
                }

                throw MwaaErrors.ForMwaa(ex);
            }
            catch (EcrAirflowException ex)
            {
                // Some ids were already refused for their length: report this failure per item too.
                foreach (var item in sendable)
                {
                    refused(item, MwaaErrors.ForMwaa(ex));
                }

                return null;
            }

            if (probed && failuresOf(outcome).Any(VersionLooksWrong))
            {
                MwaaVersionLookup.Forget(session, _environment);
            }

            return outcome;
        }

        /// <summary>A cached version that no longer matches the environment shows as a missing API or method.</summary>
        private static bool VersionLooksWrong(EcrAirflowException ex) =>
            ex.ErrorId == AirflowErrors.ApiNotFound || ex.ErrorId == AirflowErrors.UnexpectedStatus;
    }
}
