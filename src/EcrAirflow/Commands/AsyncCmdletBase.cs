using System;
using System.Management.Automation;
using System.Threading;
using EcrAirflow.Internal.Loading;

namespace EcrAirflow.Commands
{
    /// <summary>
    /// The base of the module's cmdlets. It holds what PowerShell calls on the cmdlet and hands each call to the
    /// cmdlet's body in EcrAirflow.Core (<see cref="ICommandBody"/>, loaded on first use by <see cref="CoreLink"/>):
    /// this assembly stays small and portable, and the code that runs is the core's, compiled ReadyToRun where
    /// the platform allows. Ctrl+C (StopProcessing) cancels <see cref="StopToken"/>, which the body's work observes.
    /// </summary>
    public abstract class AsyncCmdletBase : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private ICommandBody? _body;

        /// <summary>Cancelled when PowerShell stops the pipeline (Ctrl+C).</summary>
        internal CancellationToken StopToken => _stopping.Token;

        /// <summary>This cmdlet's body (one per cmdlet object, as PowerShell makes one per pipeline position).</summary>
        internal ICommandBody Body => _body ??= CoreLink.Bodies.For(this);

        protected override void BeginProcessing() => Body.Begin();

        protected override void ProcessRecord() => Body.Process();

        protected override void EndProcessing() => Body.End();

        protected override void StopProcessing()
        {
            _stopping.Cancel();
            base.StopProcessing();
        }

        /// <summary>PowerShell disposes a cmdlet that implements IDisposable when its pipeline ends.</summary>
        public void Dispose() => _stopping.Dispose();
    }
}
