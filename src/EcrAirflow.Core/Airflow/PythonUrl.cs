using System;
using System.Collections.Generic;
using System.Text;

namespace EcrAirflow.Core.Airflow
{
    /// <summary>
    /// The parts of Python's urllib.parse that Airflow reads a connection URI with (Python 3.9 to 3.13): urlsplit and
    /// its hostname, port, username and password; unquote; and parse_qsl. Only what Airflow's reading needs, so that
    /// a stored value is read here exactly as Airflow reads it (a value Airflow cannot read is not a connection).
    /// </summary>
    /// <param name="Scheme">Lower-cased, as urlsplit returns it; empty when the text has none.</param>
    internal sealed record PythonUrl(string Scheme, string Netloc, string Path, string Query, string Fragment)
    {
        /// <summary>Never the parts: the netloc may hold a password.</summary>
        public override string ToString() => Scheme.Length > 0 ? Scheme + " URL" : "URL";

        /// <summary>
        /// urlsplit: the tab and line breaks Python removes anywhere are removed; a scheme is letters, digits, '+', '-'
        /// and '.' starting with a letter; the netloc follows "//" up to the first '/', '?' or '#'. Null where Python
        /// raises ValueError (an unbalanced '[' or ']' in the netloc).
        /// </summary>
        public static PythonUrl? Split(string url)
        {
            url = url.Replace("\t", string.Empty).Replace("\r", string.Empty).Replace("\n", string.Empty);
            var scheme = string.Empty;
            var colon = url.IndexOf(':');
            if (colon > 0 && IsScheme(url.Substring(0, colon)))
            {
                scheme = url.Substring(0, colon).ToLowerInvariant();
                url = url.Substring(colon + 1);
            }

            var netloc = string.Empty;
            if (url.StartsWith("//", StringComparison.Ordinal))
            {
                var end = url.IndexOfAny(new[] { '/', '?', '#' }, 2);
                netloc = end < 0 ? url.Substring(2) : url.Substring(2, end - 2);
                url = end < 0 ? string.Empty : url.Substring(end);
                var open = netloc.IndexOf('[') >= 0;
                if (open != (netloc.IndexOf(']') >= 0) || (open && !IsBracketedNetlocValid(netloc)))
                {
                    return null;
                }
            }

            var fragment = string.Empty;
            var hash = url.IndexOf('#');
            if (hash >= 0)
            {
                fragment = url.Substring(hash + 1);
                url = url.Substring(0, hash);
            }

            var query = string.Empty;
            var question = url.IndexOf('?');
            if (question >= 0)
            {
                query = url.Substring(question + 1);
                url = url.Substring(0, question);
            }

            return new PythonUrl(scheme, netloc, url, query, fragment);
        }

        /// <summary>The user information before the netloc's last '@' (null when there is no '@').</summary>
        private string? UserInfo => Netloc.LastIndexOf('@') is var at && at >= 0 ? Netloc.Substring(0, at) : null;

        /// <summary>What follows the netloc's last '@'.</summary>
        public string HostInfo => Netloc.Substring(Netloc.LastIndexOf('@') + 1);

        /// <summary>SplitResult.username: up to the first ':' of the user information (not unquoted).</summary>
        public string? Username => UserInfo is string info ? (info.IndexOf(':') is var c && c >= 0 ? info.Substring(0, c) : info) : null;

        /// <summary>SplitResult.password: after the first ':' of the user information, null without one (not unquoted).</summary>
        public string? Password => UserInfo is string info && info.IndexOf(':') is var c && c >= 0 ? info.Substring(c + 1) : null;

        /// <summary>
        /// SplitResult.hostname: inside the first '[' … ']' when there is one, else up to the first ':'; lower-cased
        /// up to its first '%' (Python leaves an escaped part as it is); null when empty.
        /// </summary>
        public string? Hostname
        {
            get
            {
                var (host, _) = HostAndPort();
                if (host.Length == 0)
                {
                    return null;
                }

                var percent = host.IndexOf('%');
                return percent < 0 ? host.ToLowerInvariant() : host.Substring(0, percent).ToLowerInvariant() + host.Substring(percent);
            }
        }

        /// <summary>The port text after the host ('' when none).</summary>
        public string PortText => HostAndPort().Port;

        /// <summary>
        /// SplitResult.port: null when there is none; false in <paramref name="valid"/> where Python raises ValueError
        /// (not ASCII digits, or outside 0-65535).
        /// </summary>
        public int? Port(out bool valid)
        {
            valid = true;
            var text = PortText;
            if (text.Length == 0)
            {
                return null;
            }

            foreach (var c in text)
            {
                if (c < '0' || c > '9')
                {
                    valid = false;
                    return null;
                }
            }

            if (text.Length > 5 || int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) > 65535)
            {
                valid = false;
                return null;
            }

            return int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        }

        private (string Host, string Port) HostAndPort()
        {
            var info = HostInfo;
            var open = info.IndexOf('[');
            if (open >= 0)
            {
                var bracketed = info.Substring(open + 1);
                var close = bracketed.IndexOf(']');
                var host = close >= 0 ? bracketed.Substring(0, close) : bracketed;
                var after = close >= 0 ? bracketed.Substring(close + 1) : string.Empty;
                var colon = after.IndexOf(':');
                return (host, colon >= 0 ? after.Substring(colon + 1) : string.Empty);
            }

            var c = info.IndexOf(':');
            return c >= 0 ? (info.Substring(0, c), info.Substring(c + 1)) : (info, string.Empty);
        }

        /// <summary>
        /// _check_bracketed_netloc (Python 3.12 and later; older ones read "x[::1]" as the host ::1): nothing before the '[', only ":port" after the ']', and
        /// an IPv6 address (or an IPvFuture "v…" literal) inside.
        /// </summary>
        private static bool IsBracketedNetlocValid(string netloc)
        {
            var info = netloc.Substring(netloc.LastIndexOf('@') + 1);
            var open = info.IndexOf('[');
            if (open < 0)
            {
                return true;
            }

            if (open > 0)
            {
                return false;
            }

            var close = info.IndexOf(']');
            if (close < 0)
            {
                return false;
            }

            var after = info.Substring(close + 1);
            if (after.Length > 0 && after[0] != ':')
            {
                return false;
            }

            var host = info.Substring(1, close - 1);
            if (host.StartsWith("v", StringComparison.OrdinalIgnoreCase))
            {
                return System.Text.RegularExpressions.Regex.IsMatch(host, @"\Av[a-fA-F0-9]+\.[a-zA-Z0-9._~!$&'()*+,;=:-]+\z");
            }

            return System.Net.IPAddress.TryParse(host, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        }

        /// <summary>Python's scheme rule: a letter, then letters, digits, '+', '-' or '.'.</summary>
        public static bool IsScheme(string text)
        {
            if (text.Length == 0 || !IsAsciiLetter(text[0]))
            {
                return false;
            }

            foreach (var c in text)
            {
                if (!(IsAsciiLetter(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// parse_qsl(query, keep_blank_values=True): pairs split on '&amp;' only (Python 3.9.2 and later), each name and
        /// value decoded with unquote_plus; a pair without '=' has an empty value.
        /// </summary>
        public static List<KeyValuePair<string, string>> ParseQsl(string query)
        {
            var pairs = new List<KeyValuePair<string, string>>();
            foreach (var part in query.Split('&'))
            {
                if (part.Length == 0)
                {
                    continue;
                }

                var equals = part.IndexOf('=');
                var name = equals >= 0 ? part.Substring(0, equals) : part;
                var value = equals >= 0 ? part.Substring(equals + 1) : string.Empty;
                pairs.Add(new KeyValuePair<string, string>(UnquotePlus(name), UnquotePlus(value)));
            }

            return pairs;
        }

        public static string UnquotePlus(string value) => Unquote(value.Replace('+', ' '));

        /// <summary>Python's unquote: %XX sequences as UTF-8 bytes (invalid UTF-8 becomes U+FFFD); a '%' not followed by two hex digits stays.</summary>
        public static string Unquote(string value)
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
                else if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length)
                {
                    bytes.AddRange(Encoding.UTF8.GetBytes(value.Substring(i, 2)));
                    i++;
                }
                else
                {
                    bytes.AddRange(Encoding.UTF8.GetBytes(value[i].ToString()));
                }
            }

            return Encoding.UTF8.GetString(bytes.ToArray());
        }

        private static bool IsHex(char c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');

        private static bool IsAsciiLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
