using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using EcrAirflow.Internal;
using EcrAirflow.Internal.Secrets;

namespace EcrAirflow.Airflow
{
    /// <summary>
    /// Reads a stored connection value the way Airflow does (BaseSecretsBackend.deserialize_connection): JSON when
    /// it starts with "{" (Connection.from_json, Airflow 2.3+), else a connection URI (Connection._parse_from_uri:
    /// urlsplit, then unquote of login, password, host and schema; the query becomes extra). Used for what
    /// AIRFLOW_CONN_* variables, dotenv files and the secret stores hold. The value holds the password: it is kept
    /// only as <see cref="StoredConnection.Raw"/>, and a value that is not a Docker connection is described by its
    /// kind alone.
    /// </summary>
    internal static class ConnectionDocument
    {
        // The aliases the amazon provider's secrets backends accept for the standard fields of a JSON secret.
        private static readonly string[] LoginKeys = { "login", "user", "username", "user_name" };
        private static readonly string[] PasswordKeys = { "password", "pass", "key" };
        private static readonly string[] HostKeys = { "host", "remote_host", "server" };
        private static readonly string[] TypeKeys = { "conn_type", "conn_id_type", "engine" };

        public static StoredConnection Parse(string connectionId, string value, string location)
        {
            var text = value.Trim();
            if (text.Length == 0)
            {
                return StoredConnection.NotDocker(connectionId, location, "an empty value");
            }

            return text[0] == '{' ? FromJson(connectionId, text, value, location) : FromUri(connectionId, text, value, location);
        }

        private static StoredConnection FromJson(string connectionId, string text, string raw, string location)
        {
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(text);
            }
            catch (JsonException)
            {
                return StoredConnection.NotDocker(connectionId, location, "text that starts like JSON but is not JSON");
            }

            using (doc)
            {
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    return StoredConnection.NotDocker(connectionId, location, "a JSON value that is not an object");
                }

                var type = Normalize(First(root, TypeKeys));
                if (type == null)
                {
                    return StoredConnection.NotDocker(connectionId, location, "a JSON object without conn_type");
                }

                if (!string.Equals(type, DockerConnection.ConnType, StringComparison.Ordinal))
                {
                    return StoredConnection.NotDocker(connectionId, location, "a " + type + " connection");
                }

                var password = First(root, PasswordKeys);
                return new StoredConnection(connectionId, StoredKind.Docker, location)
                {
                    Type = type,
                    Host = First(root, HostKeys),
                    Login = First(root, LoginKeys),
                    Schema = First(root, new[] { "schema" }),
                    Description = First(root, new[] { "description" }),
                    Port = Port(root),
                    Extra = Extra(root),
                    Password = string.IsNullOrEmpty(password) ? null : SecureText.ToSecure(password!),
                    PasswordVisibility = string.IsNullOrEmpty(password) ? PasswordVisibility.Absent : PasswordVisibility.Readable,
                    Raw = raw,
                };
            }
        }

        private static StoredConnection FromUri(string connectionId, string text, string raw, string location)
        {
            var separator = text.IndexOf("://", StringComparison.Ordinal);
            if (separator <= 0)
            {
                return StoredConnection.NotDocker(connectionId, location, "text that is not a connection URI");
            }

            var type = Normalize(text.Substring(0, separator));
            if (!string.Equals(type, DockerConnection.ConnType, StringComparison.Ordinal))
            {
                return StoredConnection.NotDocker(connectionId, location, "a " + type + " connection");
            }

            var rest = text.Substring(separator + 3);
            var fragment = rest.IndexOf('#');
            if (fragment >= 0)
            {
                rest = rest.Substring(0, fragment);
            }

            var queryAt = rest.IndexOf('?');
            var query = queryAt >= 0 ? rest.Substring(queryAt + 1) : string.Empty;
            rest = queryAt >= 0 ? rest.Substring(0, queryAt) : rest;
            var pathAt = rest.IndexOf('/');
            var path = pathAt >= 0 ? rest.Substring(pathAt) : string.Empty;
            var netloc = pathAt >= 0 ? rest.Substring(0, pathAt) : rest;

            string? login = null;
            string? password = null;
            var at = netloc.LastIndexOf('@');
            if (at >= 0)
            {
                var userInfo = netloc.Substring(0, at);
                netloc = netloc.Substring(at + 1);
                var colon = userInfo.IndexOf(':');
                login = colon >= 0 ? userInfo.Substring(0, colon) : userInfo;
                password = colon >= 0 ? userInfo.Substring(colon + 1) : null;
            }

            // urlsplit's hostname: a [v6] literal, else up to the first ':'; lower-cased. Then unquote.
            string host;
            string portText;
            if (netloc.StartsWith("[", StringComparison.Ordinal) && netloc.IndexOf(']') > 0)
            {
                var close = netloc.IndexOf(']');
                host = netloc.Substring(1, close - 1);
                portText = netloc.Length > close + 1 && netloc[close + 1] == ':' ? netloc.Substring(close + 2) : string.Empty;
            }
            else
            {
                var colon = netloc.IndexOf(':');
                host = colon >= 0 ? netloc.Substring(0, colon) : netloc;
                portText = colon >= 0 ? netloc.Substring(colon + 1) : string.Empty;
            }

            var schema = path.Length > 1 ? Unquote(path.Substring(1)) : null;
            login = string.IsNullOrEmpty(login) ? null : Unquote(login!);
            password = string.IsNullOrEmpty(password) ? null : Unquote(password!);
            return new StoredConnection(connectionId, StoredKind.Docker, location)
            {
                Type = type,
                Host = host.Length == 0 ? null : Unquote(host.ToLowerInvariant()),
                Login = login,
                Schema = schema,
                Port = int.TryParse(portText, out var port) ? port : (int?)null,
                Extra = QueryExtra(query),
                Password = password == null ? null : SecureText.ToSecure(password),
                PasswordVisibility = password == null ? PasswordVisibility.Absent : PasswordVisibility.Readable,
                Raw = raw,
            };
        }

        /// <summary>Connection._normalize_conn_type: "-" becomes "_", postgresql is postgres.</summary>
        private static string? Normalize(string? type)
        {
            if (type == null)
            {
                return null;
            }

            var normalized = type.Replace('-', '_');
            return normalized == "postgresql" ? "postgres" : normalized;
        }

        private static string? First(JsonElement root, string[] names)
        {
            foreach (var name in names)
            {
                if (root.TryGetProperty(name, out var value))
                {
                    if (value.ValueKind == JsonValueKind.String)
                    {
                        return value.GetString();
                    }

                    if (value.ValueKind == JsonValueKind.Number)
                    {
                        return value.GetRawText();
                    }
                }
            }

            return null;
        }

        private static int? Port(JsonElement root)
        {
            if (!root.TryGetProperty("port", out var port))
            {
                return null;
            }

            if (port.ValueKind == JsonValueKind.Number && port.TryGetInt32(out var number))
            {
                return number;
            }

            return port.ValueKind == JsonValueKind.String && int.TryParse(port.GetString(), out number) ? number : (int?)null;
        }

        /// <summary>extra as an object's JSON text (Airflow also takes it as a JSON string).</summary>
        private static string? Extra(JsonElement root)
        {
            if (!root.TryGetProperty("extra", out var extra))
            {
                return null;
            }

            if (extra.ValueKind == JsonValueKind.Object)
            {
                return extra.GetRawText();
            }

            return extra.ValueKind == JsonValueKind.String && !string.IsNullOrEmpty(extra.GetString()) ? extra.GetString() : null;
        }

        /// <summary>The query as Airflow makes it the extra: parse_qsl (plus as space), or the __extra__ value itself.</summary>
        private static string? QueryExtra(string query)
        {
            if (query.Length == 0)
            {
                return null;
            }

            var pairs = new List<KeyValuePair<string, string>>();
            foreach (var part in query.Split('&', ';'))
            {
                if (part.Length == 0)
                {
                    continue;
                }

                var equals = part.IndexOf('=');
                var key = Unquote((equals >= 0 ? part.Substring(0, equals) : part).Replace('+', ' '));
                var value = equals >= 0 ? Unquote(part.Substring(equals + 1).Replace('+', ' ')) : string.Empty;
                if (key == "__extra__")
                {
                    return value;
                }

                pairs.RemoveAll(p => p.Key == key); // dict(): the last one wins
                pairs.Add(new KeyValuePair<string, string>(key, value));
            }

            var json = new JsonText().StartObject();
            foreach (var pair in pairs)
            {
                json.Member(pair.Key, pair.Value);
            }

            return json.EndObject().ToString();
        }

        /// <summary>Python's unquote: %XX sequences as UTF-8 bytes; invalid sequences are left as they are.</summary>
        internal static string Unquote(string value)
        {
            if (value.IndexOf('%') < 0)
            {
                return value;
            }

            var bytes = new List<byte>(value.Length);
            for (var i = 0; i < value.Length; i++)
            {
                if (value[i] == '%' && i + 2 < value.Length && IsHex(value[i + 1]) && IsHex(value[i + 2]))
                {
                    bytes.Add(Convert.ToByte(value.Substring(i + 1, 2), 16));
                    i += 2;
                }
                else
                {
                    bytes.AddRange(Encoding.UTF8.GetBytes(value[i].ToString()));
                }
            }

            return Encoding.UTF8.GetString(bytes.ToArray());
        }

        private static bool IsHex(char c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
