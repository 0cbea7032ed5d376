using System;
using System.Net.Http.Headers;
using System.Security;
using System.Text;
using EcrAirflow.Core.Internal.Secrets;

namespace EcrAirflow.Core.Airflow.Api
{
    /// <summary>
    /// How requests sign in to Airflow's REST API: a user and password (HTTP Basic on Airflow 2, a JWT from
    /// /auth/token on Airflow 3), a bearer token given as is, or nothing (an Airflow that lets everyone in, or MWAA,
    /// which signs the caller in itself). The secrets stay SecureStrings until a request needs them.
    /// </summary>
    internal sealed class AirflowAuth
    {
        public static readonly AirflowAuth None = new AirflowAuth(null, null, null);

        /// <summary>MWAA: the transport signs every call in with AWS credentials; no Airflow credential exists.</summary>
        public static readonly AirflowAuth ByTransport = new AirflowAuth(null, null, null) { SignedByTransport = true };

        public AirflowAuth(string? userName, SecureString? password, SecureString? accessToken)
        {
            UserName = userName;
            Password = password;
            AccessToken = accessToken;
        }

        public string? UserName { get; }

        public SecureString? Password { get; }

        /// <summary>-AccessToken: the bearer token, used as given.</summary>
        public SecureString? AccessToken { get; }

        public bool SignedByTransport { get; private set; }

        /// <summary>Whether a request carries a credential (for the clear-text rule).</summary>
        public bool SendsCredential => UserName != null || AccessToken != null;

        public string RevealPassword() => Password == null ? string.Empty : SecureText.Reveal(Password);

        /// <summary>Masks every form of these secrets in what Airflow answers.</summary>
        public void AddTo(SecretRedactor redactor)
        {
            if (UserName != null)
            {
                redactor.AddPair(UserName, Password == null ? null : SecureText.Reveal(Password));
            }

            redactor.Add(AccessToken == null ? null : SecureText.Reveal(AccessToken));
        }

        /// <summary>Airflow 2 (API v1): Bearer with -AccessToken, Basic with a user, else none (the default no-auth backend).</summary>
        public AuthenticationHeaderValue? V1Header()
        {
            if (AccessToken != null)
            {
                return new AuthenticationHeaderValue("Bearer", SecureText.Reveal(AccessToken));
            }

            if (UserName == null)
            {
                return null;
            }

            var pair = Encoding.UTF8.GetBytes(UserName + ":" + RevealPassword());
            try
            {
                return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(pair));
            }
            finally
            {
                Array.Clear(pair, 0, pair.Length);
            }
        }
    }
}
