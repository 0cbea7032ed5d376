using System;
using System.IO;
using System.Reflection;

namespace EcrAirflow.Internal.Loading
{
    /// <summary>
    /// Windows PowerShell 5.1 (.NET Framework, the netstandard2.0 build): answers assembly requests with
    /// files from this module's own folder (bin/netstandard2.0 and its deps/), whatever version was asked
    /// for: EcrAirflow.Core itself, and what it needs, since .NET Framework has no binding redirects for a module
    /// and System.Text.Json, System.Memory and AWSSDK refer to each other by versions that differ from the files
    /// that ship. Installed by <see cref="CoreLink"/> just before it loads the core, so importing the module
    /// installs nothing.
    /// </summary>
    internal static class DesktopAssemblyResolver
    {
        private static readonly object Gate = new object();
        private static bool _installed;

        internal static string[] Folders
        {
            get
            {
                var bin = Path.GetDirectoryName(typeof(DesktopAssemblyResolver).Assembly.Location) ?? ".";
                return new[] { bin, Path.Combine(bin, "deps") };
            }
        }

        public static void Install()
        {
            lock (Gate)
            {
                if (_installed)
                {
                    return;
                }

                AppDomain.CurrentDomain.AssemblyResolve += (_, args) => Resolve(args.Name);
                _installed = true;
            }
        }

        /// <summary>The file for an assembly name in the module's folders, or null (then others may answer).</summary>
        internal static Assembly? Resolve(string fullName)
        {
            var name = new AssemblyName(fullName).Name;
            if (string.IsNullOrEmpty(name))
            {
                return null;
            }

            foreach (var folder in Folders)
            {
                var path = Path.Combine(folder, name + ".dll");
                if (!File.Exists(path))
                {
                    continue;
                }

                // Already loaded from our folder (perhaps under another version's request): reuse it.
                foreach (var loaded in AppDomain.CurrentDomain.GetAssemblies())
                {
                    if (!loaded.IsDynamic && string.Equals(loaded.GetName().Name, name, StringComparison.OrdinalIgnoreCase) &&
                        string.Equals(loaded.Location, path, StringComparison.OrdinalIgnoreCase))
                    {
                        return loaded;
                    }
                }

                return Assembly.LoadFrom(path);
            }

            return null;
        }
    }
}
