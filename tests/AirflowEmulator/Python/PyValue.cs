using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AirflowEmulator.Python;

/// <summary>A JSON number kept as the text it arrived as, the way Python's json module keeps ints exact.</summary>
internal sealed record PyNumber(string Raw)
{
    public bool IsInteger => Raw.IndexOfAny(['.', 'e', 'E']) < 0;
}

/// <summary>
/// An insertion-ordered str-keyed dict with Python semantics: setting an existing key keeps its position
/// (json.loads with duplicate keys keeps the first position and the last value).
/// </summary>
internal sealed class PyDict
{
    private readonly List<string> _keys = [];
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);

    public int Count => _keys.Count;
    public IEnumerable<string> Keys => _keys;

    public void Set(string key, object? value)
    {
        if (!_values.ContainsKey(key)) _keys.Add(key);
        _values[key] = value;
    }

    public bool TryGet(string key, out object? value) => _values.TryGetValue(key, out value);
    public bool ContainsKey(string key) => _values.ContainsKey(key);

    public IEnumerable<KeyValuePair<string, object?>> Items()
    {
        foreach (string k in _keys) yield return new KeyValuePair<string, object?>(k, _values[k]);
    }
}

/// <summary>
/// Python-side views of JSON values: what json.loads would build (None, bool, str, int/float, list, dict),
/// with converters back to System.Text.Json nodes for responses.
/// </summary>
internal static class PyValue
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 512 };

    /// <summary>json.loads: false when the text is not JSON. Duplicate keys: last value wins.</summary>
    public static bool TryLoads(string text, out object? value)
    {
        value = null;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(text, DocumentOptions);
            value = FromElement(doc.RootElement);
            return true;
        }
        catch (JsonException) { return false; }
        catch (InvalidOperationException) { return false; } // e.g. a lone surrogate escape .NET refuses to decode
    }

    public static bool TryLoads(ReadOnlyMemory<byte> utf8, out object? value, out JsonException? error)
    {
        value = null;
        error = null;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(utf8, DocumentOptions);
            value = FromElement(doc.RootElement);
            return true;
        }
        catch (JsonException e) { error = e; return false; }
        catch (InvalidOperationException) { error = new JsonException("Invalid \\uXXXX escape"); return false; }
    }

    public static object? FromElement(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Null: return null;
            case JsonValueKind.True: return true;
            case JsonValueKind.False: return false;
            case JsonValueKind.String: return e.GetString();
            case JsonValueKind.Number: return new PyNumber(e.GetRawText());
            case JsonValueKind.Array:
                var list = new List<object?>();
                foreach (JsonElement item in e.EnumerateArray()) list.Add(FromElement(item));
                return list;
            case JsonValueKind.Object:
                var dict = new PyDict();
                foreach (JsonProperty p in e.EnumerateObject()) dict.Set(p.Name, FromElement(p.Value));
                return dict;
            default:
                throw new InvalidOperationException($"Unexpected JSON value kind {e.ValueKind}.");
        }
    }

    /// <summary>Back to a JSON node (what FastAPI's jsonable_encoder would emit for the value).</summary>
    public static JsonNode? ToNode(object? value)
    {
        switch (value)
        {
            case null: return null;
            case bool b: return JsonValue.Create(b);
            case string s: return JsonValue.Create(s);
            case PyNumber n: return JsonNode.Parse(NormalizeNumber(n));
            case long l: return JsonValue.Create(l);
            case int i: return JsonValue.Create(i);
            case List<object?> list:
                var arr = new JsonArray();
                foreach (object? item in list) arr.Add(ToNode(item));
                return arr;
            case PyDict dict:
                var obj = new JsonObject();
                foreach (KeyValuePair<string, object?> kv in dict.Items()) obj[kv.Key] = ToNode(kv.Value);
                return obj;
            case JsonNode node: return node.DeepClone();
            default: throw new InvalidOperationException($"Cannot convert {value.GetType()} to JSON.");
        }
    }

    /// <summary>How Python prints a number it parsed from JSON: ints exactly, floats with repr().</summary>
    public static string NormalizeNumber(PyNumber n)
    {
        if (n.IsInteger) return n.Raw == "-0" ? "0" : n.Raw;
        double d = double.Parse(n.Raw, NumberStyles.Float, CultureInfo.InvariantCulture);
        return FloatRepr(d);
    }

    /// <summary>Python's repr(float): shortest round-trip digits, fixed notation for 1e-4 &lt;= |x| &lt; 1e16.</summary>
    public static string FloatRepr(double d)
    {
        if (double.IsPositiveInfinity(d)) return "inf";
        if (double.IsNegativeInfinity(d)) return "-inf";
        if (double.IsNaN(d)) return "nan";
        string r = d.ToString("R", CultureInfo.InvariantCulture);
        bool negative = r.StartsWith('-');
        if (negative) r = r[1..];
        int exp = 0;
        int ePos = r.IndexOfAny(['E', 'e']);
        if (ePos >= 0)
        {
            exp = int.Parse(r[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r[..ePos];
        }
        int dot = r.IndexOf('.');
        string digits = dot >= 0 ? r.Remove(dot, 1) : r;
        int pointPos = dot >= 0 ? dot : r.Length; // digits before the decimal point
        int lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0') lead++;
        digits = digits[lead..];
        pointPos -= lead;
        digits = digits.TrimEnd('0');
        string sign = negative ? "-" : "";
        if (digits.Length == 0) return sign + "0.0";
        int sciExp = pointPos - 1 + exp;
        if (sciExp >= -4 && sciExp < 16)
        {
            if (sciExp >= 0)
            {
                string intPart = digits.Length > sciExp + 1 ? digits[..(sciExp + 1)] : digits.PadRight(sciExp + 1, '0');
                string frac = digits.Length > sciExp + 1 ? digits[(sciExp + 1)..] : "0";
                return sign + intPart + "." + frac;
            }
            return sign + "0." + new string('0', -sciExp - 1) + digits;
        }
        string mantissa = digits.Length > 1 ? digits[0] + "." + digits[1..] : digits;
        return sign + mantissa + "e" + (sciExp < 0 ? "-" : "+") + Math.Abs(sciExp).ToString("00", CultureInfo.InvariantCulture);
    }

    public static string TypeName(object? value) => value switch
    {
        null => "NoneType",
        bool => "bool",
        string => "str",
        PyNumber n => n.IsInteger ? "int" : "float",
        List<object?> => "list",
        PyDict => "dict",
        _ => value.GetType().Name,
    };
}
