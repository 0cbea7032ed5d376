using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;
using EcrAirflow.Core.Airflow;
using EcrAirflow.Core.Internal;
using EcrAirflow.Core.Internal.Secrets;
using EcrAirflow.Modes;
using EcrAirflow.Core.Modes;
using EcrAirflow.Core.Modes.EnvironmentVariable;

namespace EcrAirflow.Tests
{
    /// <summary>
    /// ConnectionVariableTarget's read side: this process's AIRFLOW_CONN_* variables, and dotenv files read once for
    /// every id, in each quoting form the dotenv readers share; each file value is checked against python-dotenv (the
    /// reader Airflow's own tooling uses) when it is installed.
    /// </summary>
    public sealed class ConnectionVariableReadTests : IDisposable
    {
        private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ecrairflow-envread-");
        private readonly string _id = "xr" + Guid.NewGuid().ToString("N").Substring(0, 10);
        private readonly List<string> _set = new List<string>();

        public void Dispose()
        {
            foreach (var name in _set)
            {
                Environment.SetEnvironmentVariable(name, null);
            }

            _dir.Delete(true);
        }

        private static ConnectionVariableTarget Target(string? path = null) =>
            new ConnectionVariableTarget(new EnvironmentVariableParameters { Path = path, CiSystem = CiSystem.None }, TextWriter.Null, _ => null);

        private static Task<ReadOutcome> Read(ConnectionVariableTarget target, params string[] ids) =>
            target.ReadAsync(ids.Select(i => new ConnectionRef(i)).ToList(), NullOperationLog.Instance, default);

        private void SetVariable(string suffix, string value)
        {
            var name = ConnectionVariableTarget.VariableName(_id + suffix);
            _set.Add(name);
            Environment.SetEnvironmentVariable(name, value);
        }

        [Fact]
        public async Task Process_scope_reads_URI_and_JSON_values_with_their_password()
        {
            SetVariable("_uri", "docker://AWS:tok%2B%2F%3Den@registry.example.com:5000/s?timeout=30&email=a%40b");
            SetVariable("_json", "{\"conn_type\":\"docker\",\"host\":\"h\",\"login\":\"AWS\",\"password\":\"j\\\"son\",\"description\":\"d\",\"extra\":{\"reauth\":false}}");
            SetVariable("_pg", "postgres://u:p@db/x");
            SetVariable("_text", "hunter2 is not a connection");
            SetVariable("_empty", "");

            var outcome = await Read(Target(), _id + "_uri", _id + "_json", _id + "_pg", _id + "_text", _id + "_empty", _id + "_none");

            Assert.Empty(outcome.Failed);
            var uri = outcome.Found[0];
            Assert.Equal(StoredKind.Docker, uri.Kind);
            Assert.Equal("registry.example.com", uri.Host);
            Assert.Equal(5000, uri.Port);
            Assert.Equal("s", uri.Schema);
            Assert.Equal("{\"timeout\":\"30\",\"email\":\"a@b\"}", uri.Extra);
            Assert.Equal(PasswordVisibility.Readable, uri.PasswordVisibility);
            Assert.Equal("tok+/=en", SecureText.Reveal(uri.Password!));
            Assert.Equal(ConnectionVariableTarget.VariableName(_id + "_uri") + " (Process scope)", uri.Location);

            var json = outcome.Found[1];
            Assert.Equal("j\"son", SecureText.Reveal(json.Password!));
            Assert.Equal("d", json.Description);
            Assert.Equal("{\"reauth\":false}", json.Extra);

            Assert.Equal(StoredKind.NotDocker, outcome.Found[2].Kind);
            Assert.Equal("a postgres connection", outcome.Found[2].Type);
            Assert.Equal(StoredKind.NotDocker, outcome.Found[3].Kind);
            Assert.Equal("text that is not a connection URI", outcome.Found[3].Type);
            Assert.DoesNotContain("hunter2", outcome.Found[3].ToString());
            Assert.Equal(StoredKind.Missing, outcome.Found[4].Kind);   // $env:X = '' leaves an empty variable
            Assert.Equal(StoredKind.Missing, outcome.Found[5].Kind);
        }

        [Fact]
        public async Task An_id_Airflow_could_not_name_a_variable_for_is_that_ids_failure()
        {
            var outcome = await Read(Target(), "straße", _id);
            Assert.Equal("VariableNameNotAscii", Assert.Single(outcome.Failed).Error.ErrorId);
            Assert.Equal(_id, Assert.Single(outcome.Found).ConnectionId);
        }

        /// <summary>Each quoting form: single quotes (literal), double quotes (escapes), unquoted with a comment, export, spaces, several lines, CRLF, a repeated name.</summary>
        private const string DotEnv =
            "# compose settings\r\n" +
            "AIRFLOW_CONN_SINGLE='docker://AWS:tok%2B1@h1:5000/s1?timeout=30'\r\n" +
            "export AIRFLOW_CONN_EXPORTED=docker://AWS:tok2@h2  # refreshed by EcrAirflow\n" +
            "  AIRFLOW_CONN_SPACED = \"docker://AWS:tok3@h3\"\n" +
            @"AIRFLOW_CONN_ESCAPED=""{\""conn_type\"": \""docker\"", \""host\"": \""h4\"", \""password\"": \""q\\\""uote\"", \""extra\"": {\""reauth\"": false}}""" + "\n" +
            "AIRFLOW_CONN_MULTI='{\"conn_type\": \"docker\",\n  \"host\": \"h5\", \"login\": \"AWS\", \"password\": \"tok5\"}'\n" +
            "AIRFLOW_CONN_TWICE='docker://AWS:first@h6'\n" +
            "AIRFLOW_CONN_TWICE='docker://AWS:second@h6'\n" +
            "AIRFLOW_CONN_OTHER=just some text\n" +
            "AIRFLOW_CONN_PG='postgresql://u:p@db/x'\n" +
            "AIRFLOW_CONN_EMPTY=\n" +
            "# AIRFLOW_CONN_COMMENTED='docker://AWS:x@h'\n";

        [Fact]
        public async Task A_dotenv_file_is_read_once_in_every_quoting_form()
        {
            var path = Path.Combine(_dir.FullName, ".env");
            File.WriteAllText(path, DotEnv, new UTF8Encoding(false));
            var ids = new[] { "single", "exported", "spaced", "escaped", "multi", "twice", "other", "pg", "empty", "commented" };
            var outcome = await Read(Target(path), ids);

            Assert.Empty(outcome.Failed);
            var found = outcome.Found.ToDictionary(f => f.ConnectionId);
            string Pw(string id) => SecureText.Reveal(found[id].Password!);

            Assert.Equal("tok+1", Pw("single"));
            Assert.Equal(5000, found["single"].Port);
            Assert.Equal("{\"timeout\":\"30\"}", found["single"].Extra);
            Assert.Equal("AIRFLOW_CONN_SINGLE in " + path, found["single"].Location);
            Assert.Equal("tok2", Pw("exported"));
            Assert.Equal("h2", found["exported"].Host);
            Assert.Equal("tok3", Pw("spaced"));
            Assert.Equal("q\"uote", Pw("escaped"));
            Assert.Equal("{\"reauth\": false}", found["escaped"].Extra);
            Assert.Equal("tok5", Pw("multi"));
            Assert.Equal("h5", found["multi"].Host);
            Assert.Equal("second", Pw("twice"));   // the last definition wins
            Assert.Equal("text that is not a connection URI", found["other"].Type);
            Assert.Equal("a postgres connection", found["pg"].Type);
            Assert.Equal(StoredKind.Missing, found["empty"].Kind);
            Assert.Equal(StoredKind.Missing, found["commented"].Kind);

            // The same values as python-dotenv reads them.
            foreach (var id in ids.Where(i => found[i].Raw != null))
            {
                var python = PythonDotenv(path, ConnectionVariableTarget.VariableName(id));
                if (python == null)
                {
                    return;   // python-dotenv is not installed here: the values above are still checked
                }

                Assert.Equal(python, found[id].Raw);
            }
        }

        [Fact]
        public async Task A_file_that_does_not_exist_holds_nothing_and_is_not_created()
        {
            var path = Path.Combine(_dir.FullName, "missing.env");
            var outcome = await Read(Target(path), "ecr", "other");
            Assert.All(outcome.Found, f => Assert.Equal(StoredKind.Missing, f.Kind));
            Assert.False(File.Exists(path));
        }

        [Fact]
        public async Task A_refresh_keeps_port_schema_and_extra_in_the_files_own_form()
        {
            var path = Path.Combine(_dir.FullName, ".env");
            File.WriteAllText(path, "OTHER=1\nAIRFLOW_CONN_ECR='docker://old:old@h:5000/s?timeout=30&email=a%40b'  # kept comment\n");
            var target = Target(path);
            var outcome = await target.WriteAsync(new[] { Samples.Connection() with { Reauth = false } }, NullOperationLog.Instance, default);
            Assert.Equal(SyncAction.Updated, Assert.Single(outcome.Written).Action);
            Assert.Equal("OTHER=1\nAIRFLOW_CONN_ECR='docker://AWS:tok%2B%2F%3Den@123456789012.dkr.ecr.eu-west-1.amazonaws.com:5000/s?timeout=30&email=a%40b&reauth=false'  # kept comment\n",
                File.ReadAllText(path));
        }

        /// <summary>The value python-dotenv reads for <paramref name="name"/>; null when python-dotenv is not installed.</summary>
        private static string? PythonDotenv(string path, string name)
        {
            var psi = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add("import json, sys\ntry:\n    from dotenv import dotenv_values\nexcept ImportError:\n    sys.exit(3)\nprint(json.dumps(dotenv_values(sys.argv[1])[sys.argv[2]]))");
            psi.ArgumentList.Add(path);
            psi.ArgumentList.Add(name);
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEnd();
            var stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode == 3)
            {
                return null;
            }

            Assert.True(p.ExitCode == 0, stderr);
            return JsonSerializer.Deserialize<string>(stdout);
        }
    }
}
