using System.Linq;
using EcrAirflow.Core.Modes;

namespace EcrAirflow.Core.Commands
{
    /// <summary>
    /// What build/Help.ps1 asks of the mode table (through reflection) to write the help of a cmdlet that takes
    /// -Mode: a paragraph per mode, per parameter its modes and defaults, and one syntax per mode.
    /// </summary>
    internal static class ModeHelp
    {
        public static string[] HelpSections() => ModeCmdletBody.Table.HelpSections();

        public static string? HelpModesLine(string parameterName) => ModeCmdletBody.Table.HelpModesLine(parameterName);

        public static string? HelpDefault(string parameterName) => ModeCmdletBody.Table.HelpDefault(parameterName);

        public static string[] Modes() => ModeRegistry.All.Select(m => m.Name).ToArray();

        /// <summary>The parameters one mode takes (its own and the shared ones), in help order.</summary>
        public static string[] ParametersOf(string mode) =>
            ModeCmdletBody.Table.Parameters(ModeRegistry.All.First(m => m.Name == mode).Mode).Select(p => p.Name).ToArray();

        /// <summary>Whether a parameter belongs to some modes only.</summary>
        public static bool IsModeSpecific(string parameterName) => ModeCmdletBody.Table.IsModeSpecific(parameterName);

        /// <summary>Where a mode's folder is below src/EcrAirflow.Core (its help source is &lt;folder&gt;/&lt;Mode&gt;.help.psd1).</summary>
        public static string FolderOf(string mode) => "Modes/" + ModeRegistry.All.First(m => m.Name == mode).ParametersType.Namespace!.Split('.').Last();
    }
}
