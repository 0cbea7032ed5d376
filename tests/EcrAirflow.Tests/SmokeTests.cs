using EcrAirflow.Commands;
using Xunit;

namespace EcrAirflow.Tests
{
    public class RegistryHostTests
    {
        [Theory]
        [InlineData("https://123456789012.dkr.ecr.eu-west-1.amazonaws.com", "123456789012.dkr.ecr.eu-west-1.amazonaws.com")]
        [InlineData("123456789012.dkr.ecr.eu-west-1.amazonaws.com", "123456789012.dkr.ecr.eu-west-1.amazonaws.com")]
        [InlineData("https://localhost:5000/", "localhost:5000")]
        public void Registry_host_drops_scheme_and_path(string input, string expected)
        {
            Assert.Equal(expected, SyncAirflowEcrConnectionCommand.RegistryHost(input));
        }
    }
}
