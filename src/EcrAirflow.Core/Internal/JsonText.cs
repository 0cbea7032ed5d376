using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace EcrAirflow.Core.Internal
{
    /// <summary>
    /// A small JSON writer for everything the module sends or writes (Airflow bodies, import files,
    /// AIRFLOW_CONN_* values, AWS request bodies). Written by hand rather than with Utf8JsonWriter so that
    /// the text is the same on both target frameworks and never depends on an encoder's defaults (the
    /// net8.0 build runs on whatever System.Text.Json the PowerShell host ships).
    /// </summary>
    /// <remarks>
    /// Besides what JSON requires, the characters ' $ and ` (and U+2028/U+2029) are written as \u escapes,
    /// so the text can sit inside a quoted dotenv value or a shell string without being expanded; every
    /// JSON reader decodes them back to the same characters.
    /// </remarks>
    internal sealed class JsonText
    {
        private readonly StringBuilder _sb;
        private readonly Stack<bool> _first = new Stack<bool>();
        private bool _afterName;

        public JsonText(int capacity = 256)
        {
            _sb = new StringBuilder(capacity);
        }

        public JsonText StartObject() => Open('{');

        public JsonText EndObject() => Close('}');

        public JsonText StartArray() => Open('[');

        public JsonText EndArray() => Close(']');

        public JsonText Name(string name)
        {
            Separate();
            AppendString(_sb, name);
            _sb.Append(':');
            _afterName = true;
            return this;
        }

        public JsonText String(string value)
        {
            Separate();
            AppendString(_sb, value);
            return this;
        }

        public JsonText Bool(bool value)
        {
            Separate();
            _sb.Append(value ? "true" : "false");
            return this;
        }

        public JsonText Number(long value)
        {
            Separate();
            _sb.Append(value.ToString(CultureInfo.InvariantCulture));
            return this;
        }

        /// <summary>
        /// A value that is JSON text already (a request body embedded in another document, e.g. MWAA's
        /// InvokeRestApi Body), written as it is: the caller guarantees it is one well-formed JSON value.
        /// </summary>
        public JsonText Raw(string json)
        {
            Separate();
            _sb.Append(json);
            return this;
        }

        /// <summary>A member with a string value.</summary>
        public JsonText Member(string name, string value) => Name(name).String(value);

        /// <summary>A member with a string value, left out when the value is null.</summary>
        public JsonText OptionalMember(string name, string? value) => value == null ? this : Member(name, value);

        public override string ToString() => _sb.ToString();

        /// <summary>
        /// The UTF-8 bytes, for the one request or file that carries them; the builder's buffer (which may hold
        /// a password) is overwritten and emptied, so only the returned array, which the caller clears after
        /// use, holds the text.
        /// </summary>
        public byte[] ToUtf8()
        {
            var chars = new char[_sb.Length];
            _sb.CopyTo(0, chars, 0, chars.Length);
            for (var i = 0; i < _sb.Length; i++)
            {
                _sb[i] = '\0';
            }

            _sb.Clear();
            try
            {
                return new UTF8Encoding(false).GetBytes(chars);
            }
            finally
            {
                Array.Clear(chars, 0, chars.Length);
            }
        }

        /// <summary>The JSON string literal of a value, quotes included.</summary>
        public static string Quote(string value)
        {
            var sb = new StringBuilder(value.Length + 2);
            AppendString(sb, value);
            return sb.ToString();
        }

        /// <summary>What a value looks like inside a JSON string literal (the literal without its quotes).</summary>
        public static string Escape(string value)
        {
            var quoted = Quote(value);
            return quoted.Substring(1, quoted.Length - 2);
        }

        private JsonText Open(char bracket)
        {
            Separate();
            _sb.Append(bracket);
            _first.Push(true);
            return this;
        }

        private JsonText Close(char bracket)
        {
            _first.Pop();
            _sb.Append(bracket);
            return this;
        }

        private void Separate()
        {
            if (_afterName)
            {
                _afterName = false;
                return;
            }

            if (_first.Count == 0)
            {
                return;
            }

            if (_first.Peek())
            {
                _first.Pop();
                _first.Push(false);
            }
            else
            {
                _sb.Append(',');
            }
        }

        private static void AppendString(StringBuilder sb, string value)
        {
            sb.Append('"');
            foreach (var ch in value)
            {
                switch (ch)
                {
                    case '"':
                        sb.Append("\\\"");
                        break;
                    case '\\':
                        sb.Append("\\\\");
                        break;
                    case '\n':
                        sb.Append("\\n");
                        break;
                    case '\r':
                        sb.Append("\\r");
                        break;
                    case '\t':
                        sb.Append("\\t");
                        break;
                    case '\'':
                    case '$':
                    case '`':
                    case '\u2028':
                    case '\u2029':
                        AppendUnicodeEscape(sb, ch);
                        break;
                    default:
                        if (ch < 0x20)
                        {
                            AppendUnicodeEscape(sb, ch);
                        }
                        else
                        {
                            sb.Append(ch);
                        }

                        break;
                }
            }

            sb.Append('"');
        }

        private static void AppendUnicodeEscape(StringBuilder sb, char ch) =>
            sb.Append("\\u").Append(((int)ch).ToString("x4", CultureInfo.InvariantCulture));
    }
}
