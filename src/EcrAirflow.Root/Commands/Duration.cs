using System;
using System.Globalization;
using System.Management.Automation;
using System.Text.RegularExpressions;

namespace EcrAirflow.Commands
{
    /// <summary>
    /// A duration as people type it: a TimeSpan, hh:mm:ss (or d.hh:mm:ss), or a number with a unit — 90s, 30m, 6h,
    /// 1d, 1.5h (s, m, h, d; also sec, min, hr, day and their plurals). Anything else is refused with what to type.
    /// </summary>
    internal static class Duration
    {
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

        public static string Describe(TimeSpan value) =>
            value.TotalDays >= 1 ? $"{(int)value.TotalDays}d {value.Hours}h {value.Minutes:00}m"
            : value.TotalHours >= 1 ? $"{(int)value.TotalHours}h {value.Minutes:00}m"
            : value.TotalMinutes >= 1 ? $"{(int)value.TotalMinutes}m {value.Seconds:00}s"
            : $"{Math.Max(0, (int)value.TotalSeconds)}s";
    }

    /// <summary>Turns what a user typed for a duration parameter into a TimeSpan (<see cref="Duration"/>), or says what to type.</summary>
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
                default:
                    var shown = value is string s ? "'" + Internal.PrintableText.Of(s, 40) + "'" : "A " + (value?.GetType().Name ?? "null");
                    throw new ArgumentTransformationMetadataException(
                        $"{shown} is not a duration. Give a TimeSpan, hh:mm:ss, or a number with a unit: 90s, 30m, 6h, 1d.");
            }
        }
    }
}
