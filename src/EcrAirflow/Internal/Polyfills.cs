#if NETSTANDARD2_0
// Lets netstandard2.0 (Windows PowerShell 5.1) use init-only setters and records; EcrAirflow.Core and
// EcrAirflow.Aws use this one too (InternalsVisibleTo), since a second copy would clash with it.
namespace System.Runtime.CompilerServices
{
    internal static class IsExternalInit { }
}
#endif
