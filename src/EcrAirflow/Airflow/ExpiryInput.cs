using System;
using System.Globalization;
using System.Management.Automation;

namespace EcrAirflow.Airflow
{
    /// <summary>
    /// A piped ExpiresAt in every form it arrives in: a DateTimeOffset or a DateTime of any Kind, one that went
    /// through Export-Clixml, a job or remoting (Deserialized.System.DateTimeOffset), an ISO 8601 string, or epoch
    /// seconds or milliseconds (a number or a string of digits). Anything else is refused: the expiry guard must
    /// never be skipped because the value was in a form it did not know.
    /// </summary>
    internal static class ExpiryInput
    {
        /// <summary>Epoch values at or above this are milliseconds (10^11 s is the year 5138; 10^11 ms is 1973).</summary>
        private const double MillisecondsFrom = 1e11;

        private static readonly DateTimeOffset Earliest = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        private static readonly DateTimeOffset Latest = new DateTimeOffset(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

        /// <summary>The expiry in UTC; null when none was given; InvalidExpiresAt when it cannot be read.</summary>
        public static DateTimeOffset? Read(object? value, string registry)
        {
            if (value is PSObject wrapped)
            {
                var deserialized = FromDeserialized(wrapped);
                if (deserialized.HasValue)
                {
                    return Checked(deserialized.Value, value, registry);
                }

                value = wrapped.BaseObject;
            }

            switch (value)
            {
                case null:
                    return null;
                case DateTimeOffset offset:
                    return Checked(offset, value, registry);
                case DateTime time:
                    // Unspecified is how [datetime]'…' and many APIs hand over a local time, as .NET reads it too.
                    return Checked(time.Kind == DateTimeKind.Utc ? new DateTimeOffset(time, TimeSpan.Zero) : new DateTimeOffset(time.ToUniversalTime(), TimeSpan.Zero), value, registry);
                case string text:
                    return Checked(FromText(text.Trim()) ?? throw Unreadable(text, registry), value, registry);
                case int _:
                case long _:
                case uint _:
                case ulong _:
                case short _:
                case double _:
                case float _:
                case decimal _:
                    return Checked(FromEpoch(Convert.ToDouble(value, CultureInfo.InvariantCulture)) ?? throw Unreadable(value, registry), value, registry);
                default:
                    throw Unreadable(value, registry);
            }
        }

        private static DateTimeOffset? FromText(string text)
        {
            if (text.Length == 0)
            {
                return null;
            }

            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return FromEpoch(number);
            }

            // ISO 8601 with an offset or Z; without one it is read as UTC (never as this machine's time).
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var parsed)
                ? parsed
                : (DateTimeOffset?)null;
        }

        private static DateTimeOffset? FromEpoch(double number)
        {
            if (double.IsNaN(number) || double.IsInfinity(number) || number <= 0 || number > 1e15)
            {
                return null;
            }

            var milliseconds = number >= MillisecondsFrom ? number : number * 1000;
            return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(milliseconds));
        }

        /// <summary>A DateTimeOffset or DateTime that was serialized (Export-Clixml, jobs, remoting) arrives as a property bag.</summary>
        private static DateTimeOffset? FromDeserialized(PSObject wrapped)
        {
            foreach (var name in wrapped.TypeNames)
            {
                if (string.Equals(name, "Deserialized.System.DateTimeOffset", StringComparison.Ordinal))
                {
                    if (wrapped.Properties["UtcTicks"]?.Value is long ticks)
                    {
                        return new DateTimeOffset(ticks, TimeSpan.Zero);
                    }

                    if (wrapped.Properties["UtcDateTime"]?.Value is DateTime utc)
                    {
                        return new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc), TimeSpan.Zero);
                    }
                }
            }

            return null;
        }

        private static DateTimeOffset Checked(DateTimeOffset value, object original, string registry)
        {
            var utc = value.ToUniversalTime();
            if (utc < Earliest || utc > Latest)
            {
                throw Unreadable(original, registry, $"{utc.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC is not a token's expiry");
            }

            return utc;
        }

        private static EcrAirflowException Unreadable(object? value, string registry, string? why = null)
        {
            var type = value is PSObject p ? p.TypeNames.Count > 0 ? p.TypeNames[0] : "PSObject" : value?.GetType().FullName ?? "null";
            return InputErrors.InvalidExpiresAt(registry, type, why);
        }
    }
}
