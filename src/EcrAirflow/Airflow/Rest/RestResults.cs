namespace EcrAirflow.Airflow.Rest
{
    /// <summary>The result object for a connection written through the REST API (never the password).</summary>
    internal static class RestResults
    {
        public static AirflowConnectionSyncResult For(DockerConnection connection, string target, AirflowApiVersion api, SyncAction action) =>
            new AirflowConnectionSyncResult
            {
                ConnectionId = connection.ConnectionId,
                Mode = "Rest",
                Target = target,
                ApiVersion = api.ToString(),
                Action = action,
                Registry = connection.Host,
                ExpiresAt = connection.ExpiresAt,
            };
    }
}
