using System.IO;
using System.Runtime.InteropServices;
using EcrAirflow.Internal.Loading;
using Xunit;

namespace EcrAirflow.Tests
{
    /// <summary>
    /// How EcrAirflow.dll picks the EcrAirflow.Core file to load: the ReadyToRun image only for the three platforms the
    /// build precompiles for on .NET 10+, and only when the file's header names this platform (ReadyToRun.Tests.ps1
    /// loads the staged images and the fallbacks in a real PowerShell).
    /// </summary>
    public class CoreLinkTests
    {
        [Theory]
        [InlineData(10, Architecture.X64, true, false, false, "win-x64", 0x8664)]
        [InlineData(10, Architecture.X64, false, true, false, "linux-x64", 0x8664 ^ 0x7B79)]
        [InlineData(10, Architecture.Arm64, false, false, true, "osx-arm64", 0xAA64 ^ 0x4644)]
        [InlineData(11, Architecture.X64, false, true, false, "linux-x64", 0x8664 ^ 0x7B79)]
        public void Picks_the_image_built_for_this_platform(int runtime, Architecture architecture, bool windows, bool linux, bool macOS, string folder, int machine)
        {
            var image = CoreLink.ReadyToRunImage(runtime, architecture, windows, linux, macOS);
            Assert.Equal((folder, (ushort)machine), image);
        }

        [Theory]
        [InlineData(8, Architecture.X64, false, true, false)] // .NET 8 ignores .NET 10's native code
        [InlineData(9, Architecture.X64, true, false, false)]
        [InlineData(10, Architecture.Arm64, false, true, false)] // linux-arm64: no image is built
        [InlineData(10, Architecture.Arm64, true, false, false)]
        [InlineData(10, Architecture.X64, false, false, true)] // an Intel Mac
        [InlineData(10, Architecture.X86, true, false, false)]
        public void Takes_the_portable_IL_everywhere_else(int runtime, Architecture architecture, bool windows, bool linux, bool macOS)
        {
            Assert.Null(CoreLink.ReadyToRunImage(runtime, architecture, windows, linux, macOS));
        }

        [Fact]
        public void Reads_the_machine_from_the_file_header()
        {
            // This test assembly is portable IL, whose COFF machine is I386.
            var il = typeof(CoreLinkTests).Assembly.Location;
            Assert.True(CoreLink.IsImageFor(il, 0x14C));
            Assert.False(CoreLink.IsImageFor(il, 0x8664 ^ 0x7B79));
        }

        [Fact]
        public void Refuses_a_file_that_is_not_an_image_or_is_not_there()
        {
            var text = Path.GetTempFileName();
            try
            {
                File.WriteAllText(text, "MZ but nothing after it");
                Assert.False(CoreLink.IsImageFor(text, 0x14C));
                Assert.False(CoreLink.IsImageFor(text + ".missing", 0x14C));
            }
            finally
            {
                File.Delete(text);
            }
        }
    }
}
