using System;
using System.IO;
using System.Threading;

namespace EcrAirflow.Core.Modes.EnvironmentVariable
{
    /// <summary>
    /// A lock file beside a dotenv file (".NAME.ecrairflow-lock"), held while one run reads, edits and
    /// replaces the file, so concurrent runs (several scheduled jobs, parallel CI steps) never lose each
    /// other's variables. Created with CreateNew (atomic on every file system we write to) and deleted when
    /// released. A lock older than <see cref="StaleAfter"/> is left from a run that was killed: an update holds
    /// it for milliseconds, so it is removed and taken.
    /// </summary>
    internal static class DotEnvLock
    {
        internal static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(10);
        internal static readonly TimeSpan WaitAtMost = TimeSpan.FromSeconds(20);

        public static string LockPath(string path) =>
            Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + ".ecrairflow-lock");

        public static IDisposable Acquire(string path)
        {
            var lockPath = LockPath(path);
            var deadline = DateTime.UtcNow + WaitAtMost;
            var wait = 5;
            var random = new Random();
            while (true)
            {
                try
                {
                    return new FileStream(lockPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
                }
                catch (IOException)
                {
                    if (!File.Exists(lockPath))
                    {
                        // Released between our create and this check: try again at once. (Another I/O
                        // failure with no lock file gives up at the deadline with its own message.)
                        if (DateTime.UtcNow > deadline)
                        {
                            throw;
                        }

                        Thread.Sleep(1);
                        continue;
                    }

                    // Held by another run (or left by a killed one).
                }

                if (IsStale(lockPath))
                {
                    TryDelete(lockPath);
                    continue;
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new EcrAirflowException("DotEnvLocked", FailureKind.ResourceUnavailable,
                        $"The dotenv file '{path}' stayed locked by another run for {WaitAtMost.TotalSeconds:0} s (lock file '{lockPath}'). Nothing was written.",
                        "Run the command again; if no other EcrAirflow run is writing the file, delete the lock file.")
                    { TargetObject = path };
                }

                Thread.Sleep(wait + random.Next(wait));
                wait = Math.Min(wait * 2, 100);
            }
        }

        private static bool IsStale(string lockPath)
        {
            try
            {
                var written = File.GetLastWriteTimeUtc(lockPath);
                return written.Year > 1601 && DateTime.UtcNow - written > StaleAfter;
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return false;
            }
        }

        private static void TryDelete(string lockPath)
        {
            try
            {
                File.Delete(lockPath);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
