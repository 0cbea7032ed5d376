using Xunit;
using EcrAirflow.Internal.Loading;

namespace EcrAirflow.Tests
{
    /// <summary>The Windows PowerShell 5.1 resolve rule: only files from the module's folders, any version asked.</summary>
    public class DesktopAssemblyResolverTests
    {
        [Fact]
        public void Answers_with_the_file_beside_the_module_whatever_version_was_asked()
        {
            var resolved = DesktopAssemblyResolver.Resolve("EcrAirflow.Aws, Version=99.9.9.9, Culture=neutral, PublicKeyToken=null");
            Assert.NotNull(resolved);
            Assert.Equal("EcrAirflow.Aws", resolved!.GetName().Name);
        }

        [Fact]
        public void Leaves_names_it_does_not_ship_to_others()
        {
            Assert.Null(DesktopAssemblyResolver.Resolve("Not.Shipped.By.EcrAirflow, Version=1.0.0.0"));
        }
    }
}
