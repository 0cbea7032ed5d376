using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using EcrAirflow.Core.Airflow;
using EcrAirflow.Core.Internal;
using EcrAirflow.Internal.Http;
using EcrAirflow.Core.Internal.Http;
using EcrAirflow.Modes;
using EcrAirflow.Core.Modes;
using EcrAirflow.Core.Modes.Rest;

namespace EcrAirflow.Tests.Rest
{
    /// <summary>Collects everything core code logs, to assert what was said and that no secret was.</summary>
    internal sealed class RecordingLog : IOperationLog
    {
        private readonly object _gate = new object();

        public List<string> Lines { get; } = new List<string>();

        public List<(string Status, int Percent, bool Completed)> ProgressRecords { get; } = new List<(string, int, bool)>();

        public void Verbose(string message) => Add("VERBOSE: " + message);

        public void Debug(string message) => Add("DEBUG: " + message);

        public void Warning(string message) => Add("WARNING: " + message);

        public void Progress(string activity, string status, int percent, bool completed = false)
        {
            lock (_gate)
            {
                ProgressRecords.Add((status, percent, completed));
                Lines.Add($"PROGRESS: {activity} {status}");
            }
        }

        public string All
        {
            get
            {
                lock (_gate)
                {
                    return string.Join("\n", Lines);
                }
            }
        }

        private void Add(string line)
        {
            lock (_gate)
            {
                Lines.Add(line);
            }
        }
    }

    internal static class Kit
    {
        public const string Host = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

        /// <summary>A token-like secret with the characters that break careless encoders.</summary>
        public static string Secret(string tag) => $"eyJ{tag}+/=tok{Guid.NewGuid():N}";

        public static string Id(string tag) => $"ecr_{tag}_{Guid.NewGuid():N}".Substring(0, 24);

        public static DockerConnection Connection(string id, string password, string host = Host) =>
            new DockerConnection(id, host, "AWS", DockerConnection.Secure(password))
            {
                ExpiresAt = DateTimeOffset.UtcNow.AddHours(12),
                Description = "Managed by EcrAirflow (test)",
            };

        /// <summary>What a user left in Airflow before EcrAirflow's first refresh: every field a refresh does not own set.</summary>
        public static System.Text.Json.Nodes.JsonObject UsersDocker(string password = "users-old-Pa55", string extra = "{\"reauth\": false, \"email\": \"ops@example.com\", \"timeout\": 30}") =>
            new System.Text.Json.Nodes.JsonObject
            {
                ["conn_type"] = "docker",
                ["host"] = "old.example.com",
                ["login"] = "olduser",
                ["password"] = password,
                ["port"] = 5000,
                ["schema"] = "v2",
                ["extra"] = extra,
                ["description"] = "Team registry",
            };

        /// <summary>A connection of another type at the id, with a password of its own.</summary>
        public static System.Text.Json.Nodes.JsonObject Postgres(string password = "pg-Pa55-secret") =>
            new System.Text.Json.Nodes.JsonObject
            {
                ["conn_type"] = "postgres",
                ["host"] = "db.example.com",
                ["login"] = "app",
                ["password"] = password,
                ["port"] = 5432,
                ["schema"] = "appdb",
            };

        public static RestSetup Options(AirflowEmulatorFixture airflow, AirflowApiVersion version, string? password = AirflowEmulatorFixture.Password)
        {
            var setup = new RestSetup { Seams = new TestSeams { RetryBaseDelay = TimeSpan.FromMilliseconds(20) } };
            setup.Parameters.AirflowUrl = airflow.Url;
            setup.Parameters.AirflowCredential = password == null ? null : new PSCredential(AirflowEmulatorFixture.User, DockerConnection.Secure(password));
            setup.Parameters.ApiVersion = version;
            setup.Parameters.TimeoutSec = 10;
            setup.Parameters.MaximumRetryCount = 2;
            return setup;
        }

        public static Task<SyncOutcome> Write(RestSetup options, RecordingLog log, params DockerConnection[] connections) =>
            options.Target().WriteAsync(connections, log, CancellationToken.None);

        public static Task<ReadOutcome> Read(RestSetup options, RecordingLog log, params string[] ids) =>
            options.Target().ReadAsync(ids.Select(id => new ConnectionRef(id)).ToList(), log, CancellationToken.None);

        /// <summary>Neither the log nor any message may contain one of these.</summary>
        public static void NoSecretIn(string text, params string?[] secrets)
        {
            foreach (var secret in secrets.Where(s => !string.IsNullOrEmpty(s)))
            {
                Assert.DoesNotContain(secret!, text, StringComparison.Ordinal);
            }
        }

        public static string Describe(EcrAirflowException ex) => $"{ex.ErrorId} {ex.Kind} {ex.Message} {ex.Hint} {ex.InnerException}";
    }

    /// <summary>What a test gives Rest mode: its parameters and the shared settings (the cmdlet builds these from the command line).</summary>
    internal sealed class RestSetup
    {
        public RestParameters Parameters { get; } = new RestParameters();

        public HttpSettings Http { get; set; } = HttpSettings.Default;

        public bool AllowUnencryptedAuthentication { get; set; }

        public TestSeams Seams { get; set; } = TestSeams.None;

        public RestTarget Target() => new RestTarget(Parameters, new ModeContext { Http = Http, AllowUnencryptedAuthentication = AllowUnencryptedAuthentication, Seams = Seams });
    }
}
