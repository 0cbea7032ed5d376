using System.Management.Automation;
using EcrAirflow.AwsApi;

namespace EcrAirflow.Internal.Loading
{
    /// <summary>
    /// Runs when the module is imported. On Windows PowerShell 5.1 (.NET Framework, the netstandard2.0 build)
    /// it installs an AssemblyResolve handler that answers only with files from this module's own folder
    /// (bin/netstandard2.0 and its deps/), whatever version was asked for: .NET Framework has no binding
    /// redirects for a module, and System.Text.Json, System.Memory and AWSSDK refer to each other by
    /// versions that differ from the files that ship. On PowerShell 7 it does nothing: there AWSSDK loads
    /// into a private AssemblyLoadContext (see <see cref="AwsBackend"/>).
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer
    {
        public void OnImport()
        {
#if !NET8_0_OR_GREATER
            DesktopAssemblyResolver.Install();
#endif
        }
    }

}
