using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text;
using System.Text.RegularExpressions;

namespace EcrAirflow.Core.Registry
{
    /// <summary>
    /// The WWW-Authenticate challenge of a registry's 401 (RFC 7235): its scheme ("Basic" for ECR and an htpasswd
    /// registry, "Bearer" for token authentication such as Docker Hub's) and its realm, cleaned for printing.
    /// </summary>
    internal sealed class RegistryChallenge
    {
        /// <summary>A realm longer than this is cut: it is shown in messages, and a registry names itself in a few words.</summary>
        private const int MaxRealmLength = 200;

        private static readonly Regex Realm = new Regex(
            @"(?:^|[\s,])realm\s*=\s*(?:""(?<quoted>(?:[^""\\]|\\.)*)""|(?<token>[^\s,]+))",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        private RegistryChallenge(string scheme, string? realm)
        {
            Scheme = scheme;
            RealmText = realm;
        }

        /// <summary>The scheme as the registry spelled it ("Basic", "Bearer", …).</summary>
        public string Scheme { get; }

        /// <summary>The realm, printable and at most 200 characters; null when the challenge has none.</summary>
        public string? RealmText { get; }

        public bool IsBasic => string.Equals(Scheme, "Basic", StringComparison.OrdinalIgnoreCase);

        public bool IsBearer => string.Equals(Scheme, "Bearer", StringComparison.OrdinalIgnoreCase);

        /// <summary>
        /// The challenge to answer: the Basic one when the registry offers it among others, else the first one; null
        /// when the reply has no WWW-Authenticate header.
        /// </summary>
        public static RegistryChallenge? From(HttpResponseMessage response)
        {
            if (!response.Headers.TryGetValues("WWW-Authenticate", out var values))
            {
                return null;
            }

            var challenges = new List<RegistryChallenge>();
            foreach (var value in values)
            {
                var parsed = Parse(value);
                if (parsed != null)
                {
                    challenges.Add(parsed);
                }
            }

            return challenges.Find(c => c.IsBasic) ?? (challenges.Count > 0 ? challenges[0] : null);
        }

        internal static RegistryChallenge? Parse(string? header)
        {
            var text = header?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                return null;
            }

            var end = 0;
            while (end < text!.Length && !char.IsWhiteSpace(text[end]) && text[end] != ',')
            {
                end++;
            }

            var scheme = Clean(text.Substring(0, end), 40) ?? string.Empty;
            var match = Realm.Match(text, end);
            string? realm = null;
            if (match.Success)
            {
                realm = match.Groups["quoted"].Success
                    ? Regex.Replace(match.Groups["quoted"].Value, @"\\(.)", "$1")
                    : match.Groups["token"].Value;
            }

            return new RegistryChallenge(scheme, Clean(realm, MaxRealmLength));
        }

        /// <summary>Printable text only (control characters become spaces), cut to <paramref name="max"/> characters.</summary>
        internal static string? Clean(string? text, int max)
        {
            if (text == null)
            {
                return null;
            }

            var sb = new StringBuilder(Math.Min(text.Length, max + 1));
            foreach (var c in text)
            {
                if (sb.Length == max)
                {
                    sb.Append('…');
                    break;
                }

                sb.Append(char.IsControl(c) ? ' ' : c);
            }

            return sb.ToString().Trim();
        }
    }
}
