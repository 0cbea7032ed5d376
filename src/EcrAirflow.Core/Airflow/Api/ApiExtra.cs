using System.Collections.Generic;
using System.Text.Json;

namespace EcrAirflow.Core.Airflow.Api
{
    /// <summary>
    /// A connection's extra as Airflow's REST API returns it, judged for writing back. Both APIs pass it through
    /// Airflow's secrets masker first (json.dumps(redact(json.loads(extra)))): the value of a key whose name holds
    /// "password", "secret", "token", "api_key", … comes back as "***". That text is not what Airflow stores, so it
    /// must never be sent where it could replace the real value.
    /// </summary>
    internal static class ApiExtra
    {
        /// <summary>The top-level keys below which the reply holds a masked value ("***"); empty when none.</summary>
        public static IReadOnlyList<string> MaskedKeys(string? extra)
        {
            var keys = new List<string>();
            if (string.IsNullOrEmpty(extra))
            {
                return keys;
            }

            try
            {
                using var doc = JsonDocument.Parse(extra!);
                if (doc.RootElement.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in doc.RootElement.EnumerateObject())
                    {
                        if (HoldsMask(property.Value, 0))
                        {
                            keys.Add(property.Name);
                        }
                    }
                }
            }
            catch (JsonException)
            {
                // Not JSON: Airflow returns such an extra as it is, nothing masked in it.
            }

            return keys;
        }

        /// <summary>Whether the text can go back in a v2 ConnectionBody: none, or a JSON object (validate_extra refuses anything else).</summary>
        public static bool IsObjectOrNone(string? extra)
        {
            if (extra == null)
            {
                return true;
            }

            try
            {
                using var doc = JsonDocument.Parse(extra);
                return doc.RootElement.ValueKind == JsonValueKind.Object;
            }
            catch (JsonException)
            {
                return false;
            }
        }

        private static bool HoldsMask(JsonElement value, int depth)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    return value.GetString() == ApiConnection.Mask;
                case JsonValueKind.Object when depth < 8:
                    foreach (var property in value.EnumerateObject())
                    {
                        if (HoldsMask(property.Value, depth + 1))
                        {
                            return true;
                        }
                    }

                    return false;
                case JsonValueKind.Array when depth < 8:
                    foreach (var item in value.EnumerateArray())
                    {
                        if (HoldsMask(item, depth + 1))
                        {
                            return true;
                        }
                    }

                    return false;
                default:
                    return false;
            }
        }
    }
}
