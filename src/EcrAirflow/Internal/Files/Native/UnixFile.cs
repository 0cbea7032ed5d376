using System;
using System.IO;
using System.Runtime.InteropServices;

namespace EcrAirflow.Internal.Files.Native
{
    /// <summary>What lstat/stat/fstat say about a file: type, permission bits, owner, identity (device + inode).</summary>
    internal readonly struct UnixFileStatus
    {
        public UnixFileStatus(int mode, uint uid, uint gid, ulong device, ulong inode, long size, uint links)
        {
            Mode = mode;
            Uid = uid;
            Gid = gid;
            Device = device;
            Inode = inode;
            Size = size;
            Links = links;
        }

        /// <summary>st_mode: file type (S_IFMT) and permission bits.</summary>
        public int Mode { get; }

        public uint Uid { get; }

        public uint Gid { get; }

        public ulong Device { get; }

        public ulong Inode { get; }

        public long Size { get; }

        public uint Links { get; }

        /// <summary>The permission bits, sticky/setuid/setgid included (07777).</summary>
        public int Permissions => Mode & 0xFFF;

        public bool IsRegularFile => (Mode & 0xF000) == 0x8000;

        public bool IsDirectory => (Mode & 0xF000) == 0x4000;

        public bool IsSymbolicLink => (Mode & 0xF000) == 0xA000;

        /// <summary>"a FIFO", "a character device"... for messages.</summary>
        public string Kind => (Mode & 0xF000) switch
        {
            0x8000 => "a regular file",
            0x4000 => "a folder",
            0xA000 => "a symbolic link",
            0x1000 => "a FIFO (named pipe)",
            0x2000 => "a character device",
            0x6000 => "a block device",
            0xC000 => "a socket",
            _ => "a special file",
        };

        public bool SameFileAs(UnixFileStatus other) => Device == other.Device && Inode == other.Inode;
    }

    /// <summary>
    /// The few POSIX calls .NET has no API for — the owner and inode of a file (lstat/stat/fstat), the
    /// effective user id (geteuid), access(2) and realpath(3) — in one place, by P/Invoke to the C library.
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
        private const int ENOENT = 2;
        private const int ENOTDIR = 20;
        private const int ENOSYS = 38;
        private const int W_OK = 2;

        // Linux statx(2)
        private const int AT_FDCWD = -100;
        private const int AT_SYMLINK_NOFOLLOW = 0x100;
        private const int AT_EMPTY_PATH = 0x1000;
        private const uint STATX_BASIC_STATS = 0x7FF;
        private const int StatBufferSize = 512; // struct statx is 256 bytes, macOS struct stat 144

        private static bool _statxMissing;

        /// <summary>The effective user id of this process.</summary>
        public static uint EffectiveUserId => geteuid();

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
                    ? MacStat(buffer => Mac.FStat(fd, buffer))
                    : LinuxStatx(fd, string.Empty, AT_EMPTY_PATH);
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
        public static bool CanWrite(string path) => access(path, W_OK) == 0;

        /// <summary>realpath(3): the absolute path with every symbolic link resolved; null when it does not exist.</summary>
        public static string? RealPath(string path)
        {
            var resolved = realpath(path, IntPtr.Zero);
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
                free(resolved);
            }
        }

        private static UnixFileStatus? PathStat(string path, bool follow)
        {
            if (OperatingSystem.IsMacOS())
            {
                return follow ? MacStat(buffer => Mac.Stat(path, buffer)) : MacStat(buffer => Mac.LStat(path, buffer));
            }

            return LinuxStatx(AT_FDCWD, path, follow ? 0 : AT_SYMLINK_NOFOLLOW);
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
                        result = statx(dirFd, path, flags, STATX_BASIC_STATS, buffer);
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
                        result = (int)syscall(number, dirFd, pathPointer, flags, STATX_BASIC_STATS, buffer);
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
            if (errno == ENOENT || errno == ENOTDIR)
            {
                return null;
            }

            if (errno == ENOSYS && !OperatingSystem.IsMacOS())
            {
                throw new PlatformNotSupportedException("This kernel has no statx system call (Linux 4.11 or later is needed).");
            }

            throw new IOException($"Cannot read the status of '{path}' (errno {errno}).");
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string pathname, int flags, uint mask, IntPtr statxbuf);

        [DllImport("libc", SetLastError = true)]
        private static extern long syscall(long number, int dirfd, IntPtr pathname, int flags, uint mask, IntPtr statxbuf);

        [DllImport("libc")]
        private static extern uint geteuid();

        [DllImport("libc", SetLastError = true)]
        private static extern int access([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int mode);

        [DllImport("libc", SetLastError = true)]
        private static extern IntPtr realpath([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr resolved);

        [DllImport("libc")]
        private static extern void free(IntPtr pointer);

        /// <summary>macOS: the 64-bit-inode variants (the $INODE64 names on x86_64, the plain names on arm64).</summary>
        private static class Mac
        {
            public static int Stat(string path, IntPtr buffer) => RuntimeInformation.ProcessArchitecture == Architecture.X64 ? StatX64(path, buffer) : StatArm(path, buffer);

            public static int LStat(string path, IntPtr buffer) => RuntimeInformation.ProcessArchitecture == Architecture.X64 ? LStatX64(path, buffer) : LStatArm(path, buffer);

            public static int FStat(int fd, IntPtr buffer) => RuntimeInformation.ProcessArchitecture == Architecture.X64 ? FStatX64(fd, buffer) : FStatArm(fd, buffer);

            [DllImport("libc", EntryPoint = "stat$INODE64", SetLastError = true)]
            private static extern int StatX64([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr buffer);

            [DllImport("libc", EntryPoint = "lstat$INODE64", SetLastError = true)]
            private static extern int LStatX64([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr buffer);

            [DllImport("libc", EntryPoint = "fstat$INODE64", SetLastError = true)]
            private static extern int FStatX64(int fd, IntPtr buffer);

            [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
            private static extern int StatArm([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr buffer);

            [DllImport("libc", EntryPoint = "lstat", SetLastError = true)]
            private static extern int LStatArm([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr buffer);

            [DllImport("libc", EntryPoint = "fstat", SetLastError = true)]
            private static extern int FStatArm(int fd, IntPtr buffer);
        }
#endif
    }
}
