using System.Reflection;
using System.Security;
using Xunit;
using EcrAirflow.Core.Airflow.Api;

namespace EcrAirflow.Tests
{
    /// <summary>
    /// The Airflow secrets live for a whole run, so they are held as SecureString until a request is built.
    /// </summary>
    public sealed class AirflowAuthTests
    {
        [Theory]
        [InlineData("Password")]
        [InlineData("AccessToken")]
        public void Airflow_auth_holds_the_Airflow_secrets_as_SecureString(string property)
        {
            var p = typeof(AirflowAuth).GetProperty(property, BindingFlags.Public | BindingFlags.Instance);
            Assert.NotNull(p);
            Assert.Equal(typeof(SecureString), p!.PropertyType);
        }
    }
}
