using System;
using Xunit;
using EcrAirflow.Core.Internal.Files;
using EcrAirflow.Core.Internal.Files.Native;

namespace EcrAirflow.Tests
{
    /// <summary>
    /// The trust rules on a file status: a folder is trusted like ssh trusts it.
    /// </summary>
    public sealed class FileTrustTests
    {
        [Theory]
        [InlineData(0u, "755", null)]
        [InlineData(0u, "1777", null)]
        [InlineData(0u, "777", "can be written by other users")]
        [InlineData(0u, "775", "can be written by other users")]
        [InlineData(1000u, "700", null)]
        [InlineData(4242u, "700", "belongs to another user")]
        public void Folders_are_trusted_like_ssh_trusts_them(uint owner, string mode, string? why)
        {
            var status = new UnixFileStatus(0x4000 | Convert.ToInt32(mode, 8), owner, 0, 1, 1, 0, 2);
            var said = FileTrust.WhyNotTrusted(status, 1000u);
            if (why == null)
            {
                Assert.Null(said);
            }
            else
            {
                Assert.Contains(why, said, StringComparison.Ordinal);
            }
        }
    }
}
