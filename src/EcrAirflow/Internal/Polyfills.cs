#if NETSTANDARD2_0
// Lets netstandard2.0 (Windows PowerShell 5.1) use init-only setters and records.
namespace System.Runtime.CompilerServices
{
    internal static class IsExternalInit { }
}
#endif
