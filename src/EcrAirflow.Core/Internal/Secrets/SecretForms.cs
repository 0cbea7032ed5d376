using System;
using System.Collections.Generic;
using System.Text;
using EcrAirflow.Core.Airflow;

namespace EcrAirflow.Core.Internal.Secrets
{
    /// <summary>
    /// The spellings a secret takes on its way through the module and its peers: as it is, escaped inside a
    /// JSON string (once, and twice for JSON carried inside a JSON string such as a Secrets Manager
    /// SecretString), percent-encoded as in a connection URI (upper- and lower-case hex), and base64 (whole,
    /// and inside longer base64 text at each byte alignment).
    /// The one place these forms are computed: <see cref="SecretRedactor"/> masks them in text from outside,
    /// and CI masking registers the ones that occur in a value.
    /// </summary>
    internal static class SecretForms
    {
        /// <summary>Every form of <paramref name="secret"/>, the secret itself first, without duplicates.</summary>
        public static IReadOnlyList<string> Of(string secret)
        {
            var forms = new List<string>();
            if (string.IsNullOrEmpty(secret))
            {
                return forms;
            }

            var json = JsonText.Escape(secret);
            var percent = ConnectionUri.Encode(secret);
            AddDistinct(forms, secret);
            AddDistinct(forms, json);
            AddDistinct(forms, JsonText.Escape(json));
            AddDistinct(forms, percent);
            AddDistinct(forms, LowerHex(percent));
            AddDistinct(forms, Base64(secret));
            foreach (var core in Base64Cores(secret))
            {
                AddDistinct(forms, core);
            }

            return forms;
        }

        /// <summary>
        /// The secret inside longer base64 text (a request body or header echoed base64-encoded): at each of
        /// the three byte alignments, the base64 characters that depend on the secret's bytes alone. Only
        /// cores of 8 characters or more, so that short ones do not mask unrelated base64.
        /// </summary>
        internal static IEnumerable<string> Base64Cores(string secret)
        {
            var bytes = Encoding.UTF8.GetBytes(secret);
            for (var shift = 0; shift < 3; shift++)
            {
                var padded = new byte[shift + bytes.Length];
                Buffer.BlockCopy(bytes, 0, padded, shift, bytes.Length);
                var text = Convert.ToBase64String(padded);
                var start = (shift * 4 + 2) / 3;             // ceil(shift * 4 / 3)
                var end = (shift + bytes.Length) * 4 / 3;    // floor: the last character that holds only secret bits, exclusive
                if (end - start >= 8)
                {
                    yield return text.Substring(start, end - start);
                }
            }
        }

        /// <summary>
        /// The forms of a user name and password pair: base64("user:password") is what HTTP Basic sends and
        /// what an ECR authorizationToken is ("AWS:" + the registry password).
        /// </summary>
        public static IReadOnlyList<string> OfPair(string user, string password)
        {
            var forms = new List<string>();
            AddDistinct(forms, Base64(user + ":" + password));
            return forms;
        }

        public static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

        private static string LowerHex(string percentEncoded)
        {
            var sb = new StringBuilder(percentEncoded.Length);
            for (var i = 0; i < percentEncoded.Length; i++)
            {
                var c = percentEncoded[i];
                sb.Append(i > 0 && percentEncoded[i - 1] == '%' || i > 1 && percentEncoded[i - 2] == '%' ? char.ToLowerInvariant(c) : c);
            }

            return sb.ToString();
        }

        private static void AddDistinct(List<string> forms, string form)
        {
            if (form.Length > 0 && !forms.Contains(form))
            {
                forms.Add(form);
            }
        }
    }
}
