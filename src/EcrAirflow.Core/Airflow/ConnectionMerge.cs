using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using EcrAirflow.Core.Internal;

namespace EcrAirflow.Core.Airflow
{
    /// <summary>
    /// What a refresh writes over what a target holds: it owns the host, the login, the password and its note of
    /// the token's expiry in the description (<see cref="ExpiryNote"/>); -Email and -Reauth change only their own
    /// keys of extra; everything else the user had (port, schema, other extra keys, other JSON keys, the URI's
    /// path and other query parameters) is kept as it was. A stored value keeps its form (JSON or URI) unless the
    /// user chose one with -Format.
    /// </summary>
    /// <remarks>The values returned hold the password: they go to the one request or file that carries them.</remarks>
    internal static class ConnectionMerge
    {
        private static readonly string[] HostKeys = ConnectionDocument.HostKeys;
        private static readonly string[] LoginKeys = ConnectionDocument.LoginKeys;
        private static readonly string[] PasswordKeys = ConnectionDocument.PasswordKeys;

        /// <summary>
        /// The value to store for <paramref name="connection"/>: a new one in <paramref name="format"/> when nothing
        /// (or nothing readable as a Docker connection) is stored, else the stored one merged.
        /// </summary>
        /// <param name="formatGiven">Whether the user typed -Format (else a stored value keeps its own form).</param>
        /// <param name="includeDescription">Whether the form carries a description (Secrets Manager's backend drops it).</param>
        public static string Value(StoredConnection? stored, DockerConnection connection, ConnectionFormat format, bool formatGiven, bool includeDescription)
        {
            if (stored == null || stored.Kind != StoredKind.Docker || string.IsNullOrEmpty(stored.Raw))
            {
                return format == ConnectionFormat.Json
                    ? ConnectionJson.Object(connection, includeDescription)
                    : ConnectionUri.Build(connection);
            }

            var raw = stored.Raw!.Trim();
            var storedForm = raw.StartsWith("{", StringComparison.Ordinal) ? ConnectionFormat.Json : ConnectionFormat.Uri;
            var form = formatGiven ? format : storedForm;
            if (form == storedForm)
            {
                return form == ConnectionFormat.Json ? MergeJson(raw, connection, includeDescription) : MergeUri(raw, connection, stored);
            }

            // The user asked for the other form: the same connection, with what was kept, written anew.
            return form == ConnectionFormat.Json
                ? ConnectionJson.Object(connection, includeDescription, stored)
                : ConnectionUri.Build(connection, stored);
        }

        /// <summary>
        /// The extra to write: the stored extra (a JSON object's text) with -Email and -Reauth set when given; null
        /// when there was none and none is given. Keys the user had stay, in their order.
        /// </summary>
        public static string? Extra(string? storedExtra, DockerConnection connection)
        {
            if (!connection.HasExtra)
            {
                return string.IsNullOrEmpty(storedExtra) ? null : storedExtra;
            }

            var json = new JsonText().StartObject();
            WriteExtraMembers(json, storedExtra, connection);
            return json.EndObject().ToString();
        }

        /// <summary>
        /// Whether a registry host names its own port ("localhost:5000", "[::1]:5000"). Docker's hook logs in to
        /// host:port when the connection has a port, so a stored port is kept only when our host has none.
        /// </summary>
        internal static bool HostNamesPort(string host)
        {
            var colon = host.LastIndexOf(':');
            if (colon < 0 || colon <= host.LastIndexOf(']') || colon == host.Length - 1)
            {
                return false;
            }

            for (var i = colon + 1; i < host.Length; i++)
            {
                if (host[i] < '0' || host[i] > '9')
                {
                    return false;
                }
            }

            return host.IndexOf(':') == colon || host.StartsWith("[", StringComparison.Ordinal);
        }

        /// <summary>Whether the text is one JSON object (what may be written as extra's value as it is).</summary>
        internal static bool IsJsonObject(string text)
        {
            try
            {
                using var doc = JsonDocument.Parse(text);
                return doc.RootElement.ValueKind == JsonValueKind.Object;
            }
            catch (JsonException)
            {
                return false;
            }
        }

        private static string MergeJson(string raw, DockerConnection connection, bool includeDescription)
        {
            using var doc = JsonDocument.Parse(raw);
            var root = doc.RootElement;
            var json = new JsonText(raw.Length + 256).StartObject();
            bool host = false, login = false, password = false, description = false, extra = false;
            var dropPort = HostNamesPort(connection.Host);
            foreach (var property in root.EnumerateObject())
            {
                var name = property.Name;
                if (name == "port" && dropPort)
                {
                    // Our host names its port: a stored one would make the hook log in to host:port:port.
                    continue;
                }

                if (!host && HostKeys.Contains(name))
                {
                    json.Member(name, connection.Host);
                    host = true;
                }
                else if (!login && LoginKeys.Contains(name))
                {
                    json.Member(name, connection.Login);
                    login = true;
                }
                else if (!password && PasswordKeys.Contains(name))
                {
                    json.Member(name, connection.RevealPassword());
                    password = true;
                }
                else if (name == "description" && includeDescription)
                {
                    json.Member(name, connection.DescriptionOver(property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null) ?? ExpiryNote.Managed);
                    description = true;
                }
                else if (name == "extra")
                {
                    extra = true;
                    WriteExtra(json, property.Value, connection);
                }
                else
                {
                    json.Name(name).Raw(property.Value.GetRawText());
                }
            }

            if (!host)
            {
                json.Member("host", connection.Host);
            }

            if (!login)
            {
                json.Member("login", connection.Login);
            }

            if (!password)
            {
                json.Member("password", connection.RevealPassword());
            }

            if (!description && includeDescription)
            {
                json.Member("description", connection.DescriptionOver(null) ?? ExpiryNote.Managed);
            }

            if (!extra && connection.HasExtra)
            {
                json.Name("extra").StartObject();
                WriteExtraMembers(json, null, connection);
                json.EndObject();
            }

            return json.EndObject().ToString();
        }

        /// <summary>extra as it was stored (an object, or JSON text in a string), with -Email/-Reauth set.</summary>
        private static void WriteExtra(JsonText json, JsonElement extra, DockerConnection connection)
        {
            if (!connection.HasExtra)
            {
                json.Name("extra").Raw(extra.GetRawText());
                return;
            }

            if (extra.ValueKind == JsonValueKind.String)
            {
                var inner = new JsonText().StartObject();
                WriteExtraMembers(inner, extra.GetString(), connection);
                json.Member("extra", inner.EndObject().ToString());
                return;
            }

            json.Name("extra").StartObject();
            WriteExtraMembers(json, extra.ValueKind == JsonValueKind.Object ? extra.GetRawText() : null, connection);
            json.EndObject();
        }

        /// <summary>The members of the stored extra object, with email and reauth replaced or added when given.</summary>
        private static void WriteExtraMembers(JsonText json, string? storedExtra, DockerConnection connection)
        {
            var wroteEmail = false;
            var wroteReauth = false;
            if (!string.IsNullOrEmpty(storedExtra))
            {
                try
                {
                    using var doc = JsonDocument.Parse(storedExtra!);
                    if (doc.RootElement.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var property in doc.RootElement.EnumerateObject())
                        {
                            if (property.Name == "email" && connection.Email != null)
                            {
                                json.Member("email", connection.Email);
                                wroteEmail = true;
                            }
                            else if (property.Name == "reauth" && connection.Reauth.HasValue)
                            {
                                json.Name("reauth").Bool(connection.Reauth.Value);
                                wroteReauth = true;
                            }
                            else
                            {
                                json.Name(property.Name).Raw(property.Value.GetRawText());
                            }
                        }
                    }
                }
                catch (JsonException)
                {
                    // Airflow would not read such an extra either; ours replaces it.
                }
            }

            if (!wroteEmail && connection.Email != null)
            {
                json.Member("email", connection.Email);
            }

            if (!wroteReauth && connection.Reauth.HasValue)
            {
                json.Name("reauth").Bool(connection.Reauth.Value);
            }
        }

        /// <summary>
        /// The stored URI with our login, password and host; its port (when our host names none), path (the schema),
        /// fragment and other query parameters kept as they were, in their order. -Email and -Reauth replace their own
        /// parameter in place (or are added); when the extra is a JSON __extra__ parameter they go inside it, since
        /// Airflow then reads nothing else of the query.
        /// </summary>
        private static string MergeUri(string raw, DockerConnection connection, StoredConnection stored)
        {
            var separator = raw.IndexOf("://", StringComparison.Ordinal);
            var scheme = raw.Substring(0, separator);
            var rest = raw.Substring(separator + 3);
            var parts = rest.IndexOf("://", StringComparison.Ordinal) < 0 ? PythonUrl.Split("//" + rest) : null;
            if (parts == null)
            {
                // A host with its own protocol (docker://https://…): written anew, with what it kept.
                return ConnectionUri.Build(connection, stored);
            }

            var port = parts.PortText.Length > 0 && !HostNamesPort(connection.Host) ? ":" + parts.PortText : string.Empty;
            var query = MergeQuery(parts.Query, connection);
            return scheme + "://" + ConnectionUri.Encode(connection.Login) + ":" + ConnectionUri.Encode(connection.RevealPassword()) + "@"
                + ConnectionUri.Encode(connection.Host) + port + parts.Path
                + (query.Length > 0 ? "?" + query : string.Empty)
                + (parts.Fragment.Length > 0 || rest.IndexOf('#') >= 0 ? "#" + parts.Fragment : string.Empty);
        }

        private static string MergeQuery(string query, DockerConnection connection)
        {
            var parts = query.Split('&').Where(p => p.Length > 0).ToList();
            if (!connection.HasExtra)
            {
                return string.Join("&", parts);
            }

            var names = parts.Select(p => PythonUrl.UnquotePlus(p.IndexOf('=') >= 0 ? p.Substring(0, p.IndexOf('=')) : p)).ToList();
            var extraAt = names.LastIndexOf("__extra__");
            if (extraAt >= 0)
            {
                var part = parts[extraAt];
                var value = part.IndexOf('=') >= 0 ? PythonUrl.UnquotePlus(part.Substring(part.IndexOf('=') + 1)) : string.Empty;
                parts[extraAt] = "__extra__=" + ConnectionUri.Encode(Extra(value, connection)!);
                return string.Join("&", parts);
            }

            if (connection.Email != null)
            {
                SetParameter(parts, names, "email", ConnectionUri.Encode(connection.Email));
            }

            if (connection.Reauth.HasValue)
            {
                SetParameter(parts, names, "reauth", connection.Reauth.Value ? "true" : "false");
            }

            return string.Join("&", parts);
        }

        /// <summary>The first parameter of that name gets the value in its place; later ones go (a dict keeps only one).</summary>
        private static void SetParameter(List<string> parts, List<string> names, string name, string encodedValue)
        {
            var first = names.IndexOf(name);
            if (first < 0)
            {
                parts.Add(name + "=" + encodedValue);
                names.Add(name);
                return;
            }

            parts[first] = name + "=" + encodedValue;
            for (var i = parts.Count - 1; i > first; i--)
            {
                if (names[i] == name)
                {
                    parts.RemoveAt(i);
                    names.RemoveAt(i);
                }
            }
        }
    }
}
