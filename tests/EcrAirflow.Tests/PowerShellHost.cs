using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;
using EcrAirflow.Commands;
using EcrAirflow.Core.Commands;

namespace EcrAirflow.Tests
{
    /// <summary>An in-process PowerShell with the module's cmdlets, for tests that need the cmdlet layer.</summary>
    internal static class PowerShellHost
    {
        public static PowerShell Create()
        {
            var iss = InitialSessionState.CreateDefault2();
            iss.Commands.Add(new SessionStateCmdletEntry("Get-EcrDockerCredential", typeof(GetEcrDockerCredentialCommand), null));
            iss.Commands.Add(new SessionStateCmdletEntry("Sync-AirflowEcrConnection", typeof(SyncAirflowEcrConnectionCommand), null));
            iss.Commands.Add(new SessionStateCmdletEntry("Test-AirflowEcrConnection", typeof(TestAirflowEcrConnectionCommand), null));
            return PowerShell.Create(iss);
        }

        public static SecureString Secure(string value)
        {
            var s = new SecureString();
            foreach (var c in value)
            {
                s.AppendChar(c);
            }

            return s;
        }

        public static PSCredential Credential(string user, string password) => new PSCredential(user, Secure(password));

        public static (Collection<PSObject> Output, List<ErrorRecord> Errors) Run(string script, IDictionary<string, object?> variables)
        {
            using var ps = Create();
            foreach (var pair in variables)
            {
                ps.Runspace.SessionStateProxy.SetVariable(pair.Key, pair.Value);
            }

            ps.AddScript(script);
            var output = ps.Invoke();
            return (output, new List<ErrorRecord>(ps.Streams.Error));
        }
    }
}
