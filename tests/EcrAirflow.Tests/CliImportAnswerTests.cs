using Xunit;
using EcrAirflow.Core.Modes.Cli;

namespace EcrAirflow.Tests
{
    public sealed class CliImportAnswerTests
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
    }
}
