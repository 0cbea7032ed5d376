using System;
using System.IO;
using System.Reflection;
#if NET8_0_OR_GREATER
using System.Runtime.Loader;
#endif

namespace EcrAirflow.Core.AwsApi
{
    /// <summary>
    /// Loads EcrAirflow.Aws.dll and its AWSSDK dependencies from the module's private deps/ folder, on first
    /// use (so importing the module loads no AWSSDK assembly at all).
    /// PowerShell 7.4+: into a private AssemblyLoadContext, so a different AWSSDK.Core that another module
    /// (e.g. AWS Tools for PowerShell) loaded into the default context neither breaks us nor is broken by us.
    /// Windows PowerShell 5.1: Assembly.LoadFrom plus an AssemblyResolve handler that only answers with
    /// files from the module's own folder (<see cref="DesktopAssemblyResolver"/>). Only types from EcrAirflow.dll,
    /// EcrAirflow.Core.dll and the BCL cross the boundary (<see cref="IAwsBackend"/>).
    /// </summary>
    internal static class AwsBackend
    {
        private const string AssemblyName = "EcrAirflow.Aws";
        private const string BackendType = "EcrAirflow.Aws.AwsBackendService";
        private static readonly object Gate = new object();
        private static IAwsBackend? _instance;

        /// <summary>The folder that holds the private dependencies: deps/ beside EcrAirflow.Core.dll.</summary>
        internal static string DependencyFolder =>
            Path.Combine(Path.GetDirectoryName(typeof(AwsBackend).Assembly.Location) ?? ".", "deps");

        /// <summary>
        /// Where a dependency is looked for, in order: deps/ beside EcrAirflow.Core.dll, then, when this EcrAirflow.Core.dll
        /// is a platform's ReadyToRun copy (bin/net8.0/&lt;rid&gt;/, whose deps/ holds only the precompiled files),
        /// the portable bin/net8.0/deps/ for every other file.
        /// </summary>
        internal static string[] DependencyFolders
        {
            get
            {
                var bin = Path.GetDirectoryName(typeof(AwsBackend).Assembly.Location) ?? ".";
                var portable = Path.Combine(Path.GetDirectoryName(bin) ?? bin, "deps");
                return File.Exists(Path.Combine(portable, AssemblyName + ".dll")) && File.Exists(Path.Combine(Path.GetDirectoryName(bin) ?? bin, "EcrAirflow.Core.dll"))
                    ? new[] { DependencyFolder, portable }
                    : new[] { DependencyFolder };
            }
        }

        public static IAwsBackend Instance
        {
            get
            {
                lock (Gate)
                {
                    return _instance ??= Load();
                }
            }
        }

        /// <summary>How the backend was loaded, for tests and -Debug: "isolated", "resolve-handler" or "default".</summary>
        internal static string LoadMode { get; private set; } = "not loaded";

        private static IAwsBackend Load()
        {
            var folder = DependencyFolder;
            Assembly assembly;
            if (!File.Exists(Path.Combine(folder, AssemblyName + ".dll")))
            {
                // Not a staged module (xunit runs the assemblies side by side): ordinary loading.
                assembly = Assembly.Load(new AssemblyName(AssemblyName));
                LoadMode = "default";
            }
            else
            {
#if NET8_0_OR_GREATER
                var context = new PrivateLoadContext(DependencyFolders);
                assembly = context.LoadFromAssemblyPath(Path.Combine(folder, AssemblyName + ".dll"));
                LoadMode = "isolated";
#else
                DesktopAssemblyResolver.Install(); // normally done by CoreLink before it loads this assembly
                assembly = Assembly.LoadFrom(Path.Combine(folder, AssemblyName + ".dll"));
                LoadMode = "resolve-handler";
#endif
            }

            var type = assembly.GetType(BackendType, throwOnError: true)!;
            return (IAwsBackend)Activator.CreateInstance(type, nonPublic: true)!;
        }


#if NET8_0_OR_GREATER
        /// <summary>
        /// Resolves an assembly from deps/ when it is there. EcrAirflow.dll and EcrAirflow.Core.dll are answered with the
        /// copies already loaded (never a second one, whose IAwsBackend or EcrAirflowException would be another type);
        /// everything else (System.Management.Automation, the BCL) comes from the default context, so shared types
        /// stay shared.
        /// </summary>
        private sealed class PrivateLoadContext : AssemblyLoadContext
        {
            private readonly string[] _folders;

            public PrivateLoadContext(string[] folders)
                : base("EcrAirflow.Private", isCollectible: false)
            {
                _folders = folders;
            }

            protected override Assembly? Load(AssemblyName assemblyName)
            {
                foreach (var own in new[] { typeof(AwsBackend).Assembly, typeof(EcrAirflowException).Assembly })
                {
                    if (string.Equals(assemblyName.Name, own.GetName().Name, StringComparison.OrdinalIgnoreCase))
                    {
                        return own;
                    }
                }

                foreach (var folder in _folders)
                {
                    var path = Path.Combine(folder, assemblyName.Name + ".dll");
                    if (File.Exists(path))
                    {
                        return LoadFromAssemblyPath(path);
                    }
                }

                return null;
            }
        }
#endif
    }
}
