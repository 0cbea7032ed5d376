using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using EcrAirflow.Core.Internal;
using EcrAirflow.Core.Internal.Secrets;
using EcrAirflow.Modes;
using EcrAirflow.Core.Modes;
using EcrAirflow.Core.Modes.Cli;

namespace EcrAirflow.Tests
{
    /// <summary>CLI mode against the stand-in airflow executable (tests/peers/airflow/airflow).</summary>
    public sealed class CliTargetTests : IDisposable
    {
        private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("ecrairflow-standin-");

        public void Dispose() => _home.Delete(true);

        internal static string StandIn()
        {
            var root = Environment.GetEnvironmentVariable("ECRAIRFLOW_TEST_ROOT");
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); root == null && dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "EcrAirflow.sln")))
                {
                    root = dir.FullName;
                }
            }

            return Path.Combine(root ?? throw new InvalidOperationException("repository root not found"), "tests", "peers", "airflow", "airflow");
        }

        /// <summary>The import file of the last run, as the target reported it through its test seam.</summary>
        private string? _importFile;

        // The environment goes through env(1) so tests never change this process's environment.
        private CliTarget Target(params string[] extraEnv) => new CliTarget(
            new CliParameters
            {
                AirflowCommand = new[] { "env", "AIRFLOW_STANDIN_HOME=" + _home.FullName }.Concat(extraEnv).Concat(new[] { StandIn() }).ToArray(),
                WorkingDirectory = _home.FullName,
            },
            new ModeContext { Seams = new TestSeams { ImportFileCreated = path => _importFile = path } });

        [Fact]
        public async Task Ctrl_C_kills_the_cli_and_still_deletes_the_file()
        {
            if (OperatingSystem.IsWindows())
            {
                return;
            }

            // The read (connections get) answers at once; the import sleeps.
            var target = Target("AIRFLOW_STANDIN_SLEEP=60", "AIRFLOW_STANDIN_SLEEP_COMMAND=import");
            using var cts = new CancellationTokenSource();
            var run = target.WriteAsync(new[] { Samples.Connection() }, NullOperationLog.Instance, cts.Token);

            var log = Path.Combine(_home.FullName, "calls.jsonl");
            var watch = Stopwatch.StartNew();
            while (!ImportStarted(log) && watch.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(50);
            }

            Assert.True(ImportStarted(log), "the stand-in's import did not start");
            Assert.True(File.Exists(_importFile), "the file exists while the CLI runs");
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

            Assert.False(File.Exists(_importFile), "the import file must be gone after Ctrl+C");
            using var call = JsonDocument.Parse(File.ReadLines(log).Last());
            var pid = call.RootElement.GetProperty("pid").GetInt32();
            Assert.False(Directory.Exists("/proc/" + pid) && !File.ReadAllText("/proc/" + pid + "/stat").Contains(") Z "), "the CLI process must be gone");
        }

        private static bool ImportStarted(string log)
        {
            try
            {
                return File.Exists(log) && File.ReadLines(log).Any(l => l.Contains("\"import\"", StringComparison.Ordinal));
            }
            catch (IOException)
            {
                return false;   // being written
            }
        }

        [Fact]
        public async Task Failure_output_is_redacted_and_the_file_is_gone()
        {
            if (OperatingSystem.IsWindows())
            {
                return;
            }

            var target = Target("AIRFLOW_STANDIN_FAIL=1");
            var messages = new RecordingLog();
            var ex = await Assert.ThrowsAsync<EcrAirflowException>(() => target.WriteAsync(new[] { Samples.Connection() }, messages, default));
            Assert.Equal("AirflowCliFailed", ex.ErrorId);
            Assert.DoesNotContain("tok+/=en", ex.Message);
            // The stand-in prints the parameters sqlalchemy shows, token included; what we pass on is masked.
            Assert.Contains(messages.Lines, l => l.Contains("[parameters:") && l.Contains(SecretRedactor.Mask));
            Assert.DoesNotContain(messages.Lines, l => l.Contains("tok+/=en") || l.Contains("tok%2B"));
            Assert.NotNull(_importFile);
            Assert.False(File.Exists(_importFile));
        }

        [Fact]
        public void Missing_working_directory_is_reported_before_anything_runs()
        {
            var ex = Assert.Throws<EcrAirflowException>(() => new CliTarget(new CliParameters { AirflowCommand = new[] { StandIn() }, WorkingDirectory = Path.Combine(_home.FullName, "nope") }, ModeContext.Default));
            Assert.Equal("WorkingDirectoryNotFound", ex.ErrorId);
            Assert.False(Directory.Exists(Path.Combine(_home.FullName, "nope")));
        }

        private sealed class RecordingLog : IOperationLog
        {
            public System.Collections.Concurrent.ConcurrentQueue<string> Lines { get; } = new System.Collections.Concurrent.ConcurrentQueue<string>();

            public void Verbose(string message) => Lines.Enqueue(message);

            public void Debug(string message) => Lines.Enqueue(message);

            public void Warning(string message) => Lines.Enqueue(message);

            public void Progress(string activity, string status, int percent, bool completed = false) => Lines.Enqueue(status);
        }
    }
}
