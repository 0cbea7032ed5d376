using System.Security;

namespace EcrAirflow.Core.Airflow
{
    /// <summary>What a target holds at a connection id.</summary>
    internal enum StoredKind
    {
        /// <summary>Nothing: no connection, secret, parameter or variable by that name.</summary>
        Missing,

        /// <summary>A connection of conn_type docker.</summary>
        Docker,

        /// <summary>Something else: another conn_type, a value that is not a connection, a binary secret.</summary>
        NotDocker,
    }

    /// <summary>Whether the stored password could be read back, and if not, why.</summary>
    internal enum PasswordVisibility
    {
        /// <summary>Read back (the secret stores, variables, dotenv, the CLI).</summary>
        Readable,

        /// <summary>Airflow 2's REST API never returns it (writeOnly in the spec).</summary>
        NotReturned,

        /// <summary>Airflow 3's REST API returns it masked.</summary>
        Redacted,

        /// <summary>The connection has none.</summary>
        Absent,
    }

    /// <summary>
    /// What a target holds now for one connection id, as its read side found it. Never printed whole: the password
    /// and <see cref="Raw"/> are secrets, and for something that is not a Docker connection only its kind is kept.
    /// </summary>
    internal sealed class StoredConnection
    {
        public StoredConnection(string connectionId, StoredKind kind, string location)
        {
            ConnectionId = connectionId;
            Kind = kind;
            Location = location;
        }

        public string ConnectionId { get; }

        public StoredKind Kind { get; }

        /// <summary>Where it was read, safe to print: a URL, a secret or parameter name, a variable, a file.</summary>
        public string Location { get; }

        /// <summary>
        /// The conn_type for a connection; for something else a word for what it is ("a SecretBinary", "a JSON value
        /// without conn_type", "text that is not a connection URI"), never its value.
        /// </summary>
        public string? Type { get; init; }

        public string? Host { get; init; }

        public string? Login { get; init; }

        public int? Port { get; init; }

        public string? Schema { get; init; }

        public string? Description { get; init; }

        /// <summary>The connection's extra as a JSON object's text, as stored (null when it has none).</summary>
        public string? Extra { get; init; }

        /// <summary>The stored password when <see cref="PasswordVisibility"/> is Readable.</summary>
        public SecureString? Password { get; init; }

        public PasswordVisibility PasswordVisibility { get; init; } = PasswordVisibility.Absent;

        /// <summary>
        /// The stored value as read (a secret's SecretString, a parameter's value, a variable), for a write that
        /// must keep what is not ours; holds the password, so it never reaches a message or a stream.
        /// </summary>
        internal string? Raw { get; init; }

        /// <summary>Whether a write may go over it: nothing, or a Docker connection, or anything when the user said -ReplaceNonDocker.</summary>
        public bool MayBeReplacedBy(DockerConnection connection) => Kind != StoredKind.NotDocker || connection.ReplaceNonDocker;

        public static StoredConnection Missing(string connectionId, string location) => new StoredConnection(connectionId, StoredKind.Missing, location);

        public static StoredConnection NotDocker(string connectionId, string location, string what) =>
            new StoredConnection(connectionId, StoredKind.NotDocker, location) { Type = what };

        /// <summary>Never a secret.</summary>
        public override string ToString() => $"{ConnectionId}: {Kind}{(Type != null ? " (" + Type + ")" : string.Empty)} at {Location}";
    }
}
