using System;

namespace EcrAirflow.Core.Internal.Http
{
    /// <summary>URLs as they are safe to print in messages, verbose lines and result objects.</summary>
    internal static class SafeUrl
    {
        /// <summary>The URL as safe to show: scheme, host, port and path; never user info or query.</summary>
        public static string Describe(Uri? uri)
        {
            if (uri == null)
            {
                return "(no address)";
            }

            // Not GetLeftPart: it keeps user:password@. Authority never holds user info.
            return uri.IsAbsoluteUri ? uri.Scheme + "://" + uri.Authority + uri.AbsolutePath : "(relative address)";
        }
    }
}
