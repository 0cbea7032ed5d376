using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Xunit;
using EcrAirflow.Core.Airflow;
using EcrAirflow.Core.Modes.EnvironmentVariable;

namespace EcrAirflow.Tests
{
    public class DotEnvFileTests
    {
        private static readonly Encoding Bytes = Encoding.Latin1;

        private static string Apply(string text, out IDictionary<string, SyncAction> actions, params (string Key, string Value)[] pairs)
        {
            actions = new Dictionary<string, SyncAction>();
            var list = new List<KeyValuePair<string, string>>();
            foreach (var (k, v) in pairs)
            {
                list.Add(new KeyValuePair<string, string>(k, v));
            }

            return DotEnvFile.Apply(text, list, actions);
        }

        private const string Uri = "docker://AWS:tok%2B%2F%3Den@123456789012.dkr.ecr.eu-west-1.amazonaws.com";

        [Fact]
        public void Replaces_in_place_and_keeps_crlf_comments_and_other_lines()
        {
            var original = "# Airflow settings\r\nAIRFLOW_UID=50000\r\n\r\nAIRFLOW_CONN_ECR='docker://old'  # refreshed by cron\r\n  # indented comment\r\nOTHER=\"x y\"\r\n";
            var updated = Apply(original, out var actions, ("AIRFLOW_CONN_ECR", Uri));
            Assert.Equal("# Airflow settings\r\nAIRFLOW_UID=50000\r\n\r\nAIRFLOW_CONN_ECR='" + Uri + "'  # refreshed by cron\r\n  # indented comment\r\nOTHER=\"x y\"\r\n", updated);
            Assert.Equal(SyncAction.Updated, actions["AIRFLOW_CONN_ECR"]);
        }

        [Fact]
        public void Appends_with_the_files_line_ending_and_terminates_a_last_line_first()
        {
            var updated = Apply("A=1\r\nB=2", out var actions, ("AIRFLOW_CONN_ECR", Uri));
            Assert.Equal("A=1\r\nB=2\r\nAIRFLOW_CONN_ECR='" + Uri + "'\r\n", updated);
            Assert.Equal(SyncAction.Created, actions["AIRFLOW_CONN_ECR"]);

            Assert.Equal("A=1\nAIRFLOW_CONN_ECR='x'\n", Apply("A=1\n", out _, ("AIRFLOW_CONN_ECR", "x")));
            Assert.Equal("AIRFLOW_CONN_ECR='x'\n", Apply("", out _, ("AIRFLOW_CONN_ECR", "x")));
        }

        [Fact]
        public void Keeps_export_prefix_indentation_and_bom()
        {
            var original = "\u00EF\u00BB\u00BFexport AIRFLOW_CONN_ECR=old\n  AIRFLOW_CONN_B = \"old\"\n";
            var updated = Apply(original, out _, ("AIRFLOW_CONN_ECR", "new"), ("AIRFLOW_CONN_B", "n2"));
            Assert.Equal("\u00EF\u00BB\u00BFexport AIRFLOW_CONN_ECR='new'\n  AIRFLOW_CONN_B='n2'\n", updated);
        }

        [Fact]
        public void A_second_run_with_the_same_value_is_unchanged()
        {
            var once = Apply("A=1\n", out _, ("AIRFLOW_CONN_ECR", Uri));
            var twice = Apply(once, out var actions, ("AIRFLOW_CONN_ECR", Uri));
            Assert.Equal(once, twice);
            Assert.Equal(SyncAction.Unchanged, actions["AIRFLOW_CONN_ECR"]);
        }

        [Fact]
        public void Lines_inside_another_variables_multiline_value_are_not_definitions()
        {
            var original = "CERT=\"-----BEGIN-----\nAIRFLOW_CONN_ECR=not-a-definition\n-----END-----\"\nAIRFLOW_CONN_ECR=old\n";
            var updated = Apply(original, out _, ("AIRFLOW_CONN_ECR", "new"));
            Assert.Equal("CERT=\"-----BEGIN-----\nAIRFLOW_CONN_ECR=not-a-definition\n-----END-----\"\nAIRFLOW_CONN_ECR='new'\n", updated);
        }

        [Fact]
        public void Our_own_multiline_definition_is_replaced_whole()
        {
            var original = "AIRFLOW_CONN_ECR=\"line1\r\nline2\"\r\nZ=1\r\n";
            Assert.Equal("AIRFLOW_CONN_ECR='new'\r\nZ=1\r\n", Apply(original, out _, ("AIRFLOW_CONN_ECR", "new")));
        }

        [Fact]
        public void Bytes_that_are_not_utf8_survive()
        {
            var original = Bytes.GetString(new byte[] { (byte)'X', (byte)'=', 0xFF, 0xFE, 0x80, (byte)'\n' });
            var updated = Apply(original, out _, ("AIRFLOW_CONN_ECR", "v"));
            Assert.Equal(new byte[] { (byte)'X', (byte)'=', 0xFF, 0xFE, 0x80, (byte)'\n' }, Bytes.GetBytes(updated).AsSpan(0, 6).ToArray());
        }

        public static IEnumerable<object[]> Values()
        {
            yield return new object[] { Uri };
            yield return new object[] { Uri + "?email=a%40b.c&reauth=false" };
            var c = Samples.Connection();
            c = c with { Description = "Managed by EcrAirflow; token expires 2030-01-01 00:00:00 UTC # not a comment" };
            yield return new object[] { ConnectionJson.Object(c, true) };
            c = c with { Description = "it's $HOME, \"quoted\", back\\slash and ${NOT_EXPANDED}" };
            yield return new object[] { ConnectionJson.Object(c, true) };
        }

        [Theory]
        [MemberData(nameof(Values))]
        public void Compose_and_python_dotenv_rules_read_the_value_back_unchanged(string value)
        {
            var line = Apply("", out _, ("AIRFLOW_CONN_ECR", value));
            Assert.Equal(("AIRFLOW_CONN_ECR", value), DotEnvRules.ReadCompose(line));
            Assert.Equal(("AIRFLOW_CONN_ECR", value), DotEnvRules.ReadPythonDotenv(line));
        }

        [Fact]
        public void A_value_no_quoting_can_carry_is_refused_not_mangled()
        {
            var ex = Assert.Throws<EcrAirflowException>(() => DotEnvSyntax.Quote("AIRFLOW_CONN_X", "a'b$c"));
            Assert.Equal("DotEnvValueNotRepresentable", ex.ErrorId);
            Assert.Throws<EcrAirflowException>(() => DotEnvSyntax.Quote("AIRFLOW_CONN_X", "a\nb"));
        }

        [Fact]
        public void Update_creates_an_owner_only_file_and_keeps_an_existing_files_mode()
        {
            if (OperatingSystem.IsWindows())
            {
                return;
            }

            var dir = Directory.CreateTempSubdirectory("ecrairflow-dotenv-");
            try
            {
                var path = Path.Combine(dir.FullName, ".env");
                DotEnvFile.Update(path, new[] { new KeyValuePair<string, string>("AIRFLOW_CONN_ECR", Uri) });
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
                Assert.Equal("AIRFLOW_CONN_ECR='" + Uri + "'\n", File.ReadAllText(path));

                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
                DotEnvFile.Update(path, new[] { new KeyValuePair<string, string>("AIRFLOW_CONN_ECR", "new") });
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(path));
                Assert.Single(Directory.GetFileSystemEntries(dir.FullName)); // no temp file left
            }
            finally
            {
                dir.Delete(true);
            }
        }

        [Fact]
        public void Update_edits_the_target_of_a_symlink()
        {
            if (OperatingSystem.IsWindows())
            {
                return;
            }

            var dir = Directory.CreateTempSubdirectory("ecrairflow-dotenv-");
            try
            {
                var real = Path.Combine(dir.FullName, "real.env");
                File.WriteAllText(real, "A=1\n");
                var link = Path.Combine(dir.FullName, ".env");
                File.CreateSymbolicLink(link, real);
                DotEnvFile.Update(link, new[] { new KeyValuePair<string, string>("AIRFLOW_CONN_ECR", "v") });
                Assert.NotNull(new FileInfo(link).LinkTarget);
                Assert.Equal("A=1\nAIRFLOW_CONN_ECR='v'\n", File.ReadAllText(real));
            }
            finally
            {
                dir.Delete(true);
            }
        }
    }
}
