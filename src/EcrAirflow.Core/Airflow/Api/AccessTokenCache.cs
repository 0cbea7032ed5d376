using System;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EcrAirflow.Core.Modes.Rest;

namespace EcrAirflow.Core.Airflow.Api
{
    /// <summary>
    /// Airflow 3 JWTs from POST /auth/token, kept for the session so a refresh every few minutes costs
    /// one request, not two. The key is the base URL (scheme and host as URIs compare them, the path
    /// exactly: /TeamA and /teama may be two Airflows behind one proxy) and the user, plus an HMAC of user
    /// and password under a random per-session key: a token obtained with the right password must not
    /// make a later call with a wrong one succeed, and the key is no unsalted hash a password could be
    /// guessed from. The password itself is never stored.
    /// </summary>
    internal static class AccessTokenCache
    {
        // Renew a little before the JWT's exp so a token does not expire between check and use.
        private static readonly TimeSpan Margin = TimeSpan.FromSeconds(30);

        private static readonly ConcurrentDictionary<string, string> Tokens = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);

        private static readonly byte[] SessionKey = NewKey();

        /// <summary>The key for an Airflow by its printable base URL (<see cref="AirflowEndpoint.Display"/>; MWAA: its target).</summary>
        public static string Key(string display, string userName, string password)
        {
            using var hmac = new HMACSHA256(SessionKey);
            var hash = hmac.ComputeHash(Encoding.UTF8.GetBytes(userName + "\n" + password));
            var hex = new StringBuilder(hash.Length * 2);
            foreach (var b in hash)
            {
                hex.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }

            // Display: scheme and host lower-cased by Uri, the path prefix as given.
            return display + "\n" + userName + "\n" + hex;
        }

        /// <summary>
        /// Whether a bearer token can go into an Authorization header as it is: printable ASCII, no space, no
        /// line break (HttpClient would throw a FormatException on a CR/LF, and a header injection is worse).
        /// </summary>
        public static bool IsHeaderSafe(string token)
        {
            if (token.Length == 0)
            {
                return false;
            }

            foreach (var c in token)
            {
                if (c < '!' || c > '~')
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>A cached token that has not expired yet (by its exp claim, when it is a JWT).</summary>
        public static string? Get(string key)
        {
            if (!Tokens.TryGetValue(key, out var token))
            {
                return null;
            }

            var expires = ExpiresAt(token);
            if (expires.HasValue && expires.Value - Margin <= DateTimeOffset.UtcNow)
            {
                Tokens.TryRemove(key, out _);
                return null;
            }

            return token;
        }

        public static void Set(string key, string token) => Tokens[key] = token;

        public static void Remove(string key) => Tokens.TryRemove(key, out _);

        internal static void ClearForTests() => Tokens.Clear();

        private static byte[] NewKey()
        {
            var key = new byte[32];
            using var rng = RandomNumberGenerator.Create();
            rng.GetBytes(key);
            return key;
        }

        /// <summary>The exp claim of a JWT; null when the token is not a JWT or has none.</summary>
        internal static DateTimeOffset? ExpiresAt(string token)
        {
            var parts = token.Split('.');
            if (parts.Length != 3)
            {
                return null;
            }

            try
            {
                var payload = parts[1].Replace('-', '+').Replace('_', '/');
                payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
                using var doc = JsonDocument.Parse(Convert.FromBase64String(payload));
                if (doc.RootElement.ValueKind == JsonValueKind.Object
                    && doc.RootElement.TryGetProperty("exp", out var exp)
                    && exp.ValueKind == JsonValueKind.Number
                    && exp.TryGetDouble(out var seconds))
                {
                    return DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
                }
            }
            catch (FormatException)
            {
            }
            catch (JsonException)
            {
            }
            catch (ArgumentOutOfRangeException)
            {
            }

            return null;
        }
    }
}
