using System;
using System.Runtime.InteropServices;
using System.Threading;
#if NET8_0_OR_GREATER
using System.Collections.Generic;
#endif

namespace EcrAirflow.Core.Modes.Cli
{
    /// <summary>
    /// Makes a termination signal clean up as Ctrl+C does, while a secret sits in a file: SIGTERM (systemd,
    /// docker stop, kill), SIGHUP (the terminal went away) and, on Windows, closing the console window,
    /// logging off or shutting down. The handler cancels the work (which stops the child CLI and deletes
    /// the file in its finally block), waits for <see cref="CleanedUp"/> for a few seconds, and then lets
    /// the process end as it would have.
    /// </summary>
    /// <remarks>
    /// PowerShell 7.4+ (net8.0): PosixSignalRegistration, which on Windows maps SIGHUP to CTRL_CLOSE_EVENT and
    /// SIGTERM to CTRL_SHUTDOWN_EVENT. Windows PowerShell 5.1 (netstandard2.0): SetConsoleCtrlHandler for the
    /// close, logoff and shutdown events (Ctrl+C is PowerShell's own StopProcessing).
    /// </remarks>
    internal sealed class TerminationGuard : IDisposable
    {
        /// <summary>Windows ends a process a few seconds after a close event; Unix waits, but not forever.</summary>
        private static readonly TimeSpan CleanupWait = TimeSpan.FromSeconds(4);

        private readonly CancellationTokenSource _stop;
        private readonly ManualResetEventSlim _cleanedUp = new ManualResetEventSlim(false);
#if NET8_0_OR_GREATER
        private readonly List<PosixSignalRegistration> _registrations = new List<PosixSignalRegistration>();
#else
        private ConsoleCtrlHandler? _handler;
#endif
        private int _signaled;

        private TerminationGuard(CancellationTokenSource stop)
        {
            _stop = stop;
        }

        /// <summary>Whether a termination signal cancelled the work (as opposed to Ctrl+C or a timeout).</summary>
        public bool Signaled => Volatile.Read(ref _signaled) != 0;

        /// <summary>The signal's name, for the message of a run it stopped.</summary>
        public string? SignalName { get; private set; }

        public static TerminationGuard Register(CancellationTokenSource stop)
        {
            var guard = new TerminationGuard(stop);
#if NET8_0_OR_GREATER
            foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGHUP })
            {
                try
                {
                    guard._registrations.Add(PosixSignalRegistration.Create(signal, context => guard.OnSignal(context.Signal.ToString())));
                }
                catch (PlatformNotSupportedException)
                {
                    // A platform without this signal: nothing to guard against.
                }
            }
#else
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                guard._handler = type =>
                {
                    if (type == CtrlCloseEvent || type == CtrlLogoffEvent || type == CtrlShutdownEvent)
                    {
                        guard.OnSignal(type == CtrlCloseEvent ? "console close" : type == CtrlLogoffEvent ? "logoff" : "shutdown");
                    }

                    return false; // let the next handler (and then Windows) end the process
                };
                SetConsoleCtrlHandler(guard._handler, true);
            }
#endif
            return guard;
        }

        /// <summary>The cleanup has run (called from the finally block that deletes the file).</summary>
        public void CleanedUp() => _cleanedUp.Set();

        public void Dispose()
        {
#if NET8_0_OR_GREATER
            foreach (var registration in _registrations)
            {
                registration.Dispose();
            }

            _registrations.Clear();
#else
            if (_handler != null)
            {
                SetConsoleCtrlHandler(_handler, false);
                _handler = null;
            }
#endif
            _cleanedUp.Set();
        }

        /// <summary>Runs on the runtime's signal thread: stop the work, wait for its cleanup, then let the process end.</summary>
        private void OnSignal(string name)
        {
            if (Interlocked.Exchange(ref _signaled, 1) == 0)
            {
                SignalName = name;
                try
                {
                    _stop.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    return; // the work is over already
                }
            }

            _cleanedUp.Wait(CleanupWait);
        }

#if !NET8_0_OR_GREATER
        private const int CtrlCloseEvent = 2;
        private const int CtrlLogoffEvent = 5;
        private const int CtrlShutdownEvent = 6;

        private delegate bool ConsoleCtrlHandler(int ctrlType);

        [DllImport("kernel32.dll", SetLastError = true)]
        private static extern bool SetConsoleCtrlHandler(ConsoleCtrlHandler handler, bool add);
#endif
    }
}
