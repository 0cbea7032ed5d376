using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;
using Xunit;

namespace EcrAirflow.Tests
{
    /// <summary>
    /// The netstandard2.0 EcrAirflow.Core.dll (what Windows PowerShell 5.1 loads), loaded once into its own
    /// load context so its compiled code can be asked questions beside the net8.0 build the tests reference.
    /// </summary>
    internal static class NetStandardBuild
    {
        private static readonly Lazy<Assembly> Build = new Lazy<Assembly>(() =>
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";
            var path = Path.Combine(RepoPaths.Root, "src", "EcrAirflow.Core", "bin", configuration, "netstandard2.0", "EcrAirflow.Core.dll");
            Assert.True(File.Exists(path), "the netstandard2.0 build is missing: " + path);
            return new AssemblyLoadContext("netstandard2.0 build under test", isCollectible: false).LoadFromAssemblyPath(path);
        });

        public static Assembly Assembly => Build.Value;

        public static Type Type(string fullName) => Assembly.GetType(fullName, throwOnError: true)!;

        public static object? CallStatic(string typeName, string method, params object?[] args) =>
            Type(typeName).GetMethod(method, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!.Invoke(null, args);
    }
}
