using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using EcrAirflow.Commands;
using EcrAirflow.Core.Commands;

namespace EcrAirflow.Tests
{
    /// <summary>Durations as people type them (-MinimumRemaining, -SkipIfValidFor), and InvalidDuration for anything else.</summary>
    public class DurationTests
    {
        [Theory]
        [InlineData("90s", 90)]
        [InlineData("30m", 1800)]
        [InlineData("6h", 21600)]
        [InlineData("1d", 86400)]
        [InlineData("1.5h", 5400)]
        [InlineData(" 2 hours ", 7200)]
        [InlineData("45MIN", 2700)]
        [InlineData("01:00:00", 3600)]
        [InlineData("1:30", 5400)]
        [InlineData("1.02:00:00", 93600)]
        [InlineData("0s", 0)]
        public void Reads_a_number_with_a_unit_or_hh_mm_ss(string text, int seconds)
        {
            Assert.True(Duration.TryParse(text, out var value));
            Assert.Equal(TimeSpan.FromSeconds(seconds), value);
        }

        [Theory]
        [InlineData("soon")]
        [InlineData("-5m")]
        [InlineData("90")] // TimeSpan.Parse would read 90 days, which nobody means
        [InlineData("5 parsecs")]
        [InlineData("-01:00:00")]
        [InlineData("")]
        public void Refuses_anything_else(string text)
        {
            Assert.False(Duration.TryParse(text, out _));
        }

        [Fact]
        public void The_transformation_hands_the_cmdlet_Unreadable_for_what_it_cannot_read_and_the_cmdlet_refuses_it_with_InvalidDuration()
        {
            var transform = new DurationTransformationAttribute();
            Assert.Equal(TimeSpan.FromMinutes(30), transform.Transform(null!, "30m"));
            Assert.Equal(TimeSpan.FromHours(2), transform.Transform(null!, TimeSpan.FromHours(2)));
            foreach (var input in new object?[] { "soon", "-5m", 90, null })
            {
                var value = (TimeSpan)transform.Transform(null!, input!);
                var error = Duration.Check("SkipIfValidFor", value);
                Assert.NotNull(error);
                Assert.Equal("InvalidDuration", error!.ErrorId);
                Assert.Equal(FailureKind.InvalidArgument, error.Kind);
                Assert.StartsWith("-SkipIfValidFor is not a duration", error.Message);
                Assert.Contains("90s, 30m, 6h, 1d", error.Message);
                Assert.Contains("-SkipIfValidFor 1h", error.Hint);
            }
        }

        [Fact]
        public void Typed_bare_90s_and_1d_keep_their_unit_though_PowerShell_reads_them_as_numbers()
        {
            // PowerShell 7 reads 90s as the short 90 and (like 5.1) 1d as the decimal 1; the argument keeps the text.
            var (output, errors) = PowerShellHost.Run(
                "function f { param([EcrAirflow.Commands.DurationTransformation()] [TimeSpan] $d) $d }; f 90s; f 1d; f 1.5d; f 90; $n = 90; f $n",
                new Dictionary<string, object?>());
            Assert.Empty(errors);
            Assert.Equal(
                new[] { TimeSpan.FromSeconds(90), TimeSpan.FromDays(1), TimeSpan.FromDays(1.5), Duration.Unreadable, Duration.Unreadable },
                output.Select(o => (TimeSpan)o.BaseObject));
        }

        [Fact]
        public void A_negative_duration_is_InvalidDuration_and_zero_is_allowed()
        {
            var error = Duration.Check("MinimumRemaining", TimeSpan.FromMinutes(-5));
            Assert.Equal("InvalidDuration", error!.ErrorId);
            Assert.StartsWith("-MinimumRemaining is negative (-00:05:00)", error.Message);
            Assert.Null(Duration.Check("MinimumRemaining", TimeSpan.Zero));
            Assert.Null(Duration.Check("MinimumRemaining", TimeSpan.FromHours(1)));
        }
    }
}
