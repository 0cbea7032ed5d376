using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Security;
using System.Text.RegularExpressions;
using EcrAirflow.Airflow;

namespace EcrAirflow.Commands
{
    /// <summary>
    /// Sync-AirflowEcrConnection: writes one Airflow Docker connection per piped ECR credential, through
    /// the REST API, the Airflow CLI or AIRFLOW_CONN_* variables. Input is collected in ProcessRecord and
    /// written in EndProcessing so a target can write the whole batch in one call (Airflow 3 bulk, one CLI
    /// start).
    /// </summary>
    [Cmdlet(VerbsData.Sync, "AirflowEcrConnection", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(AirflowConnectionSyncResult))]
    public sealed partial class SyncAirflowEcrConnectionCommand : AsyncCmdletBase
    {
        /// <summary>Airflow 3's rule for connection ids (ConnectionBody.connection_id).</summary>
        internal static readonly Regex ConnectionIdPattern = new Regex(@"^[\w.-]+$", RegexOptions.CultureInvariant);
        internal const int ConnectionIdMaxLength = 200;

        private readonly List<DockerConnection> _batch = new List<DockerConnection>();
        private readonly HashSet<string> _seenIds = new HashSet<string>(StringComparer.Ordinal);

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

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public DateTimeOffset? ExpiresAt { get; set; }

        /// <summary>Mandatory; by property name too, which is what makes -ConnectionId { ... } delay binding work.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("ConnId")]
        [ValidateNotNullOrEmpty]
        public string ConnectionId { get; set; } = "";

        // ---- what goes into the connection ----

        [Parameter]
        public string? Description { get; set; }

        [Parameter]
        public string? Email { get; set; }

        [Parameter]
        public SwitchParameter Reauth { get; set; }

        // ---- mode ----

        [Parameter]
        public SyncMode Mode { get; set; } = SyncMode.Rest;

        // ---- Rest ----

        [Parameter]
        [ValidateNotNull]
        public Uri? AirflowUrl { get; set; }

        [Parameter]
        [Credential]
        [ValidateNotNull]
        public PSCredential? AirflowCredential { get; set; }

        [Parameter]
        [ValidateNotNull]
        public SecureString? AccessToken { get; set; }

        [Parameter]
        public AirflowApiVersion ApiVersion { get; set; } = AirflowApiVersion.Auto;

        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = 30;

        [Parameter]
        [ValidateRange(0, 10)]
        public int MaximumRetryCount { get; set; } = 3;

        [Parameter]
        public SwitchParameter SkipCertificateCheck { get; set; }

        [Parameter]
        public SwitchParameter AllowUnencryptedAuthentication { get; set; }

        // ---- Cli ----

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] AirflowCommand { get; set; } = new[] { "airflow" };

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? WorkingDirectory { get; set; }

        // ---- EnvironmentVariable ----

        [Parameter]
        public ConnectionFormat Format { get; set; } = ConnectionFormat.Uri;

        [Parameter]
        public VariableScope Scope { get; set; } = VariableScope.Process;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        [Parameter]
        public CiSystem CiSystem { get; set; } = CiSystem.Auto;

        private IConnectionTarget? _target;
        private bool _sawInput;

        protected override void BeginProcessing()
        {
            ValidateModeParameters();
            ValidateCliAndEnvironmentParameters();

            // Built before any input is read: a bad URL or credentials over clear text fail at once,
            // before a single request (the target does no I/O until WriteAsync).
            try
            {
                _target = ConnectionTargetFactory.Create(BuildOptions());
            }
            catch (EcrAirflowException ex)
            {
                ThrowTerminatingError(ToErrorRecord(ex));
            }
        }

        protected override void ProcessRecord()
        {
            _sawInput = true;
            var id = ConnectionId;
            if (id.Length > ConnectionIdMaxLength || !ConnectionIdPattern.IsMatch(id))
            {
                WriteError(NewError(
                    "InvalidConnectionId",
                    ErrorCategory.InvalidArgument,
                    $"The connection id '{id}' is not valid for Airflow.",
                    $"Use at most {ConnectionIdMaxLength} letters, digits, '_', '.' or '-' (Airflow's pattern ^[\\w.-]+$).",
                    id));
                return;
            }

            if (!_seenIds.Add(id))
            {
                WriteError(NewError(
                    "DuplicateConnectionId",
                    ErrorCategory.InvalidArgument,
                    $"Two registries map to the connection id '{id}'; the second ({Registry}) was not written.",
                    "Give each registry its own id, e.g. -ConnectionId { \"ecr_$($_.Region)\" }.",
                    id));
                return;
            }

            var password = ReadPassword();
            if (password == null)
            {
                return;
            }

            var host = RegistryHost(Registry);
            var connection = new DockerConnection(id, host, UserName, password)
            {
                Registry = host,
                ExpiresAt = ExpiresAt?.ToUniversalTime(),
                Email = Email,
                Reauth = MyInvocation.BoundParameters.ContainsKey(nameof(Reauth)) ? Reauth.IsPresent : (bool?)null,
            };
            connection.Description = Description ?? DefaultDescription(connection.ExpiresAt);

            if (ShouldProcess(DescribeWrite(connection), "Write Airflow connection"))
            {
                _batch.Add(connection);
            }
        }

        protected override void EndProcessing()
        {
            if (!_sawInput && MyInvocation.ExpectingInput)
            {
                // An unattended refresh that silently writes nothing is found out only when the token
                // expires hours later: say so now (typically the command before it failed or found nothing).
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

            var target = _target!;
            SyncOutcome outcome;
            try
            {
                outcome = RunAsync((log, ct) => target.WriteAsync(_batch, log, ct));
            }
            catch (EcrAirflowException ex)
            {
                ThrowTerminatingError(ToErrorRecord(ex));
                return;
            }

            foreach (var result in outcome.Written)
            {
                WriteObject(WithValueIfAsked(result, target));
            }

            if (outcome.Failed.Count > 0)
            {
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
        }

        /// <summary>Host of a registry given as a host, a host:port or a URL (ProxyEndpoint).</summary>
        internal static string RegistryHost(string registry)
        {
            var value = registry.Trim();
            var scheme = value.IndexOf("://", StringComparison.Ordinal);
            if (scheme >= 0)
            {
                value = value.Substring(scheme + 3);
            }

            var slash = value.IndexOf('/');
            if (slash >= 0)
            {
                value = value.Substring(0, slash);
            }

            return value;
        }

        internal static string DefaultDescription(DateTimeOffset? expiresAt) => expiresAt.HasValue
            ? $"Managed by EcrAirflow; token expires {expiresAt.Value.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC"
            : "Managed by EcrAirflow";

        private string? ReadPassword()
        {
            var value = Password is PSObject wrapped ? wrapped.BaseObject : Password;
            switch (value)
            {
                case SecureString secure:
                    return new NetworkCredential(string.Empty, secure).Password;
                case string plain when plain.Length > 0:
                    return plain;
                default:
                    WriteError(NewError(
                        "InvalidPassword",
                        ErrorCategory.InvalidArgument,
                        $"The input for registry '{Registry}' has no usable password (a SecureString or a non-empty string is needed).",
                        "Pipe the output of Get-EcrDockerCredential, or an object with a Password property.",
                        Registry));
                    return null;
            }
        }

        private string DescribeWrite(DockerConnection c) =>
            $"Airflow connection '{c.ConnectionId}' (docker, host {c.Host}, login {c.Login}) via {Mode}" +
            (Mode == SyncMode.Rest ? (_target != null ? $" at {_target.Target}" : string.Empty) : DescribeCliOrEnvironmentTarget(c));

        private SyncOptions BuildOptions() => new SyncOptions
        {
            Mode = Mode,
            AirflowUrl = AirflowUrl,
            UserName = AirflowCredential?.UserName,
            Password = AirflowCredential?.GetNetworkCredential().Password,
            AccessToken = AccessToken == null ? null : new NetworkCredential(string.Empty, AccessToken).Password,
            ApiVersion = ApiVersion,
            // Rest: per HTTP attempt (default 30 s). Cli: the whole CLI run (default 300 s: a CLI in a container
            // can take long to start, and a hung 'docker exec' must not block a scheduled job forever).
            Timeout = TimeSpan.FromSeconds(MyInvocation.BoundParameters.ContainsKey(nameof(TimeoutSec)) || Mode != SyncMode.Cli ? TimeoutSec : 300),
            MaximumRetryCount = MaximumRetryCount,
            SkipCertificateCheck = SkipCertificateCheck,
            AllowUnencryptedAuthentication = AllowUnencryptedAuthentication,
            AirflowCommand = AirflowCommand,
            WorkingDirectory = ResolveFileSystemPath(WorkingDirectory),
            Format = Format,
            Scope = Scope,
            Path = ResolveFileSystemPath(Path),
            CiSystem = CiSystem,
        };

        /// <summary>Parameters that belong to another mode are an error, not silently ignored.</summary>
        private void ValidateModeParameters()
        {
            var bound = MyInvocation.BoundParameters;
            var perMode = new Dictionary<SyncMode, string[]>
            {
                [SyncMode.Rest] = new[] { nameof(AirflowUrl), nameof(AirflowCredential), nameof(AccessToken), nameof(ApiVersion), nameof(MaximumRetryCount), nameof(SkipCertificateCheck), nameof(AllowUnencryptedAuthentication) },
                [SyncMode.Cli] = new[] { nameof(AirflowCommand), nameof(WorkingDirectory) },
                [SyncMode.EnvironmentVariable] = new[] { nameof(Format), nameof(Scope), nameof(Path), nameof(CiSystem) },
            };
            foreach (var pair in perMode)
            {
                if (pair.Key == Mode)
                {
                    continue;
                }

                foreach (var name in pair.Value)
                {
                    if (bound.ContainsKey(name))
                    {
                        ThrowTerminatingError(NewError(
                            "ParameterNotValidForMode",
                            ErrorCategory.InvalidArgument,
                            $"-{name} belongs to -Mode {pair.Key}, but -Mode is {Mode}.",
                            $"Add -Mode {pair.Key}, or remove -{name}.",
                            name));
                    }
                }
            }

            if (Mode == SyncMode.EnvironmentVariable && bound.ContainsKey(nameof(TimeoutSec)))
            {
                ThrowTerminatingError(NewError(
                    "ParameterNotValidForMode",
                    ErrorCategory.InvalidArgument,
                    $"-{nameof(TimeoutSec)} belongs to -Mode Rest or Cli, but -Mode is {Mode}.",
                    $"Remove -{nameof(TimeoutSec)}.",
                    nameof(TimeoutSec)));
            }

            if (Mode == SyncMode.Rest)
            {
                if (AirflowUrl == null)
                {
                    ThrowTerminatingError(NewError("AirflowUrlRequired", ErrorCategory.InvalidArgument,
                        "-Mode Rest needs -AirflowUrl.", "Give the base URL of the Airflow webserver or API server, e.g. -AirflowUrl https://airflow.example.com.", null));
                }

                if (AirflowCredential != null && AccessToken != null)
                {
                    ThrowTerminatingError(NewError("CredentialAndAccessToken", ErrorCategory.InvalidArgument,
                        "-AirflowCredential and -AccessToken cannot be used together.", "Use one way to authenticate.", null));
                }
            }
        }
    }
}
