using System;

namespace EcrAirflow.Modes
{
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

    /// <summary>How help shows the default when the property's initial value does not say it ("the temp folder").</summary>
    [AttributeUsage(AttributeTargets.Property)]
    internal sealed class DefaultTextAttribute : Attribute
    {
        public DefaultTextAttribute(string text) => Text = text;

        public string Text { get; }
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

    /// <summary>
    /// On a cmdlet's own (static) parameter: it belongs to the modes whose parameter class implements
    /// <see cref="Group"/> (<see cref="IHttpModeParameters"/> or <see cref="IAwsModeParameters"/>), and is an error in the others.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property)]
    internal sealed class SharedModeParameterAttribute : Attribute
    {
        public SharedModeParameterAttribute(Type group) => Group = group;

        public Type Group { get; }
    }
}
