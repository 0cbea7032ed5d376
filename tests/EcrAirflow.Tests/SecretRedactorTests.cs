using System;
using System.Linq;
using System.Text;
using EcrAirflow.Internal;
using Xunit;

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
    }
}
