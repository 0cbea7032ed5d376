using System.Collections.Generic;
using System.Text;

namespace EcrAirflow.Airflow
{
    /// <summary>
    /// The URI form of a Docker connection, as every Airflow 2.x/3.x reads AIRFLOW_CONN_* values:
    /// docker://LOGIN:PASSWORD@HOST?email=…&amp;reauth=….
    /// </summary>
    /// <remarks>
    /// Airflow splits the URI with urllib's urlsplit and decodes login, password and host with
    /// unquote (not unquote_plus). An ECR token is base64 and holds '+', '/' and '='; an unencoded '/'
    /// ends the authority and breaks the parse. So login, password and host are percent-encoded for
    /// every byte of their UTF-8 outside RFC 3986's unreserved set (A-Z a-z 0-9 - . _ ~).
    ///
    /// The host is encoded whole, port included ("localhost:5000" → "localhost%3A5000"): urlsplit then
    /// sees no port, and Airflow's Connection.host becomes exactly the registry with its port, as REST
    /// and CLI modes store it. The Docker hook logs in to host (plus port only when port is set), so
    /// both forms reach the same registry; encoding whole also keeps IPv6 literals ("[::1]:5000") intact,
    /// which urlsplit would strip of their brackets. urlsplit lower-cases the host part before the first
    /// '%', which is harmless for registry names.
    ///
    /// Extras go in the query; Airflow reads the query with parse_qsl (unquote_plus), which decodes our
    /// %2B/%20 the same way. Values arrive as strings ("reauth": "false"); the Docker hook parses those.
    /// The URI form has no place for a description.
    /// </remarks>
    internal static class ConnectionUri
    {
        /// <param name="kept">A stored connection whose port, schema and extra are kept (written in this form).</param>
        public static string Build(DockerConnection connection, StoredConnection? kept = null)
        {
            var sb = new StringBuilder(256);
            sb.Append(DockerConnection.ConnType).Append("://")
              .Append(Encode(connection.Login)).Append(':')
              .Append(Encode(connection.RevealPassword())).Append('@')
              .Append(Encode(connection.Host));

            var query = new List<string>();
            if (kept != null && kept.Kind == StoredKind.Docker)
            {
                if (kept.Port.HasValue && connection.Host.IndexOf(':') < 0)
                {
                    sb.Append(':').Append(kept.Port.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                if (!string.IsNullOrEmpty(kept.Schema))
                {
                    sb.Append('/').Append(Encode(kept.Schema!));
                }

                query.AddRange(ExtraQuery(ConnectionMerge.Extra(kept.Extra, connection)));
            }
            else
            {
                if (connection.Email != null)
                {
                    query.Add("email=" + Encode(connection.Email));
                }

                if (connection.Reauth.HasValue)
                {
                    query.Add("reauth=" + (connection.Reauth.Value ? "true" : "false"));
                }
            }

            if (query.Count > 0)
            {
                sb.Append('?').Append(string.Join("&", query));
            }

            return sb.ToString();
        }

        /// <summary>
        /// An extra object as Airflow's get_uri writes it in a query: key=value for flat string, number and boolean
        /// values, else the whole object as __extra__=&lt;JSON&gt;.
        /// </summary>
        private static IEnumerable<string> ExtraQuery(string? extra)
        {
            if (string.IsNullOrEmpty(extra))
            {
                return new string[0];
            }

            using var doc = System.Text.Json.JsonDocument.Parse(extra!);
            var root = doc.RootElement;
            if (root.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                return new[] { "__extra__=" + Encode(extra!) };
            }

            var pairs = new List<string>();
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Value.ValueKind)
                {
                    case System.Text.Json.JsonValueKind.String:
                        pairs.Add(Encode(property.Name) + "=" + Encode(property.Value.GetString()!));
                        break;
                    case System.Text.Json.JsonValueKind.Number:
                        pairs.Add(Encode(property.Name) + "=" + Encode(property.Value.GetRawText()));
                        break;
                    case System.Text.Json.JsonValueKind.True:
                    case System.Text.Json.JsonValueKind.False:
                        pairs.Add(Encode(property.Name) + "=" + (property.Value.GetBoolean() ? "true" : "false"));
                        break;
                    default:
                        return new[] { "__extra__=" + Encode(extra!) };
                }
            }

            return pairs;
        }

        /// <summary>Percent-encodes every UTF-8 byte outside the RFC 3986 unreserved set (upper-case hex).</summary>
        public static string Encode(string value)
        {
            var sb = new StringBuilder(value.Length * 3 / 2);
            foreach (var b in Encoding.UTF8.GetBytes(value))
            {
                if (IsUnreserved(b))
                {
                    sb.Append((char)b);
                }
                else
                {
                    sb.Append('%').Append(Hex[b >> 4]).Append(Hex[b & 0xF]);
                }
            }

            return sb.ToString();
        }

        private const string Hex = "0123456789ABCDEF";

        private static bool IsUnreserved(byte b) =>
            (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-' || b == '.' || b == '_' || b == '~';
    }
}
