using System;
using System.IO;

namespace EcrAirflow.Tests
{
    /// <summary>Finds the repository root (the folder holding EcrAirflow.sln) from the test assembly.</summary>
    internal static class RepoPaths
    {
        public static string Root { get; } = FindRoot();

        private static string FindRoot()
        {
            var fromEnv = Environment.GetEnvironmentVariable("ECRAIRFLOW_TEST_ROOT");
            if (!string.IsNullOrEmpty(fromEnv) && File.Exists(Path.Combine(fromEnv, "EcrAirflow.sln")))
            {
                return fromEnv;
            }

            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "EcrAirflow.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("EcrAirflow.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
