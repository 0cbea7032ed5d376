using System.Text.Json;

namespace EcrAirflow.Core.Modes.ParameterStore
{
    /// <summary>
    /// What a parameter is, beside its value, as DescribeParameters lists it (GetParameter gives only the value, type
    /// and version): its type, KMS key, Description and tier, which an overwrite must send back to keep. botocore's
    /// ssm model says a Type left out of an overwrite keeps the type, and a KeyId left out means the account's
    /// default key; it says nothing of a Description or Tier left out (moto keeps both). So every one of them is
    /// sent as it was, and none is left to the service's defaults.
    /// </summary>
    internal sealed record ParameterMetadata(string Type, string? KeyId, string? Description, string? Tier)
    {
        public bool IsSecureString => Type == "SecureString";

        /// <summary>The entry for <paramref name="name"/> in a DescribeParameters reply; null when the page does not list it.</summary>
        public static ParameterMetadata? Find(string body, string name)
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("Parameters", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new JsonException("no Parameters list");
            }

            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && Text(item, "Name") == name)
                {
                    return new ParameterMetadata(Text(item, "Type") ?? throw new JsonException("a parameter without Type"), Text(item, "KeyId"), Text(item, "Description"), Text(item, "Tier"));
                }
            }

            return null;
        }

        /// <summary>The NextToken of a DescribeParameters reply (a filtered page may be empty and still have one).</summary>
        public static string? NextToken(string body)
        {
            using var doc = JsonDocument.Parse(body);
            return Text(doc.RootElement, "NextToken");
        }

        private static string? Text(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0 ? value.GetString() : null;
    }
}
