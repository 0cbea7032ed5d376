namespace EcrAirflow.Core.Internal.Files.Native
{
    /// <summary>What lstat/stat/fstat say about a file: type, permission bits, owner, identity (device + inode).</summary>
    /// <param name="Mode">st_mode: file type (S_IFMT) and permission bits.</param>
    internal readonly record struct UnixFileStatus(int Mode, uint Uid, uint Gid, ulong Device, ulong Inode, long Size, uint Links)
    {
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
}
