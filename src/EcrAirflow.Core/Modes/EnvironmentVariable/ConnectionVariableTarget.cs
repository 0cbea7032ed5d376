using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Core.Airflow;
using EcrAirflow.Core.Internal;
using EcrAirflow.Core.Internal.Files;

namespace EcrAirflow.Core.Modes.EnvironmentVariable
{
    /// <summary>
    /// Writes each connection as an AIRFLOW_CONN_&lt;ID&gt; variable: into a scope (this process, or the
    /// Windows user/machine environment) or a dotenv file, and in addition, when a CI system is in
    /// use, as that system's secret for the job's later steps. It reads the variable first (the dotenv file once for
    /// every id) and writes the stored value merged (<see cref="ConnectionMerge.Value"/>): host, login, password and
    /// the description's expiry note are the refresh's, everything else stays, in the value's own form unless -Format
    /// was typed. A variable that holds something other than a Docker connection is left alone unless -ReplaceNonDocker.
    /// </summary>
    /// <remarks>
    /// How the targets combine: -Path replaces -Scope (the file is the target; the cmdlet refuses both
    /// together); CI output is always in addition to the scope or file, and comes first with the masks,
    /// so the CI log hides the token before any later step could print it. -CiSystem None turns it off.
    /// </remarks>
    internal sealed class ConnectionVariableTarget : IConnectionTarget
    {
        public const string Prefix = "AIRFLOW_CONN_";

        private readonly EnvironmentVariableParameters _options;
        private readonly TextWriter _console;
        private readonly Func<string, string?> _readVariable;
        private readonly CiSystem _ci;
        private readonly string? _path;
        private readonly IVariableStore _store;

        /// <param name="store">Where -Scope variables are read and written (tests drive the Windows User/Machine path with a fake).</param>
        /// <param name="isWindows">Whether this system has User and Machine variables.</param>
        public ConnectionVariableTarget(EnvironmentVariableParameters options, TextWriter? console = null, Func<string, string?>? readVariable = null, IVariableStore? store = null, Func<bool>? isWindows = null)
        {
            _options = options;
            _console = console ?? Console.Out;
            _readVariable = readVariable ?? System.Environment.GetEnvironmentVariable;
            _store = store ?? SystemVariableStore.Instance;
            CheckScope(options.Scope, isWindows ?? (() => OwnerOnlyFile.IsWindows));
            _path = string.IsNullOrEmpty(options.Path) ? null : Path.GetFullPath(options.Path!);
            _ci = ResolveCi(options.CiSystem, _readVariable);
            var place = _path ?? options.Scope.ToString();
            Target = _ci == CiSystem.None ? place : place + " + " + _ci;
        }

        public string Mode => "EnvironmentVariable";

        public string Target { get; }

        /// <summary>The CI system that gets the variables too (None when there is none).</summary>
        public CiSystem Ci => _ci;

        public string Describe(DockerConnection connection)
        {
            var place = _path != null ? $"file {_path}" : $"{_options.Scope} scope";
            // Without -Format a stored value keeps its own form: only a new one is known to be this format.
            var form = _options.WasGiven(nameof(EnvironmentVariableParameters.Format)) ? _options.Format.ToString() : $"its own form, {_options.Format} when new";
            return $": {VariableName(connection.ConnectionId)} ({form}) in {place}" + (_ci == CiSystem.None ? string.Empty : $" and {_ci}");
        }

        /// <summary>
        /// AIRFLOW_CONN_ + the id upper-cased, as Airflow looks it up (Python's str.upper). For ASCII that is
        /// what ToUpperInvariant gives; beyond ASCII Python's full case mapping differs from .NET's (ß → SS,
        /// ligatures expanded), so such an id is refused rather than written under a name Airflow never reads.
        /// </summary>
        public static string VariableName(string connectionId)
        {
            foreach (var c in connectionId)
            {
                if (c > '\u007F')
                {
                    throw new EcrAirflowException(
                        "VariableNameNotAscii",
                        FailureKind.InvalidArgument,
                        $"The connection id '{ConnectionInput.Printable(connectionId)}' has characters outside ASCII. Airflow reads AIRFLOW_CONN_ plus the id upper-cased by Python, whose rules for such letters (ß becomes SS, ligatures are expanded) differ from .NET's, so Airflow might never find the variable.",
                        "Use an id of ASCII letters, digits, '_', '.' and '-' for -Mode EnvironmentVariable.")
                    { TargetObject = connectionId };
                }
            }

            return Prefix + connectionId.ToUpperInvariant();
        }

        /// <summary>User and Machine variables exist only on Windows (.NET ignores them elsewhere, silently).</summary>
        public static void CheckScope(VariableScope scope) => CheckScope(scope, () => OwnerOnlyFile.IsWindows);

        /// <summary><see cref="CheckScope(VariableScope)"/> with the platform question asked of <paramref name="isWindows"/>.</summary>
        public static void CheckScope(VariableScope scope, Func<bool> isWindows)
        {
            if (scope != VariableScope.Process && !isWindows())
            {
                throw new EcrAirflowException(
                    "ScopeNotSupportedOnPlatform",
                    FailureKind.InvalidArgument,
                    $"-Scope {scope} exists only on Windows; on this system environment variables live in processes only.",
                    "Use -Scope Process for this session and the processes it starts, or -Path to write a dotenv file (docker compose .env, a systemd EnvironmentFile) that outlives it.")
                { TargetObject = scope.ToString() };
            }
        }

        /// <summary>Auto picks GitHub Actions when GITHUB_ENV is set, Azure Pipelines when TF_BUILD is.</summary>
        public static CiSystem ResolveCi(CiSystem requested, Func<string, string?> readVariable)
        {
            var githubEnv = readVariable("GITHUB_ENV");
            switch (requested)
            {
                case CiSystem.Auto:
                    if (!string.IsNullOrEmpty(githubEnv))
                    {
                        return CiSystem.GitHubActions;
                    }

                    return string.IsNullOrEmpty(readVariable("TF_BUILD")) ? CiSystem.None : CiSystem.AzurePipelines;
                case CiSystem.GitHubActions when string.IsNullOrEmpty(githubEnv):
                    throw new EcrAirflowException(
                        "GitHubEnvNotSet",
                        FailureKind.InvalidOperation,
                        "-CiSystem GitHubActions needs the GITHUB_ENV variable, which the Actions runner sets for every step, but it is not set.",
                        "Run this in a GitHub Actions step, or use -CiSystem Auto / None.");
                default:
                    return requested;
            }
        }

        /// <summary>
        /// Reads the target's own variables: AIRFLOW_CONN_&lt;ID&gt; in the scope, or in the dotenv file with -Path (one
        /// read for every id). The CI system's copy (GitHub Actions' $GITHUB_ENV, an Azure Pipelines variable) is
        /// for the job's later steps and cannot be read back here.
        /// </summary>
        public Task<ReadOutcome> ReadAsync(IReadOnlyList<ConnectionRef> connections, IOperationLog log, CancellationToken cancellationToken) =>
            Task.FromResult(Read(connections, log, forEdit: false, cancellationToken));

        /// <param name="forEdit">A refresh's read: the dotenv file must also be one the write may edit (else its error now).</param>
        private ReadOutcome Read(IReadOnlyList<ConnectionRef> connections, IOperationLog log, bool forEdit, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var outcome = new ReadOutcome();
            Dictionary<string, string>? file = null;
            if (_path != null)
            {
                try
                {
                    file = DotEnvFile.Read(_path, forEdit) ?? new Dictionary<string, string>(StringComparer.Ordinal);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    throw EnvironmentVariableErrors.DotEnvReadFailed(_path, ex);
                }

                log.Verbose($"Read '{_path}' ({file.Count} variable(s)).");
            }

            foreach (var connection in connections)
            {
                string name;
                try
                {
                    name = VariableName(connection.ConnectionId);
                }
                catch (EcrAirflowException ex)
                {
                    outcome.Failed.Add(new ReadFailure(connection.ConnectionId, ex));
                    continue;
                }

                var location = _path != null ? $"{name} in {_path}" : $"{name} ({_options.Scope} scope)";
                string? value;
                try
                {
                    value = file != null ? (file.TryGetValue(name, out var v) ? v : null) : _store.Get(name, _options.Scope);
                }
                catch (Exception ex) when (ex is SecurityException || ex is UnauthorizedAccessException)
                {
                    outcome.Failed.Add(new ReadFailure(connection.ConnectionId, EnvironmentVariableErrors.ScopeAccessDenied(name, _options.Scope, ex)));
                    continue;
                }

                // An empty variable is no connection (what PowerShell leaves after $env:X = '').
                outcome.Found.Add(string.IsNullOrEmpty(value)
                    ? StoredConnection.Missing(connection.ConnectionId, location)
                    : ConnectionDocument.Parse(connection.ConnectionId, value!, location));
            }

            return outcome;
        }

        public Task<SyncOutcome> WriteAsync(IReadOnlyList<DockerConnection> connections, IOperationLog log, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var outcome = new SyncOutcome();
            var items = new List<Item>();
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var c in connections)
            {
                var name = VariableName(c.ConnectionId);
                if (names.TryGetValue(name, out var first))
                {
                    // "ecr" and "ECR" are different connection ids but one variable: the second would overwrite the first.
                    outcome.Failed.Add(new ConnectionFailure(c, new EcrAirflowException(
                        "DuplicateConnectionId",
                        FailureKind.InvalidArgument,
                        $"The connection ids '{first}' and '{c.ConnectionId}' are both the variable {name} (Airflow upper-cases the id); '{c.ConnectionId}' was not written.",
                        "Give each registry an id that differs in more than letter case.")
                    { TargetObject = c.ConnectionId }));
                    continue;
                }

                names[name] = c.ConnectionId;
                items.Add(new Item(c, name));
            }

            // What each variable holds now; the value written is that merged with what the refresh owns.
            var read = Read(items.Select(i => ConnectionRef.Of(i.Connection)).ToList(), log, forEdit: true, cancellationToken);
            var formatGiven = _options.WasGiven(nameof(EnvironmentVariableParameters.Format));
            foreach (var item in items.ToList())
            {
                var failure = read.Failed.FirstOrDefault(f => f.ConnectionId == item.Connection.ConnectionId);
                var stored = read.Found.FirstOrDefault(f => f.ConnectionId == item.Connection.ConnectionId);
                var refusal = failure?.Error ?? (stored != null && !stored.MayBeReplacedBy(item.Connection) ? ModeErrors.NotDocker(stored) : null);
                if (refusal != null)
                {
                    outcome.Failed.Add(new ConnectionFailure(item.Connection, refusal));
                    items.Remove(item);
                    continue;
                }

                item.Value = ConnectionMerge.Value(stored, item.Connection, _options.Format, formatGiven, includeDescription: true);
            }

            // Everything that could refuse a value is checked before anything is written.
            foreach (var item in items)
            {
                if (_path != null)
                {
                    DotEnvSyntax.Quote(item.Name, item.Value);
                }

                if (_ci == CiSystem.AzurePipelines && !(AzurePipelinesCommands.CanCarry(item.Value) && SecretForms(item).All(AzurePipelinesCommands.CanCarry)))
                {
                    throw new EcrAirflowException(
                        "AzurePipelinesValueNotRepresentable",
                        FailureKind.InvalidData,
                        $"The value of {item.Name} holds a sequence (%0D, %0A, %3B, %5D or %AZP25) that the Azure Pipelines agent would decode, so the variable would arrive changed. Nothing was written.",
                        "Use the other -Format, or -CiSystem None and pass the value another way.")
                    { TargetObject = item.Name };
                }
            }

            // $GITHUB_ENV is checked before anything is written, like the values above.
            var githubEnv = _ci == CiSystem.GitHubActions ? GitHubActionsCommands.CheckEnvFile(_readVariable("GITHUB_ENV")!) : null;

            Mask(items);
            WriteTarget(items, log);
            WriteCi(items, githubEnv, log);

            foreach (var item in items)
            {
                if (item.Failure != null)
                {
                    outcome.Failed.Add(new ConnectionFailure(item.Connection, item.Failure));
                    continue;
                }

                outcome.Written.Add(new AirflowConnectionSyncResult
                {
                    ConnectionId = item.Connection.ConnectionId,
                    Mode = Mode,
                    Target = Target,
                    Action = item.Action,
                    Registry = item.Connection.Host,
                    ExpiresAt = item.Connection.ExpiresAt,
                    VariableName = item.Name,
                    Value = _options.IncludeValue ? item.Value : null,
                });
            }

            return Task.FromResult(outcome);
        }

        /// <summary>
        /// Registers the token with the CI system's log masking before the value goes anywhere: the raw
        /// token and each other form it takes inside the value (percent-encoded in a URI, escaped in JSON).
        /// </summary>
        private void Mask(List<Item> items)
        {
            if (_ci == CiSystem.None)
            {
                return;
            }

            var secrets = new List<string>();
            foreach (var item in items)
            {
                foreach (var form in SecretForms(item))
                {
                    if (!secrets.Contains(form, StringComparer.Ordinal))
                    {
                        secrets.Add(form);
                    }
                }
            }

            foreach (var secret in secrets)
            {
                _console.WriteLine(_ci == CiSystem.GitHubActions ? GitHubActionsCommands.AddMask(secret) : AzurePipelinesCommands.SetSecret(secret));
            }

            _console.Flush();
        }

        private void WriteTarget(List<Item> items, IOperationLog log)
        {
            if (_path != null)
            {
                IDictionary<string, SyncAction> actions;
                try
                {
                    actions = DotEnvFile.Update(_path, items.Select(i => new KeyValuePair<string, string>(i.Name, i.Value)).ToList(), log);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    throw new EcrAirflowException("DotEnvWriteFailed", FailureKind.WriteError,
                        $"The dotenv file '{_path}' could not be written: {ex.Message} Nothing was written.",
                        "Check that this user can write the file and create files in its folder (the file is replaced by rename).", ex)
                    { TargetObject = _path };
                }

                foreach (var item in items)
                {
                    item.Action = actions[item.Name];
                }

                log.Verbose($"Wrote {string.Join(", ", items.Select(i => i.Name))} to '{_path}'.");
                return;
            }

            var scope = _options.Scope;
            foreach (var item in items)
            {
                try
                {
                    var before = _store.Get(item.Name, scope);
                    // An empty variable is no connection (and what PowerShell leaves after $env:X = '').
                    item.Action = string.IsNullOrEmpty(before) ? SyncAction.Created : before == item.Value ? SyncAction.Unchanged : SyncAction.Updated;
                    if (item.Action == SyncAction.Unchanged)
                    {
                        continue;
                    }

                    _store.Set(item.Name, item.Value, scope);

                    log.Verbose($"Set {item.Name} in the {scope} environment ({item.Action}).");
                }
                catch (Exception ex) when (ex is SecurityException || ex is UnauthorizedAccessException)
                {
                    item.Failure = EnvironmentVariableErrors.ScopeAccessDenied(item.Name, scope, ex);
                }
            }
        }

        private void WriteCi(List<Item> items, string? githubEnv, IOperationLog log)
        {
            var ready = items.Where(i => i.Failure == null).ToList();
            if (_ci == CiSystem.None || ready.Count == 0)
            {
                return;
            }

            if (_ci == CiSystem.AzurePipelines)
            {
                foreach (var item in ready)
                {
                    _console.WriteLine(AzurePipelinesCommands.SetVariable(item.Name, item.Value));
                }

                _console.Flush();
                log.Verbose($"Set {string.Join(", ", ready.Select(i => i.Name))} as secret Azure Pipelines variables for the job's later steps.");
                return;
            }

            var file = githubEnv ?? _readVariable("GITHUB_ENV")!;
            var text = string.Concat(ready.Select(i =>
            {
                string delimiter;
                do
                {
                    delimiter = GitHubActionsCommands.NewDelimiter();
                }
                while (i.Value.IndexOf(delimiter, StringComparison.Ordinal) >= 0);
                return GitHubActionsCommands.EnvFileEntry(i.Name, i.Value, delimiter);
            }));
            try
            {
                GitHubActionsCommands.AppendToEnvFile(file, text);
                log.Verbose($"Appended {string.Join(", ", ready.Select(i => i.Name))} to $GITHUB_ENV for the job's later steps.");
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                var error = new EcrAirflowException("GitHubEnvWriteFailed", FailureKind.WriteError,
                    $"The GitHub Actions environment file '{file}' could not be written: {ex.Message} The variable was written to {(_path ?? _options.Scope.ToString())} only.",
                    "Check the GITHUB_ENV variable; the runner sets it to a writable file for each step.", ex)
                { TargetObject = file };
                foreach (var item in ready)
                {
                    item.Failure = error;
                }
            }
        }

        /// <summary>The raw token first, then each other spelling of it (<see cref="SecretForms"/>) that occurs in the value.</summary>
        private static IEnumerable<string> SecretForms(Item item)
        {
            var forms = Internal.Secrets.SecretForms.Of(item.Connection.RevealPassword());
            for (var i = 0; i < forms.Count; i++)
            {
                if (i == 0 || item.Value.IndexOf(forms[i], StringComparison.Ordinal) >= 0)
                {
                    yield return forms[i];
                }
            }
        }

        private sealed record Item(DockerConnection Connection, string Name)
        {
            /// <summary>The value to write (it holds the token).</summary>
            public string Value { get; set; } = string.Empty;

            public SyncAction Action { get; set; }

            public EcrAirflowException? Failure { get; set; }

            public override string ToString() => Name;
        }
    }
}
