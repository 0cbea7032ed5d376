using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace EcrAirflow.Tests.Rest
{
    /// <summary>
    /// Starts the project's Airflow API emulator (tests/AirflowEmulator, built by build.ps1) on a free
    /// loopback port, and talks to its control API. One emulator per test class.
    /// </summary>
    public abstract class AirflowEmulatorFixture : IDisposable
    {
        public const string User = "admin";
        public const string Password = "admin-Pa55";

        private readonly Process _process;
        private readonly HttpClient _control = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        protected AirflowEmulatorFixture(int airflowVersion, params string[] options)
        {
            AirflowVersion = airflowVersion;
            var dll = EmulatorDll();
            var psi = new ProcessStartInfo("dotnet")
            {
                RedirectStandardInput = true,   // the emulator stops when this pipe closes, even if we crash
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in new[] { dll, "--urls", "http://127.0.0.1:0", "--airflow-version", airflowVersion.ToString(), "--user", User }.Concat(options))
            {
                psi.ArgumentList.Add(a);
            }

            psi.Environment["AIRFLOW_EMULATOR_PASSWORD"] = Password; // never on the emulator's command line

            _process = Process.Start(psi) ?? throw new InvalidOperationException("dotnet did not start.");
            var stderr = _process.StandardError.ReadToEndAsync();
            var ready = Task.Run(() =>
            {
                string? line;
                while ((line = _process.StandardOutput.ReadLine()) != null)
                {
                    if (line.StartsWith("EMULATOR_LISTENING ", StringComparison.Ordinal))
                    {
                        return line.Substring("EMULATOR_LISTENING ".Length).Trim();
                    }
                }

                return null;
            });
            if (!ready.Wait(TimeSpan.FromSeconds(60)) || ready.Result == null)
            {
                try { _process.Kill(true); } catch (InvalidOperationException) { }
                throw new InvalidOperationException($"The Airflow emulator ({dll}) did not report EMULATOR_LISTENING: {(stderr.IsCompleted ? stderr.Result : "")}");
            }

            Url = new Uri(ready.Result);
            _ = Task.Run(() => _process.StandardOutput.ReadToEnd()); // keep draining so it never blocks
        }

        public int AirflowVersion { get; }

        /// <summary>http://127.0.0.1:port (no trailing slash).</summary>
        public Uri Url { get; }

        public static string RepoRoot()
        {
            var fromEnv = Environment.GetEnvironmentVariable("ECRAIRFLOW_TEST_ROOT");
            if (!string.IsNullOrEmpty(fromEnv))
            {
                return fromEnv;
            }

            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "EcrAirflow.psd1")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("Cannot find the repository root; set ECRAIRFLOW_TEST_ROOT.");
        }

        private static string EmulatorDll()
        {
            var bin = Path.Combine(RepoRoot(), "tests", "AirflowEmulator", "bin");
            var candidates = new[] { "Release", "Debug" }
                .Select(c => Path.Combine(bin, c, "net10.0", "AirflowEmulator.dll"))
                .Where(File.Exists)
                .OrderByDescending(File.GetLastWriteTimeUtc)
                .ToList();
            if (candidates.Count == 0)
            {
                throw new InvalidOperationException($"The Airflow emulator is not built under {bin}; run: dotnet pwsh ./build.ps1 -Task Build");
            }

            return candidates[0];
        }

        // ---- control API ----

        public JsonArray Requests() => (JsonArray)GetJson("/_emulator/requests");

        /// <summary>The logged Airflow API requests as "METHOD /path STATUS".</summary>
        public List<string> RequestLines() => Requests()
            .Select(r => $"{r!["method"]} {r["path"]} {r["status"]}")
            .ToList();

        public void ClearRequests() => Send(HttpMethod.Delete, "/_emulator/requests", null);

        public JsonObject? StoredConnection(string id)
        {
            var node = GetJson("/_emulator/connections");
            var list = node as JsonArray ?? node["connections"] as JsonArray ?? new JsonArray();
            return list.OfType<JsonObject>().FirstOrDefault(c => (string?)c["connection_id"] == id);
        }

        public void Seed(string id, string host, string login, string password) =>
            Send(HttpMethod.Put, "/_emulator/connections/" + Uri.EscapeDataString(id),
                new JsonObject { ["connection_id"] = id, ["conn_type"] = "docker", ["host"] = host, ["login"] = login, ["password"] = password });

        /// <summary>Seeds a connection as a user left it: any conn_type, port, schema, extra (JSON text) and description.</summary>
        public void Seed(string id, JsonObject connection)
        {
            connection["connection_id"] = id;
            Send(HttpMethod.Put, "/_emulator/connections/" + Uri.EscapeDataString(id), connection);
        }

        /// <summary>The stored connection's extra, parsed (it is stored as JSON text).</summary>
        public JsonObject? StoredExtra(string id) =>
            StoredConnection(id)?["extra"] is JsonNode extra ? JsonNode.Parse((string)extra!) as JsonObject : null;

        /// <summary>The logged requests of one method, newest last.</summary>
        public List<JsonObject> Requests(string method) => Requests().OfType<JsonObject>().Where(r => (string?)r["method"] == method).ToList();

        public void Fault(string method, string path, int status, int times = 1, int? retryAfter = null, JsonNode? body = null)
        {
            var rule = new JsonObject { ["method"] = method, ["path"] = path, ["status"] = status, ["times"] = times };
            if (retryAfter.HasValue)
            {
                rule["retryAfter"] = retryAfter.Value;
            }

            if (body != null)
            {
                rule["body"] = body;
            }

            Send(HttpMethod.Post, "/_emulator/faults", rule);
        }

        /// <summary>A fault answering with a page of text (a proxy's HTML page) instead of Airflow's JSON.</summary>
        public void FaultPage(string method, string path, int status, string text, int times = 1) =>
            Send(HttpMethod.Post, "/_emulator/faults", new JsonObject { ["method"] = method, ["path"] = path, ["status"] = status, ["times"] = times, ["bodyText"] = text });

        /// <summary>A fault that delays or drops instead of answering with a status.</summary>
        public void Fault(JsonObject rule) => Send(HttpMethod.Post, "/_emulator/faults", rule);

        public void ClearFaults() => Send(HttpMethod.Delete, "/_emulator/faults", null);

        public void RevokeTokens() => Send(HttpMethod.Post, "/_emulator/tokens/revoke", null);

        /// <summary>A token from the emulator's /auth/token, for -AccessToken tests.</summary>
        public string IssueToken()
        {
            using var content = new StringContent(JsonSerializer.Serialize(new { username = User, password = Password }), Encoding.UTF8, "application/json");
            using var reply = _control.PostAsync(new Uri(Url, "/auth/token"), content).GetAwaiter().GetResult();
            reply.EnsureSuccessStatusCode();
            return (string)JsonNode.Parse(reply.Content.ReadAsStringAsync().GetAwaiter().GetResult())!["access_token"]!;
        }

        public void Reset()
        {
            ClearFaults();
            ClearRequests();
        }

        public void Dispose()
        {
            PeerProcess.Stop(_process);
            _control.Dispose();
        }

        private JsonNode GetJson(string path)
        {
            using var reply = _control.GetAsync(new Uri(Url, path)).GetAwaiter().GetResult();
            reply.EnsureSuccessStatusCode();
            return JsonNode.Parse(reply.Content.ReadAsStringAsync().GetAwaiter().GetResult())!;
        }

        private void Send(HttpMethod method, string path, JsonNode? body)
        {
            using var request = new HttpRequestMessage(method, new Uri(Url, path));
            if (body != null)
            {
                request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            }

            using var reply = _control.SendAsync(request).GetAwaiter().GetResult();
            reply.EnsureSuccessStatusCode();
        }
    }

    public sealed class Airflow2Emulator : AirflowEmulatorFixture
    {
        public Airflow2Emulator() : base(2) { }
    }

    public sealed class Airflow3Emulator : AirflowEmulatorFixture
    {
        public Airflow3Emulator() : base(3) { }
    }

    /// <summary>Airflow 3 as the 3.0 releases whose bulk update ignores the action's update_mask.</summary>
    public sealed class Airflow3IgnoringBulkMaskEmulator : AirflowEmulatorFixture
    {
        public Airflow3IgnoringBulkMaskEmulator() : base(3, "--bulk-update-ignores-mask") { }
    }
}
