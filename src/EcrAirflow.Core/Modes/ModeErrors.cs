using System.Collections.Generic;
using System.Linq;
using EcrAirflow.Core.Airflow;

namespace EcrAirflow.Core.Modes
{
    /// <summary>The errors of the mode table itself: a parameter the mode does not take, one it needs and was not given.</summary>
    internal static class ModeErrors
    {
        public const string ParameterNotValidForMode = "ParameterNotValidForMode";

        /// <summary>The id of a missing required parameter: &lt;Name&gt;Required (AirflowUrlRequired, MwaaEnvironmentNameRequired).</summary>
        public const string RequiredSuffix = "Required";

        public static EcrAirflowException NotValidForMode(string parameter, SyncMode mode, IReadOnlyList<string> takenBy)
        {
            var modes = takenBy.Count > 2
                ? new List<string> { string.Join(", ", takenBy.Take(takenBy.Count - 1)), takenBy.Last() }
                : takenBy.ToList();
            return new EcrAirflowException(ParameterNotValidForMode, FailureKind.InvalidArgument,
                $"-{parameter} belongs to -Mode {string.Join(" or ", modes)}, but -Mode is {mode}.",
                $"Add -Mode {takenBy[0]}, or remove -{parameter}.")
            { TargetObject = parameter };
        }

        public const string NotDockerConnection = "NotDockerConnection";

        /// <summary>
        /// What is stored at the name is not a Docker connection: never overwritten unless the user typed
        /// -ReplaceNonDocker. Names what is there by its kind, never by its value.
        /// </summary>
        public static EcrAirflowException NotDocker(StoredConnection stored) => new EcrAirflowException(NotDockerConnection, FailureKind.InvalidOperation,
            $"{stored.Location} holds {stored.Type ?? "something else"}, not a Docker connection, so connection '{stored.ConnectionId}' was not written there; what is there is unchanged.",
            "Give the Docker connection another -ConnectionId (or -ConnectionsPrefix), or add -ReplaceNonDocker to replace what is there.")
        { TargetObject = stored.ConnectionId };

        public static EcrAirflowException Required(string parameter, SyncMode mode, string hint) =>
            new EcrAirflowException(parameter + RequiredSuffix, FailureKind.InvalidArgument, $"-Mode {mode} needs -{parameter}.", hint);
    }
}
