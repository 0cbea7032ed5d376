using System.Runtime.InteropServices;
using System.Security;

namespace EcrAirflow.Core.Internal.Secrets
{
    /// <summary>
    /// SecureString in and out, exactly. NetworkCredential(…, SecureString).Password stops at the first NUL
    /// (it reads a C string), which would silently cut a password short; these read the SecureString's
    /// length and copy every char.
    /// </summary>
    internal static class SecureText
    {
        /// <summary>The plain text of <paramref name="secure"/>, for the one request or file that must carry it.</summary>
        public static string Reveal(SecureString secure)
        {
            if (secure.Length == 0)
            {
                return string.Empty;
            }

            var pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
            try
            {
                return Marshal.PtrToStringUni(pointer, secure.Length);
            }
            finally
            {
                Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }

        /// <summary>
        /// The characters of <paramref name="secure"/> in an array the caller clears (Array.Clear) once used: for
        /// code that reads a secret without leaving a copy behind in an immutable string.
        /// </summary>
        public static char[] RevealChars(SecureString secure)
        {
            var chars = new char[secure.Length];
            if (chars.Length == 0)
            {
                return chars;
            }

            var pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
            try
            {
                Marshal.Copy(pointer, chars, 0, chars.Length);
            }
            finally
            {
                Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }

            return chars;
        }

        /// <summary>Whether the secret holds a NUL (which C strings, and so some peers, would cut at).</summary>
        public static bool ContainsNul(SecureString secure) => Reveal(secure).IndexOf('\0') >= 0;

        /// <summary>A read-only SecureString holding <paramref name="value"/>.</summary>
        public static SecureString ToSecure(string value)
        {
            var secure = new SecureString();
            foreach (var c in value)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }

        /// <summary>A read-only SecureString holding chars[start..start+count); the caller clears the array.</summary>
        public static SecureString ToSecure(char[] chars, int start, int count)
        {
            var secure = new SecureString();
            for (var i = start; i < start + count; i++)
            {
                secure.AppendChar(chars[i]);
            }

            secure.MakeReadOnly();
            return secure;
        }
    }
}
