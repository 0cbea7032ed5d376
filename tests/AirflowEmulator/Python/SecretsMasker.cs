using System;
using System.Collections.Generic;
using System.Linq;

namespace AirflowEmulator.Python;

/// <summary>
/// Airflow's secrets masker as applied to connection extras in API responses: values under keys whose
/// name contains a sensitive word become "***" (strings, and strings nested below them), to depth 5.
/// </summary>
internal static class SecretsMasker
{
    private const int MaxDepth = 5;

    private static readonly string[] SensitiveFields =
    [
        "access_token", "api_key", "apikey", "authorization", "passphrase", "passwd", "password",
        "private_key", "secret", "token", "keyfile_dict", "service_account",
    ];

    public static bool ShouldHideValueForKey(string name)
    {
        string n = name.Trim().ToLowerInvariant();
        return SensitiveFields.Any(s => n.Contains(s, StringComparison.Ordinal));
    }

    public static object? Redact(object? item, string? name = null, int depth = 0)
    {
        if (depth > MaxDepth) return item;
        if (name is not null && ShouldHideValueForKey(name)) return RedactAll(item, depth);
        switch (item)
        {
            case PyDict dict:
                var copy = new PyDict();
                foreach (KeyValuePair<string, object?> kv in dict.Items()) copy.Set(kv.Key, Redact(kv.Value, kv.Key, depth + 1));
                return copy;
            case List<object?> list:
                return list.Select(v => Redact(v, name, depth + 1)).ToList();
            default:
                return item;
        }
    }

    private static object? RedactAll(object? item, int depth)
    {
        if (depth > MaxDepth || item is string) return "***";
        switch (item)
        {
            case PyDict dict:
                var copy = new PyDict();
                foreach (KeyValuePair<string, object?> kv in dict.Items()) copy.Set(kv.Key, RedactAll(kv.Value, depth + 1));
                return copy;
            case List<object?> list:
                return list.Select(v => RedactAll(v, depth + 1)).ToList();
            default:
                return item;
        }
    }

    /// <summary>What Airflow returns for a stored extra: json.dumps(redact(json.loads(extra))), or the raw text.</summary>
    public static string? RedactExtra(string? extra)
    {
        if (extra is null) return null;
        if (!PyValue.TryLoads(extra, out object? parsed)) return extra;
        return PyFormat.JsonDumps(Redact(parsed));
    }
}
