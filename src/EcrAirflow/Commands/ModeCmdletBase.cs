using System.Management.Automation;
using EcrAirflow.Modes;

namespace EcrAirflow.Commands
{
    /// <summary>
    /// What every cmdlet that takes -Mode shares: -Mode itself, the AWS-backed modes' -Region and -AwsCredential,
    /// and every mode's own parameters, offered as dynamic parameters from the modes' parameter classes (one
    /// declaration each, in the mode's folder in EcrAirflow.Core). ModeCmdletBody (in the core) builds them and
    /// turns what the user gave into the mode's typed parameters and the shared settings, refusing a parameter of
    /// another mode before any request.
    /// </summary>
    /// <remarks>
    /// Every mode's parameters are offered whatever -Mode says, as they were when they were static: so a parameter
    /// of another mode gets ParameterNotValidForMode with the mode to use, rather than PowerShell's "parameter not
    /// found"; Get-Command -Syntax lists them all; and the help lists them per mode (PARAMETERS PER MODE, and one
    /// syntax per mode).
    /// </remarks>
    public abstract class ModeCmdletBase : AwsCmdletBase, IDynamicParameters
    {
        [Parameter]
        public SyncMode Mode { get; set; } = SyncMode.Rest;

        /// <summary>
        /// -Region on the command line wins; otherwise the environment or profile, and only then a piped object's
        /// Region, which binds here by property name.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(RegionCompleter))]
        [ValidateNotNullOrEmpty]
        [SharedModeParameter(typeof(IAwsModeParameters))]
        [DefaultText("AWS_REGION, AWS_DEFAULT_REGION, the profile's region, else the piped credential's Region")]
        public string? Region { get; set; }

        [Parameter]
        [Credential]
        [ValidateNotNull]
        [SharedModeParameter(typeof(IAwsModeParameters))]
        public PSCredential? AwsCredential { get; set; }

        public object GetDynamicParameters() => ((IModeCommandBody)Body).DynamicParameters();
    }
}
