using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EcrAirflow.Core.AwsApi;
using EcrAirflow.Core.Internal.Secrets;

namespace EcrAirflow.Core.Ecr
{
    /// <summary>Reads GetAuthorizationToken replies (errors are read by <see cref="AwsErrors"/>).</summary>
    internal static class EcrResponseParser
    {
        private static readonly Regex RegistryIdInHost = new Regex(@"^(\d{12})\.", RegexOptions.CultureInvariant);

        public static List<EcrAuthorization> ParseSuccess(string body, bool isPublic)
        {
            var list = new List<EcrAuthorization>();
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(body);
            }
            catch (JsonException ex)
            {
                throw Malformed("the reply is not JSON", ex);
            }

            using (doc)
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("authorizationData", out var data))
                {
                    throw Malformed("the reply has no authorizationData", null);
                }

                if (data.ValueKind == JsonValueKind.Object)
                {
                    list.Add(ParseOne(data, isPublic)); // ECR Public: a single object
                }
                else if (data.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in data.EnumerateArray())
                    {
                        list.Add(ParseOne(item, isPublic));
                    }
                }
                else
                {
                    throw Malformed("authorizationData is neither an object nor an array", null);
                }
            }

            if (list.Count == 0)
            {
                throw Malformed("authorizationData is empty", null);
            }

            return list;
        }

        private static EcrAuthorization ParseOne(JsonElement item, bool isPublic)
        {
            if (!item.TryGetProperty("authorizationToken", out var tokenElement) || tokenElement.ValueKind != JsonValueKind.String)
            {
                throw Malformed("an authorizationData entry has no authorizationToken", null);
            }

            var (user, password) = DecodeToken(tokenElement.GetString()!);
            var expiresAt = item.TryGetProperty("expiresAt", out var exp) ? ParseEpoch(exp) : DateTimeOffset.UtcNow.AddHours(12);
            string proxyEndpoint;
            string registry;
            if (isPublic)
            {
                registry = EcrTokenService.PublicRegistry;
                proxyEndpoint = item.TryGetProperty("proxyEndpoint", out var pe) && pe.ValueKind == JsonValueKind.String
                    ? pe.GetString()!
                    : "https://" + EcrTokenService.PublicRegistry;
            }
            else
            {
                if (!item.TryGetProperty("proxyEndpoint", out var pe) || pe.ValueKind != JsonValueKind.String)
                {
                    throw Malformed("an authorizationData entry has no proxyEndpoint", null);
                }

                proxyEndpoint = pe.GetString()!;
                registry = HostOf(proxyEndpoint);
            }

            var match = RegistryIdInHost.Match(registry);
            return new EcrAuthorization(registry, proxyEndpoint, match.Success ? match.Groups[1].Value : null, user, password, expiresAt);
        }

        /// <summary>
        /// base64("AWS:&lt;password&gt;"), split on the first colon only (the password may contain colons). The
        /// password goes straight from the decoded bytes into a SecureString; the buffers are cleared.
        /// </summary>
        internal static (string User, System.Security.SecureString Password) DecodeToken(string token)
        {
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(token);
            }
            catch (FormatException ex)
            {
                throw Malformed("authorizationToken is not base64", ex);
            }

            char[] chars;
            try
            {
                chars = new UTF8Encoding(false, true).GetChars(bytes);
            }
            catch (ArgumentException ex)
            {
                throw Malformed("authorizationToken is not UTF-8", ex);
            }
            finally
            {
                Array.Clear(bytes, 0, bytes.Length);
            }

            try
            {
                var colon = Array.IndexOf(chars, ':');
                if (colon <= 0)
                {
                    throw Malformed("authorizationToken is not of the form user:password", null);
                }

                return (new string(chars, 0, colon), SecureText.ToSecure(chars, colon + 1, chars.Length - colon - 1));
            }
            finally
            {
                Array.Clear(chars, 0, chars.Length);
            }
        }

        /// <summary>Epoch seconds, possibly fractional (or, defensively, an ISO 8601 string).</summary>
        internal static DateTimeOffset ParseEpoch(JsonElement value)
        {
            if (value.ValueKind == JsonValueKind.Number)
            {
                // DateTimeOffset holds years 1 to 9999: a value outside them (or NaN) is no expiry ECR would send.
                var seconds = value.GetDouble();
                if (double.IsNaN(seconds) || seconds < -62135596800d || seconds > 253402300799d)
                {
                    throw Malformed("expiresAt is out of range", null);
                }

                return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000d));
            }

            if (value.ValueKind == JsonValueKind.String &&
                DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return parsed.ToUniversalTime();
            }

            throw Malformed("expiresAt is not a timestamp", null);
        }

        internal static string HostOf(string endpoint)
        {
            if (Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
            {
                return uri.IsDefaultPort ? uri.Host : uri.Host + ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
            }

            return endpoint.Trim().TrimEnd('/');
        }

        private static EcrAirflowException Malformed(string what, Exception? inner) =>
            AwsErrors.Malformed(AwsService.Ecr, "GetAuthorizationToken", what, inner);
    }
}
