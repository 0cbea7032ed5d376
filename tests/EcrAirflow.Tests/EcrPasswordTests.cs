using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text;
using EcrAirflow.Core.Ecr;
using EcrAirflow.Core.Internal.Secrets;
using Xunit;

namespace EcrAirflow.Tests
{
    /// <summary>Reading a stored ECR password's expiry without AWS: ECR's shape gives a date, every other shape none.</summary>
    public class EcrPasswordTests
    {
        private static readonly DateTimeOffset September = DateTimeOffset.FromUnixTimeSeconds(1757147299); // 2025-09-06 08:28:19 UTC

        [Fact]
        public void An_ecr_password_gives_its_expiration_to_the_second_from_a_string_and_a_SecureString()
        {
            var password = EcrTokenText.NewPassword(September);

            Assert.Equal(September, EcrPassword.ReadExpiry(password));
            var secure = SecureText.ToSecure(password);
            Assert.Equal(September, EcrPassword.ReadExpiry(secure));
            Assert.Equal(TimeSpan.Zero, EcrPassword.ReadExpiry(secure)!.Value.Offset);
            // The SecureString is read, not consumed: the caller still has the whole password.
            Assert.Equal(password, SecureText.Reveal(secure));
        }

        [Fact]
        public void The_example_of_the_issue_and_fractional_seconds_read_as_given()
        {
            var issue = EcrTokenText.Base64Json("{\"payload\":\"…\",\"datakey\":\"…\",\"version\":\"2\",\"type\":\"DATA_KEY\",\"expiration\":1757147299}");
            Assert.Equal(new DateTimeOffset(2025, 9, 6, 8, 28, 19, TimeSpan.Zero), EcrPassword.ReadExpiry(issue));

            var fractional = EcrTokenText.Base64Json("{\"expiration\":1757147299.25,\"payload\":\"p\"}");
            Assert.Equal(September.AddMilliseconds(250), EcrPassword.ReadExpiry(fractional));

            // Key order, spacing and other members do not matter; only a top-level "expiration" counts.
            var spaced = EcrTokenText.Base64Json(" {\n \"version\" : \"2\", \"payload\": {\"expiration\": 1}, \"expiration\" : 1757147299 }\n");
            Assert.Equal(September, EcrPassword.ReadExpiry(spaced));
        }

        public static IEnumerable<object?[]> Unknown()
        {
            var ok = EcrTokenText.NewPassword(September);
            yield return new object?[] { "null", null };
            yield return new object?[] { "empty", "" };
            yield return new object?[] { "moto's old fixed password", "123456789012-auth-token" };
            yield return new object?[] { "a plain password", "hunter2hunter2" };
            yield return new object?[] { "not base64", "eyJ%%%notbase64%%%" };
            yield return new object?[] { "cut inside base64", ok.Substring(0, 101) };
            yield return new object?[] { "cut at a base64 boundary (JSON cut short)", ok.Substring(0, 1200) };
            yield return new object?[] { "the authorizationToken (AWS:<password>) instead of the password", Convert.ToBase64String(Encoding.UTF8.GetBytes("AWS:" + ok)) };
            yield return new object?[] { "base64 of text", EcrTokenText.Base64Json("hello world") };
            yield return new object?[] { "a JSON array", EcrTokenText.Base64Json("[{\"expiration\":1757147299}]") };
            yield return new object?[] { "a JSON number", EcrTokenText.Base64Json("1757147299") };
            yield return new object?[] { "no expiration", EcrTokenText.Base64Json("{\"payload\":\"p\",\"datakey\":\"d\",\"version\":\"2\",\"type\":\"DATA_KEY\"}") };
            yield return new object?[] { "expiration only nested", EcrTokenText.Base64Json("{\"payload\":{\"expiration\":1757147299}}") };
            yield return new object?[] { "expiration as text", EcrTokenText.Base64Json("{\"expiration\":\"1757147299\"}") };
            yield return new object?[] { "expiration as ISO text", EcrTokenText.Base64Json("{\"expiration\":\"2025-09-06T08:28:19Z\"}") };
            yield return new object?[] { "expiration null", EcrTokenText.Base64Json("{\"expiration\":null}") };
            yield return new object?[] { "expiration true", EcrTokenText.Base64Json("{\"expiration\":true}") };
            yield return new object?[] { "expiration twice (which one?)", EcrTokenText.Base64Json("{\"expiration\":1757147299,\"expiration\":1757150000}") };
            yield return new object?[] { "expiration in milliseconds", EcrTokenText.Base64Json("{\"expiration\":1757147299000}") };
            yield return new object?[] { "expiration zero", EcrTokenText.Base64Json("{\"expiration\":0}") };
            yield return new object?[] { "expiration negative", EcrTokenText.Base64Json("{\"expiration\":-1757147299}") };
            yield return new object?[] { "expiration before 2000", EcrTokenText.Base64Json("{\"expiration\":900000000}") };
            yield return new object?[] { "expiration after 2200", EcrTokenText.Base64Json("{\"expiration\":7258118401}") };
            yield return new object?[] { "expiration 1e400", EcrTokenText.Base64Json("{\"expiration\":1e400}") };
            yield return new object?[] { "text after the object", EcrTokenText.Base64Json("{\"expiration\":1757147299} {}") };
            yield return new object?[] { "invalid JSON", EcrTokenText.Base64Json("{\"expiration\":1757147299,}") };
            yield return new object?[] { "single quotes", EcrTokenText.Base64Json("{'expiration':1757147299}") };
            yield return new object?[] { "a comment", EcrTokenText.Base64Json("{\"expiration\":1757147299 /* x */}") };
            yield return new object?[] { "not UTF-8", Convert.ToBase64String(new byte[] { 0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d }) };
            yield return new object?[] { "nested 100 deep", EcrTokenText.Base64Json("{\"a\":" + new string('[', 100) + new string(']', 100) + ",\"expiration\":1757147299}") };
            yield return new object?[] { "longer than any ECR password", EcrTokenText.Base64Json("{\"payload\":\"" + new string('A', 70000) + "\",\"expiration\":1757147299}") };
        }

        [Theory]
        [MemberData(nameof(Unknown))]
        public void Any_other_shape_is_unknown_never_a_date(string what, string? password)
        {
            Assert.True(EcrPassword.ReadExpiry(password) == null, what);
            if (password == null || password.Length <= 65536) // a SecureString holds at most 65,536 characters
            {
                Assert.True(EcrPassword.ReadExpiry(password == null ? null : SecureText.ToSecure(password)) == null, what);
            }
        }

        [Fact]
        public void Random_input_and_every_truncation_of_a_password_never_throw()
        {
            var random = new Random(20260907);
            var password = EcrTokenText.NewPassword(September);
            for (var cut = 0; cut < password.Length; cut += 7)
            {
                var expiry = EcrPassword.ReadExpiry(password.Substring(0, cut));
                Assert.Null(expiry); // a cut token is never read as fresh
            }

            const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/= {}\":,\n\0é";
            for (var i = 0; i < 3000; i++)
            {
                var chars = new char[random.Next(0, 300)];
                for (var c = 0; c < chars.Length; c++)
                {
                    chars[c] = alphabet[random.Next(alphabet.Length)];
                }

                var bytes = new byte[random.Next(0, 300)];
                random.NextBytes(bytes);
                _ = EcrPassword.ReadExpiry(new string(chars));
                _ = EcrPassword.ReadExpiry(Convert.ToBase64String(bytes));
                _ = EcrPassword.ReadExpiry(SecureText.ToSecure(new string(chars)));
            }
        }
    }

    /// <summary>The decoder on the moto peer's tokens, which are in ECR's real format.</summary>
    [Collection("moto")]
    public class EcrPasswordMotoTests
    {
        private readonly MotoFixture _moto;

        public EcrPasswordMotoTests(MotoFixture moto) => _moto = moto;

        private List<EcrDockerCredential> Get(string extra = "")
        {
            var (output, errors) = PowerShellHost.Run(
                "Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $endpoint -Credential $cred -Force " + extra,
                new Dictionary<string, object?>
                {
                    ["endpoint"] = _moto.Endpoint,
                    ["cred"] = PowerShellHost.Credential(_moto.Allowed.AccessKeyId, _moto.Allowed.SecretAccessKey),
                });
            Assert.Empty(errors);
            return output.Select(o => Assert.IsType<EcrDockerCredential>(o.BaseObject)).ToList();
        }

        [Fact]
        public void The_expiry_read_from_each_password_is_the_expiresAt_ECR_returned_with_it()
        {
            var credentials = Get("-RegistryId 111111111111, 222222222222");

            Assert.Equal(2, credentials.Count);
            var issued = _moto.IssuedEcrTokens(_moto.Allowed.AccessKeyId).TakeLast(2).ToList();
            foreach (var credential in credentials)
            {
                var expiry = EcrPassword.ReadExpiry(credential.Password);
                Assert.Equal(credential.ExpiresAt, expiry);
                Assert.Contains(issued, t => t.Password == credential.GetNetworkCredentialPassword() && t.ExpiresAt == expiry);
                Assert.InRange(expiry!.Value, DateTimeOffset.UtcNow.AddHours(11), DateTimeOffset.UtcNow.AddHours(12).AddMinutes(1));
            }
        }

        [Fact]
        public void A_token_moto_issues_with_a_two_minute_lifetime_reads_as_two_minutes()
        {
            _moto.SetEcrTokenLifetime(120);
            try
            {
                var before = DateTimeOffset.UtcNow;
                var credential = Assert.Single(Get());
                var expiry = EcrPassword.ReadExpiry(credential.Password);

                Assert.Equal(credential.ExpiresAt, expiry);
                Assert.InRange(expiry!.Value, before.AddSeconds(118), DateTimeOffset.UtcNow.AddSeconds(121));
            }
            finally
            {
                _moto.SetEcrTokenLifetime(12 * 60 * 60);
            }
        }
    }
}
