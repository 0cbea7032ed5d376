using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EcrAirflow.Ecr
{
    /// <summary>Reads GetAuthorizationToken replies and AWS error replies (JSON, or XML from some front ends).</summary>
    internal static class EcrResponseParser
    {
        private static readonly Regex RegistryIdInHost = new Regex(@"^(\d{12})\.", RegexOptions.CultureInvariant);

        public static List<EcrAuthorization> ParseSuccess(string body, bool isPublic)
        {
            var list = new List<EcrAuthorization>();
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(body);
            }
            catch (JsonException ex)
            {
                throw Malformed("the reply is not JSON", ex);
            }

            using (doc)
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("authorizationData", out var data))
                {
                    throw Malformed("the reply has no authorizationData", null);
                }

                if (data.ValueKind == JsonValueKind.Object)
                {
                    list.Add(ParseOne(data, isPublic)); // ECR Public: a single object
                }
                else if (data.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in data.EnumerateArray())
                    {
                        list.Add(ParseOne(item, isPublic));
                    }
                }
                else
                {
                    throw Malformed("authorizationData is neither an object nor an array", null);
                }
            }

            return list;
        }

        private static EcrAuthorization ParseOne(JsonElement item, bool isPublic)
        {
            if (!item.TryGetProperty("authorizationToken", out var tokenElement) || tokenElement.ValueKind != JsonValueKind.String)
            {
                throw Malformed("an authorizationData entry has no authorizationToken", null);
            }

            var (user, password) = DecodeToken(tokenElement.GetString()!);
            var expiresAt = item.TryGetProperty("expiresAt", out var exp) ? ParseEpoch(exp) : DateTimeOffset.UtcNow.AddHours(12);
            string proxyEndpoint;
            string registry;
            if (isPublic)
            {
                registry = EcrEndpoints.PublicRegistry;
                proxyEndpoint = item.TryGetProperty("proxyEndpoint", out var pe) && pe.ValueKind == JsonValueKind.String
                    ? pe.GetString()!
                    : "https://" + EcrEndpoints.PublicRegistry;
            }
            else
            {
                if (!item.TryGetProperty("proxyEndpoint", out var pe) || pe.ValueKind != JsonValueKind.String)
                {
                    throw Malformed("an authorizationData entry has no proxyEndpoint", null);
                }

                proxyEndpoint = pe.GetString()!;
                registry = HostOf(proxyEndpoint);
            }

            var match = RegistryIdInHost.Match(registry);
            return new EcrAuthorization(registry, proxyEndpoint, match.Success ? match.Groups[1].Value : null, user, password, expiresAt);
        }

        /// <summary>base64("AWS:&lt;password&gt;"), split on the first colon only (the password may contain colons).</summary>
        internal static (string User, string Password) DecodeToken(string token)
        {
            string text;
            try
            {
                text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            }
            catch (FormatException ex)
            {
                throw Malformed("authorizationToken is not base64", ex);
            }

            var colon = text.IndexOf(':');
            if (colon <= 0)
            {
                throw Malformed("authorizationToken is not of the form user:password", null);
            }

            return (text.Substring(0, colon), text.Substring(colon + 1));
        }

        /// <summary>Epoch seconds, possibly fractional (or, defensively, an ISO 8601 string).</summary>
        internal static DateTimeOffset ParseEpoch(JsonElement value)
        {
            if (value.ValueKind == JsonValueKind.Number)
            {
                var seconds = value.GetDouble();
                return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000d));
            }

            if (value.ValueKind == JsonValueKind.String &&
                DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return parsed.ToUniversalTime();
            }

            throw Malformed("expiresAt is not a timestamp", null);
        }

        internal static string HostOf(string endpoint)
        {
            if (Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
            {
                return uri.IsDefaultPort ? uri.Host : uri.Host + ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
            }

            return endpoint.Trim().TrimEnd('/');
        }

        /// <summary>Turns an AWS error reply into an EcrAirflowException with id, category and hint.</summary>
        public static EcrAirflowException ParseError(HttpStatusCode status, string body, string? errorTypeHeader, string? requestId, bool isPublic)
        {
            var (code, message) = ReadErrorBody(body);
            if (string.IsNullOrEmpty(code) && !string.IsNullOrEmpty(errorTypeHeader))
            {
                code = CleanCode(errorTypeHeader!);
            }

            code ??= string.Empty;
            message ??= string.Empty;
            var suffix = string.IsNullOrEmpty(requestId) ? string.Empty : $" (request id {requestId})";
            var what = string.IsNullOrEmpty(code) ? $"HTTP {(int)status}" : code;
            var text = $"ECR GetAuthorizationToken failed: {what}{(message.Length > 0 ? ": " + message : string.Empty)}{suffix}";
            var permission = isPublic ? "ecr-public:GetAuthorizationToken and sts:GetServiceBearerToken" : "ecr:GetAuthorizationToken";

            string id;
            FailureKind kind;
            string hint;
            switch (code)
            {
                case "AccessDenied":
                case "AccessDeniedException":
                    id = "EcrAccessDenied";
                    kind = FailureKind.PermissionDenied;
                    hint = $"Grant the calling identity {permission} (an IAM policy), or use another profile or role.";
                    break;
                case "UnrecognizedClientException":
                case "InvalidClientTokenId":
                    id = "EcrUnrecognizedClient";
                    kind = FailureKind.SecurityError;
                    hint = "AWS does not know this access key id: check the credential source (-Credential, -ProfileName, AWS_ACCESS_KEY_ID) and that the key is active.";
                    break;
                case "InvalidSignatureException":
                case "SignatureDoesNotMatch":
                case "IncompleteSignature":
                    id = "EcrInvalidSignature";
                    kind = FailureKind.SecurityError;
                    hint = "The secret access key does not match the access key id, or this machine's clock is off: check the credentials and the system time.";
                    break;
                case "ExpiredTokenException":
                case "ExpiredToken":
                case "RequestExpired":
                    id = "EcrExpiredCredentials";
                    kind = FailureKind.SecurityError;
                    hint = "The session token or temporary credentials have expired: sign in again (aws sso login, a new role session) and retry.";
                    break;
                case "InvalidParameterException":
                case "ValidationException":
                case "InvalidParameterValue":
                    id = "EcrInvalidParameter";
                    kind = FailureKind.InvalidArgument;
                    hint = "Check -RegistryId (12-digit account ids, at most 10) and -Region.";
                    break;
                case "ThrottlingException":
                case "Throttling":
                case "TooManyRequestsException":
                case "LimitExceededException":
                    id = "EcrThrottled";
                    kind = FailureKind.LimitsExceeded;
                    hint = "ECR throttled the request after every retry: wait and retry, raise -MaximumRetryCount, or refresh less often (a token lasts 12 hours).";
                    break;
                default:
                    if ((int)status == 429)
                    {
                        id = "EcrThrottled";
                        kind = FailureKind.LimitsExceeded;
                        hint = "ECR throttled the request after every retry: wait and retry, or raise -MaximumRetryCount.";
                    }
                    else if ((int)status >= 500)
                    {
                        id = "EcrServiceUnavailable";
                        kind = FailureKind.ConnectionError;
                        hint = "ECR answered with a server error after every retry: retry later, or check the AWS Health Dashboard.";
                    }
                    else if (status == HttpStatusCode.Forbidden)
                    {
                        id = "EcrAccessDenied";
                        kind = FailureKind.PermissionDenied;
                        hint = $"Grant the calling identity {permission}, or use another profile or role.";
                    }
                    else if (status == HttpStatusCode.NotFound)
                    {
                        id = "EcrEndpointNotFound";
                        kind = FailureKind.ObjectNotFound;
                        hint = "The endpoint does not serve the ECR API: check -EndpointUrl and -Region.";
                    }
                    else
                    {
                        id = "EcrRequestFailed";
                        kind = FailureKind.NotSpecified;
                        hint = "Check the message above; run with -Verbose to see the endpoint and request id.";
                    }

                    break;
            }

            return new EcrAirflowException(id, kind, text, hint) { RequestId = requestId };
        }

        /// <summary>True for errors worth another attempt: throttling in a 400 body, 429 and 5xx.</summary>
        public static bool IsThrottlingCode(string body, string? errorTypeHeader)
        {
            var code = ReadErrorBody(body).Code ?? (errorTypeHeader == null ? null : CleanCode(errorTypeHeader));
            return code == "ThrottlingException" || code == "Throttling" || code == "TooManyRequestsException";
        }

        internal static (string? Code, string? Message) ReadErrorBody(string body)
        {
            var trimmed = body.TrimStart();
            if (trimmed.StartsWith("{", StringComparison.Ordinal))
            {
                try
                {
                    using var doc = JsonDocument.Parse(trimmed);
                    var root = doc.RootElement;
                    string? code = null;
                    if (root.TryGetProperty("__type", out var type) && type.ValueKind == JsonValueKind.String)
                    {
                        code = CleanCode(type.GetString()!);
                    }
                    else if (root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String)
                    {
                        code = CleanCode(c.GetString()!);
                    }

                    string? message = null;
                    if (root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
                    {
                        message = m.GetString();
                    }
                    else if (root.TryGetProperty("Message", out var m2) && m2.ValueKind == JsonValueKind.String)
                    {
                        message = m2.GetString();
                    }

                    return (code, message);
                }
                catch (JsonException)
                {
                    return (null, null);
                }
            }

            if (trimmed.StartsWith("<", StringComparison.Ordinal))
            {
                var code = Regex.Match(trimmed, "<Code>([^<]*)</Code>");
                var message = Regex.Match(trimmed, "<Message>([^<]*)</Message>");
                return (code.Success ? WebUtility.HtmlDecode(code.Groups[1].Value) : null,
                        message.Success ? WebUtility.HtmlDecode(message.Groups[1].Value) : null);
            }

            return (null, null);
        }

        /// <summary>"aws.protocoltests#FooError:http://..." → "FooError".</summary>
        internal static string CleanCode(string raw)
        {
            var code = raw;
            var hash = code.LastIndexOf('#');
            if (hash >= 0)
            {
                code = code.Substring(hash + 1);
            }

            var colon = code.IndexOf(':');
            if (colon >= 0)
            {
                code = code.Substring(0, colon);
            }

            return code.Trim();
        }

        private static EcrAirflowException Malformed(string what, Exception? inner) => new EcrAirflowException(
            "EcrMalformedResponse",
            FailureKind.InvalidData,
            $"ECR's GetAuthorizationToken reply could not be read: {what}.",
            "Check -EndpointUrl points at the ECR API (not a registry or a proxy page).",
            inner);
    }
}
