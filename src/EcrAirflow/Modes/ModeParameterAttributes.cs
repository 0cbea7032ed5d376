using System;

namespace EcrAirflow.Modes
{
    /// <summary>How help shows the default when the property's initial value does not say it ("the temp folder").</summary>
    [AttributeUsage(AttributeTargets.Property)]
    internal sealed class DefaultTextAttribute : Attribute
    {
        public DefaultTextAttribute(string text) => Text = text;

        public string Text { get; }
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
