using System.Management.Automation;

namespace EcrAirflow.Commands
{
    /// <summary>
    /// What a cmdlet does, behind the declaration PowerShell reads at import: one per cmdlet object, made by
    /// EcrAirflow.Core (CommandBodies) the first time PowerShell calls the cmdlet. It reads the cmdlet's parameters
    /// and writes through the cmdlet (WriteObject, WriteError, ThrowTerminatingError, ShouldProcess).
    /// </summary>
    internal interface ICommandBody
    {
        void Begin();

        void Process();

        void End();
    }

    /// <summary>A cmdlet that takes -Mode: its body also makes the dynamic parameters (every mode's own).</summary>
    internal interface IModeCommandBody : ICommandBody
    {
        object DynamicParameters();
    }

    /// <summary>The one type EcrAirflow.dll instantiates from EcrAirflow.Core by name (see Internal/Loading/CoreLink.cs).</summary>
    internal interface ICommandBodyFactory
    {
        ICommandBody For(PSCmdlet cmdlet);
    }
}
