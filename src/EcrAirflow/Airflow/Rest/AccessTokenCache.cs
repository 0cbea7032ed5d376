using System;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EcrAirflow.Airflow.Rest
{
    /// <summary>
    /// Airflow 3 JWTs from POST /auth/token, kept for the session so a refresh every few minutes costs
    /// one request, not two. The key is the base URL and user plus a SHA-256 fingerprint of the password:
    /// a token obtained with the right password must not make a later call with a wrong one succeed.
    /// The password itself is never stored.
    /// </summary>
    internal static class AccessTokenCache
    {
        // Renew a little before the JWT's exp so a token does not expire between check and use.
        private static readonly TimeSpan Margin = TimeSpan.FromSeconds(30);

        private static readonly ConcurrentDictionary<string, string> Tokens = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);

        public static string Key(AirflowEndpoint endpoint, string userName, string password) => Key(endpoint.Display, userName, password);

        /// <summary>The key for an Airflow by its printable base URL (<see cref="AirflowEndpoint.Display"/>).</summary>
        public static string Key(string display, string userName, string password)
        {
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(userName + "\n" + password));
            var hex = new StringBuilder(hash.Length * 2);
            foreach (var b in hash)
            {
                hex.Append(b.ToString("x2"));
            }

            return display.ToLowerInvariant() + "\n" + userName + "\n" + hex;
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
