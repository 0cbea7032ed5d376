using System.Globalization;
using System.Text;

namespace EcrAirflow.Airflow
{
    /// <summary>
    /// The JSON form of a Docker connection as Airflow's file import (connections import FILE.json) and
    /// AIRFLOW_CONN_* JSON values (Airflow ≥ 2.3) read it:
    /// {"conn_type":"docker","host":…,"login":…,"password":…,"description":…,"extra":{"email":…,"reauth":…}}.
    /// Both readers pass the keys to Connection(**value), which accepts description and a dict extra.
    /// </summary>
    /// <remarks>
    /// Written by hand rather than with a serializer so the output is the same on both target
    /// frameworks and never depends on an encoder's defaults. Besides what JSON requires, the characters
    /// ' $ and ` are written as \u escapes, so the text can sit inside a quoted dotenv value or a shell
    /// string without being expanded (JSON readers decode them back to the same characters).
    /// </remarks>
    internal static class DockerConnectionJson
    {
        /// <summary>The connection object alone (the value of an AIRFLOW_CONN_* variable).</summary>
        public static string Object(DockerConnection connection, bool includeDescription)
        {
            var sb = new StringBuilder(256);
            AppendObject(sb, connection, includeDescription);
            return sb.ToString();
        }

        /// <summary>The file Airflow's connections import reads: {"&lt;conn id&gt;": {…}, …}.</summary>
        public static string ImportFile(System.Collections.Generic.IEnumerable<DockerConnection> connections)
        {
            var sb = new StringBuilder(1024);
            sb.Append('{');
            var first = true;
            foreach (var connection in connections)
            {
                if (!first)
                {
                    sb.Append(',');
                }

                first = false;
                sb.Append('\n').Append("  ");
                AppendString(sb, connection.ConnectionId);
                sb.Append(": ");
                AppendObject(sb, connection, includeDescription: true);
            }

            sb.Append("\n}\n");
            return sb.ToString();
        }

        private static void AppendObject(StringBuilder sb, DockerConnection c, bool includeDescription)
        {
            sb.Append('{');
            AppendMember(sb, "conn_type", DockerConnection.ConnType, first: true);
            AppendMember(sb, "host", c.Host);
            AppendMember(sb, "login", c.Login);
            AppendMember(sb, "password", c.Password);
            if (includeDescription && c.Description != null)
            {
                AppendMember(sb, "description", c.Description);
            }

            if (c.HasExtra)
            {
                sb.Append(",\"extra\":{");
                var first = true;
                if (c.Email != null)
                {
                    AppendMember(sb, "email", c.Email, first: true);
                    first = false;
                }

                if (c.Reauth.HasValue)
                {
                    if (!first)
                    {
                        sb.Append(',');
                    }

                    sb.Append("\"reauth\":").Append(c.Reauth.Value ? "true" : "false");
                }

                sb.Append('}');
            }

            sb.Append('}');
        }

        private static void AppendMember(StringBuilder sb, string name, string value, bool first = false)
        {
            if (!first)
            {
                sb.Append(',');
            }

            AppendString(sb, name);
            sb.Append(':');
            AppendString(sb, value);
        }

        internal static void AppendString(StringBuilder sb, string value)
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
                        AppendUnicodeEscape(sb, ch);
                        break;
                    default:
                        if (ch < 0x20 || ch == '\u2028' || ch == '\u2029')
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
