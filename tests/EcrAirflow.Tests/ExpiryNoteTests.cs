using System;
using Xunit;
using EcrAirflow.Core.Airflow;

namespace EcrAirflow.Tests
{
    /// <summary>The description's note of the token's expiry: the user's text kept, EcrAirflow's note renewed, and read back.</summary>
    public class ExpiryNoteTests
    {
        private static readonly DateTimeOffset Expiry = new DateTimeOffset(2030, 1, 2, 5, 4, 5, TimeSpan.FromHours(2));
        private const string Note = "token expires 2030-01-02 03:04:05 UTC";

        [Fact]
        public void A_new_connection_gets_the_managed_text_and_the_note_in_UTC()
        {
            Assert.Equal("Managed by EcrAirflow; " + Note, ExpiryNote.Compose(null, null, Expiry));
            Assert.Equal("Managed by EcrAirflow", ExpiryNote.Compose(null, null, null));
        }

        [Theory]
        [InlineData("Managed by EcrAirflow; token expires 2029-12-31 23:00:00 UTC")]
        [InlineData("Managed by EcrAirflow")]
        [InlineData("")]
        [InlineData("   ")]
        public void A_description_EcrAirflow_wrote_is_rewritten_whole(string existing)
        {
            Assert.Equal("Managed by EcrAirflow; " + Note, ExpiryNote.Compose(existing, null, Expiry));
        }

        [Theory]
        [InlineData("Team registry", "Team registry; " + Note)]
        [InlineData("Team registry; token expires 2029-12-31 23:00:00 UTC", "Team registry; " + Note)]
        [InlineData("Team registry;token expires 2029-12-31 23:00:00 UTC  ", "Team registry; " + Note)]
        [InlineData("Managed by EcrAirflow for team X", "Managed by EcrAirflow for team X; " + Note)]
        [InlineData("Our token expires 2031-01-01 00:00:00 UTC", "Our token expires 2031-01-01 00:00:00 UTC; " + Note)]
        [InlineData("line one\nline two", "line one\nline two; " + Note)]
        public void The_users_text_is_kept_and_only_the_note_renewed(string existing, string expected)
        {
            Assert.Equal(expected, ExpiryNote.Compose(existing, null, Expiry));
        }

        [Fact]
        public void Without_a_known_expiry_an_old_note_goes_rather_than_stay_wrong()
        {
            Assert.Equal("Team registry", ExpiryNote.Compose("Team registry; token expires 2029-12-31 23:00:00 UTC", null, null));
        }

        [Fact]
        public void Description_given_replaces_the_users_text_and_keeps_the_note()
        {
            Assert.Equal("New text; " + Note, ExpiryNote.Compose("Team registry; token expires 2029-12-31 23:00:00 UTC", "New text", Expiry));
            Assert.Equal("it's $HOME", ExpiryNote.Compose(null, "it's $HOME", null));
        }

        [Fact]
        public void An_empty_description_given_leaves_the_note_alone_which_reads_back()
        {
            Assert.Equal(Note, ExpiryNote.Compose("Team registry", "", Expiry));
            Assert.Equal(Expiry, ExpiryNote.Read(Note));
            Assert.Equal("", ExpiryNote.Compose("Team registry", " ", null));
        }

        [Theory]
        [InlineData("Managed by EcrAirflow; token expires 2030-01-02 03:04:05 UTC", true)]
        [InlineData("Team; token expires 2030-01-02 03:04:05 UTC\n", true)]
        [InlineData("token expires 2030-01-02 03:04:05 UTC", true)]
        [InlineData("Our token expires 2030-01-02 03:04:05 UTC", false)]
        [InlineData("Managed by EcrAirflow; token expires 2030-01-02 03:04:05 UTC and more", false)]
        [InlineData("Managed by EcrAirflow; token expires 2030-13-02 03:04:05 UTC", false)]
        [InlineData("Managed by EcrAirflow", false)]
        [InlineData(null, false)]
        public void Read_finds_only_the_note_at_the_end(string? description, bool found)
        {
            var at = ExpiryNote.Read(description);
            Assert.Equal(found, at.HasValue);
            if (found)
            {
                Assert.Equal(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero), at!.Value);
                Assert.Equal(TimeSpan.Zero, at.Value.Offset);
            }
        }

        [Fact]
        public void Compose_then_Read_round_trips_to_the_second()
        {
            var expiry = new DateTimeOffset(2031, 6, 30, 23, 59, 59, 999, TimeSpan.FromHours(-7));
            var read = ExpiryNote.Read(ExpiryNote.Compose("x", null, expiry));
            Assert.Equal(expiry.UtcDateTime.AddMilliseconds(-999), read!.Value.UtcDateTime);
        }
    }
}
