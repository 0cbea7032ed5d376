using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;
using EcrAirflow.Core.Internal;
using EcrAirflow.Core.Modes.EnvironmentVariable;

namespace EcrAirflow.Tests
{
    /// <summary>What EnvironmentVariable mode tells a CI system (GitHub Actions, Azure Pipelines): masks first, then the variable.</summary>
    public sealed class CiCommandsTests : IDisposable
    {
        private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ecrairflow-ci-");

        public void Dispose() => _dir.Delete(true);

        private (ConnectionVariableTarget Target, StringWriter Console) NewTarget(CiSystem ci, Dictionary<string, string?> variables, ConnectionFormat format = ConnectionFormat.Uri)
        {
            var console = new StringWriter { NewLine = "\n" };
            // -Path keeps these tests off the test process's own environment.
            var options = new EnvironmentVariableParameters { CiSystem = ci, Format = format, Path = Path.Combine(_dir.FullName, ".env") };
            return (new ConnectionVariableTarget(options, console, name => variables.TryGetValue(name, out var v) ? v : null), console);
        }

        [Fact]
        public async Task GitHub_masks_the_token_first_then_appends_the_multiline_entry_to_GITHUB_ENV()
        {
            var githubEnv = Path.Combine(_dir.FullName, "github_env");
            File.WriteAllText(githubEnv, "EARLIER=1"); // no final newline: ours must start on a new line
            var (target, console) = NewTarget(CiSystem.Auto, new Dictionary<string, string?> { ["GITHUB_ENV"] = githubEnv, ["TF_BUILD"] = "True" });
            Assert.Equal(CiSystem.GitHubActions, target.Ci);

            var outcome = await target.WriteAsync(new[] { Samples.Connection() }, NullOperationLog.Instance, default);

            Assert.Empty(outcome.Failed);
            // The raw token, then its percent-encoded spelling as it occurs in the URI ('%' escaped as %25
            // per the workflow command rules, so the runner masks "tok%2B%2F%3Den").
            Assert.Equal("::add-mask::tok+/=en\n::add-mask::tok%252B%252F%253Den\n", console.ToString());
            var content = File.ReadAllText(githubEnv);
            var m = Regex.Match(content, @"^EARLIER=1\nAIRFLOW_CONN_ECR<<(ghadelimiter_[0-9a-f-]{36})\ndocker://AWS:tok%2B%2F%3Den@123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com\n\1\n$");
            Assert.True(m.Success, content);
            Assert.Equal(_dir.FullName + "/.env + GitHubActions", outcome.Written[0].Target.Replace('\\', '/'));
            Assert.Equal("AIRFLOW_CONN_ECR", outcome.Written[0].VariableName);
        }

        [Fact]
        public async Task Azure_registers_secrets_then_sets_a_secret_variable()
        {
            var (target, console) = NewTarget(CiSystem.Auto, new Dictionary<string, string?> { ["TF_BUILD"] = "True" });
            Assert.Equal(CiSystem.AzurePipelines, target.Ci);

            await target.WriteAsync(new[] { Samples.Connection() }, NullOperationLog.Instance, default);

            Assert.Equal(
                "##vso[task.setsecret]tok+/=en\n" +
                "##vso[task.setsecret]tok%2B%2F%3Den\n" +
                "##vso[task.setvariable variable=AIRFLOW_CONN_ECR;issecret=true]docker://AWS:tok%2B%2F%3Den@123456789012.dkr.ecr.eu-west-1.amazonaws.com\n",
                console.ToString());
        }

        [Fact]
        public async Task Azure_refuses_a_value_the_agent_would_decode()
        {
            var (target, console) = NewTarget(CiSystem.AzurePipelines, new Dictionary<string, string?>());
            var ex = await Assert.ThrowsAsync<EcrAirflowException>(() =>
                target.WriteAsync(new[] { Samples.Connection(password: "semi;colon") }, NullOperationLog.Instance, default));
            Assert.Equal("AzurePipelinesValueNotRepresentable", ex.ErrorId);
            Assert.Equal("", console.ToString());
            Assert.False(File.Exists(Path.Combine(_dir.FullName, ".env")));
        }

        [Fact]
        public async Task Json_format_masks_the_token_once()
        {
            var githubEnv = Path.Combine(_dir.FullName, "github_env");
            var (target, console) = NewTarget(CiSystem.GitHubActions, new Dictionary<string, string?> { ["GITHUB_ENV"] = githubEnv }, ConnectionFormat.Json);
            await target.WriteAsync(new[] { Samples.Connection() }, NullOperationLog.Instance, default);
            Assert.Equal("::add-mask::tok+/=en\n", console.ToString());
        }

        [Fact]
        public void Explicit_GitHub_without_GITHUB_ENV_is_an_error_and_Auto_without_CI_is_none()
        {
            var ex = Assert.Throws<EcrAirflowException>(() => NewTarget(CiSystem.GitHubActions, new Dictionary<string, string?>()));
            Assert.Equal("GitHubEnvNotSet", ex.ErrorId);
            Assert.Equal(CiSystem.None, ConnectionVariableTarget.ResolveCi(CiSystem.Auto, _ => null));
            Assert.Equal(CiSystem.None, ConnectionVariableTarget.ResolveCi(CiSystem.None, _ => "set"));
        }

        [Fact]
        public void Workflow_command_data_is_escaped()
        {
            Assert.Equal("::add-mask::a%25b%0Dc%0Ad", GitHubActionsCommands.AddMask("a%b\rc\nd"));
            Assert.Equal("N<<D\nv\nD\n", GitHubActionsCommands.EnvFileEntry("N", "v", "D"));
            Assert.Throws<ArgumentException>(() => GitHubActionsCommands.EnvFileEntry("N", "xDx", "D"));
        }
    }
}
