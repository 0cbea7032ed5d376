using System;
using System.Collections.Generic;
using System.Linq;
using EcrAirflow.Core.Airflow;
using EcrAirflow.Core.Ecr;
using EcrAirflow.Core.Modes;
using EcrAirflow.Core.Registry;

namespace EcrAirflow.Core.Commands
{
    /// <summary>
    /// What Test-AirflowEcrConnection (<see cref="TestAirflowEcrConnectionCommand"/>) does: reports what each target holds now for each connection id — nothing, something
    /// that is not a Docker connection, or a Docker connection and when its token expires — and, with -Login,
    /// whether the registry accepts the stored login. Reads through the mode's own read side (one request for many
    /// ids where the target allows), with the same mode parameters as Sync-AirflowEcrConnection.
    /// </summary>
    internal sealed class TestAirflowEcrConnectionBody : ModeCmdletBody
    {
        private readonly TestAirflowEcrConnectionCommand _cmdlet;
        private readonly List<ConnectionRef> _ids = new List<ConnectionRef>();
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);
        private ModeBinding _binding = null!;
        private IConnectionTarget _target = null!;

        public TestAirflowEcrConnectionBody(TestAirflowEcrConnectionCommand cmdlet)
            : base(cmdlet) => _cmdlet = cmdlet;

        public override void Begin()
        {
            if (Duration.Check(nameof(TestAirflowEcrConnectionCommand.MinimumRemaining), _cmdlet.MinimumRemaining) is EcrAirflowException invalid)
            {
                Terminate(invalid);
            }

            _binding = BindMode();
            _target = CreateTarget(_binding);
        }

        public override void Process()
        {
            var region = RegionOnCommandLine ? null : _cmdlet.Region;
            foreach (var id in _cmdlet.ConnectionId)
            {
                if (!ConnectionInput.IsValidConnectionId(id))
                {
                    _cmdlet.WriteError(ToErrorRecord(InputErrors.InvalidConnectionId(id)));
                    continue;
                }

                if (_seen.Add(id))
                {
                    _ids.Add(new ConnectionRef(id, region));
                }
            }
        }

        public override void End()
        {
            if (_ids.Count == 0)
            {
                if (_cmdlet.Quiet)
                {
                    _cmdlet.WriteObject(false);
                }

                return;
            }

            ReadOutcome outcome;
            var logins = new Dictionary<string, RegistryLoginResult>(StringComparer.Ordinal);
            try
            {
                outcome = RunAsync(async (log, ct) =>
                {
                    var read = await _target.ReadAsync(_ids, log, ct).ConfigureAwait(false);
                    if (_cmdlet.Login)
                    {
                        var options = new RegistryLoginOptions(_binding.Context.Http, TimeSpan.FromSeconds(HttpDefaults.TimeoutSec), HttpDefaults.MaximumRetryCount);
                        foreach (var stored in read.Found.Where(s => s.Kind == StoredKind.Docker && s.PasswordVisibility == PasswordVisibility.Readable))
                        {
                            logins[stored.ConnectionId] = await RegistryLogin.CheckAsync(stored.Host, stored.Login, stored.Password, options, log, ct).ConfigureAwait(false);
                        }
                    }

                    return read;
                });
            }
            catch (EcrAirflowException ex)
            {
                if (_cmdlet.Quiet)
                {
                    _cmdlet.WriteError(ToErrorRecord(ex));
                    _cmdlet.WriteObject(false);
                    return;
                }

                Terminate(ex);
                return;
            }

            var now = DateTimeOffset.UtcNow;
            var statuses = new List<AirflowConnectionStatus>();
            foreach (var stored in outcome.Found)
            {
                var assessment = Freshness.Assess(stored, _cmdlet.MinimumRemaining, now, EcrPassword.ReadExpiry);
                var (login, loginReason) = LoginOf(stored, logins);
                statuses.Add(new AirflowConnectionStatus
                {
                    ConnectionId = stored.ConnectionId,
                    Mode = _binding.Mode.Name,
                    Target = stored.Location,
                    Status = assessment.Status,
                    Registry = stored.Host,
                    ExpiresAt = assessment.ExpiresAt,
                    Remaining = assessment.ExpiresAt.HasValue ? assessment.ExpiresAt.Value - now : (TimeSpan?)null,
                    ExpirySource = assessment.Source,
                    Login = login,
                    Reason = assessment.Reason == null ? loginReason : loginReason == null ? assessment.Reason : assessment.Reason + " " + loginReason,
                });
            }

            foreach (var failure in outcome.Failed)
            {
                _cmdlet.WriteError(ToErrorRecord(failure.Error, failure.ConnectionId));
                statuses.Add(new AirflowConnectionStatus
                {
                    ConnectionId = failure.ConnectionId,
                    Mode = _binding.Mode.Name,
                    Target = _target.Target,
                    Status = ConnectionStatus.Unknown,
                    Login = _cmdlet.Login ? LoginResult.Unavailable : LoginResult.NotTested,
                    Reason = $"It could not be read: {failure.Error.Message}",
                });
            }

            // One status per id, in the order asked.
            var order = _ids.Select((c, i) => (c.ConnectionId, i)).ToDictionary(p => p.ConnectionId, p => p.i, StringComparer.Ordinal);
            statuses.Sort((a, b) => order[a.ConnectionId].CompareTo(order[b.ConnectionId]));
            if (_cmdlet.Quiet)
            {
                _cmdlet.WriteObject(statuses.All(s => s.Status == ConnectionStatus.Fresh && (s.Login == LoginResult.NotTested || s.Login == LoginResult.Succeeded)));
                return;
            }

            foreach (var status in statuses)
            {
                _cmdlet.WriteObject(status);
            }
        }

        /// <summary>What -Login found, or why it could not try: the password is not readable there, or there is no login to try.</summary>
        private (LoginResult Login, string? Reason) LoginOf(StoredConnection stored, Dictionary<string, RegistryLoginResult> logins)
        {
            if (!_cmdlet.Login)
            {
                return (LoginResult.NotTested, null);
            }

            if (logins.TryGetValue(stored.ConnectionId, out var result))
            {
                return result.Outcome switch
                {
                    RegistryLoginOutcome.Succeeded => (LoginResult.Succeeded, null),
                    // The problem names the registry, its realm and what it said.
                    RegistryLoginOutcome.Failed => (LoginResult.Failed, result.Reason),
                    _ => (LoginResult.Unavailable, "The stored login could not be tried: " + result.Reason),
                };
            }

            var why = stored.Kind != StoredKind.Docker
                ? "there is no Docker connection to log in with."
                : stored.PasswordVisibility switch
                {
                    PasswordVisibility.NotReturned => $"{_binding.Mode.Name} mode reads through Airflow 2's REST API, which never returns the password. Try it where the password can be read (Cli, EnvironmentVariable, SecretsManager, ParameterStore), or with docker login on an Airflow worker.",
                    PasswordVisibility.Redacted => $"{_binding.Mode.Name} mode reads through Airflow 3's REST API, which returns the password masked. Try it where the password can be read (Cli, EnvironmentVariable, SecretsManager, ParameterStore), or with docker login on an Airflow worker.",
                    _ => "the connection has no password.",
                };
            return (LoginResult.Unavailable, "The stored login could not be tried: " + why);
        }
    }
}
