using System.Collections.Generic;
using System.Linq;

namespace EcrAirflow.Modes
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

        public static EcrAirflowException Required(string parameter, SyncMode mode, string hint) =>
            new EcrAirflowException(parameter + RequiredSuffix, FailureKind.InvalidArgument, $"-Mode {mode} needs -{parameter}.", hint);
    }
}
