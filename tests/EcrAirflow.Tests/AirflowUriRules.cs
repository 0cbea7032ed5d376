using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace EcrAirflow.Tests
{
    /// <summary>
    /// A test-side reader of AIRFLOW_CONN_* values that follows Airflow's documented rules, written from
    /// Python's urllib.parse semantics: a value starting with '{' is JSON (Connection.from_json), else a
    /// URI split by urlsplit, with login, password, host and schema decoded by unquote (not
    /// unquote_plus) and the query read by parse_qsl (unquote_plus) into extra.
    /// </summary>
    internal static class AirflowUriRules
    {
        internal sealed class ParsedConnection
        {
            public string ConnType = "";
            public string? Host;
            public string? Login;
            public string? Password;
            public string? Schema;
            public int? Port;
            public string? Description;
            public Dictionary<string, object?> Extra = new Dictionary<string, object?>();
        }

        public static ParsedConnection Parse(string value)
        {
            return value.StartsWith("{", StringComparison.Ordinal) ? ParseJson(value) : ParseUri(value);
        }

        private static ParsedConnection ParseJson(string value)
        {
            using var doc = JsonDocument.Parse(value);
            var root = doc.RootElement;
            string? Str(string name) => root.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            var parsed = new ParsedConnection
            {
                ConnType = Str("conn_type") ?? "",
                Host = Str("host"),
                Login = Str("login"),
                Password = Str("password"),
                Schema = Str("schema"),
                Description = Str("description"),
            };
            if (root.TryGetProperty("extra", out var extra) && extra.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in extra.EnumerateObject())
                {
                    parsed.Extra[p.Name] = p.Value.ValueKind switch
                    {
                        JsonValueKind.True => true,
                        JsonValueKind.False => false,
                        JsonValueKind.String => p.Value.GetString(),
                        _ => p.Value.GetRawText(),
                    };
                }
            }

            return parsed;
        }

        /// <summary>Connection._parse_from_uri for the usual one-scheme case.</summary>
        private static ParsedConnection ParseUri(string uri)
        {
            var schemes = CountOf(uri, "://");
            if (schemes > 2)
            {
                throw new FormatException("Invalid connection string (more than two schemes).");
            }

            if (schemes == 2)
            {
                throw new NotSupportedException("host-with-protocol URIs are not produced by EcrAirflow");
            }

            var first = UrlSplit(uri);
            var connType = first.Scheme;
            var rest = uri.Replace(connType + "://", "//");
            var parts = UrlSplit(rest);
            var parsed = new ParsedConnection
            {
                ConnType = connType.Replace('-', '_'),
                Host = NetlocToHostname(parts),
                Login = parts.Username is { Length: > 0 } u ? Unquote(u) : parts.Username,
                Password = parts.Password is { Length: > 0 } p ? Unquote(p) : parts.Password,
                Port = parts.Port,
            };
            var quotedSchema = parts.Path.Length > 0 ? parts.Path.Substring(1) : "";
            parsed.Schema = quotedSchema.Length > 0 ? Unquote(quotedSchema) : quotedSchema;
            if (parts.Query.Length > 0)
            {
                foreach (var (k, v) in ParseQsl(parts.Query))
                {
                    parsed.Extra[k] = v;
                }
            }

            return parsed;
        }

        private static string NetlocToHostname(SplitResult parts)
        {
            var hostname = Unquote(parts.Hostname ?? "");
            if (hostname.Contains('/'))
            {
                hostname = parts.Netloc;
                if (hostname.Contains('@'))
                {
                    hostname = hostname.Substring(hostname.LastIndexOf('@') + 1);
                }

                if (hostname.Contains(':'))
                {
                    hostname = hostname.Substring(0, hostname.IndexOf(':'));
                }

                hostname = Unquote(hostname);
            }

            return hostname;
        }

        internal sealed class SplitResult
        {
            public string Scheme = "";
            public string Netloc = "";
            public string Path = "";
            public string Query = "";
            public string Fragment = "";

            private (string user, string? password, bool hasInfo) UserInfo
            {
                get
                {
                    var at = Netloc.LastIndexOf('@');
                    if (at < 0)
                    {
                        return ("", null, false);
                    }

                    var info = Netloc.Substring(0, at);
                    var colon = info.IndexOf(':');
                    return colon < 0 ? (info, null, true) : (info.Substring(0, colon), info.Substring(colon + 1), true);
                }
            }

            public string? Username => UserInfo.hasInfo ? UserInfo.user : null;

            public string? Password => UserInfo.password;

            private (string host, string? port) HostInfo
            {
                get
                {
                    var hostinfo = Netloc.Substring(Netloc.LastIndexOf('@') + 1);
                    var open = hostinfo.IndexOf('[');
                    string host;
                    string port;
                    if (open >= 0)
                    {
                        var bracketed = hostinfo.Substring(open + 1);
                        var close = bracketed.IndexOf(']');
                        host = close < 0 ? bracketed : bracketed.Substring(0, close);
                        var after = close < 0 ? "" : bracketed.Substring(close + 1);
                        var colon = after.IndexOf(':');
                        port = colon < 0 ? "" : after.Substring(colon + 1);
                    }
                    else
                    {
                        var colon = hostinfo.IndexOf(':');
                        host = colon < 0 ? hostinfo : hostinfo.Substring(0, colon);
                        port = colon < 0 ? "" : hostinfo.Substring(colon + 1);
                    }

                    return (host, port.Length == 0 ? null : port);
                }
            }

            /// <summary>urllib lower-cases the part before a '%' (a zone id stays as it is).</summary>
            public string? Hostname
            {
                get
                {
                    var host = HostInfo.host;
                    if (host.Length == 0)
                    {
                        return null;
                    }

                    var percent = host.IndexOf('%');
                    return percent < 0 ? host.ToLowerInvariant() : host.Substring(0, percent).ToLowerInvariant() + host.Substring(percent);
                }
            }

            public int? Port
            {
                get
                {
                    var port = HostInfo.port;
                    if (port == null)
                    {
                        return null;
                    }

                    if (!port.All(c => c >= '0' && c <= '9'))
                    {
                        throw new FormatException($"Port could not be cast to integer value as '{port}'");
                    }

                    var number = int.Parse(port, CultureInfo.InvariantCulture);
                    if (number > 65535)
                    {
                        throw new FormatException("Port out of range 0-65535");
                    }

                    return number;
                }
            }
        }

        /// <summary>urllib.parse.urlsplit (Python 3.11).</summary>
        internal static SplitResult UrlSplit(string url)
        {
            url = url.TrimStart(Enumerable.Range(0, 0x21).Select(i => (char)i).ToArray());
            url = url.Replace("\t", "").Replace("\r", "").Replace("\n", "");
            var result = new SplitResult();
            var i = url.IndexOf(':');
            if (i > 0 && char.IsAsciiLetter(url[0]) && url.Substring(0, i).All(c => char.IsAsciiLetterOrDigit(c) || c == '+' || c == '-' || c == '.'))
            {
                result.Scheme = url.Substring(0, i).ToLowerInvariant();
                url = url.Substring(i + 1);
            }

            if (url.StartsWith("//", StringComparison.Ordinal))
            {
                var end = url.Length;
                foreach (var c in "/?#")
                {
                    var pos = url.IndexOf(c, 2);
                    if (pos >= 0)
                    {
                        end = Math.Min(end, pos);
                    }
                }

                result.Netloc = url.Substring(2, end - 2);
                url = url.Substring(end);
                if (result.Netloc.Contains('[') != result.Netloc.Contains(']'))
                {
                    throw new FormatException("Invalid IPv6 URL");
                }
            }

            var hash = url.IndexOf('#');
            if (hash >= 0)
            {
                result.Fragment = url.Substring(hash + 1);
                url = url.Substring(0, hash);
            }

            var q = url.IndexOf('?');
            if (q >= 0)
            {
                result.Query = url.Substring(q + 1);
                url = url.Substring(0, q);
            }

            result.Path = url;
            return result;
        }

        /// <summary>urllib.parse.unquote: %XX sequences to bytes, decoded as UTF-8; invalid % left alone.</summary>
        internal static string Unquote(string value)
        {
            if (!value.Contains('%'))
            {
                return value;
            }

            var output = new StringBuilder();
            var bytes = new List<byte>();
            for (var i = 0; i < value.Length; i++)
            {
                if (value[i] == '%' && i + 2 < value.Length && IsHex(value[i + 1]) && IsHex(value[i + 2]))
                {
                    bytes.Add(Convert.ToByte(value.Substring(i + 1, 2), 16));
                    i += 2;
                    continue;
                }

                Flush();
                output.Append(value[i]);
            }

            Flush();
            return output.ToString();

            void Flush()
            {
                if (bytes.Count > 0)
                {
                    output.Append(Encoding.UTF8.GetString(bytes.ToArray()));
                    bytes.Clear();
                }
            }
        }

        internal static string UnquotePlus(string value) => Unquote(value.Replace('+', ' '));

        /// <summary>parse_qsl(query, keep_blank_values=True) with the '&amp;' separator.</summary>
        internal static List<(string, string)> ParseQsl(string query)
        {
            var pairs = new List<(string, string)>();
            foreach (var field in query.Split('&'))
            {
                if (field.Length == 0)
                {
                    continue;
                }

                var eq = field.IndexOf('=');
                var name = eq < 0 ? field : field.Substring(0, eq);
                var value = eq < 0 ? "" : field.Substring(eq + 1);
                pairs.Add((UnquotePlus(name), UnquotePlus(value)));
            }

            return pairs;
        }

        private static bool IsHex(char c) => Uri.IsHexDigit(c);

        private static int CountOf(string text, string part)
        {
            var count = 0;
            for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
            {
                count++;
            }

            return count;
        }
    }
}
