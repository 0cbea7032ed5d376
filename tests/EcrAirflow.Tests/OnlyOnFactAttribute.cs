using System;
using Xunit;

namespace EcrAirflow.Tests
{
    /// <summary>
    /// A fact that runs only on Windows (OnWindows = true) or only elsewhere (false), and is reported as
    /// skipped, with its reason, on the other systems — never as a pass that checked nothing.
    /// </summary>
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class OnlyOnFactAttribute : FactAttribute
    {
        private bool _onWindows;
        private string _why = "not on this system";

        public bool OnWindows
        {
            get => _onWindows;
            set { _onWindows = value; Update(); }
        }

        public string Why
        {
            get => _why;
            set { _why = value; Update(); }
        }

        private void Update()
        {
            Skip = OperatingSystem.IsWindows() == _onWindows ? null : (_onWindows ? "Windows only: " : "Not on Windows: ") + _why;
        }
    }
}
