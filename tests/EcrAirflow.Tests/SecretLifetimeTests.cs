using System;
using System.Linq;
using System.Reflection;
using System.Security;
using Xunit;
using EcrAirflow.Airflow.Api;
using EcrAirflow.Ecr;
using EcrAirflow.Internal;
using EcrAirflow.Internal.Secrets;

namespace EcrAirflow.Tests
{
    /// <summary>
    /// Secrets are held as SecureString until the request or file that carries them is built, and plain
    /// copies are not kept: the types that live for a whole run (options) or a session (the ECR token cache)
    /// hold no string secret.
    /// </summary>
    public sealed class SecretLifetimeTests
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

        [Fact]
        public void The_session_token_cache_holds_ECR_passwords_as_SecureString()
        {
            var p = typeof(EcrAuthorization).GetProperty("Password", BindingFlags.Public | BindingFlags.Instance);
            Assert.NotNull(p);
            Assert.Equal(typeof(SecureString), p!.PropertyType);
            Assert.DoesNotContain(typeof(EcrAuthorization).GetProperties(), x => x.PropertyType == typeof(string) && x.Name.IndexOf("Password", StringComparison.OrdinalIgnoreCase) >= 0);
        }

        [Fact]
        public void A_decoded_ECR_token_keeps_every_character_of_the_password()
        {
            var token = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("AWS:pa:ss\u00e9word+/="));
            var (user, password) = EcrResponseParser.DecodeToken(token);
            Assert.Equal("AWS", user);
            Assert.Equal("pa:ss\u00e9word+/=", SecureText.Reveal(password));
            Assert.True(password.IsReadOnly());
        }

        [Fact]
        public void JsonText_wipes_its_buffer_once_the_bytes_are_made()
        {
            var json = new JsonText().StartObject().Member("password", "wipe-me-secret").EndObject();
            var bytes = json.ToUtf8();
            Assert.Contains("wipe-me-secret", System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
            Assert.DoesNotContain("wipe-me-secret", json.ToString(), StringComparison.Ordinal);
        }
    }
}
