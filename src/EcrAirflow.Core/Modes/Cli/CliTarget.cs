using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Core.Airflow;
using EcrAirflow.Core.Internal;
using EcrAirflow.Core.Internal.Files;
using EcrAirflow.Core.Internal.Files.Native;
using EcrAirflow.Core.Internal.Secrets;

namespace EcrAirflow.Core.Modes.Cli
{
    /// <summary>
    /// Reads each connection with `&lt;prefix&gt; connections get ID --output json`, then writes the whole batch with one
    /// `&lt;prefix&gt; connections import FILE --overwrite` (Airflow ≥ 2.6): an upsert, so there is no moment without the
    /// connection, instead of a delete and an add per connection. The import replaces the whole connection, so each
    /// entity in the file is complete: what the refresh owns (host, login, password, the description's expiry note)
    /// over what the connection had (port, schema, extra keys, the user's description). A refresh of N connections is
    /// N + 1 CLI starts. The tokens travel in an owner-only JSON file, never on a command line; the file is deleted
    /// whatever happens, Ctrl+C, SIGTERM, SIGHUP and a closed console included.
    /// </summary>
    internal sealed class CliTarget : IConnectionTarget
    {
        private readonly IReadOnlyList<string> _prefix;
        private readonly string _directory;
        private readonly TimeSpan _timeout;
        private readonly TestSeams _seams;

        public CliTarget(CliParameters parameters, ModeContext context)
        {
            if (parameters.AirflowCommand == null || parameters.AirflowCommand.Length == 0 || parameters.AirflowCommand.Any(string.IsNullOrEmpty))
            {
                throw CliErrors.CommandEmpty();
            }

            _prefix = parameters.AirflowCommand;
            _timeout = TimeSpan.FromSeconds(parameters.TimeoutSec);
            _seams = context.Seams;
            _directory = Path.GetFullPath(string.IsNullOrEmpty(parameters.WorkingDirectory) ? Path.GetTempPath() : parameters.WorkingDirectory!);
            CheckDirectory();
            Target = CliCommandLine.Display(_prefix);
        }

        public string Mode => "Cli";

        public string Target { get; }

        public string Describe(DockerConnection connection) => $": {Target} connections import <file> --overwrite";

        public async Task<SyncOutcome> WriteAsync(IReadOnlyList<DockerConnection> connections, IOperationLog log, CancellationToken cancellationToken)
        {
            var outcome = new SyncOutcome();
            if (connections.Count == 0)
            {
                return outcome;
            }

            CheckDirectory();

            // What each connection is now: the import replaces it whole, so what the refresh does not own comes from here.
            var found = new Dictionary<string, CliStoredConnection>(StringComparer.Ordinal);
            var read = await OneByOne.ReadAsync(connections.Select(ConnectionRef.Of).ToList(), ReadActivity,
                async c => (found[c.ConnectionId] = await ReadOneAsync(c.ConnectionId, log, cancellationToken).ConfigureAwait(false)).Stored,
                log, cancellationToken).ConfigureAwait(false);
            var kept = new Dictionary<string, StoredConnection>(StringComparer.Ordinal);
            var inDatabase = new HashSet<string>(StringComparer.Ordinal);
            var toImport = new List<DockerConnection>();
            foreach (var connection in connections)
            {
                var failure = read.Failed.FirstOrDefault(f => f.ConnectionId == connection.ConnectionId);
                if (failure != null)
                {
                    outcome.Failed.Add(new ConnectionFailure(connection, failure.Error));
                    continue;
                }

                var stored = found[connection.ConnectionId];
                if (!stored.Stored.MayBeReplacedBy(connection))
                {
                    outcome.Failed.Add(new ConnectionFailure(connection, ModeErrors.NotDocker(stored.Stored)));
                    continue;
                }

                if (stored.Stored.Kind != StoredKind.Missing && !stored.InDatabase)
                {
                    log.Warning($"Airflow finds connection '{connection.ConnectionId}' outside its database (in its secrets backend or AIRFLOW_CONN_{connection.ConnectionId.ToUpperInvariant()}), which it reads first: the import writes the database, so Airflow keeps using the other definition until it is removed.");
                }

                if (stored.Stored.Kind == StoredKind.Docker)
                {
                    kept[connection.ConnectionId] = stored.Stored;
                }

                if (stored.Stored.Kind != StoredKind.Missing && stored.InDatabase)
                {
                    inDatabase.Add(connection.ConnectionId);
                }

                toImport.Add(connection);
            }

            if (toImport.Count == 0)
            {
                return outcome;
            }

            await ImportAsync(toImport, kept, inDatabase, outcome, log, cancellationToken).ConfigureAwait(false);
            return outcome;
        }

        private const string ReadActivity = "Reading Airflow connections (airflow connections get)";

        /// <summary>One import of the complete, merged entities; its results go into <paramref name="outcome"/>.</summary>
        private async Task ImportAsync(IReadOnlyList<DockerConnection> connections, IReadOnlyDictionary<string, StoredConnection> kept, ISet<string> inDatabase, SyncOutcome outcome, IOperationLog log, CancellationToken cancellationToken)
        {
            var redactor = new SecretRedactor();
            foreach (var connection in connections)
            {
                redactor.AddPair(connection.Login, connection.RevealPassword());
            }

            var file = Path.Combine(_directory, "ecrairflow-" + RandomName() + ".json");
            var argv = _prefix.Concat(new[] { "connections", "import", file, "--overwrite" }).ToList();
            CliRunResult run;
            var created = false;
            UnixFileStatus? written = null;
            var replaced = false;

            // SIGTERM, SIGHUP or a closed console while the file exists: the same cleanup as Ctrl+C.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var guard = TerminationGuard.Register(stop);
            try
            {
                written = WriteImportFile(file, connections, kept, () => created = true);
                _seams.ImportFileCreated?.Invoke(file);
                if (OwnerOnlyFile.ProtectionNote != null)
                {
                    log.Verbose(OwnerOnlyFile.ProtectionNote);
                }

                log.Verbose($"Running: {CliCommandLine.Display(argv)} ({connections.Count} connection(s): {string.Join(", ", connections.Select(c => c.ConnectionId))})");
                log.Progress("Sync-AirflowEcrConnection", $"Waiting for the Airflow CLI ({Target})", -1);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                timeout.CancelAfter(_timeout);
                try
                {
                    run = await CliProcessRunner.RunAsync(argv, timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (guard.Signaled && !cancellationToken.IsCancellationRequested)
                {
                    // Stopped by a termination signal; the file is removed below, then the process ends.
                    throw CliErrors.Stopped(Target, guard.SignalName);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // Killed by -TimeoutSec, not by Ctrl+C. The file is still removed below.
                    throw CliErrors.Timeout(Target, _timeout, "the connections may or may not have been imported");
                }
                finally
                {
                    log.Progress("Sync-AirflowEcrConnection", "Done", 100, completed: true);
                }
            }
            finally
            {
                // Only ever delete the file this run created (CreateNew fails on an existing name), and only
                // while it is still that file: one put in its place is not ours to delete.
                replaced = created && IsReplaced(file, written);
                if (replaced)
                {
                    log.Warning($"The connections file '{file}' was replaced while the Airflow CLI ran; the file there now is not EcrAirflow's and was left alone.");
                }
                else if (created && File.Exists(file) && !OwnerOnlyFile.TryDelete(file))
                {
                    log.Warning($"Could not delete the connections file '{file}', which holds registry tokens. Delete it by hand.");
                }

                guard.CleanedUp(); // a signal handler waiting for this lets the process end now
            }

            if (replaced)
            {
                // Whatever the CLI said, it may have imported someone else's file: never a success.
                throw CliErrors.ImportFileReplaced(file, _directory);
            }

            // Everything the CLI printed is redacted before it can reach a message or a stream.
            run = new CliRunResult(run.ExitCode, redactor.Redact(run.StandardOutput), redactor.Redact(run.StandardError));
            LogExit(run, log);

            foreach (var line in (run.StandardOutput + "\n" + run.StandardError).Split('\n').Where(l => l.Trim().Length > 0).Take(200))
            {
                log.Debug("airflow: " + line.TrimEnd('\r'));
            }

            var answer = CliImportAnswer.Parse(run, connections.Select(c => c.ConnectionId).ToList(), Target);
            if (answer.BatchError != null && answer.Imported.Count == 0 && outcome.Failed.Count == 0)
            {
                throw answer.BatchError;
            }

            foreach (var connection in connections)
            {
                if (answer.Imported.Contains(connection.ConnectionId))
                {
                    outcome.Written.Add(new AirflowConnectionSyncResult
                    {
                        ConnectionId = connection.ConnectionId,
                        Mode = Mode,
                        Target = Target,
                        // --overwrite does not say whether the id existed; the read just before it did.
                        Action = inDatabase.Contains(connection.ConnectionId) ? SyncAction.Updated : SyncAction.Created,
                        Registry = connection.Host,
                        ExpiresAt = connection.ExpiresAt,
                    });
                }
                else
                {
                    outcome.Failed.Add(new ConnectionFailure(connection, answer.Failures[connection.ConnectionId]));
                }
            }
        }

        /// <summary>
        /// One `&lt;prefix&gt; connections get ID --output json` per id: Airflow prints a JSON list holding the one
        /// connection, password included (so nothing it prints is logged), or exits 1 with "Connection not found.".
        /// It finds the connection wherever Airflow would (secrets backend, AIRFLOW_CONN_*, the database).
        /// </summary>
        public Task<ReadOutcome> ReadAsync(IReadOnlyList<ConnectionRef> connections, IOperationLog log, CancellationToken cancellationToken) =>
            OneByOne.ReadAsync(connections, ReadActivity, async c => (await ReadOneAsync(c.ConnectionId, log, cancellationToken).ConfigureAwait(false)).Stored, log, cancellationToken);

        /// <remarks>Nothing the CLI printed is logged: its answer holds the stored password.</remarks>
        private async Task<CliStoredConnection> ReadOneAsync(string connectionId, IOperationLog log, CancellationToken cancellationToken)
        {
            var argv = _prefix.Concat(new[] { "connections", "get", connectionId, "--output", "json" }).ToList();
            log.Verbose($"Running: {CliCommandLine.Display(argv)}");
            CliRunResult run;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(_timeout);
                try
                {
                    run = await CliProcessRunner.RunAsync(argv, timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw CliErrors.Timeout(Target, _timeout, "no connection was written").StoppingBatch();
                }
                catch (EcrAirflowException ex)
                {
                    // The command could not be started: every later read would meet the same.
                    throw ex.StoppingBatch();
                }
            }

            LogExit(run, log);

            return CliGetAnswer.Parse(run, connectionId, Target);
        }

        /// <summary>
        /// The exit code, and on failure the first lines of stderr: a wrapper such as docker compose exec says what
        /// went wrong there, then adds "Run 'docker --help'"; a traceback's exception line, at its end, is in the error.
        /// </summary>
        private static void LogExit(CliRunResult run, IOperationLog log)
        {
            log.Verbose($"The Airflow CLI exited with code {run.ExitCode}.");
            if (run.ExitCode != 0)
            {
                foreach (var line in CliImportAnswer.FirstLines(run.StandardError))
                {
                    log.Verbose("airflow (stderr): " + line);
                }
            }
        }

        /// <summary>
        /// -WorkingDirectory must exist, and no other user may be able to change what is in it (it, and every
        /// folder above it, belongs to us or root and is not writable by others without the sticky bit):
        /// otherwise another user could swap the import file for their own while the CLI starts.
        /// </summary>
        private void CheckDirectory()
        {
            if (!Directory.Exists(_directory))
            {
                throw CliErrors.WorkingDirectoryNotFound(_directory);
            }

            var why = FileTrust.WhyFolderNotTrusted(_directory);
            if (why != null)
            {
                throw CliErrors.WorkingDirectoryNotTrusted(_directory, why);
            }
        }

        /// <summary>Whether the path no longer holds the file we wrote (other device or inode, or gone). Unix only.</summary>
        private static bool IsReplaced(string path, UnixFileStatus? written)
        {
#if NET8_0_OR_GREATER
            if (written == null || !UnixFile.Supported)
            {
                return false;
            }

            var now = UnixFile.LStat(path);
            return now == null || !now.Value.SameFileAs(written.Value);
#else
            return false;
#endif
        }

        /// <summary>Writes the owner-only import file and returns its identity (device and inode) on Unix.</summary>
        private static UnixFileStatus? WriteImportFile(string path, IReadOnlyList<DockerConnection> connections, IReadOnlyDictionary<string, StoredConnection> kept, Action created)
        {
            var bytes = new UTF8Encoding(false).GetBytes(ConnectionJson.ImportFile(connections, kept));
            try
            {
                using var stream = OwnerOnlyFile.CreateNew(path);
                created();
                stream.Write(bytes, 0, bytes.Length);
                stream.Flush();
#if NET8_0_OR_GREATER
                return UnixFile.Supported ? UnixFile.FStat(stream.SafeFileHandle) : (UnixFileStatus?)null;
#else
                return null;
#endif
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw CliErrors.ImportFileNotWritten(path, ex);
            }
            finally
            {
                Array.Clear(bytes, 0, bytes.Length);
            }
        }

        private static string RandomName()
        {
            var bytes = new byte[12];
            using (var rng = RandomNumberGenerator.Create())
            {
                rng.GetBytes(bytes);
            }

            return string.Concat(bytes.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        }
    }
}
