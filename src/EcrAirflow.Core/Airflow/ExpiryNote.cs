using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace EcrAirflow.Core.Airflow
{
    /// <summary>
    /// EcrAirflow's note of the token's expiry in a connection's description: the one part of the description a
    /// refresh owns. A description EcrAirflow wrote ("Managed by EcrAirflow; token expires … UTC") is rewritten
    /// whole; a description the user wrote keeps its text, with the note appended or renewed after it. The note
    /// is also how the expiry is read back where the password cannot be (Airflow's REST APIs, MWAA).
    /// </summary>
    internal static class ExpiryNote
    {
        public const string Managed = "Managed by EcrAirflow";

        private const string Format = "yyyy-MM-dd HH:mm:ss";

        private static readonly Regex Note = new Regex(@"(?:\A|;[ ]?)token expires (?<at>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC\s*\z", RegexOptions.CultureInvariant);

        /// <summary>
        /// The description to write: <paramref name="given"/> (-Description) or the user's own text from
        /// <paramref name="existing"/>, else "Managed by EcrAirflow"; with the note when the expiry is known.
        /// </summary>
        /// <remarks>An empty -Description is the user's choice of no text: the description is then the note alone.</remarks>
        public static string Compose(string? existing, string? given, DateTimeOffset? expiresAt)
        {
            var text = given == null ? UsersText(existing) ?? Managed : given.Trim().Length == 0 ? string.Empty : given;
            if (!expiresAt.HasValue)
            {
                return text;
            }

            var note = $"token expires {expiresAt.Value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture)} UTC";
            return text.Length == 0 ? note : text + "; " + note;
        }

        /// <summary>The expiry EcrAirflow noted in a description; null when there is no note.</summary>
        public static DateTimeOffset? Read(string? description)
        {
            var match = description == null ? Match.Empty : Note.Match(description);
            return match.Success && DateTime.TryParseExact(match.Groups["at"].Value, Format, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)
                ? new DateTimeOffset(at, TimeSpan.Zero)
                : (DateTimeOffset?)null;
        }

        /// <summary>What the user wrote in a description, without EcrAirflow's note; null when the description is EcrAirflow's or empty.</summary>
        private static string? UsersText(string? existing)
        {
            if (string.IsNullOrWhiteSpace(existing))
            {
                return null;
            }

            // Only EcrAirflow's own text is rewritten whole: "Managed by EcrAirflow for team X" is the user's.
            var text = Note.Replace(existing!, string.Empty).TrimEnd();
            return text.Trim().Length == 0 || string.Equals(text.Trim(), Managed, StringComparison.Ordinal) ? null : text;
        }
    }
}
