using System;
using System.Management.Automation;

namespace EcrAirflow.Core.Commands
{
    /// <summary>
    /// Makes each cmdlet's body. EcrAirflow.dll instantiates this class by name once it has loaded this assembly
    /// (its CoreLink): the one place the two assemblies meet by reflection.
    /// </summary>
    internal sealed class CommandBodies : ICommandBodyFactory
    {
        public ICommandBody For(PSCmdlet cmdlet) => cmdlet switch
        {
            GetEcrDockerCredentialCommand get => new GetEcrDockerCredentialBody(get),
            SyncAirflowEcrConnectionCommand sync => new SyncAirflowEcrConnectionBody(sync),
            TestAirflowEcrConnectionCommand test => new TestAirflowEcrConnectionBody(test),
            _ => throw new ArgumentException($"{cmdlet.GetType().FullName} has no body in EcrAirflow.Core.", nameof(cmdlet)),
        };
    }
}
