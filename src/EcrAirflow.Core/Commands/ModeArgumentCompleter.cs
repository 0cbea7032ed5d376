using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using EcrAirflow.Core.Modes;

namespace EcrAirflow.Core.Commands
{
    /// <summary>
    /// Tab completion driven by the mode table (<see cref="ModeParameterTable"/>): for a mode-specific string
    /// parameter it offers the values the mode on the command line (-Mode, default Rest) declares, default
    /// first, and nothing when that mode does not take the parameter at all. (Enum-typed parameters such as
    /// -Mode, -Format or -ApiVersion are completed by PowerShell itself, which never calls a completer for
    /// them; <see cref="Candidates"/> still answers for -Mode, for other hosts and tests.)
    /// </summary>
    public sealed class ModeArgumentCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return Candidates(parameterName, fakeBoundParameters)
                .Where(v => v.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(v => new CompletionResult(v, v, CompletionResultType.ParameterValue, v));
        }

        internal static IEnumerable<string> Candidates(string parameterName, IDictionary? bound)
        {
            if (string.Equals(parameterName, "Mode", StringComparison.OrdinalIgnoreCase))
            {
                var table = ModeCmdletBody.Table;
                var given = (bound?.Keys.Cast<object>() ?? Enumerable.Empty<object>())
                    .Select(k => k.ToString()!)
                    .Where(table.IsModeSpecific)
                    .ToList();
                return ModeRegistry.All.Where(m => given.All(name => table.Accepts(m.Mode, name))).Select(m => m.Name);
            }

            return ModeCmdletBody.Table.Find(ModeOf(bound), parameterName)?.Values ?? Enumerable.Empty<string>();
        }

        private static SyncMode ModeOf(IDictionary? bound)
        {
            if (bound != null && bound.Contains("Mode"))
            {
                var value = bound["Mode"];
                if (value is PSObject wrapped)
                {
                    value = wrapped.BaseObject;
                }

                if (value is SyncMode mode)
                {
                    return mode;
                }

                if (value != null && Enum.TryParse(value.ToString(), ignoreCase: true, out SyncMode parsed))
                {
                    return parsed;
                }
            }

            return SyncMode.Rest;
        }
    }
}
