#if NET8_0_OR_GREATER
using System;
using System.Runtime.InteropServices;

namespace EcrAirflow.Core.Internal.Files.Native
{
    /// <summary>
    /// The C library functions and numbers <see cref="UnixFile"/> uses, declared once: Linux and macOS share
    /// every name here except the stat family, whose macOS 64-bit-inode variants are in <see cref="Mac"/>.
    /// </summary>
    internal static class LibC
    {
        public const int ENOENT = 2;
        public const int ENOTDIR = 20;
        public const int ENOSYS = 38; // Linux's number; only asked on Linux
        public const int W_OK = 2;

        // Linux statx(2)
        public const int AT_FDCWD = -100;
        public const int AT_SYMLINK_NOFOLLOW = 0x100;
        public const int AT_EMPTY_PATH = 0x1000;
        public const uint STATX_BASIC_STATS = 0x7FF;

        [DllImport("libc", SetLastError = true)]
        public static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string pathname, int flags, uint mask, IntPtr statxbuf);

        /// <summary>syscall(2) with statx's arguments: for a C library that does not export statx().</summary>
        [DllImport("libc", SetLastError = true)]
        public static extern long syscall(long number, int dirfd, IntPtr pathname, int flags, uint mask, IntPtr statxbuf);

        [DllImport("libc")]
        public static extern uint geteuid();

        [DllImport("libc", SetLastError = true)]
        public static extern int access([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int mode);

        [DllImport("libc", SetLastError = true)]
        public static extern IntPtr realpath([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr resolved);

        [DllImport("libc")]
        public static extern void free(IntPtr pointer);

        /// <summary>macOS: the 64-bit-inode variants (the $INODE64 names on x86_64, the plain names on arm64).</summary>
        public static class Mac
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
    }
}
#endif
