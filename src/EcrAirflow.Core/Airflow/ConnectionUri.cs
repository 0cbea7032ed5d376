using System.Collections.Generic;
using System.Text;

namespace EcrAirflow.Core.Airflow
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
                if (kept.Port.HasValue && !ConnectionMerge.HostNamesPort(connection.Host))
                {
                    sb.Append(':').Append(kept.Port.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                if (!string.IsNullOrEmpty(kept.Schema))
                {
                    sb.Append('/').Append(Encode(kept.Schema!));
                }

                if (!string.IsNullOrEmpty(kept.Extra))
                {
                    query.AddRange(ExtraQuery(ConnectionMerge.Extra(kept.Extra, connection)));
                }
                else
                {
                    query.AddRange(OwnExtra(connection));
                }
            }
            else
            {
                query.AddRange(OwnExtra(connection));
            }

            if (query.Count > 0)
            {
                sb.Append('?').Append(string.Join("&", query));
            }

            return sb.ToString();
        }

        /// <summary>-Email and -Reauth as query parameters (the hook reads "true"/"false" text as booleans).</summary>
        private static IEnumerable<string> OwnExtra(DockerConnection connection)
        {
            if (connection.Email != null)
            {
                yield return "email=" + Encode(connection.Email);
            }

            if (connection.Reauth.HasValue)
            {
                yield return "reauth=" + (connection.Reauth.Value ? "true" : "false");
            }
        }

        /// <summary>
        /// An extra object as Airflow's get_uri writes it in a query: key=value when every value is a string (read back
        /// unchanged), else the whole object as __extra__=&lt;JSON&gt;, so numbers, booleans and nested values keep their type.
        /// </summary>
        private static IEnumerable<string> ExtraQuery(string? extra)
        {
            if (string.IsNullOrEmpty(extra))
            {
                return new string[0];
            }

            var whole = new[] { "__extra__=" + Encode(extra!) };
            System.Text.Json.JsonDocument doc;
            try
            {
                doc = System.Text.Json.JsonDocument.Parse(extra!);
            }
            catch (System.Text.Json.JsonException)
            {
                return whole;
            }

            using (doc)
            {
                var root = doc.RootElement;
                if (root.ValueKind != System.Text.Json.JsonValueKind.Object)
                {
                    return whole;
                }

                var pairs = new List<string>();
                foreach (var property in root.EnumerateObject())
                {
                    if (property.Value.ValueKind != System.Text.Json.JsonValueKind.String)
                    {
                        return whole;
                    }

                    pairs.Add(Encode(property.Name) + "=" + Encode(property.Value.GetString()!));
                }

                return pairs;
            }
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
