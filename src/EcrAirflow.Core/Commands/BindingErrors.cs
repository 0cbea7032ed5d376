using System;
using System.Collections;
using System.Management.Automation;

namespace EcrAirflow.Core.Commands
{
    /// <summary>
    /// Whether pipeline input came to a cmdlet but PowerShell could not bind it (a missing mandatory parameter such
    /// as -ConnectionId, or an input object without Registry). PowerShell records each binding error in $Error, and
    /// the cmdlet never sees that record: read $Error for one of this command's since <see cref="Mark"/>.
    /// </summary>
    internal sealed class BindingErrors
    {
        private readonly PSCmdlet _cmdlet;
        private readonly object? _newestBefore;

        private BindingErrors(PSCmdlet cmdlet)
        {
            _cmdlet = cmdlet;
            _newestBefore = ErrorList(cmdlet) is { Count: > 0 } errors ? errors[0] : null;
        }

        /// <summary>Remembers the newest entry of $Error now (call it in BeginProcessing).</summary>
        public static BindingErrors Mark(PSCmdlet cmdlet) => new BindingErrors(cmdlet);

        /// <summary>True when $Error got a ParameterBindingException of this command since <see cref="Mark"/>.</summary>
        public bool InputFailedToBind()
        {
            var errors = ErrorList(_cmdlet);
            if (errors == null)
            {
                return false;
            }

            foreach (var entry in errors)
            {
                if (ReferenceEquals(entry, _newestBefore))
                {
                    break;
                }

                if (entry is ErrorRecord record && record.Exception is ParameterBindingException
                    && string.Equals(record.InvocationInfo?.MyCommand?.Name, _cmdlet.MyInvocation.MyCommand.Name, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }

        private static IList? ErrorList(PSCmdlet cmdlet) => cmdlet.GetVariableValue("global:Error") as IList;
    }
}
