using System;
using System.Collections;
using System.Collections.Generic;
using EcrAirflow.Core.Airflow;

namespace EcrAirflow.Core.Modes.SecretStores
{
    /// <summary>The errors both secret-store modes share.</summary>
    internal static class SecretStoreErrors
    {
        public const string InvalidTagId = "InvalidTag";

        /// <summary>-Tag as key/value strings; an empty key or a key given twice is refused before any call.</summary>
        public static IReadOnlyList<KeyValuePair<string, string>> TagList(Hashtable? tag)
        {
            var tags = new List<KeyValuePair<string, string>>();
            if (tag == null)
            {
                return tags;
            }

            foreach (DictionaryEntry entry in tag)
            {
                var key = entry.Key?.ToString() ?? string.Empty;
                var value = entry.Value?.ToString() ?? string.Empty;
                if (key.Length == 0 || key.Length > 128 || value.Length > 256 || tags.Exists(t => string.Equals(t.Key, key, StringComparison.Ordinal)))
                {
                    throw new EcrAirflowException(InvalidTagId, FailureKind.InvalidArgument,
                        $"The tag '{ConnectionInput.Printable(key)}' is not valid: keys are 1 to 128 characters and unique, values at most 256.",
                        "Give -Tag as a hashtable, e.g. -Tag @{ team = 'data'; managed-by = 'ecrairflow' }.")
                    { TargetObject = key };
                }

                tags.Add(new KeyValuePair<string, string>(key, value));
            }

            return tags;
        }
    }
}
