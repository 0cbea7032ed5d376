using System;
using System.Linq;
using System.Management.Automation;
using EcrAirflow.AwsApi;
using EcrAirflow.Modes;

namespace EcrAirflow.Commands
{
    /// <summary>
    /// What every cmdlet that takes -Mode shares: -Mode itself, the AWS-backed modes' -Region and -AwsCredential,
    /// and every mode's own parameters, offered as dynamic parameters from the modes' parameter classes (one
    /// declaration each, in the mode's folder). <see cref="BindMode"/> turns what the user gave into the mode's
    /// typed parameters and the shared settings, refusing a parameter of another mode before any request.
    /// </summary>
    /// <remarks>
    /// Every mode's parameters are offered whatever -Mode says, as they were when they were static: so a parameter
    /// of another mode gets ParameterNotValidForMode with the mode to use, rather than PowerShell's "parameter not
    /// found"; Get-Command -Syntax lists them all; and the help lists them per mode (PARAMETERS PER MODE, and one
    /// syntax per mode).
    /// </remarks>
    public abstract class ModeCmdletBase : AwsCmdletBase, IDynamicParameters
    {
        private RuntimeDefinedParameterDictionary? _modeParameters;

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

        /// <summary>The one table of mode parameters every cmdlet that takes -Mode offers.</summary>
        internal static ModeParameterTable Table => ModeParameterTable.For(typeof(ModeCmdletBase));

        protected override PSCredential? AwsCredentialValue => AwsCredential;

        protected override string AwsCredentialParameter => "-AwsCredential";

        /// <summary>Only a -Region typed on the command line; a piped one is a connection's last resort.</summary>
        protected override string? AwsRegionValue => RegionOnCommandLine ? Region : null;

        private protected bool RegionOnCommandLine { get; private set; }

        public object GetDynamicParameters() => _modeParameters ??= Table.NewRuntimeParameters();

        /// <summary>
        /// Call from BeginProcessing: checks the command line against the mode (ParameterNotValidForMode,
        /// &lt;Name&gt;Required, the mode's own combinations, the AWS parameters) and returns the mode, its parameters
        /// and the shared settings. A problem is a terminating error before any request.
        /// </summary>
        private protected ModeBinding BindMode()
        {
            var mode = ModeRegistry.Get(Mode);
            var table = Table;
            var bound = MyInvocation.BoundParameters;
            RegionOnCommandLine = bound.ContainsKey(nameof(Region));
            foreach (var name in bound.Keys)
            {
                if (table.IsModeSpecific(name) && !table.Accepts(Mode, name))
                {
                    Terminate(ModeErrors.NotValidForMode(name, Mode, table.Accepting(name).Select(m => m.Name).ToList()));
                }
            }

            var parameters = mode.NewParameters();
            parameters.SetGiven(bound.Keys);
            foreach (var info in table.Parameters(Mode))
            {
                if (info.Property == null)
                {
                    continue; // a shared parameter: the cmdlet's own property holds it
                }

                var given = _modeParameters != null && _modeParameters.TryGetValue(info.Name, out var runtime) && runtime.IsSet ? runtime.Value : null;
                if (given != null)
                {
                    info.Property.SetValue(parameters, info.IsProviderPath ? ResolvePath((string)given) : given);
                }
                else if (info.Required)
                {
                    Terminate(ModeErrors.Required(info.Name, Mode, info.RequiredHint!));
                }
            }

            var combination = parameters.CheckCombination();
            if (combination != null)
            {
                Terminate(combination);
            }

            if (mode.UsesAws)
            {
                CheckAwsParameters();
            }

            var context = new ModeContext
            {
                Http = mode.UsesHttp ? BuildHttpSettings() : Internal.Http.HttpSettings.Default,
                AllowUnencryptedAuthentication = AllowUnencryptedAuthentication,
                Aws = mode.UsesAws ? AwsRequestFor((IAwsModeParameters)parameters) : null,
            };
            return new ModeBinding(mode, parameters, context);
        }

        private AwsSessionRequest AwsRequestFor(IAwsModeParameters parameters) =>
            BuildAwsSessionRequest(TimeSpan.FromSeconds(parameters.TimeoutSec), parameters.MaximumRetryCount);

        /// <summary>Relative paths are relative to PowerShell's current location, not the process's.</summary>
        private string ResolvePath(string path) => string.IsNullOrEmpty(path) ? path : GetUnresolvedProviderPathFromPSPath(path);

        private void Terminate(EcrAirflowException error) => ThrowTerminatingError(ToErrorRecord(error));
    }

    /// <summary>What <see cref="ModeCmdletBase.BindMode"/> found: the mode, its typed parameters, the shared settings.</summary>
    internal sealed record ModeBinding(ModeDefinition Mode, ModeParameters Parameters, ModeContext Context)
    {
        public IConnectionTarget CreateTarget() => Mode.CreateTarget(Parameters, Context);
    }
}
