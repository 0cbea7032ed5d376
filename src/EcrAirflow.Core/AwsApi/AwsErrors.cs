using System;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EcrAirflow.Core.AwsApi
{
    /// <summary>
    /// AWS error replies: reading the code and message (JSON __type/code/message, the XML bodies some front
    /// ends and moto's auth layer send, or the x-amzn-ErrorType header), and the failures every service
    /// shares — access, signature, unknown key, expired credentials, throttling, server errors — as
    /// EcrAirflowException with the service's prefix (EcrAccessDenied, SecretsManagerThrottled, …).
    /// </summary>
    internal static class AwsErrors
    {
        private const int MaxMessageLength = 600;

        public static (string? Code, string? Message) ReadBody(string body)
        {
            var trimmed = body.TrimStart();
            if (trimmed.StartsWith("{", StringComparison.Ordinal))
            {
                try
                {
                    using var doc = JsonDocument.Parse(trimmed);
                    var root = doc.RootElement;
                    if (root.ValueKind != JsonValueKind.Object)
                    {
                        return (null, null);
                    }

                    string? code = null;
                    foreach (var name in new[] { "__type", "code", "Code" })
                    {
                        if (root.TryGetProperty(name, out var c) && c.ValueKind == JsonValueKind.String)
                        {
                            code = CleanCode(c.GetString()!);
                            break;
                        }
                    }

                    string? message = null;
                    foreach (var name in new[] { "message", "Message", "errorMessage" })
                    {
                        if (root.TryGetProperty(name, out var m) && m.ValueKind == JsonValueKind.String)
                        {
                            message = m.GetString();
                            break;
                        }
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

        /// <summary>A reply from its parts: the error code from the body, else from the x-amzn-ErrorType header.</summary>
        public static AwsReply Reply(int status, string body, string? errorTypeHeader, string? requestId)
        {
            if (status >= 200 && status < 300)
            {
                return new AwsReply(status, body, requestId, null, null);
            }

            var (code, message) = ReadBody(body);
            if (string.IsNullOrEmpty(code) && !string.IsNullOrEmpty(errorTypeHeader))
            {
                code = CleanCode(errorTypeHeader!);
            }

            return new AwsReply(status, body, requestId, string.IsNullOrEmpty(code) ? null : code, message);
        }

        /// <summary>"aws.protocoltests#FooError:http://..." → "FooError".</summary>
        public static string CleanCode(string raw)
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

        public static bool IsThrottling(string? code) =>
            code == "ThrottlingException" || code == "Throttling" || code == "TooManyRequestsException" || code == "ThrottledException" || code == "RequestLimitExceeded"
            || code == "TooManyUpdates"; // SSM: another writer is updating the same parameter

        /// <summary>Worth another attempt: 429, 5xx, and throttling in a 400 body.</summary>
        public static bool IsTransient(int status, string? code) =>
            Internal.Http.HttpRetry.IsTransientStatus(status) || (status == 400 && IsThrottling(code));

        /// <summary>The shared failure a reply stands for, or null when it is a success or service-specific.</summary>
        public static EcrAirflowException? Common(AwsService service, AwsCall call, AwsReply reply, int retries)
        {
            if (reply.IsSuccess)
            {
                return null;
            }

            var code = reply.ErrorCode ?? string.Empty;
            var p = service.ErrorPrefix;
            switch (code)
            {
                case "AccessDenied":
                case "AccessDeniedException":
                    return Error(p + "AccessDenied", FailureKind.PermissionDenied, service, call, reply,
                        $"Grant the calling identity {call.Permission} (an IAM policy), or use another profile or role.");
                case "UnrecognizedClientException":
                case "InvalidClientTokenId":
                    return Error(p + "UnrecognizedClient", FailureKind.SecurityError, service, call, reply,
                        "AWS does not know this access key id: check the credential source (-Credential, -ProfileName, AWS_ACCESS_KEY_ID) and that the key is active.");
                case "InvalidSignatureException":
                case "SignatureDoesNotMatch":
                case "IncompleteSignature":
                case "IncompleteSignatureException":
                    return Error(p + "InvalidSignature", FailureKind.SecurityError, service, call, reply,
                        "The secret access key does not match the access key id, or this machine's clock is off: check the credentials and the system time.");
                case "ExpiredTokenException":
                case "ExpiredToken":
                case "RequestExpired":
                    return Error(p + "ExpiredCredentials", FailureKind.SecurityError, service, call, reply,
                        "The session token or temporary credentials have expired: sign in again (aws sso login, a new role session) and retry.");
            }

            if (IsThrottling(code) || reply.Status == 429)
            {
                return Error(p + "Throttled", FailureKind.LimitsExceeded, service, call, reply,
                    $"{service.DisplayName} throttled the request after {retries} retries: wait and retry, raise -MaximumRetryCount, or run the refresh less often (a token lasts 12 hours).");
            }

            if (reply.Status >= 500)
            {
                return Error(p + "ServiceUnavailable", FailureKind.ConnectionError, service, call, reply,
                    $"{service.DisplayName} answered with a server error after {retries} retries: retry later, or check the AWS Health Dashboard.");
            }

            if (reply.Status == 403 && code.Length == 0)
            {
                return Error(p + "AccessDenied", FailureKind.PermissionDenied, service, call, reply,
                    $"Grant the calling identity {call.Permission}, or use another profile or role.");
            }

            return null;
        }

        /// <summary>
        /// STS refusing an AssumeRole (-RoleArn, a role profile) or the credential chain's own STS call, which
        /// AWSSDK.Core makes and reports as an exception carrying the error code. STS's ids are not prefixed
        /// by a service: a refused role is AssumeRoleAccessDenied, a bad identity Aws&lt;Failure&gt;.
        /// </summary>
        /// <param name="what">What was refused: "assuming role arn:…", "getting credentials from profile 'x'".</param>
        public static EcrAirflowException Sts(string? errorCode, string what, string message, string? requestId, Exception inner)
        {
            var code = errorCode ?? string.Empty;
            var (id, kind, hint) = code switch
            {
                "AccessDenied" or "AccessDeniedException" => ("AssumeRoleAccessDenied", FailureKind.PermissionDenied,
                    "The source identity needs sts:AssumeRole on the role, and the role's trust policy must allow it (and the -ExternalId, if it requires one)."),
                "InvalidClientTokenId" or "UnrecognizedClientException" => ("AwsUnrecognizedClient", FailureKind.SecurityError,
                    "AWS does not know this access key id: check the credential source."),
                "SignatureDoesNotMatch" or "InvalidSignatureException" => ("AwsInvalidSignature", FailureKind.SecurityError,
                    "The secret access key does not match the access key id, or the clock is off."),
                "ExpiredToken" or "ExpiredTokenException" => ("AwsExpiredCredentials", FailureKind.SecurityError,
                    "The session token has expired: sign in again and retry."),
                _ => ("AssumeRoleFailed", FailureKind.NotSpecified, "Check the role ARN and the source credentials."),
            };
            return new EcrAirflowException(id, kind, $"STS refused {what}: {code}: {message}", hint, inner) { RequestId = requestId };
        }

        /// <summary>For an error the caller does not know either: EndpointNotFound for a 404, else RequestFailed.</summary>
        public static EcrAirflowException Unexpected(AwsService service, AwsCall call, AwsReply reply) => reply.Status == 404 && string.IsNullOrEmpty(reply.ErrorCode)
            ? Error(service.ErrorPrefix + "EndpointNotFound", FailureKind.ObjectNotFound, service, call, reply,
                $"The endpoint does not serve the {service.DisplayName} API: check -EndpointUrl ({service.EndpointVariable}) and -Region.")
            : Error(service.ErrorPrefix + "RequestFailed", FailureKind.NotSpecified, service, call, reply,
                "Check the message above; run with -Verbose to see the endpoint and request id.");

        /// <summary>An error for a reply: "&lt;Service&gt; &lt;Operation&gt; failed: &lt;code&gt;: &lt;message&gt; (request id …)", redacted.</summary>
        public static EcrAirflowException Error(string id, FailureKind kind, AwsService service, AwsCall call, AwsReply reply, string hint, string? message = null)
        {
            var what = string.IsNullOrEmpty(reply.ErrorCode) ? $"HTTP {reply.Status}" : reply.ErrorCode;
            var said = call.Redactor.Redact(reply.ErrorMessage ?? string.Empty).Replace("\r", " ").Replace("\n", " ").Trim();
            if (said.Length > MaxMessageLength)
            {
                said = said.Substring(0, MaxMessageLength) + "…";
            }

            var suffix = string.IsNullOrEmpty(reply.RequestId) ? string.Empty : $" (request id {reply.RequestId})";
            var text = message ?? $"{service.DisplayName} {call.Operation} failed: {what}{(said.Length > 0 ? ": " + said : string.Empty)}{suffix}";
            return new EcrAirflowException(id, kind, text, hint) { RequestId = reply.RequestId };
        }

        /// <summary>The answer is not what the API promises: never a success.</summary>
        public static EcrAirflowException Malformed(AwsService service, string operation, string what, Exception? inner = null) => new EcrAirflowException(
            service.ErrorPrefix + "MalformedResponse",
            FailureKind.InvalidData,
            $"{service.DisplayName}'s {operation} reply could not be read: {what}.",
            $"Check -EndpointUrl ({service.EndpointVariable}) points at the {service.DisplayName} API (not a proxy page or another service).",
            inner);
    }
}
