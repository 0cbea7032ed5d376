using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using AirflowEmulator.Python;

namespace AirflowEmulator.Airflow3;

/// <summary>
/// Airflow 3's ConnectionBody (a pydantic StrictBaseModel: extra fields forbidden, populate_by_name) and
/// the lax-mode validation pydantic applies to it. FieldsSet holds pydantic field names ("schema_").
/// </summary>
internal sealed class ConnectionBody
{
    public required string ConnectionId { get; init; }
    public required string ConnType { get; init; }
    public string? Description { get; init; }
    public string? Host { get; init; }
    public string? Login { get; init; }
    public string? Schema { get; init; }
    public long? Port { get; init; }
    public string? Password { get; init; }
    public string? Extra { get; init; }
    public required HashSet<string> FieldsSet { get; init; }

    public const string IdPattern = @"^[\w.-]+$";

    private static readonly string[] KnownKeys =
        ["connection_id", "conn_type", "description", "host", "login", "schema", "schema_", "port", "password", "extra"];

    /// <summary>Validates one ConnectionBody; adds errors under <paramref name="loc"/> and returns null on failure.</summary>
    public static ConnectionBody? Validate(object? input, IReadOnlyList<object> loc, ValidationErrors errors)
    {
        if (input is not PyDict d)
        {
            errors.Add("model_attributes_type", loc, "Input should be a valid dictionary or object to extract fields from", input);
            return null;
        }
        int before = errors.Count;
        var set = new HashSet<string>(StringComparer.Ordinal);

        string? id = RequiredString(d, "connection_id", loc, errors, set);
        if (id is not null)
        {
            if (ConnIdCheck(id, loc, errors) is false) id = null;
        }
        string? connType = RequiredString(d, "conn_type", loc, errors, set);
        string? description = OptionalString(d, "description", "description", loc, errors, set);
        string? host = OptionalString(d, "host", "host", loc, errors, set);
        string? login = OptionalString(d, "login", "login", loc, errors, set);
        string schemaKey = d.ContainsKey("schema") ? "schema" : "schema_";
        string? schema = OptionalString(d, schemaKey, "schema_", loc, errors, set);
        long? port = OptionalInt(d, "port", loc, errors, set);
        string? password = OptionalString(d, "password", "password", loc, errors, set);
        int beforeExtra = errors.Count;
        string? extra = OptionalString(d, "extra", "extra", loc, errors, set);
        if (errors.Count == beforeExtra && extra is not null) extra = ValidateExtra(extra, ValidationErrors.Loc(loc, "extra"), errors);

        foreach (string key in d.Keys)
        {
            if (KnownKeys.Contains(key, StringComparer.Ordinal)) continue;
            d.TryGet(key, out object? v);
            errors.Add("extra_forbidden", ValidationErrors.Loc(loc, key), "Extra inputs are not permitted", v);
        }
        if (errors.Count != before || id is null || connType is null) return null;
        return new ConnectionBody
        {
            ConnectionId = id, ConnType = connType, Description = description, Host = host, Login = login,
            Schema = schema, Port = port, Password = password, Extra = extra, FieldsSet = set,
        };
    }

    /// <summary>max_length=200 (code points) is checked before the pattern, as pydantic-core does.</summary>
    private static bool ConnIdCheck(string id, IReadOnlyList<object> loc, ValidationErrors errors)
    {
        List<object> l = ValidationErrors.Loc(loc, "connection_id");
        if (CodePoints(id) > 200)
        {
            errors.Add("string_too_long", l, "String should have at most 200 characters", id, new JsonObject { ["max_length"] = 200 });
            return false;
        }
        if (!RustRegexWordPattern(id))
        {
            errors.Add("string_pattern_mismatch", l, $"String should match pattern '{IdPattern}'", id, new JsonObject { ["pattern"] = IdPattern });
            return false;
        }
        return true;
    }

    /// <summary>
    /// ^[\w.-]+$ as pydantic-core's Rust regex engine reads it: Unicode \w = Alphabetic, marks, decimal
    /// digits, connector punctuation, join controls; $ is the very end of the text.
    /// </summary>
    public static bool RustRegexWordPattern(string s)
    {
        if (s.Length == 0) return false;
        for (int i = 0; i < s.Length; i++)
        {
            int cp;
            if (char.IsSurrogatePair(s, i)) { cp = char.ConvertToUtf32(s, i); i++; }
            else if (char.IsSurrogate(s[i])) return false;
            else cp = s[i];
            if (cp == '.' || cp == '-' || IsRustWord(cp)) continue;
            return false;
        }
        return true;
    }

    private static bool IsRustWord(int cp)
    {
        if (cp == 0x200C || cp == 0x200D) return true; // Join_Control
        if (cp >= 0x24B6 && cp <= 0x24E9) return true; // circled letters: Other_Alphabetic outside the letter/mark categories
        return CharUnicodeInfo.GetUnicodeCategory(cp) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.LetterNumber
                or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
                or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.ConnectorPunctuation => true,
            _ => false,
        };
    }

    private static int CodePoints(string s)
    {
        int n = 0;
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsSurrogatePair(s, i)) i++;
            n++;
        }
        return n;
    }

    private static string? RequiredString(PyDict d, string key, IReadOnlyList<object> loc, ValidationErrors errors, HashSet<string> set)
    {
        if (!d.TryGet(key, out object? v))
        {
            errors.Add("missing", ValidationErrors.Loc(loc, key), "Field required", d);
            return null;
        }
        set.Add(key);
        if (v is string s) return s;
        errors.Add("string_type", ValidationErrors.Loc(loc, key), "Input should be a valid string", v);
        return null;
    }

    private static string? OptionalString(PyDict d, string key, string field, IReadOnlyList<object> loc, ValidationErrors errors, HashSet<string> set)
    {
        if (!d.TryGet(key, out object? v)) return null;
        set.Add(field);
        if (v is null || v is string) return (string?)v;
        errors.Add("string_type", ValidationErrors.Loc(loc, key), "Input should be a valid string", v);
        return null;
    }

    /// <summary>int | None in lax mode: ints, integral floats, bools and numeric strings are accepted.</summary>
    private static long? OptionalInt(PyDict d, string key, IReadOnlyList<object> loc, ValidationErrors errors, HashSet<string> set)
    {
        if (!d.TryGet(key, out object? v)) return null;
        set.Add(key);
        List<object> l = ValidationErrors.Loc(loc, key);
        switch (v)
        {
            case null: return null;
            case bool b: return b ? 1 : 0;
            case PyNumber n when n.IsInteger:
                if (long.TryParse(n.Raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long i)) return i;
                errors.Add("int_parsing_size", l, "Unable to parse input string as an integer, exceeded maximum size", v);
                return null;
            case PyNumber n:
                double dbl = double.Parse(n.Raw, NumberStyles.Float, CultureInfo.InvariantCulture);
                if (Math.Floor(dbl) == dbl && Math.Abs(dbl) < 9.2e18) return (long)dbl;
                errors.Add("int_from_float", l, "Input should be a valid integer, got a number with a fractional part", v);
                return null;
            case string s:
                string t = s.Trim();
                if (long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long parsed)) return parsed;
                errors.Add("int_parsing", l, "Input should be a valid integer, unable to parse string as an integer", v);
                return null;
            default:
                errors.Add("int_type", l, "Input should be a valid integer", v);
                return null;
        }
    }

    /// <summary>ConnectionBody.validate_extra: "" becomes "{}", anything else must be a JSON object.</summary>
    private static string? ValidateExtra(string extra, IReadOnlyList<object> loc, ValidationErrors errors)
    {
        if (extra.Length == 0) return "{}";
        if (!PyValue.TryLoads(extra, out object? parsed))
        {
            errors.Add("value_error", loc,
                "Value error, The `extra` field must be a valid JSON object (e.g., {'key': 'value'}), but encountered non-JSON in `extra` field",
                extra, new JsonObject { ["error"] = new JsonObject() });
            return null;
        }
        if (parsed is not PyDict)
        {
            errors.Add("value_error", loc,
                "Value error, The `extra` field must be a valid JSON object (e.g., {'key': 'value'})",
                extra, new JsonObject { ["error"] = new JsonObject() });
            return null;
        }
        return extra;
    }
}
