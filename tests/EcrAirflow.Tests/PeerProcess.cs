using System;
using System.Diagnostics;
using System.IO;
using System.Threading;

namespace EcrAirflow.Tests
{
    /// <summary>
    /// A peer the tests run as a child process (moto, the MWAA peer, the Airflow emulator): each one stops when its
    /// standard input closes, and a Python peer writes its info file (endpoint, keys) once it listens.
    /// </summary>
    internal static class PeerProcess
    {
        /// <summary>Starts tests/peers/<paramref name="script"/> with --info <paramref name="infoPath"/> and waits for that file.</summary>
        public static Process StartPython(string script, string infoPath, string notStarted)
        {
            var psi = new ProcessStartInfo("python3")
            {
                RedirectStandardInput = true,   // the peer stops when this pipe closes
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            psi.ArgumentList.Add(Path.Combine(RepoPaths.Root, "tests", "peers", script));
            psi.ArgumentList.Add("--info");
            psi.ArgumentList.Add(infoPath);
            var process = Process.Start(psi)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!File.Exists(infoPath))
            {
                if (process.HasExited || DateTime.UtcNow > deadline)
                {
                    Stop(process);
                    throw new InvalidOperationException(notStarted);
                }

                Thread.Sleep(100);
            }

            return process;
        }

        /// <summary>Closes the peer's standard input, waits up to 5 s for it to end, then kills it.</summary>
        public static void Stop(Process? process)
        {
            if (process == null)
            {
                return;
            }

            try
            {
                if (!process.HasExited)
                {
                    process.StandardInput.Close();
                    if (!process.WaitForExit(5000))
                    {
                        process.Kill(true);
                    }
                }
            }
            catch (InvalidOperationException)
            {
            }

            process.Dispose();
        }
    }
}
