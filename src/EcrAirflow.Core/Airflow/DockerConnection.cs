using System;
using System.Security;
using EcrAirflow.Core.Internal.Secrets;

namespace EcrAirflow.Core.Airflow
{
    /// <summary>
    /// The Airflow connection that Sync-AirflowEcrConnection writes, the one model every target serialises
    /// (see <see cref="ConnectionJson"/> and <see cref="ConnectionUri"/>): conn_type docker,
    /// host = the registry host (no scheme, no path), login, password, description, and extra
    /// {"email","reauth"} with only what the user gave.
    /// </summary>
    /// <remarks>
    /// The password stays a read-only SecureString until a target builds the request or file that carries
    /// it (<see cref="RevealPassword"/>); ToString never shows it.
    /// </remarks>
    internal sealed record DockerConnection(string ConnectionId, string Host, string Login, SecureString Password)
    {
        public const string ConnType = "docker";

        /// <summary>The description of a connection written anew (with EcrAirflow's expiry note).</summary>
        public string? Description { get; init; }

        /// <summary>-Description as typed (null: none), which replaces the user's text of a stored description.</summary>
        public string? GivenDescription { get; init; }

        /// <summary>-ReplaceNonDocker: a value at the name that is not a Docker connection may be replaced.</summary>
        public bool ReplaceNonDocker { get; init; }

        public string? Email { get; init; }

        public bool? Reauth { get; init; }

        /// <summary>The piped credential's AWS region, when it had one: the AWS-backed modes' last fallback.</summary>
        public string? Region { get; init; }

        /// <summary>When the token expires (UTC), when the input said.</summary>
        public DateTimeOffset? ExpiresAt { get; init; }

        public bool HasExtra => Email != null || Reauth.HasValue;

        /// <summary>The description to write over a stored one: the user's text kept, EcrAirflow's note renewed (<see cref="ExpiryNote"/>).</summary>
        public string? DescriptionOver(string? stored) => stored == null ? Description : ExpiryNote.Compose(stored, GivenDescription, ExpiresAt);

        /// <summary>The password in plain text, for the one request or file that must carry it.</summary>
        public string RevealPassword() => SecureText.Reveal(Password);

        public override string ToString() => $"{ConnectionId} ({Host})";

        /// <summary>A read-only SecureString holding <paramref name="value"/> (tests, and plain-string input).</summary>
        public static SecureString Secure(string value) => SecureText.ToSecure(value);
    }
}
