using System;
using Xunit;
using EcrAirflow.Core.Airflow;
using EcrAirflow.Core.Internal.Secrets;
using EcrAirflow.Core.Modes.Cli;

namespace EcrAirflow.Tests
{
    /// <summary>CliGetAnswer: what `airflow connections get ID --output json` answered, read as the refresh reads it.</summary>
    public sealed class CliGetAnswerTests
    {
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
