using System;
using System.Collections.Generic;
using System.Security;
using System.Threading.Tasks;
using Xunit;
using EcrAirflow.Core.Internal;
using EcrAirflow.Core.Modes.EnvironmentVariable;

namespace EcrAirflow.Tests
{
    /// <summary>
    /// EnvironmentVariable mode's variable names and -Scope: User and Machine through a fake variable store and platform
    /// (the Windows-only paths, on any system).
    /// </summary>
    public sealed class ConnectionVariableTargetTests
    {
        [Theory]
        [InlineData("ecr", "AIRFLOW_CONN_ECR")]
        [InlineData("ecr_eu-west-1", "AIRFLOW_CONN_ECR_EU-WEST-1")]
        [InlineData("my.Conn", "AIRFLOW_CONN_MY.CONN")]
        public void Variable_name_is_the_upper_cased_id(string id, string name)
        {
            Assert.Equal(name, ConnectionVariableTarget.VariableName(id));
        }

        /// <summary>Python's str.upper (what Airflow applies) and .NET's ToUpperInvariant disagree beyond ASCII.</summary>
        [Theory]
        [InlineData("straße")]   // Python: STRASSE
        [InlineData("ecr_ﬁ")]     // Python: ECR_FI
        [InlineData("ecr_ı")]     // Python: ECR_I
        [InlineData("écr")]
        public void Variable_names_outside_ASCII_are_refused(string id)
        {
            var ex = Assert.Throws<EcrAirflowException>(() => ConnectionVariableTarget.VariableName(id));
            Assert.Equal("VariableNameNotAscii", ex.ErrorId);
        }

        private sealed class FakeStore : IVariableStore
        {
            public Dictionary<(string, VariableScope), string> Values { get; } = new Dictionary<(string, VariableScope), string>();

            public List<(string Name, VariableScope Scope)> Writes { get; } = new List<(string, VariableScope)>();

            public Func<VariableScope, Exception?> Deny { get; set; } = _ => null;

            public string? Get(string name, VariableScope scope) => Values.TryGetValue((name, scope), out var v) ? v : null;

            public void Set(string name, string value, VariableScope scope)
            {
                var denied = Deny(scope);
                if (denied != null)
                {
                    throw denied;
                }

                Writes.Add((name, scope));
                Values[(name, scope)] = value;
            }
        }

        private static ConnectionVariableTarget Target(VariableScope scope, FakeStore store, bool windows) =>
            new ConnectionVariableTarget(
                new EnvironmentVariableParameters { Scope = scope, CiSystem = CiSystem.None },
                console: new System.IO.StringWriter(),
                readVariable: _ => null,
                store: store,
                isWindows: () => windows);

        [Fact]
        public async Task Scope_User_on_Windows_writes_the_user_variable_and_leaves_this_process_as_it_was()
        {
            var store = new FakeStore();
            var outcome = await Target(VariableScope.User, store, windows: true).WriteAsync(new[] { Samples.Connection() }, NullOperationLog.Instance, default);

            Assert.Empty(outcome.Failed);
            Assert.Equal(new[] { ("AIRFLOW_CONN_ECR", VariableScope.User) }, store.Writes);
            Assert.Equal("docker://AWS:tok%2B%2F%3Den@123456789012.dkr.ecr.eu-west-1.amazonaws.com", store.Get("AIRFLOW_CONN_ECR", VariableScope.User));
            var written = Assert.Single(outcome.Written);
            Assert.Equal(SyncAction.Created, written.Action);
            Assert.Equal("User", written.Target);

            // The same value again is Unchanged and not written; another value is Updated.
            var again = await Target(VariableScope.User, store, windows: true).WriteAsync(new[] { Samples.Connection() }, NullOperationLog.Instance, default);
            Assert.Equal(SyncAction.Unchanged, Assert.Single(again.Written).Action);
            Assert.Single(store.Writes);
            var changed = await Target(VariableScope.User, store, windows: true).WriteAsync(new[] { Samples.Connection(password: "new") }, NullOperationLog.Instance, default);
            Assert.Equal(SyncAction.Updated, Assert.Single(changed.Written).Action);
        }

        [Theory]
        [InlineData(typeof(UnauthorizedAccessException))] // .NET: HKLM not writable without elevation
        [InlineData(typeof(SecurityException))] // .NET Framework's spelling of the same
        public async Task Scope_Machine_without_elevation_is_EnvironmentScopeAccessDenied_with_the_Run_as_Administrator_hint(Type denial)
        {
            var store = new FakeStore { Deny = s => s == VariableScope.Machine ? (Exception)Activator.CreateInstance(denial)! : null };
            var outcome = await Target(VariableScope.Machine, store, windows: true).WriteAsync(
                new[] { Samples.Connection("ecr_a"), Samples.Connection("ecr_b") }, NullOperationLog.Instance, default);

            Assert.Empty(outcome.Written);
            Assert.Empty(store.Writes);
            Assert.Equal(2, outcome.Failed.Count);
            foreach (var failure in outcome.Failed)
            {
                Assert.Equal("EnvironmentScopeAccessDenied", failure.Error.ErrorId);
                Assert.Equal(FailureKind.PermissionDenied, failure.Error.Kind);
                Assert.Contains("Machine environment: access denied", failure.Error.Message);
                Assert.Contains("Run as Administrator", failure.Error.Hint);
                Assert.Contains("-Scope User", failure.Error.Hint);
                Assert.DoesNotContain("tok", failure.Error.Message);
            }
        }

        [Fact]
        public async Task Scope_User_denied_gets_the_general_hint_not_the_elevation_one()
        {
            var store = new FakeStore { Deny = _ => new UnauthorizedAccessException() };
            var outcome = await Target(VariableScope.User, store, windows: true).WriteAsync(new[] { Samples.Connection() }, NullOperationLog.Instance, default);
            var failure = Assert.Single(outcome.Failed);
            Assert.Equal("EnvironmentScopeAccessDenied", failure.Error.ErrorId);
            Assert.DoesNotContain("Administrator", failure.Error.Hint);
        }

        [Theory]
        [InlineData(VariableScope.User)]
        [InlineData(VariableScope.Machine)]
        public void User_and_Machine_off_Windows_are_ScopeNotSupportedOnPlatform_before_anything_is_written(VariableScope scope)
        {
            var store = new FakeStore();
            var ex = Assert.Throws<EcrAirflowException>(() => Target(scope, store, windows: false));
            Assert.Equal("ScopeNotSupportedOnPlatform", ex.ErrorId);
            Assert.Equal(FailureKind.InvalidArgument, ex.Kind);
            Assert.Contains($"-Scope {scope} exists only on Windows", ex.Message);
            Assert.Empty(store.Writes);
        }

        [Fact]
        public async Task Scope_Process_works_on_every_platform()
        {
            foreach (var windows in new[] { true, false })
            {
                var store = new FakeStore();
                await Target(VariableScope.Process, store, windows).WriteAsync(new[] { Samples.Connection() }, NullOperationLog.Instance, default);
                Assert.Equal(new[] { ("AIRFLOW_CONN_ECR", VariableScope.Process) }, store.Writes);
            }
        }

        [Fact]
        public void The_real_store_maps_User_and_Machine_to_the_registry_scopes_of_the_same_name()
        {
            Assert.Equal(EnvironmentVariableTarget.User, SystemVariableStore.ToTarget(VariableScope.User));
            Assert.Equal(EnvironmentVariableTarget.Machine, SystemVariableStore.ToTarget(VariableScope.Machine));
        }

        [Fact]
        public void User_and_Machine_scopes_are_refused_off_Windows()
        {
            if (OperatingSystem.IsWindows())
            {
                return;
            }

            var ex = Assert.Throws<EcrAirflowException>(() => ConnectionVariableTarget.CheckScope(VariableScope.User));
            Assert.Equal("ScopeNotSupportedOnPlatform", ex.ErrorId);
            Assert.Equal(FailureKind.InvalidArgument, ex.Kind);
            ConnectionVariableTarget.CheckScope(VariableScope.Process);
        }
    }
}
