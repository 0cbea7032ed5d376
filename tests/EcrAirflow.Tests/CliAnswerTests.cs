using System;
using System.Collections.Generic;
using Xunit;
using EcrAirflow.Airflow;
using EcrAirflow.Internal.Secrets;
using EcrAirflow.Modes.Cli;

namespace EcrAirflow.Tests
{
    public class CliAnswerTests
    {
        private static readonly string[] Ids = { "ecr_a", "ecr_b" };

        private static CliImportAnswer Parse(int exit, string stdout, string stderr = "") =>
            CliImportAnswer.Parse(new CliRunResult(exit, stdout, stderr), Ids, "airflow");

        [Fact]
        public void All_imported()
        {
            var answer = Parse(0, "Imported connection ecr_a\nImported connection ecr_b\n");
            Assert.Equal(Ids, answer.Imported);
            Assert.Empty(answer.Failures);
            Assert.Null(answer.BatchError);
        }

        [Fact]
        public void Could_not_import_with_exit_code_zero_is_a_failure()
        {
            var answer = Parse(0, "Imported connection ecr_a\nCould not import connection ecr_b: connection already exists.\n");
            Assert.Equal(new[] { "ecr_a" }, answer.Imported);
            var error = answer.Failures["ecr_b"];
            Assert.Equal("AirflowCliImportRejected", error.ErrorId);
            Assert.Contains("connection already exists.", error.Message);
        }

        [Fact]
        public void Invalid_key_message_without_id_applies_to_the_unconfirmed()
        {
            var answer = Parse(0, "Imported connection ecr_a\nCould not import connection. The key 'x y' has to be made of alphanumeric characters\n");
            Assert.Equal("AirflowCliImportRejected", answer.Failures["ecr_b"].ErrorId);
        }

        [Fact]
        public void Silence_is_not_success()
        {
            var answer = Parse(0, "Imported connection ecr_ab\n");
            Assert.Empty(answer.Imported);
            Assert.Equal("AirflowCliNotConfirmed", answer.Failures["ecr_a"].ErrorId);
        }

        [Fact]
        public void Wrapped_lines_still_count()
        {
            var answer = Parse(0, "Imported connection\necr_a\r\nImported   connection ecr_b");
            Assert.Equal(Ids, answer.Imported);
        }

        [Fact]
        public void Unknown_overwrite_names_the_minimum_version()
        {
            var answer = Parse(2, "usage: airflow ...help...", "\nairflow command error: unrecognized arguments: --overwrite, see help above.\n");
            Assert.Equal("AirflowCliTooOld", answer.BatchError!.ErrorId);
            Assert.Contains("Airflow 2.6 or later", answer.BatchError.Message);
            Assert.Equal(FailureKind.NotImplemented, answer.BatchError.Kind);
        }

        [Fact]
        public void Other_argparse_errors_quote_the_message()
        {
            var answer = Parse(2, "help", "\nairflow command error: argument GROUP_OR_COMMAND: invalid choice: 'conections', see help above.\n");
            Assert.Equal("AirflowCliUsageError", answer.BatchError!.ErrorId);
            Assert.EndsWith("argument GROUP_OR_COMMAND: invalid choice: 'conections'", answer.BatchError.Message);
        }

        [Fact]
        public void Exit_one_reports_the_exception_line()
        {
            var stderr = "Traceback (most recent call last):\n  File \"x\", line 1\nsqlalchemy.exc.OperationalError: (sqlite3.OperationalError) database is locked\n[SQL: INSERT ...]\n(Background on this error at: https://sqlalche.me/e/14/e3q8)\n";
            var answer = Parse(1, "", stderr);
            Assert.Equal("AirflowCliFailed", answer.BatchError!.ErrorId);
            Assert.EndsWith("exit code 1: sqlalchemy.exc.OperationalError: (sqlite3.OperationalError) database is locked", answer.BatchError.Message);
            Assert.Same(answer.BatchError, answer.Failures["ecr_a"]);
        }

        [Fact]
        public void Exit_one_with_a_plain_message()
        {
            var answer = Parse(1, "", "Missing connections file.\n");
            Assert.EndsWith("exit code 1: Missing connections file.", answer.BatchError!.Message);
        }

        [Fact]
        public void Partial_import_before_a_failure_keeps_what_was_written()
        {
            var answer = Parse(1, "Imported connection ecr_a\n", "sqlalchemy.exc.OperationalError: boom\n");
            Assert.Equal(new[] { "ecr_a" }, answer.Imported);
            Assert.Equal("AirflowCliFailed", answer.Failures["ecr_b"].ErrorId);
        }

        [Fact]
        public void Exit_127_is_command_not_found()
        {
            var answer = Parse(127, "", "OCI runtime exec failed: exec failed: unable to start container process: exec: \"airflow\": executable file not found in $PATH: unknown\n");
            Assert.Equal("AirflowCommandNotFound", answer.BatchError!.ErrorId);
            Assert.Equal(FailureKind.ObjectNotFound, answer.BatchError.Kind);
        }

        [Fact]
        public void Redactor_hides_every_spelling_of_the_token()
        {
            var r = new SecretRedactor(new[] { "tok+/=en" });
            Assert.Equal("a ******** b ******** c ********", r.Redact("a tok+/=en b tok%2B%2F%3Den c tok+\\/=en".Replace("\\/", "/")));
            var json = new SecretRedactor(new[] { "q\"uote" });
            Assert.Equal("x ********", json.Redact("x q\\\"uote"));
        }

        [Theory]
        [InlineData("simple", "simple")]
        [InlineData("with space", "\"with space\"")]
        [InlineData("", "\"\"")]
        [InlineData("a\"b", "\"a\\\"b\"")]
        [InlineData("C:\\dir with space\\", "\"C:\\dir with space\\\\\"")]
        [InlineData("back\\\"quote", "\"back\\\\\\\"quote\"")]
        [InlineData("C:\\no\\space\\", "C:\\no\\space\\")]
        public void Windows_quoting_round_trips_through_CommandLineToArgv_rules(string arg, string expected)
        {
            Assert.Equal(expected, CliCommandLine.QuoteWindows(arg));
        }
    
        // ---- connections get ID --output json (what Airflow 2.10 and 3.x print, values made strings) ----

        private const string Row = "[{\"id\": \"7\", \"conn_id\": \"ecr\", \"conn_type\": \"docker\", \"description\": \"d\", \"host\": \"h.example.com\", \"schema\": \"s\", " +
            "\"login\": \"AWS\", \"password\": \"pw+/=secret\", \"port\": \"5000\", \"is_encrypted\": \"False\", \"is_extra_encrypted\": \"False\", " +
            "\"extra_dejson\": {\"reauth\": \"False\", \"timeout\": \"30\"}, " +
            "\"get_uri\": \"docker://AWS:pw%2B%2F%3Dsecret@h.example.com:5000/s?__extra__=%7B%22reauth%22%3A+false%2C+%22timeout%22%3A+30%7D\"}]";

        private static CliStoredConnection Get(int exit, string stdout, string stderr = "") => CliGetAnswer.Parse(new CliRunResult(exit, stdout, stderr), "ecr", "airflow");

        [Fact]
        public void Get_reads_the_row_with_the_port_as_text_and_the_extra_from_get_uri()
        {
            var read = Get(0, Row + "\n");
            Assert.True(read.InDatabase);
            var c = read.Stored;
            Assert.Equal(StoredKind.Docker, c.Kind);
            Assert.Equal(5000, c.Port);
            Assert.Equal("{\"reauth\": false, \"timeout\": 30}", c.Extra);   // extra_dejson says "False": get_uri keeps false
            Assert.Equal("pw+/=secret", SecureText.Reveal(c.Password!));
            Assert.Equal(PasswordVisibility.Readable, c.PasswordVisibility);
            Assert.DoesNotContain("pw+/=secret", c.ToString());
        }

        [Fact]
        public void Get_without_get_uri_falls_back_to_extra_dejson_and_null_id_is_outside_the_database()
        {
            var read = Get(0, "[{\"id\": null, \"conn_id\": \"ecr\", \"conn_type\": \"docker\", \"host\": \"h\", \"port\": null, \"extra_dejson\": {\"email\": \"a@b\"}}]");
            Assert.False(read.InDatabase);
            Assert.Null(read.Stored.Port);
            Assert.Equal("{\"email\": \"a@b\"}", read.Stored.Extra);
            Assert.Equal(PasswordVisibility.Absent, read.Stored.PasswordVisibility);
        }

        [Fact]
        public void Get_not_found_is_Missing_and_another_type_is_NotDocker_without_its_password()
        {
            Assert.Equal(StoredKind.Missing, Get(1, "", "Connection not found.\n").Stored.Kind);
            var pg = Get(0, Row.Replace("\"conn_type\": \"docker\"", "\"conn_type\": \"postgres\"")).Stored;
            Assert.Equal(StoredKind.NotDocker, pg.Kind);
            Assert.Equal("a postgres connection", pg.Type);
            Assert.Null(pg.Password);
        }

        [Fact]
        public void Get_failures_quote_stderr_exception_line_never_stdout_and_stop_the_batch()
        {
            var ex = Assert.Throws<EcrAirflowException>(() => Get(1, Row, "Traceback (most recent call last):\n  File \"x\"\nsqlalchemy.exc.OperationalError: database is locked\n"));
            Assert.Equal("AirflowCliReadFailed", ex.ErrorId);
            Assert.EndsWith(": sqlalchemy.exc.OperationalError: database is locked", ex.Message);
            Assert.DoesNotContain("pw+/=secret", ex.Message);
            Assert.True(ex.StopsBatch);

            Assert.Equal("AirflowCommandNotFound", Assert.Throws<EcrAirflowException>(() => Get(127, "", "exec: airflow: not found")).ErrorId);
            Assert.Equal("AirflowCliUsageError", Assert.Throws<EcrAirflowException>(() => Get(2, "", "airflow command error: argument GROUP_OR_COMMAND: invalid choice: 'connections', see help above.")).ErrorId);
        }

        [Theory]
        [InlineData("")]
        [InlineData("hello")]
        [InlineData("[]")]
        [InlineData("[{\"conn_id\": \"other\", \"conn_type\": \"docker\"}]")]
        [InlineData("[{\"conn_id\": \"ecr\"}, {\"conn_id\": \"ecr\"}]")]
        [InlineData("[not json]")]
        public void Get_output_that_is_not_the_list_of_this_one_connection_is_unexpected(string stdout)
        {
            var ex = Assert.Throws<EcrAirflowException>(() => Get(0, stdout));
            Assert.Equal("AirflowCliUnexpectedOutput", ex.ErrorId);
        }

        [Fact]
        public void Get_output_after_a_warning_line_is_still_read()
        {
            var read = Get(0, "/usr/lib/python3/site-packages/airflow/configuration.py:859 FutureWarning: section/key [core/sql_alchemy_conn] has been deprecated\n" + Row);
            Assert.Equal("h.example.com", read.Stored.Host);
        }
    }
}
