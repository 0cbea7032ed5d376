

namespace EcrAirflow.Core.Airflow.Api
{
    /// <summary>The result object for a connection written through Airflow's REST API (never the password).</summary>
    internal static class ApiResults
    {
        public static AirflowConnectionSyncResult For(DockerConnection connection, string mode, string target, AirflowApiVersion api, SyncAction action) =>
            new AirflowConnectionSyncResult
            {
                ConnectionId = connection.ConnectionId,
                Mode = mode,
                Target = target,
                ApiVersion = api.ToString(),
                Action = action,
                Registry = connection.Host,
                ExpiresAt = connection.ExpiresAt,
            };
    }
}
