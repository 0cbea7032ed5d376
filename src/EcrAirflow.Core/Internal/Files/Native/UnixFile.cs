using System;
using System.IO;
using System.Runtime.InteropServices;

namespace EcrAirflow.Core.Internal.Files.Native
{
    /// <summary>
    /// The few POSIX calls .NET has no API for — the owner and inode of a file (lstat/stat/fstat), the
    /// effective user id (geteuid), access(2) and realpath(3) — in one place, over the C library (LibC).
    /// </summary>
    /// <remarks>
    /// struct stat differs per OS and architecture, so Linux uses statx(2), whose struct statx has one
    /// layout on every architecture (glibc 2.28+ exports statx(); elsewhere, e.g. older musl, the raw system
    /// call is made with the architecture's number). macOS uses its 64-bit-inode struct stat, which is the
    /// same on x86_64 (the stat$INODE64 symbols) and arm64. No process is started for any of this. On
    /// Windows, and in the netstandard2.0 build (only Windows PowerShell 5.1 loads it), <see cref="Supported"/>
    /// is false and callers skip the Unix checks.
    /// </remarks>
    internal static class UnixFile
    {
        public static bool Supported =>
#if NET8_0_OR_GREATER
            OperatingSystem.IsLinux() || OperatingSystem.IsMacOS();
#else
            false;
#endif

#if NET8_0_OR_GREATER
        private const int StatBufferSize = 512; // struct statx is 256 bytes, macOS struct stat 144

        private static bool _statxMissing;

        /// <summary>The effective user id of this process.</summary>
        public static uint EffectiveUserId => LibC.geteuid();

        /// <summary>lstat(2): the path itself (a symbolic link is not followed); null when nothing is there.</summary>
        public static UnixFileStatus? LStat(string path) => PathStat(path, follow: false);

        /// <summary>stat(2): what the path leads to; null when it (or a link's target) is not there.</summary>
        public static UnixFileStatus? Stat(string path) => PathStat(path, follow: true);

        /// <summary>fstat(2) of an open file.</summary>
        public static UnixFileStatus FStat(Microsoft.Win32.SafeHandles.SafeFileHandle handle)
        {
            var added = false;
            handle.DangerousAddRef(ref added);
            try
            {
                var fd = (int)handle.DangerousGetHandle();
                var status = OperatingSystem.IsMacOS()
                    ? MacStat(buffer => LibC.Mac.FStat(fd, buffer))
                    : LinuxStatx(fd, string.Empty, LibC.AT_EMPTY_PATH);
                return status ?? throw new IOException("fstat failed on an open file.");
            }
            finally
            {
                if (added)
                {
                    handle.DangerousRelease();
                }
            }
        }

        /// <summary>access(2) with W_OK: whether this user may write the file (permission bits, ACLs, read-only mounts).</summary>
        public static bool CanWrite(string path) => LibC.access(path, LibC.W_OK) == 0;

        /// <summary>realpath(3): the absolute path with every symbolic link resolved; null when it does not exist.</summary>
        public static string? RealPath(string path)
        {
            var resolved = LibC.realpath(path, IntPtr.Zero);
            if (resolved == IntPtr.Zero)
            {
                return null;
            }

            try
            {
                return Marshal.PtrToStringUTF8(resolved);
            }
            finally
            {
                LibC.free(resolved);
            }
        }

        private static UnixFileStatus? PathStat(string path, bool follow)
        {
            if (OperatingSystem.IsMacOS())
            {
                return follow ? MacStat(buffer => LibC.Mac.Stat(path, buffer)) : MacStat(buffer => LibC.Mac.LStat(path, buffer));
            }

            return LinuxStatx(LibC.AT_FDCWD, path, follow ? 0 : LibC.AT_SYMLINK_NOFOLLOW);
        }

        private static UnixFileStatus? LinuxStatx(int dirFd, string path, int flags)
        {
            var buffer = Marshal.AllocHGlobal(StatBufferSize);
            try
            {
                int result;
                int errno;
                if (!_statxMissing)
                {
                    try
                    {
                        result = LibC.statx(dirFd, path, flags, LibC.STATX_BASIC_STATS, buffer);
                        errno = result == 0 ? 0 : Marshal.GetLastPInvokeError();
                    }
                    catch (EntryPointNotFoundException)
                    {
                        _statxMissing = true; // a C library without statx(): the system call itself
                        return LinuxStatx(dirFd, path, flags);
                    }
                }
                else
                {
                    var number = RuntimeInformation.ProcessArchitecture switch
                    {
                        Architecture.X64 => 332L,
                        Architecture.Arm64 => 291L,
                        Architecture.X86 => 383L,
                        Architecture.Arm => 397L,
                        _ => throw new PlatformNotSupportedException("statx is not known on this architecture."),
                    };
                    var pathBytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
                    var pathPointer = Marshal.AllocHGlobal(pathBytes.Length);
                    try
                    {
                        Marshal.Copy(pathBytes, 0, pathPointer, pathBytes.Length);
                        result = (int)LibC.syscall(number, dirFd, pathPointer, flags, LibC.STATX_BASIC_STATS, buffer);
                        errno = result == 0 ? 0 : Marshal.GetLastPInvokeError();
                    }
                    finally
                    {
                        Marshal.FreeHGlobal(pathPointer);
                    }
                }

                if (result != 0)
                {
                    return Missing(errno, path);
                }

                // struct statx: the same layout on every Linux architecture (include/uapi/linux/stat.h).
                var links = (uint)Marshal.ReadInt32(buffer, 16);
                var uid = (uint)Marshal.ReadInt32(buffer, 20);
                var gid = (uint)Marshal.ReadInt32(buffer, 24);
                var mode = (ushort)Marshal.ReadInt16(buffer, 28);
                var inode = (ulong)Marshal.ReadInt64(buffer, 32);
                var size = Marshal.ReadInt64(buffer, 40);
                var devMajor = (ulong)(uint)Marshal.ReadInt32(buffer, 136);
                var devMinor = (ulong)(uint)Marshal.ReadInt32(buffer, 140);
                return new UnixFileStatus(mode, uid, gid, (devMajor << 32) | devMinor, inode, size, links);
            }
            finally
            {
                Marshal.FreeHGlobal(buffer);
            }
        }

        private static UnixFileStatus? MacStat(Func<IntPtr, int> call)
        {
            var buffer = Marshal.AllocHGlobal(StatBufferSize);
            try
            {
                if (call(buffer) != 0)
                {
                    return Missing(Marshal.GetLastPInvokeError(), null);
                }

                // struct stat with 64-bit inodes (sys/stat.h, __DARWIN_STRUCT_STAT64): dev_t (int32) 0, mode_t
                // (uint16) 4, nlink_t (uint16) 6, ino_t (uint64) 8, uid 16, gid 20, rdev 24, four timespecs
                // 32..96, off_t st_size 96.
                var device = (ulong)(uint)Marshal.ReadInt32(buffer, 0);
                var mode = (ushort)Marshal.ReadInt16(buffer, 4);
                var links = (uint)(ushort)Marshal.ReadInt16(buffer, 6);
                var inode = (ulong)Marshal.ReadInt64(buffer, 8);
                var uid = (uint)Marshal.ReadInt32(buffer, 16);
                var gid = (uint)Marshal.ReadInt32(buffer, 20);
                var size = Marshal.ReadInt64(buffer, 96);
                return new UnixFileStatus(mode, uid, gid, device, inode, size, links);
            }
            finally
            {
                Marshal.FreeHGlobal(buffer);
            }
        }

        private static UnixFileStatus? Missing(int errno, string? path)
        {
            if (errno == LibC.ENOENT || errno == LibC.ENOTDIR)
            {
                return null;
            }

            if (errno == LibC.ENOSYS && !OperatingSystem.IsMacOS())
            {
                throw new PlatformNotSupportedException("This kernel has no statx system call (Linux 4.11 or later is needed).");
            }

            throw new IOException($"Cannot read the status of '{path}' (errno {errno}).");
        }
#endif
    }
}
