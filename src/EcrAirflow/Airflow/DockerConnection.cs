using System;

namespace EcrAirflow.Airflow
{
    /// <summary>
    /// The Airflow connection that Sync-AirflowEcrConnection writes: conn_type docker, host = registry,
    /// login, password, and extra {"email","reauth"} with only what the user gave.
    /// </summary>
    internal sealed class DockerConnection
    {
        public const string ConnType = "docker";

        public DockerConnection(string connectionId, string host, string login, string password)
        {
            ConnectionId = connectionId;
            Host = host;
            Login = login;
            Password = password;
        }

        public string ConnectionId { get; }

        /// <summary>Registry host without scheme (and without a trailing slash).</summary>
        public string Host { get; }

        public string Login { get; }

        /// <summary>The ECR token. Only targets may read it, to put it where it belongs.</summary>
        public string Password { get; }

        public string? Description { get; set; }

        public string? Email { get; set; }

        public bool? Reauth { get; set; }

        /// <summary>The registry as given by the input (for the result object).</summary>
        public string Registry { get; set; } = "";

        public DateTimeOffset? ExpiresAt { get; set; }

        public bool HasExtra => Email != null || Reauth.HasValue;
    }
}
