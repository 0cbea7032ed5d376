using System;
using System.Management.Automation;
using Xunit;
using EcrAirflow.Core.Airflow;

namespace EcrAirflow.Tests
{
    /// <summary>
    /// Every form a piped ExpiresAt arrives in, read as the same instant, and the forms that are refused rather than
    /// guessed. The deserialized forms are made by PowerShell's own serializer (what Export-Clixml, jobs and remoting use).
    /// </summary>
    public class ExpiryInputTests
    {
        private static readonly DateTimeOffset Instant = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

        private static DateTimeOffset? Read(object? value) => ExpiryInput.Read(value, "123456789012.dkr.ecr.eu-west-1.amazonaws.com");

        private static void Refused(object? value, string? why = null)
        {
            var ex = Assert.Throws<EcrAirflowException>(() => Read(value));
            Assert.Equal("InvalidExpiresAt", ex.ErrorId);
            Assert.Equal(FailureKind.InvalidData, ex.Kind);
            if (why != null)
            {
                Assert.Contains(why, ex.Message);
            }
        }

        [Fact]
        public void None_is_null()
        {
            Assert.Null(Read(null));
        }

        [Fact]
        public void DateTimeOffset_with_any_offset_is_the_same_instant_in_UTC()
        {
            var read = Read(new DateTimeOffset(2030, 1, 2, 5, 4, 5, TimeSpan.FromHours(2)));
            Assert.Equal(Instant, read);
            Assert.Equal(TimeSpan.Zero, read!.Value.Offset);
        }

        [Fact]
        public void DateTime_of_each_kind()
        {
            Assert.Equal(Instant, Read(new DateTime(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc)));
            var local = Instant.LocalDateTime;   // Kind Local
            Assert.Equal(Instant, Read(local));
            // Unspecified is read as this machine's local time, as .NET (and [datetime]'…') take it.
            Assert.Equal(Instant, Read(DateTime.SpecifyKind(local, DateTimeKind.Unspecified)));
        }

        [Fact]
        public void Wrapped_in_a_PSObject()
        {
            Assert.Equal(Instant, Read(PSObject.AsPSObject(Instant)));
            Assert.Equal(Instant, Read(PSObject.AsPSObject("2030-01-02T03:04:05Z")));
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        public void Deserialized_DateTimeOffset_from_Clixml_jobs_or_remoting(int depth)
        {
            var original = new PSObject();
            original.Properties.Add(new PSNoteProperty("ExpiresAt", new DateTimeOffset(2030, 1, 2, 5, 4, 5, TimeSpan.FromHours(2))));
            var back = (PSObject)PSSerializer.Deserialize(PSSerializer.Serialize(original, depth));
            var bag = back.Properties["ExpiresAt"].Value;
            Assert.Contains("Deserialized.System.DateTimeOffset", ((PSObject)bag).TypeNames);
            Assert.Equal(Instant, Read(bag));
        }

        [Fact]
        public void Deserialized_DateTimeOffset_with_only_UtcDateTime()
        {
            var bag = new PSObject();
            bag.TypeNames.Insert(0, "Deserialized.System.DateTimeOffset");
            bag.Properties.Add(new PSNoteProperty("UtcDateTime", PSObject.AsPSObject(new DateTime(2030, 1, 2, 3, 4, 5, DateTimeKind.Unspecified))));
            Assert.Equal(Instant, Read(bag));
        }

        [Fact]
        public void Deserialized_DateTime_is_a_DateTime_again()
        {
            var back = PSSerializer.Deserialize(PSSerializer.Serialize(new DateTime(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc)));
            Assert.Equal(Instant, Read(back));
        }

        [Theory]
        [InlineData("2030-01-02T03:04:05Z")]
        [InlineData("2030-01-02T05:04:05+02:00")]
        [InlineData("2030-01-02T05:04:05+0200")]
        [InlineData("2030-01-01T22:04:05-05:00")]
        [InlineData("2030-01-02T03:04:05.000000+00:00")]
        [InlineData("2030-01-02 03:04:05Z")]
        [InlineData("2030-01-02T03:04:05")]
        [InlineData(" 2030-01-02T03:04:05Z ")]
        [InlineData("Wed, 02 Jan 2030 03:04:05 GMT")]
        public void Iso_8601_text_with_or_without_an_offset_and_RFC_1123(string text)
        {
            Assert.Equal(Instant, Read(text));
        }

        [Fact]
        public void Epoch_seconds_and_milliseconds_as_numbers_and_text()
        {
            var seconds = Instant.ToUnixTimeSeconds();
            var ms = Instant.ToUnixTimeMilliseconds();
            Assert.Equal(Instant, Read(seconds));
            Assert.Equal(Instant, Read((int)seconds));
            Assert.Equal(Instant, Read((double)seconds));
            Assert.Equal(Instant, Read((decimal)seconds));
            Assert.Equal(Instant, Read((uint)seconds));
            Assert.Equal(Instant, Read(ms));
            Assert.Equal(Instant, Read(seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Equal(Instant, Read(ms.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Equal(Instant.AddMilliseconds(500), Read(seconds + 0.5));
        }

        [Theory]
        [InlineData("")]
        [InlineData("soon")]
        [InlineData("02/01/2030 03:04:05")]        // day and month could be either: refused, never guessed
        [InlineData("1/2/2030 3:04:05 AM +00:00")]
        [InlineData("2030-13-01T00:00:00Z")]
        [InlineData("NaN")]
        [InlineData("Infinity")]
        [InlineData("-1700000000")]
        public void Text_that_is_not_a_time_is_refused(string text)
        {
            Refused(text);
        }

        [Fact]
        public void Out_of_range_values_are_refused_never_a_raw_exception()
        {
            Refused(0);
            Refused(-5L);
            Refused(900_000_000_000_000L);          // ms beyond DateTimeOffset.MaxValue
            Refused(1e15);
            Refused(double.PositiveInfinity);
        }

        [Fact]
        public void Times_outside_2000_to_2200_are_not_a_tokens_expiry()
        {
            Refused(new DateTime(1999, 12, 31, 0, 0, 0, DateTimeKind.Utc), "is not a token's expiry");
            Refused(new DateTimeOffset(2200, 1, 1, 0, 0, 1, TimeSpan.Zero), "is not a token's expiry");
            Refused(DateTimeOffset.MinValue, "is not a token's expiry");
            Refused(DateTime.MaxValue);
            Refused("1970-01-01T00:00:00Z", "is not a token's expiry");
        }

        [Fact]
        public void Other_types_are_refused_by_their_type_name()
        {
            Refused(new object(), "System.Object");
            Refused(true, "System.Boolean");
            Refused(new PSObject(), "System.Management.Automation.PSCustomObject");
            var bag = new PSObject();
            bag.TypeNames.Insert(0, "Deserialized.System.DateTimeOffset");
            Refused(bag);
        }
    }
}
