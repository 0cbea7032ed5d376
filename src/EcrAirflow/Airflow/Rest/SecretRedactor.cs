using System;
using System.Collections.Generic;
using System.Linq;

namespace EcrAirflow.Airflow.Rest
{
    /// <summary>
    /// Masks every secret of a run (ECR passwords, the Airflow password, tokens) in text that came from
    /// the server before that text reaches a message. Airflow's validation errors can echo the input
    /// they rejected, and a proxy page can echo anything.
    /// </summary>
    internal sealed class SecretRedactor
    {
        private const string Mask = "********";

        // Shorter values would mask ordinary words; a secret that short is not worth hiding anyway.
        private const int MinimumLength = 4;

        private readonly List<string> _secrets = new List<string>();

        public void Add(string? secret)
        {
            if (secret != null && secret.Length >= MinimumLength && !_secrets.Contains(secret))
            {
                _secrets.Add(secret);
            }
        }

        public string Redact(string text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return text;
            }

            // Longest first, so a secret that contains another is masked whole.
            foreach (var secret in _secrets.OrderByDescending(s => s.Length))
            {
                if (text.IndexOf(secret, StringComparison.Ordinal) >= 0)
                {
                    text = text.Replace(secret, Mask);
                }
            }

            return text;
        }
    }
}
