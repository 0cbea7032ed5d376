using System.Management.Automation;

namespace EcrAirflow.Core.Modes
{
    /// <summary>
    /// What every mode that talks HTTP declares besides the cmdlets' shared proxy parameters: the limits of each
    /// request. Rest mode derives from it; the AWS-backed modes through <see cref="AwsModeParameters"/>.
    /// </summary>
    internal abstract class HttpModeParameters : ModeParameters, IHttpModeParameters
    {
        /// <summary>Seconds one HTTP attempt may take.</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = HttpDefaults.TimeoutSec;

        [Parameter]
        [ValidateRange(0, 10)]
        public int MaximumRetryCount { get; set; } = HttpDefaults.MaximumRetryCount;
    }

    /// <summary>
    /// The AWS-backed modes: they also take the cmdlets' shared AWS parameters (declared on the cmdlets, because
    /// Get-EcrDockerCredential takes them too).
    /// </summary>
    internal abstract class AwsModeParameters : HttpModeParameters, IAwsModeParameters
    {
    }
}
