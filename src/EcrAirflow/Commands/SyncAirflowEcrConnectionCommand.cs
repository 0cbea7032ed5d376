using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Security;
using EcrAirflow.Airflow;

namespace EcrAirflow.Commands
{
    /// <summary>
    /// Sync-AirflowEcrConnection: writes one Airflow Docker connection per piped ECR credential, wherever
    /// -Mode says (see <see cref="SyncModes"/>, the one declaration of what each mode accepts). Input is
    /// collected in ProcessRecord and written in EndProcessing, so a target can write the whole batch in
    /// one call (Airflow 3 bulk, one CLI start). This class only binds parameters, reads the pipeline,
    /// asks ShouldProcess and turns failures into ErrorRecords.
    /// </summary>
    [Cmdlet(VerbsData.Sync, "AirflowEcrConnection", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(AirflowConnectionSyncResult))]
    public sealed class SyncAirflowEcrConnectionCommand : AwsCmdletBase
    {
        /// <summary>A token that expires sooner than this still works, but the user should know.</summary>
        internal static readonly TimeSpan ExpiryWarning = TimeSpan.FromMinutes(30);

        private readonly List<DockerConnection> _batch = new List<DockerConnection>();
        private readonly HashSet<string> _seenIds = new HashSet<string>(StringComparer.Ordinal);
        private ModeDefinition _mode = null!;
        private IConnectionTarget? _target;
        private bool _sawInput;
        private bool _regionOnCommandLine;

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

        // ---- mode, and the switches every mode takes ----

        [Parameter]
        public SyncMode Mode { get; set; } = SyncMode.Rest;

        /// <summary>Writes a credential even when its ExpiresAt has passed.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        // ---- the AWS-backed modes: -Region and -AwsCredential here, the rest declared once in AwsCmdletBase ----

        /// <summary>
        /// -Region on the command line wins; otherwise the environment or profile, and only then the piped
        /// credential's Region, which binds here by property name.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(RegionCompleter))]
        [ValidateNotNullOrEmpty]
        public string? Region { get; set; }

        [Parameter]
        [Credential]
        [ValidateNotNull]
        public PSCredential? AwsCredential { get; set; }

        // ---- mode-specific: which mode takes which, and the defaults, are declared in SyncModes ----

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
        public AirflowApiVersion ApiVersion { get; set; }

        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; }

        [Parameter]
        [ValidateRange(0, 10)]
        public int MaximumRetryCount { get; set; }

        [Parameter]
        public SwitchParameter SkipCertificateCheck { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(ModeArgumentCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? AirflowCommand { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? WorkingDirectory { get; set; }

        [Parameter]
        public ConnectionFormat Format { get; set; }

        [Parameter]
        public VariableScope Scope { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        [Parameter]
        public CiSystem CiSystem { get; set; }

        /// <summary>Mwaa: the environment's name, checked against MWAA's rule before any call (Airflow.Mwaa.MwaaErrors).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? MwaaEnvironmentName { get; set; }

        /// <summary>Adds a Value property (plain text, it holds the token) to each result.</summary>
        [Parameter]
        public SwitchParameter IncludeValue { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(ModeArgumentCompleter))]
        [ValidateNotNull]
        public string? ConnectionsPrefix { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(ModeArgumentCompleter))]
        [ValidateNotNullOrEmpty]
        public string? Separator { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? KmsKeyId { get; set; }

        [Parameter]
        [ValidateNotNull]
        public Hashtable? Tag { get; set; }

        [Parameter]
        public ParameterTier Tier { get; set; }

        protected override PSCredential? AwsCredentialValue => AwsCredential;

        protected override string AwsCredentialParameter => "-AwsCredential";

        protected override string? AwsRegionValue => _regionOnCommandLine ? Region : null;

        protected override void BeginProcessing()
        {
            _mode = SyncModes.Get(Mode);
            _regionOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(Region));
            CheckParametersForMode();
            if (_mode.UsesAws)
            {
                CheckAwsParameters();
            }

            // Built before any input is read: a bad URL, a missing folder or credentials over clear text
            // fail at once, before a single request (a target does no I/O until WriteAsync).
            try
            {
                _target = _mode.CreateTarget(BuildOptions());
            }
            catch (EcrAirflowException ex)
            {
                ThrowTerminatingError(ToErrorRecord(ex));
            }
        }

        protected override void ProcessRecord()
        {
            _sawInput = true;
            var connection = ReadConnection();
            if (connection == null)
            {
                return;
            }

            string description;
            try
            {
                // An AWS-backed target resolves the connection's region and name here: a missing region or
                // an invalid secret name is this connection's error, before anything is written.
                description = DescribeWrite(connection);
            }
            catch (EcrAirflowException ex)
            {
                WriteError(ToErrorRecord(ex, connection.ConnectionId));
                return;
            }

            if (ShouldProcess(description, "Write " + _mode.Writes))
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
            finally
            {
                _batch.Clear(); // the connections (and their passwords) are not kept past the write
            }

            foreach (var result in outcome.Written)
            {
                WriteObject(WithValueIfAsked(result));
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

        internal static string DefaultDescription(DateTimeOffset? expiresAt) => expiresAt.HasValue
            ? $"Managed by EcrAirflow; token expires {expiresAt.Value.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC"
            : "Managed by EcrAirflow";

        /// <summary>
        /// A parameter another mode takes is an error, not silently ignored; so is a missing required one
        /// or two that exclude each other. All from the mode table, before any network call.
        /// </summary>
        private void CheckParametersForMode()
        {
            var bound = MyInvocation.BoundParameters;
            foreach (var name in bound.Keys)
            {
                if (!_mode.Accepts(name) && SyncModes.IsModeSpecific(name))
                {
                    var modes = SyncModes.Accepting(name).Select(m => m.Mode.ToString()).ToList();
                    if (modes.Count > 2)
                    {
                        modes = new List<string> { string.Join(", ", modes.Take(modes.Count - 1)), modes.Last() };
                    }

                    ThrowTerminatingError(NewError(
                        "ParameterNotValidForMode",
                        ErrorCategory.InvalidArgument,
                        $"-{name} belongs to -Mode {string.Join(" or ", modes)}, but -Mode is {Mode}.",
                        $"Add -Mode {modes[0]}, or remove -{name}.",
                        name));
                }
            }

            foreach (var parameter in _mode.Parameters.Where(p => p.Required && !bound.ContainsKey(p.Name)))
            {
                ThrowTerminatingError(NewError(
                    parameter.Name + "Required",
                    ErrorCategory.InvalidArgument,
                    $"-Mode {Mode} needs -{parameter.Name}.",
                    RequiredHint(parameter.Name),
                    null));
            }

            foreach (var conflict in _mode.Conflicts.Where(c => bound.ContainsKey(c.First) && bound.ContainsKey(c.Second)))
            {
                ThrowTerminatingError(NewError(conflict.ErrorId, ErrorCategory.InvalidArgument, conflict.Message, conflict.Hint, conflict.First));
            }
        }

        private static string RequiredHint(string parameter) => parameter switch
        {
            "AirflowUrl" => "Give the base URL of the Airflow webserver or API server, e.g. -AirflowUrl https://airflow.example.com.",
            "MwaaEnvironmentName" => "Give the name of the Amazon MWAA environment, e.g. -MwaaEnvironmentName my-airflow (aws mwaa list-environments lists them).",
            _ => $"Add -{parameter}; see Get-Help Sync-AirflowEcrConnection -Parameter {parameter}.",
        };

        /// <summary>The mode's defaults (in SyncOptions), overwritten by what the user gave.</summary>
        private SyncOptions BuildOptions()
        {
            var bound = MyInvocation.BoundParameters;
            var options = new SyncOptions(Mode)
            {
                AirflowUrl = AirflowUrl,
                UserName = AirflowCredential?.UserName,
                Password = AirflowCredential?.Password,
                AccessToken = AccessToken,
                SkipCertificateCheck = SkipCertificateCheck,
                AllowUnencryptedAuthentication = AllowUnencryptedAuthentication,
                WorkingDirectory = ResolveFileSystemPath(WorkingDirectory),
                Path = ResolveFileSystemPath(Path),
                IncludeValue = IncludeValue,
                MwaaEnvironmentName = MwaaEnvironmentName,
            };
            if (bound.ContainsKey(nameof(ApiVersion))) options.ApiVersion = ApiVersion;
            if (bound.ContainsKey(nameof(TimeoutSec))) options.Timeout = TimeSpan.FromSeconds(TimeoutSec);
            if (bound.ContainsKey(nameof(MaximumRetryCount))) options.MaximumRetryCount = MaximumRetryCount;
            if (AirflowCommand != null) options.AirflowCommand = AirflowCommand;
            if (bound.ContainsKey(nameof(Format))) options.Format = Format;
            if (bound.ContainsKey(nameof(Scope))) options.Scope = Scope;
            if (bound.ContainsKey(nameof(CiSystem))) options.CiSystem = CiSystem;
            if (_mode.Accepts(nameof(Proxy)) && !_mode.UsesAws)
            {
                options.Http = BuildHttpSettings();
            }

            if (_mode.UsesAws)
            {
                options.Aws = BuildAwsSessionRequest(options.Timeout, options.MaximumRetryCount);
                options.Http = options.Aws.Http;
                options.ConnectionsPrefix = ConnectionsPrefix?.TrimEnd('/');
                options.Separator = Separator;
                options.KmsKeyId = KmsKeyId;
                options.Tags = Tags();
                if (bound.ContainsKey(nameof(Tier))) options.Tier = Tier;
            }

            return options;
        }

        /// <summary>-Tag as key/value strings; an empty key or a key given twice is refused before any call.</summary>
        private IReadOnlyList<KeyValuePair<string, string>> Tags()
        {
            var tags = new List<KeyValuePair<string, string>>();
            if (Tag == null)
            {
                return tags;
            }

            foreach (DictionaryEntry entry in Tag)
            {
                var key = entry.Key?.ToString() ?? string.Empty;
                var value = entry.Value?.ToString() ?? string.Empty;
                if (key.Length == 0 || key.Length > 128 || value.Length > 256 || tags.Exists(t => string.Equals(t.Key, key, StringComparison.Ordinal)))
                {
                    ThrowTerminatingError(NewError("InvalidTag", ErrorCategory.InvalidArgument,
                        $"The tag '{ConnectionInput.Printable(key)}' is not valid: keys are 1 to 128 characters and unique, values at most 256.",
                        "Give -Tag as a hashtable, e.g. -Tag @{ team = 'data'; managed-by = 'ecrairflow' }.", key));
                }

                tags.Add(new KeyValuePair<string, string>(key, value));
            }

            return tags;
        }

        /// <summary>The piped record as a connection, or null (with an error written) when it cannot be one.</summary>
        private DockerConnection? ReadConnection()
        {
            var id = ConnectionId;
            if (!ConnectionInput.IsValidConnectionId(id))
            {
                WriteError(NewError(
                    "InvalidConnectionId",
                    ErrorCategory.InvalidArgument,
                    $"The connection id '{ConnectionInput.Printable(id)}' is not valid for Airflow.",
                    $"Use at most {ConnectionInput.ConnectionIdMaxLength} letters, digits, '_', '.' or '-' (Airflow's pattern ^[\\w.-]+$), with no line break or space.",
                    id));
                return null;
            }

            if (!ConnectionInput.IsValidLogin(UserName))
            {
                WriteError(NewError(
                    "InvalidUserName",
                    ErrorCategory.InvalidArgument,
                    $"The user name '{ConnectionInput.Printable(UserName)}' for connection '{id}' holds a line break or another control character.",
                    "Pipe Get-EcrDockerCredential's output (user name AWS), or give a user name without control characters.",
                    id));
                return null;
            }

            var host = ConnectionInput.RegistryHost(Registry);
            if (host == null)
            {
                WriteError(NewError(
                    "InvalidRegistry",
                    ErrorCategory.InvalidArgument,
                    $"The registry '{ConnectionInput.PrintableRegistry(Registry)}' for connection '{id}' is not a host name (optionally with :port, or a URL of one).",
                    "Pipe Get-EcrDockerCredential's output, or give the registry host, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com; a user name or password does not belong in it.",
                    id));
                return null;
            }

            if (!_seenIds.Add(id))
            {
                WriteError(NewError(
                    "DuplicateConnectionId",
                    ErrorCategory.InvalidArgument,
                    $"Two registries map to the connection id '{id}'; the second ({host}) was not written.",
                    "Give each registry its own id, e.g. -ConnectionId { \"ecr_$($_.Region)\" }.",
                    id));
                return null;
            }

            var expiresAt = ExpiresAt?.ToUniversalTime();
            if (expiresAt.HasValue && !CheckExpiry(id, host, expiresAt.Value))
            {
                return null;
            }

            var password = ReadPassword(host);
            if (password == null)
            {
                return null;
            }

            return new DockerConnection(id, host, UserName, password)
            {
                Region = _regionOnCommandLine ? null : Region,
                ExpiresAt = expiresAt,
                Email = Email,
                Reauth = MyInvocation.BoundParameters.ContainsKey(nameof(Reauth)) ? Reauth.IsPresent : (bool?)null,
                Description = Description ?? DefaultDescription(expiresAt),
            };
        }

        /// <summary>An expired token would replace a working connection with one that cannot log in: refused unless -Force.</summary>
        private bool CheckExpiry(string id, string host, DateTimeOffset expiresAt)
        {
            var left = expiresAt - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                if (Force)
                {
                    WriteWarning($"The token for {host} expired at {expiresAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC; writing connection '{id}' anyway (-Force).");
                    return true;
                }

                WriteError(NewError(
                    "CredentialExpired",
                    ErrorCategory.InvalidData,
                    $"The token for {host} expired at {expiresAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, so connection '{id}' was not written: the connection Airflow has now is kept.",
                    "Fetch a new token with Get-EcrDockerCredential -Force and pipe that; add -Force here only to write an expired token on purpose.",
                    id));
                return false;
            }

            if (left < ExpiryWarning)
            {
                WriteWarning($"The token for {host} expires in {Math.Max(1, (int)left.TotalMinutes)} minute(s) ({expiresAt.UtcDateTime:HH:mm:ss} UTC); refresh it soon with Get-EcrDockerCredential -Force.");
            }

            return true;
        }

        private SecureString? ReadPassword(string host)
        {
            var value = Password is PSObject wrapped ? wrapped.BaseObject : Password;
            SecureString? secure = value switch
            {
                SecureString s when s.Length > 0 => s,
                string plain when plain.Length > 0 => DockerConnection.Secure(plain),
                _ => null,
            };
            var hasNul = secure != null && Internal.SecureText.ContainsNul(secure);
            if (secure == null || hasNul)
            {
                WriteError(NewError(
                    "InvalidPassword",
                    ErrorCategory.InvalidArgument,
                    hasNul
                        ? $"The password for registry '{host}' contains a NUL character, which would cut it short on the way to Airflow."
                        : $"The input for registry '{host}' has no usable password (a SecureString or a non-empty string is needed).",
                    "Pipe the output of Get-EcrDockerCredential, or an object with a Password property.",
                    host));
                return null;
            }

            return secure;
        }

        private string DescribeWrite(DockerConnection c) =>
            $"{_mode.Writes} '{c.ConnectionId}' (docker, host {c.Host}, login {c.Login}) via {Mode}{_target?.Describe(c)}";

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

        /// <summary>Relative paths are relative to PowerShell's current location, not the process's.</summary>
        private string? ResolveFileSystemPath(string? path) =>
            string.IsNullOrEmpty(path) ? path : GetUnresolvedProviderPathFromPSPath(path);
    }
}
