using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Security;
using System.Security.AccessControl;
using System.Text;
using System.Threading.Tasks;
using Xunit;
using EcrAirflow.Internal;
using EcrAirflow.Internal.Files;
using EcrAirflow.Modes.Cli;
using EcrAirflow.Modes.EnvironmentVariable;

namespace EcrAirflow.Tests
{
    /// <summary>
    /// The Windows-only code paths, each through its seam, on any system: the owner-only ACL of the Cli
    /// import file (as a descriptor), -Scope User/Machine (with a fake variable store and platform), and
    /// the Windows command line the netstandard2.0 build starts the CLI with.
    /// </summary>
    public sealed class WindowsSeamTests
    {
        private const string Sid = "S-1-5-21-1004336348-1177238915-682003330-1001";

        // ---- Owner-only ACL of the Cli import file -------------------------------------------------

        [Fact]
        public void The_secret_file_descriptor_allows_only_its_owner_full_control_and_inherits_nothing()
        {
            var d = OwnerOnlyDescriptor.For(Sid);

            Assert.Equal(Sid, d.OwnerSid);
            Assert.True(d.DaclProtected, "the DACL must be protected, or the folder's entries (Users, Administrators...) are inherited");
            var entry = Assert.Single(d.Allow);
            Assert.Equal(Sid, entry.Sid);
#pragma warning disable CA1416 // an enum constant, the same number on every platform
            Assert.Equal((int)FileSystemRights.FullControl, entry.AccessMask);
#pragma warning restore CA1416
            // O: owner; D:P protected DACL; (A;;FA;;;sid): allow, no inheritance flags, file all access, to sid.
            Assert.Equal($"O:{Sid}D:P(A;;FA;;;{Sid})", d.ToSddl());
        }

        [OnlyOnFact(OnWindows = true, Why = "RawSecurityDescriptor throws PlatformNotSupportedException elsewhere; the test above pins the string")]
        [System.Runtime.Versioning.SupportedOSPlatform("windows")]
        public void The_SDDL_says_what_the_descriptor_says_where_Windows_can_parse_it()
        {
            var raw = new RawSecurityDescriptor(OwnerOnlyDescriptor.For(Sid).ToSddl());
            Assert.Equal(Sid, raw.Owner!.Value);
            Assert.True(raw.ControlFlags.HasFlag(ControlFlags.DiscretionaryAclProtected));
            var ace = Assert.IsType<CommonAce>(Assert.Single(raw.DiscretionaryAcl!));
            Assert.Equal(AceQualifier.AccessAllowed, ace.AceQualifier);
            Assert.Equal(AceFlags.None, ace.AceFlags);
            Assert.Equal((int)FileSystemRights.FullControl, ace.AccessMask);
            Assert.Equal(Sid, ace.SecurityIdentifier.Value);
        }

        [Theory]
        [InlineData("")]
        [InlineData("WD")] // Everyone, as an SDDL alias
        [InlineData("S-1-5-21-1)(A;;FA;;;WD")]
        [InlineData("S-1")]
        public void Anything_but_a_SID_string_is_refused_rather_than_spliced_into_the_SDDL(string sid)
        {
            Assert.Throws<ArgumentException>(() => OwnerOnlyDescriptor.For(sid));
        }

        [Fact]
        public void The_netstandard_build_says_the_file_inherits_its_folders_ACL_and_the_net8_build_needs_no_note()
        {
            var note = (string?)NetStandardBuild.Type("EcrAirflow.Internal.Files.OwnerOnlyFile").GetProperty("ProtectionNote")!.GetValue(null);
            Assert.NotNull(note);
            Assert.Contains("cannot set an owner-only ACL", note);
            Assert.Contains("inherits the permissions of its folder", note);
            Assert.Null(OwnerOnlyFile.ProtectionNote);
        }

        // ---- -Scope User / Machine -----------------------------------------------------------------

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
            var outcome = await Target(VariableScope.User, store, windows: true).WriteAsync(new[] { ConnectionValueTests.Connection() }, NullOperationLog.Instance, default);

            Assert.Empty(outcome.Failed);
            Assert.Equal(new[] { ("AIRFLOW_CONN_ECR", VariableScope.User) }, store.Writes);
            Assert.Equal("docker://AWS:tok%2B%2F%3Den@123456789012.dkr.ecr.eu-west-1.amazonaws.com", store.Get("AIRFLOW_CONN_ECR", VariableScope.User));
            var written = Assert.Single(outcome.Written);
            Assert.Equal(SyncAction.Created, written.Action);
            Assert.Equal("User", written.Target);

            // The same value again is Unchanged and not written; another value is Updated.
            var again = await Target(VariableScope.User, store, windows: true).WriteAsync(new[] { ConnectionValueTests.Connection() }, NullOperationLog.Instance, default);
            Assert.Equal(SyncAction.Unchanged, Assert.Single(again.Written).Action);
            Assert.Single(store.Writes);
            var changed = await Target(VariableScope.User, store, windows: true).WriteAsync(new[] { ConnectionValueTests.Connection(password: "new") }, NullOperationLog.Instance, default);
            Assert.Equal(SyncAction.Updated, Assert.Single(changed.Written).Action);
        }

        [Theory]
        [InlineData(typeof(UnauthorizedAccessException))] // .NET: HKLM not writable without elevation
        [InlineData(typeof(SecurityException))] // .NET Framework's spelling of the same
        public async Task Scope_Machine_without_elevation_is_EnvironmentScopeAccessDenied_with_the_Run_as_Administrator_hint(Type denial)
        {
            var store = new FakeStore { Deny = s => s == VariableScope.Machine ? (Exception)Activator.CreateInstance(denial)! : null };
            var outcome = await Target(VariableScope.Machine, store, windows: true).WriteAsync(
                new[] { ConnectionValueTests.Connection("ecr_a"), ConnectionValueTests.Connection("ecr_b") }, NullOperationLog.Instance, default);

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
            var outcome = await Target(VariableScope.User, store, windows: true).WriteAsync(new[] { ConnectionValueTests.Connection() }, NullOperationLog.Instance, default);
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
                await Target(VariableScope.Process, store, windows).WriteAsync(new[] { ConnectionValueTests.Connection() }, NullOperationLog.Instance, default);
                Assert.Equal(new[] { ("AIRFLOW_CONN_ECR", VariableScope.Process) }, store.Writes);
            }
        }

        [Fact]
        public void The_real_store_maps_User_and_Machine_to_the_registry_scopes_of_the_same_name()
        {
            Assert.Equal(EnvironmentVariableTarget.User, SystemVariableStore.ToTarget(VariableScope.User));
            Assert.Equal(EnvironmentVariableTarget.Machine, SystemVariableStore.ToTarget(VariableScope.Machine));
        }

        // ---- Windows command-line quoting (the netstandard2.0 build's process start) ----------------

        /// <summary>
        /// Splits a command line (without the program name) as CommandLineToArgvW and the Microsoft C runtime
        /// do, per Microsoft's "Parsing C++ command-line arguments": space and tab outside quotes separate
        /// arguments; 2n backslashes then a quote give n backslashes and the quote opens or closes quoting;
        /// 2n+1 backslashes then a quote give n backslashes and a literal quote; other backslashes are literal.
        /// </summary>
        internal static List<string> SplitLikeCommandLineToArgvW(string commandLine)
        {
            var args = new List<string>();
            var current = new StringBuilder();
            var inArgument = false;
            var quoted = false;
            var i = 0;
            while (i < commandLine.Length)
            {
                var c = commandLine[i];
                if (!quoted && (c == ' ' || c == '\t'))
                {
                    if (inArgument)
                    {
                        args.Add(current.ToString());
                        current.Clear();
                        inArgument = false;
                    }

                    i++;
                    continue;
                }

                inArgument = true;
                if (c == '\\')
                {
                    var n = 0;
                    while (i < commandLine.Length && commandLine[i] == '\\')
                    {
                        n++;
                        i++;
                    }

                    if (i < commandLine.Length && commandLine[i] == '"')
                    {
                        current.Append('\\', n / 2);
                        if (n % 2 == 1)
                        {
                            current.Append('"');
                            i++;
                        }

                        // even: the quote is left for the next round, where it toggles quoting
                    }
                    else
                    {
                        current.Append('\\', n);
                    }

                    continue;
                }

                if (c == '"')
                {
                    quoted = !quoted;
                    i++;
                    continue;
                }

                current.Append(c);
                i++;
            }

            if (inArgument)
            {
                args.Add(current.ToString());
            }

            return args;
        }

        [Fact]
        public void The_splitter_follows_Microsofts_examples()
        {
            // The table in "Parsing C++ command-line arguments".
            Assert.Equal(new[] { "a b c", "d", "e" }, SplitLikeCommandLineToArgvW("\"a b c\" d e"));
            Assert.Equal(new[] { "ab\"c", "\\", "d" }, SplitLikeCommandLineToArgvW("\"ab\\\"c\" \"\\\\\" d"));
            Assert.Equal(new[] { "a\\\\\\b", "de fg", "h" }, SplitLikeCommandLineToArgvW("a\\\\\\b d\"e f\"g h"));
            Assert.Equal(new[] { "a\\\"b", "c", "d" }, SplitLikeCommandLineToArgvW("a\\\\\\\"b c d"));
            Assert.Equal(new[] { "a\\\\b c", "d", "e" }, SplitLikeCommandLineToArgvW("a\\\\\\\\\"b c\" d e"));
        }

        public static IEnumerable<object[]> TrickyArguments() => new[]
        {
            new object[] { new[] { "" } },
            new object[] { new[] { "", "", "x", "" } },
            new object[] { new[] { "with space" } },
            new object[] { new[] { "tab\there", " leading", "trailing " } },
            new object[] { new[] { "C:\\dir with space\\" } },
            new object[] { new[] { "C:\\no\\space\\" } },
            new object[] { new[] { "\\\\server\\share\\", "\\" } },
            new object[] { new[] { "back\\\"quote", "two\\\\\"quotes\\\\" } },
            new object[] { new[] { "\"", "\"\"", "say \"hi\"", "\"quoted\"" } },
            new object[] { new[] { "a\\\\\\\"b c", "\\\"" } },
            new object[] { new[] { "Zürich ✓ 東京 🐳", "ß" } },
            new object[] { new[] { "P@ss w%PATH%rd!^&|<>()'`$;\"\\" } },
            new object[] { new[] { "line\nbreak", "vertical\vtab" } },
            new object[] { new[] { "exec", "-it", "airflow-webserver", "airflow", "connections", "import", "C:\\Users\\me\\AppData\\Local\\Temp\\ecrairflow-1.json", "--overwrite" } },
        };

        [Theory]
        [MemberData(nameof(TrickyArguments))]
        public void ToWindowsArguments_splits_back_into_exactly_the_arguments(string[] args)
        {
            Assert.Equal(args, SplitLikeCommandLineToArgvW(CliCommandLine.ToWindowsArguments(args)));
        }

        [Fact]
        public void ToWindowsArguments_round_trips_thousands_of_random_mixes_of_backslashes_quotes_and_blanks()
        {
            var random = new Random(14);
            const string alphabet = "\\\\\\\"\" \ta\u00fc%";
            for (var n = 0; n < 5000; n++)
            {
                var args = Enumerable.Range(0, random.Next(1, 4))
                    .Select(a => new string(Enumerable.Range(0, random.Next(0, 9)).Select(c => alphabet[random.Next(alphabet.Length)]).ToArray()))
                    .ToArray();
                var line = CliCommandLine.ToWindowsArguments(args);
                Assert.True(args.SequenceEqual(SplitLikeCommandLineToArgvW(line)), "did not round-trip: " + line);
            }
        }

        private static readonly string[] ChildArgs = { "", "with space", "C:\\dir with space\\", "back\\\"quote", "say \"hi\"", "Zürich ✓", "P@ss w%PATH%rd!^&|<>'`$;\\" };

        [Fact]
        public void The_netstandard_build_starts_the_CLI_with_a_quoted_Arguments_string_and_no_ArgumentList()
        {
            var argv = new[] { "docker" }.Concat(ChildArgs).ToArray();
            var psi = (ProcessStartInfo)NetStandardBuild.CallStatic("EcrAirflow.Modes.Cli.CliProcessRunner", "CreateStartInfo", new object[] { argv })!;

            Assert.Equal("docker", psi.FileName);
            Assert.Empty(psi.ArgumentList);
            Assert.Equal(CliCommandLine.ToWindowsArguments(ChildArgs), psi.Arguments);
            Assert.Equal(ChildArgs, SplitLikeCommandLineToArgvW(psi.Arguments));
            Assert.False(psi.UseShellExecute);
            Assert.True(psi.RedirectStandardInput);

            // The net8.0 build leaves the quoting to the runtime.
            var net8 = CliProcessRunner.CreateStartInfo(argv);
            Assert.Equal(ChildArgs, net8.ArgumentList);
            Assert.Equal(string.Empty, net8.Arguments);
        }

        [OnlyOnFact(OnWindows = false, Why = "the child is /bin/sh; on Windows the CLI tests start real processes through the same path")]
        public async Task The_netstandard_builds_command_line_reaches_a_real_child_as_the_same_arguments()
        {
            // .NET on Unix splits ProcessStartInfo.Arguments by the same Windows rules, so the netstandard2.0
            // build's own RunAsync can be run end to end here: sh prints each argument it got, NUL-terminated.
            var argv = new[] { "/bin/sh", "-c", "printf '%s\\0' \"$@\"", "sh" }.Concat(ChildArgs).ToArray();
            var run = (Task)NetStandardBuild.CallStatic("EcrAirflow.Modes.Cli.CliProcessRunner", "RunAsync", argv, default(System.Threading.CancellationToken))!;
            await run;
            var result = run.GetType().GetProperty("Result")!.GetValue(run)!;
            Assert.Equal(0, (int)result.GetType().GetProperty("ExitCode")!.GetValue(result)!);
            var stdout = (string)result.GetType().GetProperty("StandardOutput")!.GetValue(result)!;
            Assert.Equal(ChildArgs, stdout.Split('\0').SkipLast(1));
        }
    }
}
