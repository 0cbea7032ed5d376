using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;
using EcrAirflow.Core.Airflow;
using EcrAirflow.Core.Internal;
using EcrAirflow.Core.Internal.Secrets;
using EcrAirflow.Modes;
using EcrAirflow.Core.Modes;
using EcrAirflow.Core.Modes.Cli;

namespace EcrAirflow.Tests
{
    /// <summary>
    /// CliTarget's read side (`connections get ID --output json`, one CLI start per id) and the refresh built on it,
    /// against the stand-in CLI: what it finds, what the import then carries, and that nothing the CLI printed (it
    /// prints the stored password) reaches a log or a message.
    /// </summary>
    public sealed class CliReadTests : IDisposable
    {
        private const string StoredPassword = "stored-Pw+/=secret";
        private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("ecrairflow-cliread-");
        private readonly RecordingLog _log = new RecordingLog();

        public void Dispose() => _home.Delete(true);

        private CliTarget Target(params string[] env) => new CliTarget(
            new CliParameters
            {
                AirflowCommand = new[] { "env", "AIRFLOW_STANDIN_HOME=" + _home.FullName }.Concat(env).Concat(new[] { CliTargetTests.StandIn() }).ToArray(),
                WorkingDirectory = _home.FullName,
            },
            ModeContext.Default);

        /// <summary>Stores connections through the stand-in's own import, as Airflow's database would hold them.</summary>
        private void Seed(string json)
        {
            var file = Path.Combine(_home.FullName, "seed.json");
            File.WriteAllText(file, json);
            var psi = new ProcessStartInfo(CliTargetTests.StandIn()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "connections", "import", file, "--overwrite" })
            {
                psi.ArgumentList.Add(a);
            }

            psi.Environment["AIRFLOW_STANDIN_HOME"] = _home.FullName;
            using var p = Process.Start(psi)!;
            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            Assert.Equal(0, p.ExitCode);
            File.Delete(file);
            File.Delete(Path.Combine(_home.FullName, "calls.jsonl"));
            File.Delete(Path.Combine(_home.FullName, "imports.jsonl"));
        }

        private const string Docker = "{\"ecr\": {\"conn_type\": \"docker\", \"host\": \"old.example.com\", \"login\": \"old\", \"password\": \"" + StoredPassword + "\", " +
            "\"port\": 5000, \"schema\": \"s\", \"description\": \"Team registry; token expires 2029-01-01 00:00:00 UTC\", " +
            "\"extra\": {\"reauth\": false, \"timeout\": 30, \"email\": \"a@b\"}}, " +
            "\"pg\": {\"conn_type\": \"postgres\", \"host\": \"db\", \"login\": \"u\", \"password\": \"" + StoredPassword + "\"}}";

        private string[][] Calls() => File.ReadLines(Path.Combine(_home.FullName, "calls.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("argv").EnumerateArray().Select(a => a.GetString()!).ToArray()).ToArray();

        private void AssertNothingPrintedLeaked()
        {
            foreach (var line in _log.Lines)
            {
                foreach (var form in SecretForms.Of(StoredPassword))
                {
                    Assert.DoesNotContain(form, line);
                }
            }
        }

        [Fact]
        public async Task Reads_each_id_with_one_get_in_the_order_asked()
        {
            Seed(Docker);
            var outcome = await Target().ReadAsync(new[] { new ConnectionRef("missing"), new ConnectionRef("ecr"), new ConnectionRef("pg") }, _log, default);

            Assert.Empty(outcome.Failed);
            Assert.Equal(new[] { "missing", "ecr", "pg" }, outcome.Found.Select(f => f.ConnectionId));
            Assert.Equal(StoredKind.Missing, outcome.Found[0].Kind);

            var ecr = outcome.Found[1];
            Assert.Equal(StoredKind.Docker, ecr.Kind);
            Assert.Equal("old.example.com", ecr.Host);
            Assert.Equal("old", ecr.Login);
            Assert.Equal(5000, ecr.Port);                      // printed as "5000"
            Assert.Equal("s", ecr.Schema);
            Assert.Equal("Team registry; token expires 2029-01-01 00:00:00 UTC", ecr.Description);
            Assert.Equal("{\"reauth\": false, \"timeout\": 30, \"email\": \"a@b\"}", ecr.Extra);   // from get_uri: false stays false
            Assert.Equal(PasswordVisibility.Readable, ecr.PasswordVisibility);
            Assert.Equal(StoredPassword, SecureText.Reveal(ecr.Password!));
            Assert.DoesNotContain(StoredPassword, ecr.ToString());

            Assert.Equal(StoredKind.NotDocker, outcome.Found[2].Kind);
            Assert.Equal("a postgres connection", outcome.Found[2].Type);
            Assert.Null(outcome.Found[2].Password);

            Assert.Equal(new[] { "get missing --output json", "get ecr --output json", "get pg --output json" },
                Calls().Select(argv => string.Join(" ", argv.Skip(1))));
            AssertNothingPrintedLeaked();
        }

        [Fact]
        public async Task Finds_an_AIRFLOW_CONN_variable_first_as_Airflow_does()
        {
            Seed(Docker);
            var env = "AIRFLOW_CONN_ECR=docker://AWS:" + Uri.EscapeDataString(StoredPassword) + "@localhost%3A5001/x?timeout=9";
            var outcome = await Target(env).ReadAsync(new[] { new ConnectionRef("ecr") }, _log, default);
            var ecr = Assert.Single(outcome.Found);
            Assert.Equal("localhost:5001", ecr.Host);
            Assert.Null(ecr.Port);
            Assert.Equal("x", ecr.Schema);
            Assert.Equal("{\"timeout\":\"9\"}", ecr.Extra);
        }

        [Fact]
        public async Task A_database_failure_stops_the_read_with_its_exception_line_and_no_output()
        {
            var ex = await Assert.ThrowsAsync<EcrAirflowException>(() => Target("AIRFLOW_STANDIN_GET_FAIL=1").ReadAsync(new[] { new ConnectionRef("ecr"), new ConnectionRef("other") }, _log, default));
            Assert.Equal("AirflowCliReadFailed", ex.ErrorId);
            Assert.EndsWith("sqlalchemy.exc.OperationalError: (sqlite3.OperationalError) database is locked", ex.Message);
            Assert.Single(Calls());   // the second id is not tried: every read would meet the same
        }

        [Fact]
        public async Task Output_that_is_not_the_json_list_is_AirflowCliUnexpectedOutput()
        {
            var target = new CliTarget(new CliParameters { AirflowCommand = new[] { "echo", "hello" }, WorkingDirectory = _home.FullName }, ModeContext.Default);
            var ex = await Assert.ThrowsAsync<EcrAirflowException>(() => target.ReadAsync(new[] { new ConnectionRef("ecr") }, _log, default));
            Assert.Equal("AirflowCliUnexpectedOutput", ex.ErrorId);
        }

        [Fact]
        public async Task A_refresh_imports_the_complete_merged_entity_once_after_one_get_per_id()
        {
            Seed(Docker);
            var ours = Samples.Connection("ecr", password: "new+/=tok") with
            {
                ExpiresAt = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero),
                Description = "Managed by EcrAirflow; token expires 2030-01-02 03:04:05 UTC",
                Email = "ops@example.com",
            };
            var fresh = Samples.Connection("fresh", password: "fresh-tok");
            var outcome = await Target().WriteAsync(new[] { ours, fresh }, _log, default);

            Assert.Empty(outcome.Failed);
            Assert.Equal(new[] { "ecr", "fresh" }, outcome.Written.Select(w => w.ConnectionId));
            var calls = Calls();
            Assert.Equal(3, calls.Length);   // N gets + 1 import
            Assert.Equal("import", calls[2][1]);

            using var imported = JsonDocument.Parse(File.ReadLines(Path.Combine(_home.FullName, "imports.jsonl")).Single());
            var entity = imported.RootElement.GetProperty("content").GetProperty("ecr");
            Assert.Equal("docker", entity.GetProperty("conn_type").GetString());
            Assert.Equal("123456789012.dkr.ecr.eu-west-1.amazonaws.com", entity.GetProperty("host").GetString());
            Assert.Equal("AWS", entity.GetProperty("login").GetString());
            Assert.Equal("new+/=tok", entity.GetProperty("password").GetString());
            Assert.Equal(5000, entity.GetProperty("port").GetInt32());
            Assert.Equal("s", entity.GetProperty("schema").GetString());
            Assert.Equal("Team registry; token expires 2030-01-02 03:04:05 UTC", entity.GetProperty("description").GetString());
            var extra = entity.GetProperty("extra");
            Assert.Equal(new[] { "reauth", "timeout", "email" }, extra.EnumerateObject().Select(p => p.Name));
            Assert.Equal(JsonValueKind.False, extra.GetProperty("reauth").ValueKind);
            Assert.Equal(30, extra.GetProperty("timeout").GetInt32());
            Assert.Equal("ops@example.com", extra.GetProperty("email").GetString());

            var created = imported.RootElement.GetProperty("content").GetProperty("fresh");
            Assert.False(created.TryGetProperty("port", out _));
            Assert.False(created.TryGetProperty("extra", out _));

            // What Airflow now holds, read back through the CLI.
            var back = await Target().ReadAsync(new[] { new ConnectionRef("ecr") }, NullOperationLog.Instance, default);
            Assert.Equal(5000, back.Found[0].Port);
            Assert.Equal("new+/=tok", SecureText.Reveal(back.Found[0].Password!));
            AssertNothingPrintedLeaked();
        }

        [Fact]
        public async Task A_connection_of_another_type_is_refused_per_id_and_left_as_it_was()
        {
            Seed(Docker);
            var outcome = await Target().WriteAsync(new[] { Samples.Connection("pg"), Samples.Connection("ecr") }, _log, default);

            var failure = Assert.Single(outcome.Failed);
            Assert.Equal("pg", failure.Connection.ConnectionId);
            Assert.Equal("NotDockerConnection", failure.Error.ErrorId);
            Assert.Contains("a postgres connection", failure.Error.Message);
            Assert.DoesNotContain(StoredPassword, failure.Error.Message);
            Assert.Equal("ecr", Assert.Single(outcome.Written).ConnectionId);
            using var imported = JsonDocument.Parse(File.ReadLines(Path.Combine(_home.FullName, "imports.jsonl")).Single());
            Assert.False(imported.RootElement.GetProperty("content").TryGetProperty("pg", out _));

            var pg = (await Target().ReadAsync(new[] { new ConnectionRef("pg") }, NullOperationLog.Instance, default)).Found[0];
            Assert.Equal("a postgres connection", pg.Type);

            var replaced = await Target().WriteAsync(new[] { Samples.Connection("pg") with { ReplaceNonDocker = true } }, _log, default);
            Assert.Empty(replaced.Failed);
            var now = (await Target().ReadAsync(new[] { new ConnectionRef("pg") }, NullOperationLog.Instance, default)).Found[0];
            Assert.Equal(StoredKind.Docker, now.Kind);
            Assert.Null(now.Schema);   // written anew: nothing of the postgres connection is kept
        }

        [Fact]
        public async Task Only_refused_ids_means_no_import()
        {
            Seed(Docker);
            var outcome = await Target().WriteAsync(new[] { Samples.Connection("pg") }, _log, default);
            Assert.Single(outcome.Failed);
            Assert.Empty(outcome.Written);
            Assert.DoesNotContain(Calls(), argv => argv[1] == "import");
        }

        [Fact]
        public async Task A_connection_Airflow_finds_outside_its_database_is_written_with_a_warning()
        {
            var env = "AIRFLOW_CONN_ECR=docker://AWS:p@h";
            var outcome = await Target(env).WriteAsync(new[] { Samples.Connection("ecr") }, _log, default);
            Assert.Single(outcome.Written);
            Assert.Contains(_log.Lines, l => l.StartsWith("WARNING: ", StringComparison.Ordinal) && l.Contains("outside its database") && l.Contains("AIRFLOW_CONN_ECR"));
        }

        private sealed class RecordingLog : IOperationLog
        {
            public ConcurrentQueue<string> Lines { get; } = new ConcurrentQueue<string>();

            public void Verbose(string message) => Lines.Enqueue(message);

            public void Debug(string message) => Lines.Enqueue(message);

            public void Warning(string message) => Lines.Enqueue("WARNING: " + message);

            public void Progress(string activity, string status, int percent, bool completed = false) => Lines.Enqueue(status);
        }
    }
}
