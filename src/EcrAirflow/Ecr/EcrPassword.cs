using System;
using System.Security;
using System.Text;
using System.Text.Json;
using EcrAirflow.Internal.Secrets;

namespace EcrAirflow.Ecr
{
    /// <summary>
    /// What an ECR password says about itself: it is base64 of a JSON document whose "expiration" holds epoch
    /// seconds ({"payload":…,"datakey":…,"version":"2","type":"DATA_KEY","expiration":…}), so a stored token's
    /// expiry is readable without AWS. Any other shape is unknown (null), never "fresh".
    /// </summary>
    internal static class EcrPassword
    {
        public static DateTimeOffset? ExpiresAt(SecureString password)
        {
            var text = SecureText.Reveal(password);
            try
            {
                var bytes = Convert.FromBase64String(text);
                using var doc = JsonDocument.Parse(bytes);
                if (doc.RootElement.ValueKind == JsonValueKind.Object
                    && doc.RootElement.TryGetProperty("expiration", out var expiration)
                    && expiration.ValueKind == JsonValueKind.Number
                    && expiration.TryGetInt64(out var seconds)
                    && seconds > 0 && seconds < 253402300799)
                {
                    return DateTimeOffset.FromUnixTimeSeconds(seconds);
                }
            }
            catch (FormatException)
            {
            }
            catch (JsonException)
            {
            }

            return null;
        }
    }
}
