using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace AirflowEmulator.Python;

/// <summary>Python's repr() and json.dumps() text, so messages and re-serialised extras read as Airflow's do.</summary>
internal static class PyFormat
{
    /// <summary>repr(value) for values json.loads can produce.</summary>
    public static string Repr(object? value)
    {
        var sb = new StringBuilder();
        AppendRepr(sb, value);
        return sb.ToString();
    }

    /// <summary>repr(set_of_strings); Python's order is hash order, ours is sorted so messages are stable.</summary>
    public static string ReprSet(IEnumerable<string> items)
    {
        List<string> list = items.OrderBy(s => s, StringComparer.Ordinal).ToList();
        if (list.Count == 0) return "set()";
        return "{" + string.Join(", ", list.Select(ReprString)) + "}";
    }

    private static void AppendRepr(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case null: sb.Append("None"); break;
            case bool b: sb.Append(b ? "True" : "False"); break;
            case string s: sb.Append(ReprString(s)); break;
            case PyNumber n: sb.Append(PyValue.NormalizeNumber(n)); break;
            case long l: sb.Append(l.ToString(CultureInfo.InvariantCulture)); break;
            case int i: sb.Append(i.ToString(CultureInfo.InvariantCulture)); break;
            case List<object?> list:
                sb.Append('[');
                for (int i = 0; i < list.Count; i++)
                {
                    if (i > 0) sb.Append(", ");
                    AppendRepr(sb, list[i]);
                }
                sb.Append(']');
                break;
            case PyDict dict:
                sb.Append('{');
                bool first = true;
                foreach (KeyValuePair<string, object?> kv in dict.Items())
                {
                    if (!first) sb.Append(", ");
                    first = false;
                    sb.Append(ReprString(kv.Key)).Append(": ");
                    AppendRepr(sb, kv.Value);
                }
                sb.Append('}');
                break;
            default: sb.Append(value); break;
        }
    }

    /// <summary>repr(str): single quotes unless the text has ' and no ", printable Unicode kept as is.</summary>
    public static string ReprString(string s)
    {
        char quote = s.Contains('\'') && !s.Contains('"') ? '"' : '\'';
        var sb = new StringBuilder(s.Length + 2);
        sb.Append(quote);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            int cp = c;
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                cp = char.ConvertToUtf32(c, s[i + 1]);
                i++;
            }
            if (cp == quote || cp == '\\') sb.Append('\\').Append((char)cp);
            else if (cp == '\t') sb.Append("\\t");
            else if (cp == '\n') sb.Append("\\n");
            else if (cp == '\r') sb.Append("\\r");
            else if (cp < 0x20 || cp == 0x7F) sb.Append("\\x").Append(cp.ToString("x2", CultureInfo.InvariantCulture));
            else if (cp < 0x7F) sb.Append((char)cp);
            else if (!IsPrintable(cp))
            {
                if (cp < 0x100) sb.Append("\\x").Append(cp.ToString("x2", CultureInfo.InvariantCulture));
                else if (cp < 0x10000) sb.Append("\\u").Append(cp.ToString("x4", CultureInfo.InvariantCulture));
                else sb.Append("\\U").Append(cp.ToString("x8", CultureInfo.InvariantCulture));
            }
            else sb.Append(char.ConvertFromUtf32(cp));
        }
        sb.Append(quote);
        return sb.ToString();
    }

    private static bool IsPrintable(int cp)
    {
        if (cp >= 0xD800 && cp <= 0xDFFF) return false;
        UnicodeCategory cat = CharUnicodeInfo.GetUnicodeCategory(cp);
        return cat switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                or UnicodeCategory.SpaceSeparator => false,
            _ => true,
        };
    }

    /// <summary>
    /// json.dumps(value) with Python's defaults (", " and ": " separators, ensure_ascii=True); with an
    /// indent it is what Flask/connexion send (indent=2, sort_keys=True, "," item separator).
    /// </summary>
    public static string JsonDumps(object? value, int? indent = null, bool sortKeys = false)
    {
        var sb = new StringBuilder();
        AppendJson(sb, value, indent, sortKeys, 0);
        return sb.ToString();
    }

    private static void NewLine(StringBuilder sb, int? indent, int level)
    {
        if (indent is int n) sb.Append('\n').Append(' ', n * level);
    }

    private static void AppendJson(StringBuilder sb, object? value, int? indent, bool sortKeys, int level)
    {
        string itemSep = indent is null ? ", " : ",";
        switch (value)
        {
            case null: sb.Append("null"); break;
            case bool b: sb.Append(b ? "true" : "false"); break;
            case string s: AppendJsonString(sb, s); break;
            case PyNumber n: sb.Append(FloatJson(n)); break;
            case long l: sb.Append(l.ToString(CultureInfo.InvariantCulture)); break;
            case int i: sb.Append(i.ToString(CultureInfo.InvariantCulture)); break;
            case List<object?> list:
                if (list.Count == 0) { sb.Append("[]"); break; }
                sb.Append('[');
                for (int i = 0; i < list.Count; i++)
                {
                    if (i > 0) sb.Append(itemSep);
                    NewLine(sb, indent, level + 1);
                    AppendJson(sb, list[i], indent, sortKeys, level + 1);
                }
                NewLine(sb, indent, level);
                sb.Append(']');
                break;
            case PyDict dict:
                if (dict.Count == 0) { sb.Append("{}"); break; }
                sb.Append('{');
                IEnumerable<KeyValuePair<string, object?>> items = sortKeys
                    ? dict.Items().OrderBy(kv => kv.Key, StringComparer.Ordinal)
                    : dict.Items();
                bool first = true;
                foreach (KeyValuePair<string, object?> kv in items)
                {
                    if (!first) sb.Append(itemSep);
                    first = false;
                    NewLine(sb, indent, level + 1);
                    AppendJsonString(sb, kv.Key);
                    sb.Append(": ");
                    AppendJson(sb, kv.Value, indent, sortKeys, level + 1);
                }
                NewLine(sb, indent, level);
                sb.Append('}');
                break;
            default: throw new InvalidOperationException($"Cannot dump {value.GetType()}.");
        }
    }

    private static string FloatJson(PyNumber n)
    {
        string s = PyValue.NormalizeNumber(n);
        return s switch { "inf" => "Infinity", "-inf" => "-Infinity", "nan" => "NaN", _ => s };
    }

    private static void AppendJsonString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20 || c > 0x7E) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}
