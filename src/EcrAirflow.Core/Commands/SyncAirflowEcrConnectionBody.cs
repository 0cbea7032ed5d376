using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using EcrAirflow.Core.Airflow;
using EcrAirflow.Core.Modes;

namespace EcrAirflow.Core.Commands
{
    /// <summary>
    /// What Sync-AirflowEcrConnection (<see cref="SyncAirflowEcrConnectionCommand"/>) does: writes one Airflow Docker
    /// connection per piped ECR credential, wherever -Mode says. The mode's parameters come from its folder
    /// (<see cref="ModeCmdletBody"/>); a piped record becomes a
    /// connection in <see cref="PipedConnection"/>; the mode's target writes. Input is collected in ProcessRecord and
    /// written in EndProcessing, so a target can write the whole batch in one call (Airflow 3 bulk, one CLI start).
    /// This class only reads the pipeline, asks ShouldProcess and turns failures into ErrorRecords.
    /// </summary>
    internal sealed class SyncAirflowEcrConnectionBody : ModeCmdletBody
    {
        private readonly SyncAirflowEcrConnectionCommand _cmdlet;
        private readonly List<DockerConnection> _batch = new List<DockerConnection>();
        private ModeBinding _binding = null!;
        private IConnectionTarget _target = null!;
        private PipedConnection _input = null!;
        private bool _sawInput;
        private BindingErrors _bindingErrors = null!;

        public SyncAirflowEcrConnectionBody(SyncAirflowEcrConnectionCommand cmdlet)
            : base(cmdlet) => _cmdlet = cmdlet;

        public override void Begin()
        {
            if (_cmdlet.SkipIfValidFor.HasValue && Duration.Check(nameof(SyncAirflowEcrConnectionCommand.SkipIfValidFor), _cmdlet.SkipIfValidFor.Value) is EcrAirflowException invalid)
            {
                Terminate(invalid);
            }

            _bindingErrors = BindingErrors.Mark(_cmdlet);

            _binding = BindMode();
            _input = new PipedConnection(_cmdlet.Force, _cmdlet.WriteWarning);
            _target = CreateTarget(_binding);
        }

        public override void Process()
        {
            _sawInput = true;
            DockerConnection connection;
            string description;
            try
            {
                connection = _input.Read(new PipedRecord
                {
                    ConnectionId = _cmdlet.ConnectionId,
                    Registry = _cmdlet.Registry,
                    UserName = _cmdlet.UserName,
                    Password = _cmdlet.Password,
                    ExpiresAt = _cmdlet.ExpiresAt,
                    Region = RegionOnCommandLine ? null : _cmdlet.Region,
                    Description = _cmdlet.Description,
                    Email = _cmdlet.Email,
                    Reauth = _cmdlet.MyInvocation.BoundParameters.ContainsKey(nameof(SyncAirflowEcrConnectionCommand.Reauth)) ? _cmdlet.Reauth.IsPresent : (bool?)null,
                    ReplaceNonDocker = _cmdlet.ReplaceNonDocker,
                });

                // An AWS-backed target resolves the connection's region and name here: a missing region or an
                // invalid secret name is this connection's error, before anything is written.
                description = $"{_binding.Mode.Writes} '{connection.ConnectionId}' (docker, host {connection.Host}, login {connection.Login}) via {_binding.Mode.Name}{_target.Describe(connection)}";
            }
            catch (EcrAirflowException ex)
            {
                _cmdlet.WriteError(ToErrorRecord(ex, ex.TargetObject ?? _cmdlet.ConnectionId));
                return;
            }

            if (_cmdlet.ShouldProcess(description, "Write " + _binding.Mode.Writes))
            {
                _batch.Add(connection);
            }
        }

        public override void End()
        {
            if (!_sawInput && _cmdlet.MyInvocation.ExpectingInput && !_bindingErrors.InputFailedToBind())
            {
                // An unattended refresh that silently writes nothing is found out only when the token expires
                // hours later: say so now (typically the command before it failed or found nothing).
                _cmdlet.WriteError(NewError(
                    "NoCredentialInput",
                    ErrorCategory.ObjectNotFound,
                    "No credential came through the pipeline, so no Airflow connection was written.",
                    "Check the command before Sync-AirflowEcrConnection (usually Get-EcrDockerCredential) for errors; it must output at least one credential.",
                    null));
                return;
            }

            if (_batch.Count == 0)
            {
                return;
            }

            SyncOutcome outcome;
            try
            {
                outcome = RunAsync((log, ct) => SkipFresh.WriteDueAsync(_target, _batch, _cmdlet.SkipIfValidFor, log, ct));
            }
            catch (EcrAirflowException ex)
            {
                Terminate(ex);
                return;
            }
            finally
            {
                _batch.Clear(); // the connections (and their passwords) are not kept past the write
            }

            foreach (var result in outcome.Written)
            {
                _cmdlet.WriteObject(WithValueIfAsked(result));
            }

            var written = outcome.Written.Count == 0
                ? "No connection was written."
                : "Written: " + string.Join(", ", outcome.Written.Select(r => r.ConnectionId)) + ".";
            foreach (var failure in outcome.Failed)
            {
                var record = ToErrorRecord(failure.Error, failure.Connection.ConnectionId);
                record.ErrorDetails = new ErrorDetails($"Connection '{failure.Connection.ConnectionId}' was not written: {failure.Error.Message} {written}")
                {
                    RecommendedAction = failure.Error.Hint,
                };
                _cmdlet.WriteError(record);
            }
        }

        /// <summary>-IncludeValue: the value written, as a Value note property (it holds the token, so only when asked).</summary>
        private static object WithValueIfAsked(AirflowConnectionSyncResult result)
        {
            if (result.Value == null)
            {
                return result;
            }

            var wrapped = PSObject.AsPSObject(result);
            wrapped.Properties.Add(new PSNoteProperty("Value", result.Value));
            return wrapped;
        }
    }
}
