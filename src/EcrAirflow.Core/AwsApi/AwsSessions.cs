using System;
using System.Collections.Generic;
using EcrAirflow.Core.Internal;

namespace EcrAirflow.Core.AwsApi
{
    /// <summary>
    /// The sessions of one AWS-backed mode for one cmdlet call, one per region: -Region, else the environment or
    /// profile, else the piped object's own Region (so each registry's connection can land in its own region).
    /// Opening a session makes no request (region and endpoint are resolved, credentials on the first call); what
    /// opening said (where the region and the endpoint came from) is kept and said in the log of the first real
    /// use, since a session is often opened first for -WhatIf text, where no cmdlet stream is at hand.
    /// </summary>
    internal sealed class AwsSessions
    {
        private readonly AwsService _service;
        private readonly AwsSessionRequest _request;
        private readonly IAwsBackend? _backend;
        private readonly Dictionary<string, Opened> _byFallback = new Dictionary<string, Opened>(StringComparer.Ordinal);

        /// <param name="backend">Tests: the AWS side; null = the module's private AWS assembly, loaded on first use.</param>
        public AwsSessions(AwsService service, AwsSessionRequest request, IAwsBackend? backend = null)
        {
            _service = service;
            _request = request;
            _backend = backend;
        }

        /// <summary>The region the user named (-Region), if any; null when each connection's may differ.</summary>
        public string? FixedRegion => _request.Region;

        /// <summary>
        /// The session for a connection whose piped Region is <paramref name="fallbackRegion"/> (null: none). Its
        /// errors (NoRegion, InvalidRegion, an endpoint refused) are that connection's. <paramref name="log"/> gets
        /// the opening lines the first time a log that is not the null log asks.
        /// </summary>
        public IAwsSession For(string? fallbackRegion, IOperationLog log)
        {
            var fallback = _request.Region != null ? string.Empty : fallbackRegion ?? string.Empty;
            Opened? opened;
            lock (_byFallback)
            {
                if (!_byFallback.TryGetValue(fallback, out opened))
                {
                    var request = fallback.Length == 0 ? _request : _request.WithFallbackRegion(fallback);
                    var buffer = new BufferedLog();
                    opened = new Opened(Open(_backend ?? AwsBackend.Instance, _service, request, buffer), buffer);
                    _byFallback[fallback] = opened;
                }
            }

            opened.SayOpeningTo(log);
            return opened.Session;
        }

        /// <summary>
        /// Opens a session and checks its next hop before any request: a signed request's reply carries secrets
        /// (a token, the stored value), so over plain http its next hop must be loopback (Http.HttpSettings).
        /// </summary>
        public static IAwsSession Open(IAwsBackend backend, AwsService service, AwsSessionRequest request, IOperationLog log)
        {
            var session = backend.Open(service, request, log);
            request.Http.EnsureNextHopMayCarrySecrets(session.Endpoint.Url, request.AllowUnencryptedAuthentication,
                $"what {service.DisplayName} is sent and answers (its secrets included)", "the endpoint (-EndpointUrl or " + service.EndpointVariable + ")");
            return session;
        }

        /// <summary>Sessions that reach the same endpoint in the same region are one batch (two fallbacks may resolve alike).</summary>
        public static string Key(IAwsSession session) => AwsEndpoints.Display(session.Endpoint.Url) + "\n" + session.Region;

        private sealed class Opened
        {
            private readonly BufferedLog _opening;
            private bool _said;

            public Opened(IAwsSession session, BufferedLog opening)
            {
                Session = session;
                _opening = opening;
            }

            public IAwsSession Session { get; }

            public void SayOpeningTo(IOperationLog log)
            {
                if (_said || ReferenceEquals(log, NullOperationLog.Instance))
                {
                    return;
                }

                _said = true;
                _opening.ReplayTo(log);
            }
        }

        /// <summary>Keeps what is logged while no cmdlet stream is at hand, for later.</summary>
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
