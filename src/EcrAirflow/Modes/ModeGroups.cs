namespace EcrAirflow.Modes
{
    // The groups a cmdlet's shared parameter belongs to ([SharedModeParameter(typeof(IAwsModeParameters))] on the
    // cmdlets here): a mode's parameter class (in EcrAirflow.Core) implements the groups whose parameters it takes.

    /// <summary>
    /// A mode that talks HTTP. Besides its own parameters it takes the cmdlets' shared -Proxy, -ProxyCredential,
    /// -ProxyUseDefaultCredentials and -AllowUnencryptedAuthentication.
    /// </summary>
    internal interface IHttpModeParameters
    {
        /// <summary>Seconds one HTTP attempt may take.</summary>
        int TimeoutSec { get; }

        int MaximumRetryCount { get; }
    }

    /// <summary>A mode that writes to AWS: it also takes the shared AWS parameters (region, credentials, role, endpoint).</summary>
    internal interface IAwsModeParameters : IHttpModeParameters
    {
    }
}
