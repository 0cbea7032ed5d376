using System;
using System.Linq;
using System.Management.Automation;
using EcrAirflow.Core.AwsApi;
using EcrAirflow.Core.Modes;

namespace EcrAirflow.Core.Commands
{
    /// <summary>
    /// What every cmdlet that takes -Mode (<see cref="ModeCmdletBase"/>) does with it: offers every mode's own
    /// parameters as dynamic parameters, from the modes' parameter classes (one declaration each, in the mode's
    /// folder), and <see cref="BindMode"/> turns what the user gave into the mode's typed parameters and the shared
    /// settings, refusing a parameter of another mode before any request.
    /// </summary>
    internal abstract class ModeCmdletBody : AwsCmdletBody, IModeCommandBody
    {
        private readonly ModeCmdletBase _cmdlet;
        private RuntimeDefinedParameterDictionary? _modeParameters;

        protected ModeCmdletBody(ModeCmdletBase cmdlet)
            : base(cmdlet) => _cmdlet = cmdlet;

        /// <summary>The one table of mode parameters every cmdlet that takes -Mode offers.</summary>
        internal static ModeParameterTable Table => ModeParameterTable.For(typeof(ModeCmdletBase));

        protected override PSCredential? AwsCredentialValue => _cmdlet.AwsCredential;

        protected override string AwsCredentialParameter => "-AwsCredential";

        /// <summary>Only a -Region typed on the command line; a piped one is a connection's last resort.</summary>
        protected override string? AwsRegionValue => RegionOnCommandLine ? _cmdlet.Region : null;

        private protected bool RegionOnCommandLine { get; private set; }

        public object DynamicParameters() => _modeParameters ??= Table.NewRuntimeParameters();

        /// <summary>
        /// Call from Begin: checks the command line against the mode (ParameterNotValidForMode,
        /// &lt;Name&gt;Required, the mode's own combinations, the AWS parameters) and returns the mode, its parameters
        /// and the shared settings. A problem is a terminating error before any request.
        /// </summary>
        private protected ModeBinding BindMode()
        {
            var mode = ModeRegistry.Get(_cmdlet.Mode);
            var table = Table;
            var bound = _cmdlet.MyInvocation.BoundParameters;
            RegionOnCommandLine = bound.ContainsKey(nameof(ModeCmdletBase.Region));
            foreach (var name in bound.Keys)
            {
                if (table.IsModeSpecific(name) && !table.Accepts(_cmdlet.Mode, name))
                {
                    Terminate(ModeErrors.NotValidForMode(name, _cmdlet.Mode, table.Accepting(name).Select(m => m.Name).ToList()));
                }
            }

            var parameters = mode.NewParameters();
            parameters.SetGiven(bound.Keys);
            foreach (var info in table.Parameters(_cmdlet.Mode))
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
                    Terminate(ModeErrors.Required(info.Name, _cmdlet.Mode, info.RequiredHint!));
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
                AllowUnencryptedAuthentication = _cmdlet.AllowUnencryptedAuthentication,
                Aws = mode.UsesAws ? AwsRequestFor((IAwsModeParameters)parameters) : null,
            };
            return new ModeBinding(mode, parameters, context);
        }

        /// <summary>
        /// Call from Begin, after <see cref="BindMode"/>: the mode's target, built before any input is read, so a bad
        /// URL, a missing folder or credentials over clear text stop the command before a single request (a target
        /// does no I/O until it reads or writes).
        /// </summary>
        private protected IConnectionTarget CreateTarget(ModeBinding binding)
        {
            try
            {
                return binding.CreateTarget();
            }
            catch (EcrAirflowException ex)
            {
                Terminate(ex);
                throw; // not reached: Terminate throws
            }
        }

        private AwsSessionRequest AwsRequestFor(IAwsModeParameters parameters) =>
            BuildAwsSessionRequest(TimeSpan.FromSeconds(parameters.TimeoutSec), parameters.MaximumRetryCount);

        /// <summary>Relative paths are relative to PowerShell's current location, not the process's.</summary>
        private string ResolvePath(string path) => string.IsNullOrEmpty(path) ? path : _cmdlet.GetUnresolvedProviderPathFromPSPath(path);
    }

    /// <summary>What <see cref="ModeCmdletBody.BindMode"/> found: the mode, its typed parameters, the shared settings.</summary>
    internal sealed record ModeBinding(ModeDefinition Mode, ModeParameters Parameters, ModeContext Context)
    {
        public IConnectionTarget CreateTarget() => Mode.CreateTarget(Parameters, Context);
    }
}
