using System;

namespace EcrAirflow.Core.Modes.EnvironmentVariable
{
    /// <summary>
    /// The environment variables of one scope: this process's, or (Windows only) the user's or the
    /// machine's, which new processes inherit. Access denied is an UnauthorizedAccessException or a
    /// SecurityException (.NET Framework), as System.Environment throws them.
    /// </summary>
    internal interface IVariableStore
    {
        string? Get(string name, VariableScope scope);

        void Set(string name, string value, VariableScope scope);
    }

    /// <summary>
    /// System.Environment. Process is this process's block only; User and Machine are the registry's
    /// (HKCU\Environment, HKLM\...\Session Manager\Environment) and leave this process's block as it was,
    /// as .NET does.
    /// </summary>
    internal sealed class SystemVariableStore : IVariableStore
    {
        public static readonly SystemVariableStore Instance = new SystemVariableStore();

        private SystemVariableStore()
        {
        }

        public string? Get(string name, VariableScope scope) => scope == VariableScope.Process
            ? Environment.GetEnvironmentVariable(name)
            : Environment.GetEnvironmentVariable(name, ToTarget(scope));

        public void Set(string name, string value, VariableScope scope)
        {
            if (scope == VariableScope.Process)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
            else
            {
                Environment.SetEnvironmentVariable(name, value, ToTarget(scope));
            }
        }

        internal static EnvironmentVariableTarget ToTarget(VariableScope scope) =>
            scope == VariableScope.Machine ? EnvironmentVariableTarget.Machine : EnvironmentVariableTarget.User;
    }
}
