using System;
using System.Diagnostics;
using System.IO;
using Xunit;
using EcrAirflow.Core.Internal.Files.Native;

namespace EcrAirflow.Tests
{
    /// <summary>
    /// The native file status (statx on Linux, the raw system call too) against what stat(1) says.
    /// </summary>
    public sealed class UnixFileTests : IDisposable
    {
        private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ecrairflow-trust-");

        public void Dispose() => _dir.Delete(true);

        private static string StatCommand(string format, string path)
        {
            var psi = new ProcessStartInfo("stat") { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in new[] { "-c", format, path })
            {
                psi.ArgumentList.Add(a);
            }

            using var p = Process.Start(psi)!;
            var text = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return text;
        }

        [Fact]
        public void Status_of_a_file_matches_stat()
        {
            if (!OperatingSystem.IsLinux())
            {
                return;
            }

            var path = Path.Combine(_dir.FullName, "f");
            File.WriteAllText(path, "12345");
            File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32("640", 8));
            var status = UnixFile.LStat(path)!.Value;
            Assert.True(status.IsRegularFile);
            Assert.Equal(Convert.ToInt32("640", 8), status.Permissions);
            Assert.Equal(5, status.Size);
            Assert.Equal(StatCommand("%i", path), status.Inode.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(StatCommand("%u", path), status.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(StatCommand("%u", path), UnixFile.EffectiveUserId.ToString(System.Globalization.CultureInfo.InvariantCulture));

            using var stream = File.OpenRead(path);
            Assert.True(UnixFile.FStat(stream.SafeFileHandle).SameFileAs(status));
        }

        [Fact]
        public void The_raw_statx_system_call_gives_the_same_answer_as_the_C_library()
        {
            if (!OperatingSystem.IsLinux())
            {
                return;
            }

            var path = Path.Combine(_dir.FullName, "g");
            File.WriteAllText(path, "x");
            var viaLibrary = UnixFile.LStat(path)!.Value;
            var missing = typeof(UnixFile).GetField("_statxMissing", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
            missing.SetValue(null, true);
            try
            {
                var viaSyscall = UnixFile.LStat(path)!.Value;
                Assert.True(viaSyscall.SameFileAs(viaLibrary));
                Assert.Equal(viaLibrary.Mode, viaSyscall.Mode);
                Assert.Equal(viaLibrary.Uid, viaSyscall.Uid);
                Assert.Null(UnixFile.LStat(Path.Combine(_dir.FullName, "missing")));
            }
            finally
            {
                missing.SetValue(null, false);
            }
        }

        [Fact]
        public void Links_folders_and_missing_paths()
        {
            if (!OperatingSystem.IsLinux())
            {
                return;
            }

            var link = Path.Combine(_dir.FullName, "link");
            File.CreateSymbolicLink(link, Path.Combine(_dir.FullName, "missing"));
            Assert.True(UnixFile.LStat(link)!.Value.IsSymbolicLink);
            Assert.Null(UnixFile.Stat(link));
            Assert.Null(UnixFile.LStat(Path.Combine(_dir.FullName, "missing")));
            Assert.True(UnixFile.LStat(_dir.FullName)!.Value.IsDirectory);
            Assert.Equal("a character device", UnixFile.Stat("/dev/null")!.Value.Kind);
        }
    }
}
