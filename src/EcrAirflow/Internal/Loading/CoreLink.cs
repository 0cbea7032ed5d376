using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using EcrAirflow.Commands;
#if NET8_0_OR_GREATER
using System.Runtime.Loader;
#endif

namespace EcrAirflow.Internal.Loading
{
    /// <summary>
    /// Loads EcrAirflow.Core.dll, where everything the cmdlets do lives, the first time a cmdlet runs (or makes its
    /// dynamic parameters), never at import: importing the module loads only this small portable assembly.
    /// PowerShell 7.4+: into this assembly's own load context (the default one), from bin/net8.0/&lt;rid&gt;/, the
    /// ReadyToRun image for this platform, when the build made one and the runtime can use its code, else from
    /// bin/net8.0/, the portable IL. Windows PowerShell 5.1: from bin/netstandard2.0/, through
    /// <see cref="DesktopAssemblyResolver"/>, which it installs first. The core's AWSSDK dependencies load later,
    /// privately (AwsBackend).
    /// </summary>
    internal static class CoreLink
    {
        internal const string CoreName = "EcrAirflow.Core";
        private const string FactoryType = "EcrAirflow.Core.Commands.CommandBodies";
        private static readonly object Gate = new object();
        private static Assembly? _core;
        private static ICommandBodyFactory? _bodies;

        /// <summary>EcrAirflow.Core, loaded on first use (build/Help.ps1 reads the mode table from it).</summary>
        internal static Assembly Assembly
        {
            get
            {
                lock (Gate)
                {
                    return _core ??= Load();
                }
            }
        }

        internal static ICommandBodyFactory Bodies
        {
            get
            {
                lock (Gate)
                {
                    return _bodies ??= (ICommandBodyFactory)Activator.CreateInstance(Assembly.GetType(FactoryType, throwOnError: true)!, nonPublic: true)!;
                }
            }
        }

        /// <summary>The folder of EcrAirflow.dll: bin/net8.0 or bin/netstandard2.0.</summary>
        private static string Bin => Path.GetDirectoryName(typeof(CoreLink).Assembly.Location) ?? ".";

#if NET8_0_OR_GREATER
        private static Assembly Load()
        {
            // By name, so a host that already has it (xunit runs the assemblies side by side) gets that copy; in a
            // PowerShell session the name is unknown to the default context and the Resolving handler answers.
            var context = AssemblyLoadContext.GetLoadContext(typeof(CoreLink).Assembly) ?? AssemblyLoadContext.Default;
            context.Resolving += (ctx, name) => string.Equals(name.Name, CoreName, StringComparison.OrdinalIgnoreCase) ? LoadCore(ctx) : null;
            return context.LoadFromAssemblyName(new AssemblyName(CoreName));
        }

        private static Assembly LoadCore(AssemblyLoadContext context)
        {
            var image = ReadyToRunImage(Environment.Version.Major, RuntimeInformation.ProcessArchitecture,
                RuntimeInformation.IsOSPlatform(OSPlatform.Windows), RuntimeInformation.IsOSPlatform(OSPlatform.Linux), RuntimeInformation.IsOSPlatform(OSPlatform.OSX));
            var portable = Path.Combine(Bin, CoreName + ".dll");
            var path = image == null ? null : Path.Combine(Bin, image.Value.Folder, CoreName + ".dll");
            // The image's own header must name this platform: one for another OS or architecture (a copied or mixed-up
            // folder) would fail with BadImageFormatException, and a failed load of a name is remembered by the
            // context, so the IL could not load there after it.
            if (path == null || !IsImageFor(path, image!.Value.Machine))
            {
                return context.LoadFromAssemblyPath(portable);
            }

            try
            {
                return context.LoadFromAssemblyPath(path);
            }
            catch (BadImageFormatException)
            {
                // The header fits but the file does not load (damaged). The context now refuses the name, so the IL goes
                // into a context of its own, which takes everything else (EcrAirflow.dll above all) from this one.
                return new PortableCoreContext().LoadFromAssemblyPath(portable);
            }
        }

        /// <summary>
        /// True when the file is a PE image whose COFF machine is <paramref name="machine"/>. A ReadyToRun image's
        /// machine is its architecture's, XOR-ed with its OS's constant (none for Windows); portable IL says I386.
        /// </summary>
        internal static bool IsImageFor(string path, ushort machine)
        {
            try
            {
                using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64, FileOptions.None);
                var header = new byte[64];
                if (file.Read(header, 0, header.Length) != header.Length || header[0] != 'M' || header[1] != 'Z')
                {
                    return false;
                }

                file.Position = BitConverter.ToInt32(header, 0x3C);
                var pe = new byte[6];
                return file.Read(pe, 0, pe.Length) == pe.Length && pe[0] == 'P' && pe[1] == 'E' && pe[2] == 0 && pe[3] == 0
                    && BitConverter.ToUInt16(pe, 4) == machine;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ArgumentException)
            {
                return false;
            }
        }

        /// <summary>Holds the portable core when this platform's image would not load; everything else comes from the default context.</summary>
        private sealed class PortableCoreContext : AssemblyLoadContext
        {
            internal PortableCoreContext()
                : base(CoreName + " (portable)")
            {
            }

            protected override Assembly? Load(AssemblyName assemblyName) => null;
        }
#else
        private static Assembly Load()
        {
            DesktopAssemblyResolver.Install();
            return Assembly.Load(new AssemblyName(CoreName));
        }
#endif

        /// <summary>
        /// The bin/net8.0 subfolder whose ReadyToRun image fits this process, with the COFF machine such an image has,
        /// or null for the portable IL: the build precompiles for win-x64, linux-x64 and osx-arm64 against .NET 10
        /// (PowerShell 7.6+), and an image for another platform would not load at all (BadImageFormatException), so
        /// nothing else is ever chosen.
        /// </summary>
        internal static (string Folder, ushort Machine)? ReadyToRunImage(int runtimeMajor, Architecture architecture, bool windows, bool linux, bool macOS)
        {
            const ushort amd64 = 0x8664, arm64 = 0xAA64, linuxOs = 0x7B79, appleOs = 0x4644;
            if (runtimeMajor < 10)
            {
                return null; // .NET 8 and 9 ignore .NET 10's native code: the IL is what they run anyway
            }

            if (architecture == Architecture.X64)
            {
                return windows ? ("win-x64", amd64) : linux ? ("linux-x64", (ushort)(amd64 ^ linuxOs)) : null;
            }

            return architecture == Architecture.Arm64 && macOS ? ("osx-arm64", (ushort)(arm64 ^ appleOs)) : null;
        }
    }
}
