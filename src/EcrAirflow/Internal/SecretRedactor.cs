using System;
using EcrAirflow.Internal;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using EcrAirflow.Airflow;

namespace EcrAirflow.Internal
{
    /// <summary>
    /// Masks every secret of a run (ECR passwords, the Airflow password, tokens) in text that came from
    /// outside — CLI output, an Airflow error body, a proxy page — before it reaches a message, a verbose
    /// line or an ErrorRecord. Each secret is also matched in the forms it takes inside JSON and a
    /// percent-encoded URI, since a peer may echo either. One class for every mode.
    /// </summary>
    internal sealed class SecretRedactor
    {
        public const string Mask = "********";

        private readonly List<string> _secrets = new List<string>();

        public SecretRedactor()
        {
        }

        public SecretRedactor(IEnumerable<string> secrets)
        {
            foreach (var secret in secrets)
            {
                Add(secret);
            }
        }

        public void Add(string? secret)
        {
            // Very short values would mask half of every message and hide nothing worth hiding.
            if (string.IsNullOrEmpty(secret) || secret!.Length < 4)
            {
                return;
            }

            foreach (var form in new[] { secret, JsonForm(secret), Airflow.EnvironmentVariables.ConnectionUri.Encode(secret) })
            {
                if (!_secrets.Contains(form, StringComparer.Ordinal))
                {
                    _secrets.Add(form);
                }
            }

            // Longest first, so a secret that contains another is replaced whole.
            _secrets.Sort((a, b) => b.Length.CompareTo(a.Length));
        }

        public string Redact(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return string.Empty;
            }

            var result = text!;
            foreach (var secret in _secrets)
            {
                if (result.IndexOf(secret, StringComparison.Ordinal) >= 0)
                {
                    result = result.Replace(secret, Mask);
                }
            }

            return result;
        }

        private static string JsonForm(string secret)
        {
            var sb = new StringBuilder();
            DockerConnectionJson.AppendString(sb, secret);
            return sb.ToString(1, sb.Length - 2);
        }
    }
}
