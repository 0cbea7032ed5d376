using System.Management.Automation;

namespace EcrAirflow.Modes
{
    /// <summary>
    /// What every AWS-backed mode takes besides the shared AWS parameters (which the cmdlets declare, because
    /// Get-EcrDockerCredential takes them too): the limits of each signed request.
    /// </summary>
    internal abstract class AwsModeParameters : ModeParameters, IAwsModeParameters
    {
        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = Internal.Http.HttpDefaults.TimeoutSec;

        [Parameter]
        [ValidateRange(0, 10)]
        public int MaximumRetryCount { get; set; } = Internal.Http.HttpDefaults.MaximumRetryCount;
    }
}
