using System;
using System.IO;
using System.Security.Cryptography;

namespace EcrAirflow.Core.Internal.Files
{
    /// <summary>
    /// Writes a file so that a reader sees the old or the new content, never half of one: a temporary file in the
    /// same folder (created with the given mode, owner-only by default), flushed to disk, then renamed over the
    /// path (ReplaceFile on Windows, which keeps the replaced file's ACL). The temporary file never outlives a failure.
    /// </summary>
    internal static class AtomicFile
    {
        /// <param name="replace">Whether a file is there to replace (else the path is created).</param>
        public static void Replace(string path, byte[] content, int mode, bool replace)
        {
            var temp = Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + "." + RandomSuffix() + ".tmp");
            var created = false;
            try
            {
                using (var stream = OwnerOnlyFile.CreateNew(temp, mode))
                {
                    created = true;
                    stream.Write(content, 0, content.Length);
                    stream.Flush(flushToDisk: true);
                }

                if (replace && OwnerOnlyFile.IsWindows)
                {
                    // ReplaceFile keeps the replaced file's ACL and attributes.
                    File.Replace(temp, path, null);
                }
                else
                {
#if NET8_0_OR_GREATER
                    File.Move(temp, path, overwrite: true); // rename(2): atomic on the same file system
#else
                    if (replace)
                    {
                        File.Replace(temp, path, null);
                    }
                    else
                    {
                        File.Move(temp, path);
                    }
#endif
                }

                created = false;
            }
            finally
            {
                if (created)
                {
                    OwnerOnlyFile.TryDelete(temp);
                }
            }
        }

        private static string RandomSuffix()
        {
            var bytes = new byte[6];
            using (var rng = RandomNumberGenerator.Create())
            {
                rng.GetBytes(bytes);
            }

            return BitConverter.ToString(bytes).Replace("-", string.Empty).ToLowerInvariant();
        }
    }
}
