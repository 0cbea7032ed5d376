using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text.Json;
using Xunit;
using EcrAirflow.Core.Airflow;
using EcrAirflow.Core.Internal.Secrets;

namespace EcrAirflow.Tests
{
    /// <summary>
    /// ConnectionDocument against Python itself: the stand-in CLI reads AIRFLOW_CONN_X with Airflow's own steps over
    /// Python's urllib (urlsplit, unquote, parse_qsl), so for each value the connection it prints and the one we read
    /// must agree field by field, and a value it cannot read ("Connection not found.") is never a Docker connection here.
    /// (Python 3.12 also refuses text before a bracketed host, "x[::1]", which older Pythons read; ConnectionDocumentTests
    /// covers that one, as the newer rule.)
    /// </summary>
    public sealed class StandInParseTests : IDisposable
    {
        private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("ecrairflow-parse-");

        public void Dispose() => _home.Delete(true);

        public static IEnumerable<object[]> Values() => new[]
        {
            new object[] { "docker://us%20er%40corp:tok%2B%2F%3Den+x@123456789012.dkr.ecr.eu-west-1.amazonaws.com" },
            new object[] { "docker://AWS:p@localhost%3A5000" },
            new object[] { "docker://AWS:p@Registry.Example.COM:5000/" },
            new object[] { "docker://AWS:p@[::1]:5000" },
            new object[] { "docker://AWS:p@%5B%3A%3A1%5D%3A5000" },
            new object[] { "docker://a:b@AB%3AXYZ" },
            new object[] { "docker://AWS:p@host/my%20schema/more" },
            new object[] { "docker://AWS:p@host?email=ops%2Becr%40example.com&reauth=false&flag&email=second+one" },
            new object[] { "docker://AWS:p@host?a=1;b=2" },
            new object[] { "docker://AWS:p@host/?x=1&__extra__=%7B%22reauth%22%3A+false%2C+%22timeout%22%3A+30%7D" },
            new object[] { "DOCKER://AWS:p@host" },
            new object[] { "docker://https://registry.example.com" },
            new object[] { "docker://AWS@host" },
            new object[] { "docker://AWS:@host" },
            new object[] { "docker://AWS:to\tk@host" },
            new object[] { "docker://AWS:p@host:99999" },
            new object[] { "docker://AWS:p@host:50x0" },
            new object[] { "docker://a://b://c" },
            new object[] { "docker://AWS:p@[::1" },
            new object[] { "docker://AWS:p@host?cb=http://x" },
            new object[] { "postgresql://u:p@h:5432/db" },
            new object[] { "  docker://AWS:p@host  " },
        };

        [Theory]
        [MemberData(nameof(Values))]
        public void We_read_what_Airflow_reads(string value)
        {
            var ours = ConnectionDocument.Parse("x", value, "AIRFLOW_CONN_X");
            var theirs = StandInGet(value);
            if (theirs == null)
            {
                Assert.NotEqual(StoredKind.Docker, ours.Kind);
                return;
            }

            var row = theirs.Value;
            if (row.GetProperty("conn_type").GetString() != "docker")
            {
                Assert.Equal(StoredKind.NotDocker, ours.Kind);
                Assert.Equal("a " + row.GetProperty("conn_type").GetString() + " connection", ours.Type);
                return;
            }

            Assert.Equal(StoredKind.Docker, ours.Kind);
            Assert.Equal(Empty(row, "host"), ours.Host);
            Assert.Equal(Empty(row, "login"), ours.Login);
            Assert.Equal(Empty(row, "password"), ours.Password == null ? null : SecureText.Reveal(ours.Password));
            Assert.Equal(Empty(row, "schema"), ours.Schema);
            Assert.Equal(Empty(row, "port"), ours.Port?.ToString(CultureInfo.InvariantCulture));
            Assert.Equal(Stringified(row.GetProperty("extra_dejson").GetRawText()), Stringified(ours.Extra ?? "{}"));
        }

        /// <summary>Airflow gives "" where we give null (no login, no schema): the same to a user.</summary>
        private static string? Empty(JsonElement row, string name)
        {
            var value = row.GetProperty(name);
            return value.ValueKind == JsonValueKind.Null || value.GetString() == string.Empty ? null : value.GetString();
        }

        /// <summary>An extra object with every value as Python's str() shows it, as the CLI prints extra_dejson.</summary>
        private static string Stringified(string extra)
        {
            using var doc = JsonDocument.Parse(extra);
            var parts = new List<string>();
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                var text = p.Value.ValueKind switch
                {
                    JsonValueKind.True => "True",
                    JsonValueKind.False => "False",
                    JsonValueKind.String => p.Value.GetString(),
                    _ => p.Value.GetRawText(),
                };
                parts.Add(p.Name + "=" + text);
            }

            return string.Join("&", parts);
        }

        private JsonElement? StandInGet(string value)
        {
            var psi = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add(CliTargetTests.StandIn());
            foreach (var a in new[] { "connections", "get", "x", "--output", "json" })
            {
                psi.ArgumentList.Add(a);
            }

            psi.Environment["AIRFLOW_STANDIN_HOME"] = _home.FullName;
            psi.Environment["AIRFLOW_CONN_X"] = value;
            using var process = Process.Start(psi)!;
            var stdout = process.StandardOutput.ReadToEnd();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode == 1 && stderr.Contains("Connection not found."))
            {
                return null;
            }

            Assert.True(process.ExitCode == 0, stderr);
            using var doc = JsonDocument.Parse(stdout);
            return doc.RootElement[0].Clone();
        }
    }
}
