using System;
using System.Linq;
using System.Text;
using Xunit;
using EcrAirflow.Core.Internal.Secrets;

namespace EcrAirflow.Tests
{
    /// <summary>The one redactor: every form of a known secret, fragments of long ones, and token-like text in unknown output.</summary>
    public sealed class SecretRedactorTests
    {
        [Fact]
        public void Unknown_text_keeps_words_and_paths_but_masks_keys_and_tokens()
        {
            var redactor = new SecretRedactor();
            var text = redactor.RedactUnknown("Command returned non-zero exit value 1 with the error - vault: token CredProcSecret+/=Leak:1x expired for AKIAIOSFODNN7EXAMPLE; see /usr/local/bin/get-credentials");
            Assert.DoesNotContain("CredProcSecret", text, StringComparison.Ordinal);
            Assert.DoesNotContain("AKIAIOSFODNN7EXAMPLE", text, StringComparison.Ordinal);
            Assert.Contains("Command returned non-zero exit value 1 with the error - vault: token", text, StringComparison.Ordinal);
            Assert.Contains("/usr/local/bin/get-credentials", text, StringComparison.Ordinal);
        }

        [Fact]
        public void A_jwt_in_unknown_text_is_masked()
        {
            var text = new SecretRedactor().RedactUnknown("bad token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.Sfl_KxwRJSMeKKF2QT4fwpMeJf36POk6yJV");
            Assert.DoesNotContain("eyJhbGciOiJIUzI1NiJ9", text, StringComparison.Ordinal);
            Assert.StartsWith("bad token ", text, StringComparison.Ordinal);
        }

        [Fact]
        public void A_secret_inside_longer_base64_is_masked_at_every_alignment()
        {
            var redactor = new SecretRedactor(new[] { "EcrPw+/=Leak:7Qz" });
            foreach (var prefix in new[] { "", "x", "xy", "{\"password\": \"" })
            {
                var echo = Convert.ToBase64String(Encoding.UTF8.GetBytes(prefix + "EcrPw+/=Leak:7Qz" + "\"}"));
                var core = SecretForms.Base64Cores("EcrPw+/=Leak:7Qz").ToList();
                Assert.Equal(3, core.Count);
                Assert.DoesNotContain(core, c => redactor.Redact(echo).Contains(c, StringComparison.Ordinal));
            }
        }

        [Fact]
        public void Fragments_of_a_long_token_as_SQLAlchemy_prints_them_are_masked()
        {
            var token = string.Concat(Enumerable.Range(0, 120).Select(i => "T" + (i * 7919 % 65536).ToString("x4") + "+/="));
            var redactor = new SecretRedactor();
            redactor.AddPair("AWS", token);
            var printed = "[parameters: ('ecr', 'docker', 'AWS', '" + token.Substring(0, 149) + " ... (" + (token.Length - 298) + " characters truncated) ... " + token.Substring(token.Length - 149) + "')]";
            var shown = redactor.Redact(printed);
            Assert.DoesNotContain(token.Substring(0, 20), shown, StringComparison.Ordinal);
            Assert.DoesNotContain(token.Substring(token.Length - 20), shown, StringComparison.Ordinal);
            Assert.Contains("characters truncated", shown, StringComparison.Ordinal);
        }

        [Fact]
        public void Redactor_hides_every_spelling_of_the_token()
        {
            var r = new SecretRedactor(new[] { "tok+/=en" });
            Assert.Equal("a ******** b ******** c ********", r.Redact("a tok+/=en b tok%2B%2F%3Den c tok+\\/=en".Replace("\\/", "/")));
            var json = new SecretRedactor(new[] { "q\"uote" });
            Assert.Equal("x ********", json.Redact("x q\\\"uote"));
        }
    }
}
