using System.Collections.Generic;

namespace EcrAirflow.Core.Modes
{
    /// <summary>
    /// The base of every mode's parameter class, the one type a mode's folder registers (SyncMode names it). A
    /// mode's parameter class is at once its definition (summary, what it writes, its target), its declaration of
    /// parameters and its typed options: its public properties that carry [Parameter] are offered, as dynamic
    /// parameters, by every cmdlet that takes -Mode (<see cref="ModeParameterTable"/>); their initial values are
    /// the mode's defaults; and the instance, filled with what the user gave, is what the mode's target reads.
    /// </summary>
    /// <remarks>
    /// Attributes on a property say the rest: <see cref="RequiredInModeAttribute"/>, <see cref="DefaultTextAttribute"/>,
    /// <see cref="CompletionValuesAttribute"/>, <see cref="ProviderPathAttribute"/>. A property of the same name in
    /// two modes is one parameter of the cmdlet, so its type and validation must agree (a unit test checks).
    /// </remarks>
    internal abstract class ModeParameters
    {
        private HashSet<string> _given = new HashSet<string>(System.StringComparer.OrdinalIgnoreCase);

        internal bool WasGiven(string name) => _given.Contains(name);

        internal void SetGiven(IEnumerable<string> names) => _given = new HashSet<string>(names, System.StringComparer.OrdinalIgnoreCase);

        /// <summary>One sentence for help: where this mode keeps connections.</summary>
        internal abstract string Summary { get; }

        /// <summary>What one write is, for -WhatIf/-Confirm ("Airflow connection", "secret").</summary>
        internal abstract string Writes { get; }

        /// <summary>
        /// The target for what the user gave. It checks everything it can without a request (URL, folder, names)
        /// and throws <see cref="EcrAirflowException"/> for what is wrong; it does no I/O until it writes or reads.
        /// </summary>
        internal abstract IConnectionTarget CreateTarget(ModeContext context);

        /// <summary>Two of this mode's parameters that must not be given together: the error, or null.</summary>
        internal virtual EcrAirflowException? CheckCombination() => null;
    }
}
