using System;

namespace EcrAirflow.Core.Modes
{
    // What a mode's parameter class says of its parameters, beyond [Parameter]: read by ModeParameterTable when the
    // cmdlets first make their dynamic parameters, and by the help build. Only the core's mode classes carry them;
    // the root (EcrAirflow.dll) keeps the two its cmdlet classes carry (Modes/ModeParameterAttributes.cs there).

    /// <summary>
    /// The parameter is required in this mode. Missing, it is the error &lt;Name&gt;Required, with this hint, before
    /// any request. (A [Parameter(Mandatory)] would make it mandatory in every mode, since all modes share the cmdlet.)
    /// </summary>
    [AttributeUsage(AttributeTargets.Property)]
    internal sealed class RequiredInModeAttribute : Attribute
    {
        public RequiredInModeAttribute(string hint) => Hint = hint;

        public string Hint { get; }
    }

    /// <summary>What tab completion offers for this string parameter in this mode, default first.</summary>
    [AttributeUsage(AttributeTargets.Property)]
    internal sealed class CompletionValuesAttribute : Attribute
    {
        public CompletionValuesAttribute(params string[] values) => Values = values;

        public string[] Values { get; }
    }

    /// <summary>A file system path: resolved against PowerShell's current location, not the process's.</summary>
    [AttributeUsage(AttributeTargets.Property)]
    internal sealed class ProviderPathAttribute : Attribute
    {
    }
}
