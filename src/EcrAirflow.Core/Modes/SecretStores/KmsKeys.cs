using System;

namespace EcrAirflow.Core.Modes.SecretStores
{
    /// <summary>
    /// Whether a -KmsKeyId names the key a secret or parameter is encrypted with, as the service reports it. A key
    /// goes by a key id, a key ARN, an alias or an alias ARN; the forms are compared by what they name (the ARN's
    /// resource part, "key/&lt;id&gt;" or "alias/&lt;name&gt;"). An alias is not resolved to its key (that would
    /// take kms:DescribeKey and another request): an alias and a key id of the same key count as different, and
    /// the error then names both, so the user can give the key as the service names it.
    /// </summary>
    internal static class KmsKeys
    {
        /// <param name="given">-KmsKeyId.</param>
        /// <param name="stored">What DescribeSecret or DescribeParameters reports; null: the service's default key.</param>
        /// <param name="defaultAlias">The service's default key (alias/aws/secretsmanager, alias/aws/ssm).</param>
        public static bool Same(string given, string? stored, string defaultAlias)
        {
            var a = Resource(given);
            var b = Resource(string.IsNullOrEmpty(stored) ? defaultAlias : stored!);
            // Key ids are UUIDs (case does not matter); alias names are compared as written.
            var comparison = a.StartsWith("key/", StringComparison.Ordinal) ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            return string.Equals(a, b, comparison);
        }

        /// <summary>arn:aws:kms:&lt;region&gt;:&lt;account&gt;:key/&lt;id&gt; → key/&lt;id&gt;; a bare key id → key/&lt;id&gt;; alias/… as it is.</summary>
        private static string Resource(string key)
        {
            var text = key.Trim();
            if (text.StartsWith("arn:", StringComparison.OrdinalIgnoreCase))
            {
                var parts = text.Split(new[] { ':' }, 6);
                return parts.Length == 6 ? parts[5] : text;
            }

            return text.StartsWith("alias/", StringComparison.Ordinal) ? text : "key/" + text;
        }
    }
}
