using System;
using System.Text.RegularExpressions;
using EcrAirflow.Core.Airflow;
using EcrAirflow.Core.Airflow.Api;
using EcrAirflow.Core.AwsApi;

namespace EcrAirflow.Core.Modes.Mwaa
{
    /// <summary>
    /// Mwaa mode's own errors and hints: the environment name rule, InvokeRestApi's path limit, the MWAA
    /// replies that concern the environment (not found, invalid, too old), and MWAA's wording of the
    /// failures that come back from the shared AWS client and from the Airflow 2/3 targets.
    /// </summary>
    internal static class MwaaErrors
    {
        public const string PathTooLong = "MwaaPathTooLong";
        public const string EnvironmentNotFound = "MwaaEnvironmentNotFound";
        public const string ValidationFailed = "MwaaValidationFailed";
        public const string AirflowTooOld = "MwaaAirflowTooOld";
        public const string AccessDenied = "MwaaAccessDenied";

        /// <summary>InvokeRestApi's Path: 1 to 64 characters (botocore's mwaa model, RestApiPath).</summary>
        public const int MaxPathLength = 64;

        /// <summary>EnvironmentName in botocore's mwaa model: [a-zA-Z][0-9a-zA-Z-_]*, 1 to 80 characters.</summary>
        public const int MaxEnvironmentNameLength = 80;

        private static readonly Regex EnvironmentNamePattern = new Regex(@"\A[a-zA-Z][0-9a-zA-Z_-]*\z", RegexOptions.CultureInvariant);

        /// <summary>The environment name, checked against MWAA's rule before any call.</summary>
        public static string ValidateEnvironmentName(string? name)
        {
            if (string.IsNullOrEmpty(name))
            {
                throw new EcrAirflowException("MwaaEnvironmentNameRequired", FailureKind.InvalidArgument,
                    "-Mode Mwaa needs -MwaaEnvironmentName.",
                    "Give the name of the Amazon MWAA environment, e.g. -MwaaEnvironmentName my-airflow (aws mwaa list-environments lists them).");
            }

            if (name!.Length > MaxEnvironmentNameLength || !EnvironmentNamePattern.IsMatch(name))
            {
                throw new EcrAirflowException("InvalidMwaaEnvironmentName", FailureKind.InvalidArgument,
                    $"'{ConnectionInput.Printable(name)}' is not an Amazon MWAA environment name.",
                    $"An environment name starts with a letter and has only letters, digits, '-' and '_' (at most {MaxEnvironmentNameLength} characters); give the name as the MWAA console or aws mwaa list-environments shows it, not its ARN or web server URL.")
                { TargetObject = name.Length > MaxEnvironmentNameLength ? name.Substring(0, MaxEnvironmentNameLength) + "…" : name };
            }

            return name;
        }

        /// <summary>Airflow 2 (API v1) reads and writes /connections/{id}: that path must fit InvokeRestApi's 64 characters.</summary>
        public static string V1ItemPath(string connectionId) => "/connections/" + ApiPaths.Segment(connectionId);

        /// <summary>The longest connection id (as percent-encoded in the path) Airflow 2 takes through InvokeRestApi: 51.</summary>
        public static int MaxV1ConnectionIdLength => MaxPathLength - V1ItemPath(string.Empty).Length;

        public static EcrAirflowException PathTooLongFor(string connectionId) => new EcrAirflowException(PathTooLong, FailureKind.InvalidArgument,
            $"Connection '{connectionId}' cannot be read or written through MWAA on Airflow 2: InvokeRestApi's Path may be at most {MaxPathLength} characters, and /connections/<id> leaves {MaxV1ConnectionIdLength} for the id (percent-encoded), but this id takes {ApiPaths.Segment(connectionId).Length}.",
            $"Use a connection id of at most {MaxV1ConnectionIdLength} characters, e.g. -ConnectionId ecr_<account>; Airflow 3 environments (one bulk request to /connections) have no such limit.")
        { TargetObject = connectionId };

        /// <summary>The same limit, for a path the transport was asked to send.</summary>
        public static EcrAirflowException PathTooLongForPath(string path) => new EcrAirflowException(PathTooLong, FailureKind.InvalidArgument,
            $"The Airflow API path '{path}' is {path.Length} characters, but MWAA's InvokeRestApi takes at most {MaxPathLength} (for /connections/<id> that leaves {MaxV1ConnectionIdLength} characters for the connection id).",
            $"Use a connection id of at most {MaxV1ConnectionIdLength} characters.");

        /// <summary>ResourceNotFoundException: the environment is not in this account and region.</summary>
        public static EcrAirflowException NotFound(AwsCall call, AwsReply reply, string environment, string region) => AwsErrors.Error(
            EnvironmentNotFound, FailureKind.ObjectNotFound, AwsService.Mwaa, call, reply,
            "Check -MwaaEnvironmentName and the region (-Region, AWS_REGION, the profile's region, else the piped credential's Region): "
            + $"aws mwaa list-environments --region {region} lists the names. An environment belongs to one account and one region.",
            $"There is no Amazon MWAA environment '{environment}' in {region} for this account (MWAA {call.Operation} answered {reply.ErrorCode}{RequestId(reply)}).").StoppingBatch();

        /// <summary>ValidationException: MWAA's message is quoted (redacted); on InvokeRestApi it is usually the 2.4.3 rule.</summary>
        public static EcrAirflowException Invalid(AwsCall call, AwsReply reply) => AwsErrors.Error(
            ValidationFailed, FailureKind.InvalidArgument, AwsService.Mwaa, call, reply,
            "MWAA refused the request as invalid (its message above says why). InvokeRestApi needs an environment on Apache Airflow 2.4.3 or later; check -MwaaEnvironmentName too.").StoppingBatch();

        public static EcrAirflowException TooOld(string environment, string region, string version) => new EcrAirflowException(AirflowTooOld, FailureKind.NotImplemented,
            $"MWAA environment '{environment}' in {region} runs Apache Airflow {version}; InvokeRestApi, which Mwaa mode writes through, needs Airflow 2.4.3 or later. Nothing was written.",
            "Upgrade the environment to Airflow 2.4.3 or later (MWAA upgrades an environment in place), or keep the connection in a secrets backend the environment reads, such as AWS Secrets Manager.")
        { TargetObject = environment };

        /// <summary>AccessDeniedException on InvokeRestApi: the IAM action, the role resource, and the Airflow role that may edit connections.</summary>
        public static EcrAirflowException InvokeDenied(EcrAirflowException denied, string environment, string region) => WithHint(denied,
            $"Allow the calling identity airflow:InvokeRestApi on arn:aws:airflow:{region}:<account>:role/{environment}/<Airflow role> (an IAM policy), "
            + "where the Airflow role is one that may edit connections, such as Op or Admin (Viewer and User may not); or use another profile or role.");

        /// <summary>AccessDeniedException on GetEnvironment (-ApiVersion Auto): the permission, or the way around it.</summary>
        public static EcrAirflowException GetEnvironmentDenied(EcrAirflowException denied, string environment, string region) => WithHint(denied,
            $"Allow the calling identity airflow:GetEnvironment on arn:aws:airflow:{region}:<account>:environment/{environment}, "
            + "or skip the version lookup: -ApiVersion V1 for an Airflow 2 environment, -ApiVersion V2 for Airflow 3.");

        /// <summary>The Airflow errors whose Rest-mode hint (-AirflowUrl, -AirflowCredential) does not fit MWAA, with MWAA's.</summary>
        public static EcrAirflowException ForMwaa(EcrAirflowException ex)
        {
            string? hint = ex.ErrorId switch
            {
                AirflowErrors.PermissionDenied => "MWAA lets the IAM principal into Airflow as the Airflow role named in its airflow:InvokeRestApi resource (arn:aws:airflow:<region>:<account>:role/<environment>/<role>): use a role that may edit connections, such as Op or Admin.",
                AirflowErrors.AuthenticationFailed => "MWAA signs the IAM principal into Airflow itself: check the IAM policy's role/<environment>/<role> resource and that the environment's web server is running.",
                AirflowErrors.ApiNotFound => "Check -ApiVersion: V1 is for Airflow 2 environments, V2 for Airflow 3 (MWAA adds /api/v1 or /api/v2 itself); -ApiVersion Auto reads the version with GetEnvironment.",
                AirflowErrors.Unavailable => "The environment's Airflow web server is overloaded or restarting (e.g. during an update or maintenance): try again later, or raise -MaximumRetryCount.",
                AirflowErrors.UnexpectedResponse => "MWAA passed on an answer that is not what the Airflow API returns: check -ApiVersion (V2 is for Airflow 3 environments, V1 for Airflow 2) and run the command again; it is safe to repeat.",
                _ => null,
            };
            return hint == null ? ex : WithHint(ex, hint);
        }

        /// <summary>The same error with MWAA's hint in place of the generic one.</summary>
        private static EcrAirflowException WithHint(EcrAirflowException ex, string hint) =>
            new EcrAirflowException(ex.ErrorId, ex.Kind, ex.Message, hint, ex.InnerException) { RequestId = ex.RequestId, TargetObject = ex.TargetObject, StopsBatch = ex.StopsBatch };

        private static string RequestId(AwsReply reply) => string.IsNullOrEmpty(reply.RequestId) ? string.Empty : ", request id " + reply.RequestId;

        /// <summary>"2.10.3" → (2, 10, 3); missing parts are 0; null when it has no number at all.</summary>
        public static Version? ParseAirflowVersion(string text)
        {
            var parts = Regex.Matches(text, @"\d+");
            if (parts.Count == 0)
            {
                return null;
            }

            int Part(int i) => i < parts.Count && int.TryParse(parts[i].Value, out var n) ? n : 0;
            return new Version(Part(0), Part(1), Part(2));
        }
    }
}
