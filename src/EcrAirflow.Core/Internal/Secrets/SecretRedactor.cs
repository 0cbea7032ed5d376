using System;
using System.Collections.Generic;
using System.Text;

namespace EcrAirflow.Core.Internal.Secrets
{
    /// <summary>
    /// Masks every secret of a run (ECR passwords, the Airflow password and tokens, AWS keys) in text that
    /// came from outside — CLI output, an Airflow or AWS error body, a proxy page, a credential_process's
    /// stderr — before it reaches a message, a verbose line or an ErrorRecord. Each secret is matched in
    /// every form <see cref="SecretForms"/> lists, and a long secret also by any long fragment of it, since
    /// peers shorten what they echo (SQLAlchemy quotes the first and last 149 characters of a parameter).
    /// One class for every mode.
    /// </summary>
    internal sealed class SecretRedactor
    {
        public const string Mask = "********";

        /// <summary>Secrets shorter than this are not masked: they would mask half of every message and hide nothing.</summary>
        private const int MinimumSecretLength = 4;

        /// <summary>A secret at least this long is also masked where only a fragment of it appears.</summary>
        private const int FragmentSecretLength = 40;

        /// <summary>The shortest fragment of a long secret that is masked.</summary>
        private const int FragmentLength = 20;

        private readonly List<string> _forms = new List<string>();
        private readonly HashSet<string> _windows = new HashSet<string>(StringComparer.Ordinal);

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
            if (string.IsNullOrEmpty(secret) || secret!.Length < MinimumSecretLength)
            {
                return;
            }

            AddForms(SecretForms.Of(secret));
        }

        /// <summary>A user name and password: the password's forms, and base64("user:password") (HTTP Basic, ECR tokens).</summary>
        public void AddPair(string user, string? password)
        {
            if (string.IsNullOrEmpty(password))
            {
                return;
            }

            Add(password);
            AddForms(SecretForms.OfPair(user, password!));
        }

        public string Redact(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return string.Empty;
            }

            var result = text!;
            foreach (var form in _forms)
            {
                if (result.IndexOf(form, StringComparison.Ordinal) >= 0)
                {
                    result = result.Replace(form, Mask);
                }
            }

            return _windows.Count == 0 ? result : MaskFragments(result);
        }

        /// <summary>
        /// For text whose secrets we cannot know (a credential_process's stderr): masks what looks like a key
        /// or token — AWS access key ids, and any run of 16 or more token characters (base64, base64url, hex,
        /// JWT) that mixes at least three of upper case, lower case, digits and + / = _ - . : ~ — after the
        /// known secrets. Words, paths and sentences stay readable.
        /// </summary>
        public string RedactUnknown(string? text)
        {
            var known = Redact(text);
            return TokenLike.Replace(known, m => CountClasses(m.Value) >= 3 || AccessKeyId.IsMatch(m.Value) ? Mask : m.Value);
        }

        private static readonly System.Text.RegularExpressions.Regex TokenLike =
            new System.Text.RegularExpressions.Regex(@"[A-Za-z0-9+/=_\-.:~]{16,}", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        private static readonly System.Text.RegularExpressions.Regex AccessKeyId =
            new System.Text.RegularExpressions.Regex(@"(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        private static int CountClasses(string run)
        {
            bool upper = false, lower = false, digit = false, symbol = false;
            foreach (var c in run)
            {
                if (c >= 'A' && c <= 'Z') upper = true;
                else if (c >= 'a' && c <= 'z') lower = true;
                else if (c >= '0' && c <= '9') digit = true;
                else symbol = true;
            }

            return (upper ? 1 : 0) + (lower ? 1 : 0) + (digit ? 1 : 0) + (symbol ? 1 : 0);
        }

        private void AddForms(IEnumerable<string> forms)
        {
            foreach (var form in forms)
            {
                if (_forms.Contains(form))
                {
                    continue;
                }

                _forms.Add(form);
                if (form.Length >= FragmentSecretLength)
                {
                    for (var i = 0; i + FragmentLength <= form.Length; i++)
                    {
                        _windows.Add(form.Substring(i, FragmentLength));
                    }
                }
            }

            // Longest first, so a form that contains another is replaced whole.
            _forms.Sort((a, b) => b.Length.CompareTo(a.Length));
        }

        /// <summary>Masks every run of text that is made of windows of a long secret.</summary>
        private string MaskFragments(string text)
        {
            if (text.Length < FragmentLength)
            {
                return text;
            }

            StringBuilder? sb = null;
            var copied = 0;
            var i = 0;
            while (i + FragmentLength <= text.Length)
            {
                if (!_windows.Contains(text.Substring(i, FragmentLength)))
                {
                    i++;
                    continue;
                }

                var end = i + FragmentLength;
                while (end < text.Length && _windows.Contains(text.Substring(end - FragmentLength + 1, FragmentLength)))
                {
                    end++;
                }

                sb ??= new StringBuilder(text.Length);
                sb.Append(text, copied, i - copied).Append(Mask);
                copied = end;
                i = end;
            }

            if (sb == null)
            {
                return text;
            }

            sb.Append(text, copied, text.Length - copied);
            return sb.ToString();
        }
    }
}
