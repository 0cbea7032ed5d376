namespace EcrAirflow.Internal.Http
{
    // Here, in EcrAirflow.dll, because the cmdlets' -TimeoutSec and -MaximumRetryCount start from these values.
    /// <summary>The defaults of every HTTP-based call (Get-EcrDockerCredential, and the modes that talk HTTP).</summary>
    internal static class HttpDefaults
    {
        public const int TimeoutSec = 30;

        public const int MaximumRetryCount = 3;

        /// <summary>
        /// The most any reply may hold, decompressed (4 MiB). Airflow's answers and AWS's are kilobytes; more
        /// is a wrong URL (a file server, a proxy's error page) or an attack, and is not read.
        /// </summary>
        public const int MaxResponseBytes = 4 * 1024 * 1024;
    }
}
