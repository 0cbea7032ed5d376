using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.RegularExpressions;
using EcrAirflow.Core.Internal;
using EcrAirflow.Core.Internal.Secrets;

namespace EcrAirflow.Core.Airflow
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
        /// <summary>
        /// The keys the amazon provider's SecretsManagerBackend takes for each field of a JSON secret
        /// (_standardize_secret_keys): the first key of the secret, in the secret's own order, that is one of them.
        /// </summary>
        internal static readonly string[] LoginKeys = { "login", "user", "username", "user_name" };
        internal static readonly string[] PasswordKeys = { "password", "pass", "key" };
        internal static readonly string[] HostKeys = { "host", "remote_host", "server" };
        internal static readonly string[] SchemaKeys = { "database", "schema" };
        internal static readonly string[] TypeKeys = { "conn_type", "conn_id", "connection_type", "engine" };

        public static StoredConnection Parse(string connectionId, string value, string location)
        {
            var text = value.Trim();
            if (text.Length == 0)
            {
                return StoredConnection.NotDocker(connectionId, location, "an empty value");
            }

            return text[0] == '{' ? FromJson(connectionId, text, value, location) : FromUri(connectionId, text, value, location);
        }

        /// <summary>
        /// What a NotDocker message may say of a stored type: the type itself only when it looks like one of Airflow's
        /// type names (lower-case letters, digits, '_'), never text that could be something else (a value, a secret).
        /// </summary>
        internal static string OtherType(string type)
        {
            if (string.Equals(type, DockerConnection.ConnType, StringComparison.OrdinalIgnoreCase))
            {
                return "a connection whose conn_type is not spelled 'docker' (Airflow's types are lower case)";
            }

            return TypeWord.IsMatch(type) ? "a " + type + " connection" : "a connection of another type";
        }

        private static readonly Regex TypeWord = new Regex(@"\A[a-z][a-z0-9_]{0,39}\z", RegexOptions.CultureInvariant);

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

                var typeValue = First(root, TypeKeys);
                var type = typeValue.HasValue && typeValue.Value.ValueKind == JsonValueKind.String ? Normalize(typeValue.Value.GetString()!) : null;
                if (string.IsNullOrEmpty(type))
                {
                    return StoredConnection.NotDocker(connectionId, location, "a JSON object without conn_type");
                }

                if (!string.Equals(type, DockerConnection.ConnType, StringComparison.Ordinal))
                {
                    return StoredConnection.NotDocker(connectionId, location, OtherType(type!));
                }

                var password = Text(First(root, PasswordKeys));
                return new StoredConnection(connectionId, StoredKind.Docker, location)
                {
                    Type = type,
                    Host = Text(First(root, HostKeys)),
                    Login = Text(First(root, LoginKeys)),
                    Schema = Text(First(root, SchemaKeys)),
                    Description = root.TryGetProperty("description", out var description) ? Text(description) : null,
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
            var schemes = Count(text, "://");
            var colon = text.IndexOf(':');
            var scheme = colon > 0 && PythonUrl.IsScheme(text.Substring(0, colon)) ? text.Substring(0, colon).ToLowerInvariant() : string.Empty;
            if (scheme.Length == 0 || schemes == 0)
            {
                return StoredConnection.NotDocker(connectionId, location, "text that is not a connection URI");
            }

            var type = Normalize(scheme);
            if (type != DockerConnection.ConnType)
            {
                return StoredConnection.NotDocker(connectionId, location, OtherType(type));
            }

            // _parse_from_uri: more than two "://" is refused; two means a host with its own protocol (docker://https://h).
            var cantRead = StoredConnection.NotDocker(connectionId, location, "a docker connection URI that Airflow cannot read");
            if (schemes > 2 || PythonUrl.Split(text) == null)
            {
                return cantRead;
            }

            // Airflow replaces every "<scheme>://" of the text (it takes the scheme as urlsplit returned it, lower case).
            var withProtocol = schemes == 2;
            var rest = ReplaceOrdinal(text, scheme + "://", withProtocol ? string.Empty : "//");
            if (withProtocol)
            {
                var head = rest.Split(new[] { "://" }, 2, StringSplitOptions.None)[0];
                if (head.IndexOf('@') >= 0 || head.IndexOf(':') >= 0)
                {
                    return cantRead;
                }
            }

            var parts = PythonUrl.Split(rest);
            if (parts == null)
            {
                return cantRead;
            }

            var port = parts.Port(out var portValid);
            if (!portValid)
            {
                return StoredConnection.NotDocker(connectionId, location, "a docker connection URI whose port Airflow cannot read");
            }

            var host = HostOf(parts);
            if (withProtocol && !string.IsNullOrEmpty(host))
            {
                host = parts.Scheme + "://" + host;
            }

            var schema = parts.Path.Length > 1 ? PythonUrl.Unquote(parts.Path.Substring(1)) : null;
            var login = string.IsNullOrEmpty(parts.Username) ? null : PythonUrl.Unquote(parts.Username!);
            var password = string.IsNullOrEmpty(parts.Password) ? null : PythonUrl.Unquote(parts.Password!);
            return new StoredConnection(connectionId, StoredKind.Docker, location)
            {
                Type = type,
                Host = string.IsNullOrEmpty(host) ? null : host,
                Login = login,
                Schema = schema,
                Port = port,
                Extra = QueryExtra(parts.Query),
                Password = password == null ? null : SecureText.ToSecure(password),
                PasswordVisibility = password == null ? PasswordVisibility.Absent : PasswordVisibility.Readable,
                Raw = raw,
            };
        }

        /// <summary>
        /// _parse_netloc_to_hostname: urlsplit's hostname unquoted; when that holds a '/', the netloc after its last
        /// '@' and before its first ':', unquoted (Airflow's way to keep a path-like host).
        /// </summary>
        private static string HostOf(PythonUrl parts)
        {
            var host = PythonUrl.Unquote(parts.Hostname ?? string.Empty);
            if (host.IndexOf('/') < 0)
            {
                return host;
            }

            var raw = parts.Netloc;
            var at = raw.LastIndexOf('@');
            raw = at >= 0 ? raw.Substring(at + 1) : raw;
            var colon = raw.IndexOf(':');
            return PythonUrl.Unquote(colon >= 0 ? raw.Substring(0, colon) : raw);
        }

        /// <summary>Connection._normalize_conn_type: postgresql is postgres, "-" becomes "_".</summary>
        private static string Normalize(string type) => type == "postgresql" ? "postgres" : type.Replace('-', '_');

        /// <summary>The value of the first member, in the object's own order, whose name is one of <paramref name="names"/>.</summary>
        private static JsonElement? First(JsonElement root, string[] names)
        {
            foreach (var property in root.EnumerateObject())
            {
                if (Array.IndexOf(names, property.Name) >= 0)
                {
                    return property.Value;
                }
            }

            return null;
        }

        /// <summary>A string as it is, a number as its text (Airflow takes either); anything else is none.</summary>
        private static string? Text(JsonElement? value) => value?.ValueKind switch
        {
            JsonValueKind.String => value.Value.GetString(),
            JsonValueKind.Number => value.Value.GetRawText(),
            _ => null,
        };

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

            return port.ValueKind == JsonValueKind.String && int.TryParse(port.GetString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out number) ? number : (int?)null;
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

        /// <summary>
        /// The query as Airflow makes it the extra: dict(parse_qsl(query, keep_blank_values=True)) as JSON, or, when
        /// that dict has __extra__, its value itself.
        /// </summary>
        internal static string? QueryExtra(string query)
        {
            if (query.Length == 0)
            {
                return null;
            }

            var pairs = new List<KeyValuePair<string, string>>();
            foreach (var pair in PythonUrl.ParseQsl(query))
            {
                // dict(): a repeated name keeps its first place and its last value.
                var at = pairs.FindIndex(p => p.Key == pair.Key);
                if (at >= 0)
                {
                    pairs[at] = pair;
                }
                else
                {
                    pairs.Add(pair);
                }
            }

            var extra = pairs.FindIndex(p => p.Key == "__extra__");
            if (extra >= 0)
            {
                return pairs[extra].Value;
            }

            if (pairs.Count == 0)
            {
                return null;
            }

            var json = new JsonText().StartObject();
            foreach (var pair in pairs)
            {
                json.Member(pair.Key, pair.Value);
            }

            return json.EndObject().ToString();
        }

        /// <summary>Python's unquote (see <see cref="PythonUrl.Unquote"/>).</summary>
        internal static string Unquote(string value) => PythonUrl.Unquote(value);

        private static int Count(string text, string what)
        {
            var count = 0;
            for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
            {
                count++;
            }

            return count;
        }

        private static string ReplaceOrdinal(string text, string what, string with)
        {
            var sb = new System.Text.StringBuilder(text.Length);
            var from = 0;
            for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, from, StringComparison.Ordinal))
            {
                sb.Append(text, from, at - from).Append(with);
                from = at + what.Length;
            }

            return sb.Append(text, from, text.Length - from).ToString();
        }
    }
}
