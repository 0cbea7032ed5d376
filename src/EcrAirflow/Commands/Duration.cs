using System;
using System.Globalization;
using System.Management.Automation;
using System.Text.RegularExpressions;

namespace EcrAirflow.Commands
{
    /// <summary>
    /// A duration as people type it: a TimeSpan, hh:mm:ss (or d.hh:mm:ss), or a number with a unit — 90s, 30m, 6h,
    /// 1d, 1.5h (s, m, h, d; also sec, min, hr, day and their plurals). Anything else, and anything negative, is
    /// refused with InvalidDuration and what to type.
    /// </summary>
    internal static class Duration
    {
        /// <summary>
        /// What <see cref="DurationTransformationAttribute"/> hands the cmdlet for a value it cannot read, so the cmdlet
        /// reports InvalidDuration (<see cref="Check"/>): an error thrown during binding would be PowerShell's generic
        /// ParameterArgumentTransformationError. Negative, so it is refused like any negative duration.
        /// </summary>
        internal static readonly TimeSpan Unreadable = TimeSpan.MinValue;

        /// <summary>InvalidDuration when <paramref name="value"/> was not a duration or is negative; null when it is one.</summary>
        public static EcrAirflowException? Check(string parameter, TimeSpan value)
        {
            if (value >= TimeSpan.Zero)
            {
                return null;
            }

            var what = value == Unreadable ? "is not a duration" : $"is negative ({value})";
            return new EcrAirflowException(
                "InvalidDuration",
                FailureKind.InvalidArgument,
                $"-{parameter} {what}: it takes a TimeSpan, hh:mm:ss, or a number with a unit (90s, 30m, 6h, 1d), zero or more.",
                $"Give e.g. -{parameter} 1h, -{parameter} 30m or -{parameter} 01:00:00.")
            { TargetObject = parameter };
        }

        private static readonly Regex WithUnit = new Regex(
            @"\A\s*(?<n>\d+(?:\.\d+)?)\s*(?<u>s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days)\s*\z",
            RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        public static bool TryParse(string text, out TimeSpan value)
        {
            var match = WithUnit.Match(text);
            if (match.Success)
            {
                var n = double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
                var unit = char.ToLowerInvariant(match.Groups["u"].Value[0]);
                var seconds = unit switch { 's' => n, 'm' => n * 60, 'h' => n * 3600, _ => n * 86400 };
                if (seconds <= TimeSpan.MaxValue.TotalSeconds / 2)
                {
                    value = TimeSpan.FromSeconds(seconds);
                    return true;
                }
            }

            // hh:mm:ss and d.hh:mm:ss only: a bare "90" would be 90 days to TimeSpan.Parse, which nobody means.
            if (text.IndexOf(':') > 0 && TimeSpan.TryParseExact(text.Trim(), new[] { @"h\:mm\:ss", @"hh\:mm\:ss", @"d\.hh\:mm\:ss", @"h\:mm", @"hh\:mm" }, CultureInfo.InvariantCulture, out value))
            {
                return true;
            }

            value = default;
            return false;
        }

        /// <summary>A remaining time as the results and -Verbose show it: 2h 05m, 4m 30s.</summary>
        public static string Describe(TimeSpan value) =>
            value.TotalDays >= 1 ? $"{(int)value.TotalDays}d {value.Hours}h {value.Minutes:00}m"
            : value.TotalHours >= 1 ? $"{(int)value.TotalHours}h {value.Minutes:00}m"
            : value.TotalMinutes >= 1 ? $"{(int)value.TotalMinutes}m {value.Seconds:00}s"
            : $"{Math.Max(0, (int)value.TotalSeconds)}s";
    }

    /// <summary>
    /// Turns what a user typed for a duration parameter into a TimeSpan (<see cref="Duration"/>); anything it cannot
    /// read becomes <see cref="Duration.Unreadable"/>, which the cmdlet refuses with InvalidDuration.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class DurationTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            switch (value)
            {
                case TimeSpan span:
                    return span;
                case string text when Duration.TryParse(text, out var parsed):
                    return parsed;

                // Typed bare, 90s and 1d are PowerShell's own numeric literals (the short 90, the decimal 1): the unit
                // is gone from the value, but the argument keeps the text as typed, which its PSObject's ToString gives.
                case object number when IsNumber(number) && inputData is PSObject typed && Duration.TryParse(typed.ToString(), out var fromText):
                    return fromText;
                default:
                    return Duration.Unreadable;
            }
        }

        private static bool IsNumber(object value) => value.GetType().IsPrimitive || value is decimal;
    }
}
