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
                    throw new EcrAirflowException("ModeNotImplemented", FailureKind.NotImplemented, "Cli mode is not built yet.");
                case SyncMode.EnvironmentVariable:
                    throw new EcrAirflowException("ModeNotImplemented", FailureKind.NotImplemented, "EnvironmentVariable mode is not built yet.");
                default:
                    throw new ArgumentOutOfRangeException(nameof(options));
            }
        }
    }
}
