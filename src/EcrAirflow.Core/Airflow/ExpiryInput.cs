using System;
using System.Globalization;
using System.Management.Automation;
using System.Text.RegularExpressions;

namespace EcrAirflow.Core.Airflow
{
    /// <summary>
    /// A piped ExpiresAt in every form it arrives in: a DateTimeOffset or a DateTime of any Kind, one that went
    /// through Export-Clixml, a job or remoting (Deserialized.System.DateTimeOffset), an ISO 8601 string (or RFC 1123,
    /// as HTTP dates are written), or epoch seconds or milliseconds (a number or a string of digits). Anything else is
    /// refused: the expiry guard must never be skipped, nor misread, because the value was in a form it did not know.
    /// Text in a culture's own form ("02/01/2030 …") is refused rather than guessed: its day and month could be either.
    /// </summary>
    internal static class ExpiryInput
    {
        /// <summary>Epoch values at or above this are milliseconds (10^11 s is the year 5138; 10^11 ms is 1973).</summary>
        private const double MillisecondsFrom = 1e11;

        private static readonly DateTimeOffset Earliest = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        private static readonly DateTimeOffset Latest = new DateTimeOffset(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

        /// <summary>DateTimeOffset.MaxValue in Unix milliseconds: beyond it FromUnixTimeMilliseconds throws.</summary>
        private const double MaxMilliseconds = 253402300799999;

        /// <summary>ISO 8601 date, or date and time ('T' or a space), with optional fractions and an optional Z or ±hh[:]mm offset.</summary>
        private static readonly Regex Iso8601 = new Regex(
            @"\A\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:[.,]\d{1,9})?)?)?(?<zone>Z|[+-]\d\d(?::?\d\d)?)?\z",
            RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

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
                case byte _:
                case sbyte _:
                case ushort _:
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

            if (Iso8601.IsMatch(text))
            {
                // An offset of ±hhmm is written ±hh:mm for .NET; without an offset the time is read as UTC (never as
                // this machine's time: the text may come from anywhere).
                var zone = Iso8601.Match(text).Groups["zone"];
                if (zone.Success && zone.Length == 5)
                {
                    text = text.Substring(0, zone.Index + 3) + ":" + text.Substring(zone.Index + 3);
                }

                return DateTimeOffset.TryParse(text.Replace(',', '.'), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                    ? parsed
                    : (DateTimeOffset?)null;
            }

            return DateTimeOffset.TryParseExact(text, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var rfc1123)
                ? rfc1123
                : (DateTimeOffset?)null;
        }

        private static DateTimeOffset? FromEpoch(double number)
        {
            if (double.IsNaN(number) || double.IsInfinity(number) || number <= 0 || number > 1e15)
            {
                return null;
            }

            var milliseconds = number >= MillisecondsFrom ? number : number * 1000;
            return milliseconds > MaxMilliseconds ? null : DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(milliseconds));
        }

        /// <summary>A DateTimeOffset or DateTime that was serialized (Export-Clixml, jobs, remoting) arrives as a property bag.</summary>
        private static DateTimeOffset? FromDeserialized(PSObject wrapped)
        {
            foreach (var name in wrapped.TypeNames)
            {
                if (string.Equals(name, "Deserialized.System.DateTimeOffset", StringComparison.Ordinal))
                {
                    if (Unwrap(wrapped.Properties["UtcTicks"]?.Value) is long ticks && ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks)
                    {
                        return new DateTimeOffset(ticks, TimeSpan.Zero);
                    }

                    if (Unwrap(wrapped.Properties["UtcDateTime"]?.Value) is DateTime utc)
                    {
                        return new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc), TimeSpan.Zero);
                    }
                }
            }

            return null;
        }

        private static object? Unwrap(object? value) => value is PSObject p ? p.BaseObject : value;

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
