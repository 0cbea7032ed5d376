using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AirflowEmulator.Python;

namespace AirflowEmulator.Airflow2;

/// <summary>
/// The two validation layers Airflow 2 puts in front of a connection write: connexion checks the body
/// against the OpenAPI Connection schema (types, nullability; it has no required list and allows extra
/// properties), then the endpoint loads it with marshmallow's ConnectionSchema (required fields, column
/// lengths, unknown fields rejected), whose errors come back as str(err.messages).
/// </summary>
internal static class V1Schema
{
    private sealed record Field(string Name, string Attribute, bool IsInteger, bool Nullable, bool Required, int? MaxLength);

    // Spec order (ConnectionCollectionItem, then password and extra) = marshmallow declaration order.
    private static readonly Field[] Fields =
    [
        new("connection_id", "conn_id", false, false, true, 250),
        new("conn_type", "conn_type", false, false, true, 500),
        new("description", "description", false, true, false, null),
        new("host", "host", false, true, false, 500),
        new("login", "login", false, true, false, null),
        new("schema", "schema", false, true, false, 500),
        new("port", "port", true, true, false, null),
        new("password", "password", false, false, false, null),
        new("extra", "extra", false, true, false, null),
    ];

    /// <summary>connexion's jsonschema check; returns the problem detail of the first error, or null.</summary>
    public static string? SchemaError(object? body)
    {
        if (body is not PyDict dict) return $"{PyFormat.Repr(body)} is not of type 'object'";
        foreach (Field f in Fields)
        {
            if (!dict.TryGet(f.Name, out object? v)) continue;
            if (v is null)
            {
                if (!f.Nullable) return $"None is not of type 'string' - '{f.Name}'";
                continue;
            }
            bool ok = f.IsInteger ? v is PyNumber { IsInteger: true } : v is string;
            if (!ok) return $"{PyFormat.Repr(v)} is not of type '{(f.IsInteger ? "integer" : "string")}' - '{f.Name}'";
        }
        return null;
    }

    /// <summary>
    /// marshmallow load: attribute-keyed data (conn_id, conn_type, ...) or the repr of the error dict.
    /// </summary>
    public static Dictionary<string, object?> Load(PyDict body, bool partial, out string? error)
    {
        var data = new Dictionary<string, object?>(StringComparer.Ordinal);
        var errors = new PyDict();
        foreach (Field f in Fields)
        {
            if (!body.TryGet(f.Name, out object? v))
            {
                if (f.Required && !partial) errors.Set(f.Name, new List<object?> { "Missing data for required field." });
                continue;
            }
            if (v is null)
            {
                if (!f.Nullable) { errors.Set(f.Name, new List<object?> { "Field may not be null." }); continue; }
                data[f.Attribute] = null;
                continue;
            }
            if (f.IsInteger)
            {
                var n = (PyNumber)v;
                if (!long.TryParse(n.Raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long port))
                {
                    errors.Set(f.Name, new List<object?> { "Not a valid integer." });
                    continue;
                }
                data[f.Attribute] = port;
                continue;
            }
            var s = (string)v;
            if (f.MaxLength is int max && CodePoints(s) > max)
            {
                errors.Set(f.Name, new List<object?> { $"Longer than maximum length {max}." });
                continue;
            }
            data[f.Attribute] = s;
        }
        foreach (string key in body.Keys.Where(k => Fields.All(f => f.Name != k)))
        {
            errors.Set(key, new List<object?> { "Unknown field." });
        }
        error = errors.Count > 0 ? PyFormat.Repr(errors) : null;
        return data;
    }

    /// <summary>
    /// airflow.utils.helpers.validate_key(conn_id, max_length=200): Python's re with ^[\w.-]+$, where \w is
    /// str.isalnum() or '_' and $ also matches before one trailing newline.
    /// </summary>
    public static string? ValidateKey(string key, int maxLength)
    {
        if (CodePoints(key) > maxLength) return $"The key has to be less than {maxLength} characters";
        string body = key.EndsWith('\n') ? key[..^1] : key;
        bool ok = body.Length > 0;
        for (int i = 0; ok && i < body.Length; i++)
        {
            int cp = char.IsSurrogatePair(body, i) ? char.ConvertToUtf32(body, i++) : body[i];
            ok = cp == '.' || cp == '-' || PythonWordChar(cp);
        }
        return ok ? null : $"The key {PyFormat.ReprString(key)} has to be made of alphanumeric characters, dashes, dots and underscores exclusively";
    }

    private static bool PythonWordChar(int cp)
    {
        if (cp == '_') return true;
        if (cp >= 0xD800 && cp <= 0xDFFF) return false;
        return CharUnicodeInfo.GetUnicodeCategory(cp) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
                or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
            _ => false,
        };
    }

    public static int CodePoints(string s)
    {
        int n = 0;
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsSurrogatePair(s, i)) i++;
            n++;
        }
        return n;
    }
}
