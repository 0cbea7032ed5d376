using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using EcrAirflow.Core.Modes;
using Xunit;

namespace EcrAirflow.Tests
{
    /// <summary>
    /// The layout the split into EcrAirflow.dll (the root PowerShell imports) and EcrAirflow.Core.dll (what the
    /// cmdlets do, loaded on first use) keeps: namespaces follow folders, no namespace spans two assemblies, and a
    /// mode is registered by its SyncMode value alone.
    /// </summary>
    public class AssemblyLayoutTests
    {
        [Theory]
        [InlineData("EcrAirflow", "EcrAirflow")]
        [InlineData("EcrAirflow.Core", "EcrAirflow.Core")]
        [InlineData("EcrAirflow.Aws", "EcrAirflow.Aws")]
        public void Every_file_declares_the_namespace_of_its_folder(string project, string rootNamespace)
        {
            var folder = Path.Combine(RepoPaths.Root, "src", project);
            var wrong = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
                .Where(file => !Regex.IsMatch(file, @"[\\/](bin|obj)[\\/]"))
                .SelectMany(file =>
                {
                    var relative = Path.GetDirectoryName(Path.GetRelativePath(folder, file))!;
                    var expected = relative.Length == 0 ? rootNamespace : rootNamespace + "." + relative.Replace('\\', '.').Replace('/', '.');
                    return Regex.Matches(File.ReadAllText(file), @"^\s*namespace\s+([\w.]+)", RegexOptions.Multiline)
                        .Select(m => m.Groups[1].Value)
                        .Where(ns => ns != expected && !ns.StartsWith("System.", StringComparison.Ordinal)) // polyfills the compiler looks for by name
                        .Select(ns => $"{Path.GetRelativePath(RepoPaths.Root, file)}: {ns}, expected {expected}");
                })
                .ToList();
            Assert.Empty(wrong);
        }

        [Fact]
        public void No_namespace_spans_the_root_and_the_core()
        {
            static string[] Namespaces(Type anchor) => anchor.Assembly.GetTypes()
                .Select(t => t.Namespace ?? "")
                .Where(ns => ns.StartsWith("EcrAirflow", StringComparison.Ordinal))
                .Distinct()
                .ToArray();

            var root = Namespaces(typeof(SyncMode));
            var core = Namespaces(typeof(ModeRegistry));
            Assert.Equal("EcrAirflow", typeof(SyncMode).Assembly.GetName().Name);
            Assert.Equal("EcrAirflow.Core", typeof(ModeRegistry).Assembly.GetName().Name);
            Assert.Empty(root.Intersect(core));
            Assert.All(core, ns => Assert.StartsWith("EcrAirflow.Core", ns));
            Assert.All(root, ns => Assert.False(ns.StartsWith("EcrAirflow.Core", StringComparison.Ordinal), ns));
        }

        [Fact]
        public void Every_SyncMode_value_finds_its_parameter_class_in_its_folder()
        {
            foreach (SyncMode mode in Enum.GetValues(typeof(SyncMode)))
            {
                var definition = ModeRegistry.Get(mode);
                Assert.Equal($"EcrAirflow.Core.Modes.{mode}.{mode}Parameters", definition.ParametersType.FullName);
                Assert.True(File.Exists(Path.Combine(RepoPaths.Root, "src", "EcrAirflow.Core", "Modes", mode.ToString(), mode + "Parameters.cs")), mode.ToString());
            }

            Assert.Equal(Enum.GetValues(typeof(SyncMode)).Length, ModeRegistry.All.Count);
        }
    }
}
