using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using EcrAirflow.Core.Internal.Http;
using EcrAirflow.Core.Internal.Secrets;

namespace EcrAirflow.Core.Airflow.Api
{
    /// <summary>
    /// Turns an Airflow answer that is not a success into an <see cref="EcrAirflowException"/> with a
    /// stable id, a category and a hint. Airflow's own explanation (the <c>detail</c> of a v1 problem
    /// document or of a v2 HTTPException / validation error) is quoted, with every secret masked.
    /// </summary>
    internal static class AirflowErrors
    {
        public const string AuthenticationFailed = "AirflowAuthenticationFailed";
        public const string CredentialRequired = "AirflowCredentialRequired";
        public const string PermissionDenied = "AirflowPermissionDenied";
        public const string ApiNotFound = "AirflowApiNotFound";
        public const string RejectedConnection = "AirflowRejectedConnection";
        public const string Conflict = "AirflowConnectionConflict";
        public const string Unavailable = "AirflowUnavailable";
        public const string Redirected = "AirflowRedirected";
        public const string UnexpectedStatus = "AirflowUnexpectedStatus";
        public const string UnexpectedResponse = "AirflowUnexpectedResponse";
        public const string WriteFailed = "AirflowWriteFailed";
        public const string ExtraMasked = "AirflowExtraMasked";

        private const int MaxDetailLength = 600;

        /// <summary>
        /// Maps a reply; <paramref name="what"/> says what we were doing ("writing connection 'ecr'"), and
        /// <paramref name="auth"/> how the request signed in, so a 401 tells no credential from a refused one.
        /// </summary>
        public static EcrAirflowException FromReply(AirflowReply reply, AirflowApiVersion api, string what, SecretRedactor redactor, IAirflowTransport http, object? target = null, AirflowAuth? auth = null)
        {
            var detail = Detail(reply.Body, redactor);
            var said = detail.Length > 0 ? ": " + detail : ".";
            var status = $"HTTP {reply.Code}{(string.IsNullOrEmpty(reply.Reason) ? "" : " " + reply.Reason)}";
            var where = reply.Request;
            var airflow = api == AirflowApiVersion.V1 ? "Airflow 2 (API v1)" : api == AirflowApiVersion.V2 ? "Airflow 3 (API v2)" : "Airflow";
            switch (reply.Code)
            {
                case 401 when auth != null && !auth.SendsCredential && !auth.SignedByTransport:
                    return new EcrAirflowException(CredentialRequired, FailureKind.PermissionDenied,
                        $"{airflow} asks for a credential, and none was given, when {what} ({where} answered {status}){said}",
                        "Give -AirflowCredential (an Airflow user that may edit connections, e.g. $airflowCredential = Get-Credential) or -AccessToken (a bearer token).")
                    { TargetObject = target };
                case 401 when auth?.AccessToken != null:
                    return new EcrAirflowException(AuthenticationFailed, FailureKind.PermissionDenied,
                        $"{airflow} did not accept the token given with -AccessToken when {what} ({where} answered {status}){said}",
                        AccessTokenHint(api))
                    { TargetObject = target };
                case 401:
                    return new EcrAirflowException(AuthenticationFailed, FailureKind.PermissionDenied,
                        $"{airflow} did not accept the credential when {what} ({where} answered {status}){said}",
                        AuthHint(api))
                    { TargetObject = target };
                case 403:
                    return new EcrAirflowException(PermissionDenied, FailureKind.PermissionDenied,
                        $"{airflow} authenticated the user but refused {what} ({where} answered {status}){said}",
                        api == AirflowApiVersion.V2
                            ? "Give the user permission to create and edit connections in Airflow 3's auth manager (e.g. the Op or Admin role with FAB, or an admin user with the simple auth manager)."
                            : "Give the user a role that may create and edit connections (Op or Admin, or can_create/can_edit on Connections), and check [api] auth_backends.")
                    { TargetObject = target };
                case 404:
                    return new EcrAirflowException(ApiNotFound, FailureKind.ObjectNotFound,
                        $"No Airflow REST API answered at {http.Display} when {what} ({where} answered {status}).",
                        "Check -AirflowUrl: it is the base URL of the Airflow webserver (Airflow 2) or API server (Airflow 3), including a path prefix when Airflow is served under one (e.g. https://example.com/airflow). "
                        + "Check that the REST API is enabled ([api] auth_backends on Airflow 2), and that -ApiVersion matches the Airflow version (V1 = Airflow 2, V2 = Airflow 3) or use -ApiVersion Auto.")
                    { TargetObject = target, StopsBatch = true };
                case 400:
                case 422:
                    return new EcrAirflowException(RejectedConnection, FailureKind.InvalidData,
                        $"{airflow} rejected the request when {what} ({where} answered {status}){said}",
                        "Check the connection id (letters, digits, '_', '.', '-'; at most 200), -Description and -Email; the text from Airflow says which field it refused.")
                    { TargetObject = target };
                case 409:
                    return new EcrAirflowException(Conflict, FailureKind.InvalidOperation,
                        $"{airflow} reported a conflict when {what} ({where} answered {status}){said}",
                        "Another writer changed the connection at the same time; run the command again.")
                    { TargetObject = target };
            }

            if (reply.Code == 429 || reply.Code >= 500)
            {
                return new EcrAirflowException(Unavailable, FailureKind.ConnectionError,
                    $"{airflow} was unavailable when {what}: {where} answered {status} after {http.MaximumRetryCount} retries{said}",
                    "Airflow or a proxy in front of it is overloaded or failing; try again later, raise -MaximumRetryCount, or check the Airflow API server's log.")
                { TargetObject = target };
            }

            if (reply.Code >= 300 && reply.Code < 400)
            {
                // Where it points is the server's text: it may carry a token in its path.
                var to = reply.Location == null ? "" : " to " + redactor.Redact(SafeUrl.Describe(reply.Location.IsAbsoluteUri ? reply.Location : new Uri(reply.Uri, reply.Location)));
                return new EcrAirflowException(Redirected, FailureKind.InvalidOperation,
                    $"{where} was redirected{to} ({status}) when {what}; credentials are not sent on to another address.",
                    "Use the address it redirects to as -AirflowUrl (often https:// instead of http://), and the API server itself rather than a login page.")
                { TargetObject = target, StopsBatch = true };
            }

            return new EcrAirflowException(UnexpectedStatus, FailureKind.InvalidOperation,
                $"{airflow} answered {status} to {where} when {what}, which the Airflow REST API does not document{said}",
                "Check that -AirflowUrl points at Airflow and not at another service or proxy page.")
            { TargetObject = target };
        }

        /// <summary>
        /// -Email/-Reauth on a connection whose extra Airflow returns with masked values: merging into it would write
        /// the mask over the real values, so that connection is refused, unchanged. Names the keys, never a value.
        /// </summary>
        public static EcrAirflowException ExtraMaskedFor(string connectionId, IReadOnlyList<string> keys) =>
            new EcrAirflowException(ExtraMasked, FailureKind.InvalidOperation,
                $"Airflow's REST API returns the extra of connection '{connectionId}' with the value of {string.Join(", ", keys.Select(k => "'" + k + "'"))} masked (\"***\"), so -Email/-Reauth cannot be merged into it without writing the mask over the real value; the connection was not written and is unchanged.",
                "Run without -Email and -Reauth (the extra is then left as it is and only host, login, password and description are written), or change email/reauth in Airflow yourself.")
            { TargetObject = connectionId };

        public static string AuthHint(AirflowApiVersion api) => api == AirflowApiVersion.V2
            ? "Check -AirflowCredential (or -AccessToken): Airflow 3 exchanges the user name and password for a token at POST /auth/token, so the user must exist in the configured auth manager (simple auth manager users, or FAB users)."
            : api == AirflowApiVersion.V1
                ? "Check -AirflowCredential (or -AccessToken), and that Airflow 2's [api] auth_backends includes airflow.api.auth.backend.basic_auth (or the backend that accepts your token)."
                : "Check -AirflowCredential (or -AccessToken); on Airflow 2 [api] auth_backends must include airflow.api.auth.backend.basic_auth, on Airflow 3 the user must exist in the auth manager.";

        /// <summary>A bearer token given as is: what can be wrong with the token itself (no /auth/token is involved).</summary>
        public static string AccessTokenHint(AirflowApiVersion api) =>
            "Check the token itself: that it is whole (without 'Bearer ' or quotes), that it was issued by this Airflow, and that it has not expired"
            + (api == AirflowApiVersion.V1
                ? " (Airflow 2 accepts a bearer token only through an [api] auth_backends entry that reads one)."
                : " (Airflow 3's tokens expire after [api_auth] jwt_expiration_time, 24 hours by default).")
            + " Get a new token, or give -AirflowCredential instead and let the module get one.";

        /// <summary>Airflow's explanation from an error body, masked and shortened; "" when there is none.</summary>
        internal static string Detail(string body, SecretRedactor redactor)
        {
            if (string.IsNullOrWhiteSpace(body))
            {
                return "";
            }

            string text;
            try
            {
                using var doc = JsonDocument.Parse(body);
                text = DetailOf(doc.RootElement);
            }
            catch (JsonException)
            {
                // Not JSON: a proxy's HTML page says nothing useful; a short plain line may.
                var trimmed = body.Trim();
                text = trimmed.StartsWith("<", StringComparison.Ordinal) || trimmed.Length > 300 ? "" : trimmed;
            }

            text = redactor.Redact(text.Replace("\r", " ").Replace("\n", " ").Trim());
            return text.Length > MaxDetailLength ? text.Substring(0, MaxDetailLength) + "…" : text;
        }

        private static string DetailOf(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                return "";
            }

            if (root.TryGetProperty("detail", out var detail))
            {
                switch (detail.ValueKind)
                {
                    case JsonValueKind.String:
                        return detail.GetString() ?? "";
                    case JsonValueKind.Array:
                        return ValidationErrors(detail);
                    case JsonValueKind.Object:
                        // Airflow 3 uses {"reason": ..., "message": ...} style objects in places.
                        foreach (var name in new[] { "message", "reason", "error" })
                        {
                            if (detail.TryGetProperty(name, out var part) && part.ValueKind == JsonValueKind.String)
                            {
                                return part.GetString() ?? "";
                            }
                        }

                        return detail.GetRawText();
                }
            }

            // A v1 problem document without detail still has a title.
            if (root.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String)
            {
                return title.GetString() ?? "";
            }

            return "";
        }

        /// <summary>
        /// FastAPI's 422 list: "loc: msg" for each, never the rejected <c>input</c> (it may be a whole
        /// connection, password included).
        /// </summary>
        private static string ValidationErrors(JsonElement list)
        {
            var parts = new List<string>();
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                var msg = item.TryGetProperty("msg", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                var loc = new StringBuilder();
                if (item.TryGetProperty("loc", out var l) && l.ValueKind == JsonValueKind.Array)
                {
                    foreach (var step in l.EnumerateArray())
                    {
                        var s = step.ValueKind == JsonValueKind.String ? step.GetString() : step.GetRawText();
                        if (loc.Length == 0 && s == "body")
                        {
                            continue;
                        }

                        loc.Append(loc.Length == 0 ? "" : ".").Append(s);
                    }
                }

                parts.Add(loc.Length > 0 ? $"{loc}: {msg}" : msg ?? "");
            }

            return string.Join("; ", parts);
        }

    }
}
