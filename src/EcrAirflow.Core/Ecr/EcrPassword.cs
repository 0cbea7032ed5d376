using System;
using System.Security;
using System.Text.Json;
using EcrAirflow.Core.Internal.Secrets;

namespace EcrAirflow.Core.Ecr
{
    /// <summary>
    /// Reads when a stored ECR password expires, without asking AWS. ECR's registry password is base64 of a JSON
    /// document, {"payload":…,"datakey":…,"version":"2","type":"DATA_KEY","expiration":&lt;epoch seconds&gt;}, and its
    /// expiration is the token's expiresAt. Anything else (another registry's password, a truncated or re-encoded
    /// token, JSON without one plain numeric expiration, a date before 2000 or after 2200) is unknown: null, never
    /// a date, so an unreadable token is never taken for a fresh one. Never throws on what it is given, never logs,
    /// and clears its copies of the password's characters and bytes before it returns.
    /// </summary>
    internal static class EcrPassword
    {
        /// <summary>Far more than any ECR password (about 2,000 characters): longer input is not read.</summary>
        internal const int MaxLength = 64 * 1024;

        private static readonly DateTimeOffset Earliest = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        private static readonly DateTimeOffset Latest = new DateTimeOffset(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

        /// <summary>The expiry the password carries, in UTC; null when it is not an ECR password whose expiry can be read.</summary>
        public static DateTimeOffset? ReadExpiry(SecureString? password)
        {
            if (password == null || password.Length == 0 || password.Length > MaxLength)
            {
                return null;
            }

            var chars = SecureText.RevealChars(password);
            try
            {
                return FromBase64(chars);
            }
            finally
            {
                Array.Clear(chars, 0, chars.Length);
            }
        }

        /// <inheritdoc cref="ReadExpiry(SecureString?)"/>
        public static DateTimeOffset? ReadExpiry(string? password)
        {
            if (string.IsNullOrEmpty(password) || password!.Length > MaxLength)
            {
                return null;
            }

            var chars = password.ToCharArray();
            try
            {
                return FromBase64(chars);
            }
            finally
            {
                Array.Clear(chars, 0, chars.Length);
            }
        }

        private static DateTimeOffset? FromBase64(char[] chars)
        {
            byte[] json;
            try
            {
                json = Convert.FromBase64CharArray(chars, 0, chars.Length);
            }
            catch (FormatException)
            {
                return null;
            }

            try
            {
                return FromJson(json);
            }
            finally
            {
                Array.Clear(json, 0, json.Length);
            }
        }

        /// <summary>
        /// The top-level "expiration" of one JSON object, read with a forward-only reader (the payload and data key are
        /// skipped, never copied into strings). Invalid JSON, trailing text, a second "expiration" or one that is not
        /// a number all make it unknown.
        /// </summary>
        private static DateTimeOffset? FromJson(byte[] json)
        {
            try
            {
                var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 16 });
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    return null;
                }

                double? seconds = null;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isExpiration = reader.ValueTextEquals("expiration");
                    if (!reader.Read())
                    {
                        return null;
                    }

                    if (!isExpiration)
                    {
                        reader.Skip();
                        continue;
                    }

                    if (seconds.HasValue || reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var value))
                    {
                        return null;
                    }

                    seconds = value;
                }

                // The loop ends on the object's end; one more Read finds the end of the text (or throws on more).
                if (reader.TokenType != JsonTokenType.EndObject || reader.Read() || !seconds.HasValue)
                {
                    return null;
                }

                return FromEpochSeconds(seconds.Value);
            }
            catch (JsonException)
            {
                return null; // not JSON, not UTF-8, or cut short
            }
        }

        private static DateTimeOffset? FromEpochSeconds(double seconds)
        {
            if (double.IsNaN(seconds) || double.IsInfinity(seconds) ||
                seconds < Earliest.ToUnixTimeSeconds() || seconds > Latest.ToUnixTimeSeconds())
            {
                return null;
            }

            return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000d));
        }
    }
}
