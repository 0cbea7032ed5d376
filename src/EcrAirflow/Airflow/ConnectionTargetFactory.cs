using System;

namespace EcrAirflow.Airflow
{
    /// <summary>Picks the target class for a mode; each mode lives in its own folder under Airflow/.</summary>
    internal static class ConnectionTargetFactory
    {
        public static IConnectionTarget Create(SyncOptions options)
        {
            switch (options.Mode)
            {
                case SyncMode.Rest:
                    return new Rest.RestConnectionTarget(options);
                case SyncMode.Cli:
                    return new Cli.CliConnectionTarget(options);
                case SyncMode.EnvironmentVariable:
                    return new EnvironmentVariables.EnvironmentConnectionTarget(options);
                default:
                    throw new ArgumentOutOfRangeException(nameof(options));
            }
        }
    }
}
