using System;
using System.Security.Cryptography;
using System.Text;

namespace EcrAirflow.Tests
{
    /// <summary>ECR passwords as ECR makes them, for tests that need one without asking moto.</summary>
    internal static class EcrTokenText
    {
        /// <summary>
        /// base64 of {"payload":…,"datakey":…,"version":"2","type":"DATA_KEY","expiration":…} with random payload and
        /// data key, so two passwords differ within their first 72 bytes (all bcrypt reads).
        /// </summary>
        public static string NewPassword(DateTimeOffset expiration) =>
            Base64Json($"{{\"payload\":\"{Random(1024)}\",\"datakey\":\"{Random(184)}\",\"version\":\"2\",\"type\":\"DATA_KEY\",\"expiration\":{expiration.ToUnixTimeSeconds()}}}");

        public static string Base64Json(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json));

        private static string Random(int bytes) => Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes));
    }
}
