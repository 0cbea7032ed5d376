using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace EcrAirflow.Core.Modes.Cli
{
    /// <summary>What a finished CLI run left: its exit code and everything it printed.</summary>
    internal sealed record CliRunResult(int ExitCode, string StandardOutput, string StandardError)
    {
        /// <summary>Never the output: before redaction it may hold a token.</summary>
        public override string ToString() => $"exit code {ExitCode}";
    }

    /// <summary>
    /// Starts one process without a shell (no quoting surprises, nothing for a shell to expand), with
    /// stdin closed so a CLI that prompts fails instead of hanging, and both output streams captured.
    /// Cancellation kills the process (its whole tree on .NET 8) before the caller's cleanup runs.
    /// </summary>
    internal static class CliProcessRunner
    {
        public static async Task<CliRunResult> RunAsync(IReadOnlyList<string> argv, CancellationToken cancellationToken)
        {
            if (argv.Count == 0 || string.IsNullOrEmpty(argv[0]))
            {
                throw new ArgumentException("The command is empty.", nameof(argv));
            }

            var psi = CreateStartInfo(argv);
            using var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
            var exited = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            process.Exited += (_, _) => exited.TrySetResult(true);
            try
            {
                process.Start();
            }
            catch (Win32Exception ex)
            {
                throw StartFailure(argv[0], ex);
            }

            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();

            using (cancellationToken.Register(() => Kill(process)))
            {
                // Exited can fire before the handler was attached when the process is very quick.
                if (process.HasExited)
                {
                    exited.TrySetResult(true);
                }

                await exited.Task.ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();

            // The streams end when the process and any child that inherited them close them; a
            // left-behind grandchild could hold them open, so this wait stays cancellable.
            var streams = Task.WhenAll(stdout, stderr);
            if (streams != await Task.WhenAny(streams, Task.Delay(Timeout.Infinite, cancellationToken)).ConfigureAwait(false))
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            process.WaitForExit();
            return new CliRunResult(process.ExitCode, stdout.Result, stderr.Result);
        }

        /// <summary>
        /// The start info for argv: the one place where the builds differ. net8.0 hands each argument to
        /// ArgumentList (the runtime quotes them); .NET Framework has no ArgumentList, so the netstandard2.0
        /// build joins them with <see cref="CliCommandLine.ToWindowsArguments"/>, which the child's
        /// CommandLineToArgvW / C runtime splits back into the same strings.
        /// </summary>
        internal static ProcessStartInfo CreateStartInfo(IReadOnlyList<string> argv)
        {
            var psi = new ProcessStartInfo(argv[0])
            {
                UseShellExecute = false,
                CreateNoWindow = true,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = new UTF8Encoding(false),
                StandardErrorEncoding = new UTF8Encoding(false),
            };
#if NET8_0_OR_GREATER
            for (var i = 1; i < argv.Count; i++)
            {
                psi.ArgumentList.Add(argv[i]);
            }
#else
            var rest = new List<string>();
            for (var i = 1; i < argv.Count; i++)
            {
                rest.Add(argv[i]);
            }

            psi.Arguments = CliCommandLine.ToWindowsArguments(rest);
#endif

            return psi;
        }

        private static void Kill(Process process)
        {
            try
            {
#if NET8_0_OR_GREATER
                process.Kill(entireProcessTree: true);
#else
                process.Kill();
#endif
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            catch (Win32Exception)
            {
                // Exiting at this moment, or not ours to kill; the wait below still ends.
            }
        }

        private static EcrAirflowException StartFailure(string command, Win32Exception ex)
        {
            // ENOENT (2) on Unix, ERROR_FILE_NOT_FOUND (2) / ERROR_PATH_NOT_FOUND (3) on Windows.
            if (ex.NativeErrorCode == 2 || ex.NativeErrorCode == 3)
            {
                return CliErrors.CommandNotFound(command, null);
            }

            // EACCES (13) on Unix, ERROR_ACCESS_DENIED (5) on Windows.
            if (ex.NativeErrorCode == 13 || ex.NativeErrorCode == 5)
            {
                return new EcrAirflowException(
                    "AirflowCommandNotExecutable",
                    FailureKind.PermissionDenied,
                    $"The Airflow command '{command}' could not be started: permission denied.",
                    "Make the file executable (chmod +x) or give the interpreter first, e.g. -AirflowCommand python3,/path/to/airflow.",
                    ex) { TargetObject = command };
            }

            return new EcrAirflowException(
                "AirflowCommandStartFailed",
                FailureKind.InvalidOperation,
                $"The Airflow command '{command}' could not be started: {ex.Message}",
                "Check -AirflowCommand: its first element must be an executable file.",
                ex) { TargetObject = command };
        }
    }
}
