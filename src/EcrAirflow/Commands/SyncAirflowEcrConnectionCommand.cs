using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using EcrAirflow.Airflow;
using EcrAirflow.Modes;

namespace EcrAirflow.Commands
{
    /// <summary>
    /// Sync-AirflowEcrConnection: writes one Airflow Docker connection per piped ECR credential, wherever -Mode
    /// says. The mode's parameters come from its folder (<see cref="ModeCmdletBase"/>); a piped record becomes a
    /// connection in <see cref="PipedConnection"/>; the mode's target writes. Input is collected in ProcessRecord and
    /// written in EndProcessing, so a target can write the whole batch in one call (Airflow 3 bulk, one CLI start).
    /// This class only reads the pipeline, asks ShouldProcess and turns failures into ErrorRecords.
    /// </summary>
    [Cmdlet(VerbsData.Sync, "AirflowEcrConnection", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(AirflowConnectionSyncResult))]
    public sealed class SyncAirflowEcrConnectionCommand : ModeCmdletBase
    {
        private readonly List<DockerConnection> _batch = new List<DockerConnection>();
        private ModeBinding _binding = null!;
        private IConnectionTarget _target = null!;
        private PipedConnection _input = null!;
        private bool _sawInput;
        private BindingErrors _bindingErrors = null!;

        // ---- pipeline input (binds from EcrDockerCredential and from Get-ECRLoginCommand's output) ----

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ProxyEndpoint", "Endpoint")]
        [ValidateNotNullOrEmpty]
        public string Registry { get; set; } = "";

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Login")]
        [ValidateNotNullOrEmpty]
        public string UserName { get; set; } = "";

        /// <summary>SecureString or string; anything else is refused.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNull]
        public object Password { get; set; } = null!;

        /// <summary>Any form an expiry arrives in (ExpiryInput): a time, a deserialized one, ISO text, epoch seconds or ms.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public object? ExpiresAt { get; set; }

        /// <summary>Mandatory; by property name too, which is what makes -ConnectionId { ... } delay binding work.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("ConnId")]
        [ValidateNotNullOrEmpty]
        public string ConnectionId { get; set; } = "";

        // ---- what goes into the connection, and the switch every mode takes ----

        [Parameter]
        public string? Description { get; set; }

        [Parameter]
        public string? Email { get; set; }

        [Parameter]
        public SwitchParameter Reauth { get; set; }

        /// <summary>Writes a credential even when its ExpiresAt has passed.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Replaces a value at the name that is not a Docker connection (without it, that is an error).</summary>
        [Parameter]
        public SwitchParameter ReplaceNonDocker { get; set; }

        /// <summary>Writes only the connections whose stored token is not for this registry and login, or expires sooner than this.</summary>
        [Parameter]
        [DurationTransformation]
        public TimeSpan? SkipIfValidFor { get; set; }

        protected override void BeginProcessing()
        {
            if (SkipIfValidFor.HasValue && Duration.Check(nameof(SkipIfValidFor), SkipIfValidFor.Value) is EcrAirflowException invalid)
            {
                ThrowTerminatingError(ToErrorRecord(invalid));
            }

            _bindingErrors = BindingErrors.Mark(this);

            _binding = BindMode();
            _input = new PipedConnection(Force, WriteWarning);

            // Built before any input is read: a bad URL, a missing folder or credentials over clear text fail
            // at once, before a single request (a target does no I/O until WriteAsync).
            try
            {
                _target = _binding.CreateTarget();
            }
            catch (EcrAirflowException ex)
            {
                ThrowTerminatingError(ToErrorRecord(ex));
            }
        }

        protected override void ProcessRecord()
        {
            _sawInput = true;
            DockerConnection connection;
            string description;
            try
            {
                connection = _input.Read(new PipedRecord
                {
                    ConnectionId = ConnectionId,
                    Registry = Registry,
                    UserName = UserName,
                    Password = Password,
                    ExpiresAt = ExpiresAt,
                    Region = RegionOnCommandLine ? null : Region,
                    Description = Description,
                    Email = Email,
                    Reauth = MyInvocation.BoundParameters.ContainsKey(nameof(Reauth)) ? Reauth.IsPresent : (bool?)null,
                    ReplaceNonDocker = ReplaceNonDocker,
                });

                // An AWS-backed target resolves the connection's region and name here: a missing region or an
                // invalid secret name is this connection's error, before anything is written.
                description = $"{_binding.Mode.Writes} '{connection.ConnectionId}' (docker, host {connection.Host}, login {connection.Login}) via {_binding.Mode.Name}{_target.Describe(connection)}";
            }
            catch (EcrAirflowException ex)
            {
                WriteError(ToErrorRecord(ex, ex.TargetObject ?? ConnectionId));
                return;
            }

            if (ShouldProcess(description, "Write " + _binding.Mode.Writes))
            {
                _batch.Add(connection);
            }
        }

        protected override void EndProcessing()
        {
            if (!_sawInput && MyInvocation.ExpectingInput && !_bindingErrors.InputFailedToBind())
            {
                // An unattended refresh that silently writes nothing is found out only when the token expires
                // hours later: say so now (typically the command before it failed or found nothing).
                WriteError(NewError(
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
                outcome = RunAsync((log, ct) => SkipFresh.WriteDueAsync(_target, _batch, SkipIfValidFor, log, ct));
            }
            catch (EcrAirflowException ex)
            {
                ThrowTerminatingError(ToErrorRecord(ex));
                return;
            }
            finally
            {
                _batch.Clear(); // the connections (and their passwords) are not kept past the write
            }

            foreach (var result in outcome.Written)
            {
                WriteObject(WithValueIfAsked(result));
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
                WriteError(record);
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
