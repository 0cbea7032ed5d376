using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Xunit;
using EcrAirflow.Core.Modes.Cli;

namespace EcrAirflow.Tests
{
    /// <summary>
    /// The Windows command line the netstandard2.0 build starts the CLI with: quoting that CommandLineToArgvW
    /// splits back into exactly the arguments.
    /// </summary>
    public sealed class CliCommandLineTests
    {
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
            var psi = (ProcessStartInfo)NetStandardBuild.CallStatic("EcrAirflow.Core.Modes.Cli.CliProcessRunner", "CreateStartInfo", new object[] { argv })!;

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
            var run = (Task)NetStandardBuild.CallStatic("EcrAirflow.Core.Modes.Cli.CliProcessRunner", "RunAsync", argv, default(System.Threading.CancellationToken))!;
            await run;
            var result = run.GetType().GetProperty("Result")!.GetValue(run)!;
            Assert.Equal(0, (int)result.GetType().GetProperty("ExitCode")!.GetValue(result)!);
            var stdout = (string)result.GetType().GetProperty("StandardOutput")!.GetValue(result)!;
            Assert.Equal(ChildArgs, stdout.Split('\0').SkipLast(1));
        }
    }
}
