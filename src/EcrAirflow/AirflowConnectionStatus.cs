using System;

namespace EcrAirflow
{
    /// <summary>How fresh the login a target holds is.</summary>
    public enum ConnectionStatus
    {
        /// <summary>A Docker connection whose token stays valid for at least -MinimumRemaining.</summary>
        Fresh,

        /// <summary>Valid now, but for less than -MinimumRemaining.</summary>
        ExpiringSoon,

        Expired,

        /// <summary>Nothing at that id.</summary>
        Missing,

        /// <summary>Something that is not a Docker connection.</summary>
        NotDocker,

        /// <summary>A Docker connection whose expiry cannot be told, or the target could not be read.</summary>
        Unknown,
    }

    /// <summary>Where ExpiresAt was read.</summary>
    public enum ExpirySource
    {
        /// <summary>Not known.</summary>
        None,

        /// <summary>Decoded from the stored password (an ECR token says when it expires).</summary>
        Token,

        /// <summary>From the note EcrAirflow wrote beside it (the description), where the password cannot be read back.</summary>
        Annotation,
    }

    /// <summary>What the registry said of the stored login (-Login).</summary>
    public enum LoginResult
    {
        NotTested,
        Succeeded,
        Failed,

        /// <summary>It could not be tried: the password cannot be read back, or the registry could not be asked.</summary>
        Unavailable,
    }

    /// <summary>What one target holds for one connection id, as Test-AirflowEcrConnection found it. Never carries the password.</summary>
    public sealed class AirflowConnectionStatus
    {
        public string ConnectionId { get; internal init; } = "";

        /// <summary>Rest, Cli, EnvironmentVariable, SecretsManager, ParameterStore or Mwaa.</summary>
        public string Mode { get; internal init; } = "";

        /// <summary>Where it was read: a URL without credentials, a command, a variable and scope or file, a secret or parameter name.</summary>
        public string Target { get; internal init; } = "";

        public ConnectionStatus Status { get; internal init; }

        /// <summary>The registry the stored connection logs in to (its host).</summary>
        public string? Registry { get; internal init; }

        public DateTimeOffset? ExpiresAt { get; internal init; }

        /// <summary>Time left at the moment of the test (negative once expired).</summary>
        public TimeSpan? Remaining { get; internal init; }

        public ExpirySource ExpirySource { get; internal init; }

        public LoginResult Login { get; internal init; }

        /// <summary>A sentence a person can act on, whenever Status is not Fresh or a tested login did not succeed.</summary>
        public string? Reason { get; internal init; }

        public override string ToString() => $"{ConnectionId}: {Status}";
    }
}
