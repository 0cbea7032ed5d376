using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Core.AwsApi;
using EcrAirflow.Core.Internal;

namespace EcrAirflow.Core.Ecr
{
    /// <summary>Everything Get-EcrDockerCredential was told, in core types.</summary>
    internal sealed class EcrTokenRequest
    {
        public AwsSessionRequest Aws { get; set; } = new AwsSessionRequest();

        public IReadOnlyList<string>? RegistryIds { get; set; }

        public bool Public { get; set; }

        public bool Force { get; set; }
    }

    /// <summary>The result for one region/endpoint: the decoded authorizations and where they came from.</summary>
    internal sealed record EcrTokenResult(string Region, IReadOnlyList<EcrAuthorization> Authorizations, bool FromCache, bool IsPublic);

    /// <summary>
    /// GetAuthorizationToken (ECR, or ECR Public in us-east-1): session → token cache → one signed call →
    /// decoded authorizations. The signing, endpoint and retry rules live in the AWS client; this class
    /// knows only ECR's request and reply.
    /// </summary>
    internal static class EcrTokenService
    {
        public const string PublicRegistry = "public.ecr.aws";

        public static async Task<EcrTokenResult> GetAsync(IAwsBackend backend, EcrTokenRequest request, IOperationLog log, CancellationToken cancellationToken)
        {
            var service = request.Public ? AwsService.EcrPublic : AwsService.Ecr;
            var session = AwsSessions.Open(backend, service, request.Aws, log);
            var registryIds = request.Public ? null : request.RegistryIds;
            var key = TokenCache.Key(session.Endpoint, registryIds, await session.IdentityKeyAsync(log, cancellationToken).ConfigureAwait(false));
            if (!request.Force && TokenCache.TryGet(key, out var cached))
            {
                log.Verbose("Using the cached token (less than half its lifetime has passed); -Force fetches a new one.");
                return new EcrTokenResult(session.Region, cached, true, request.Public);
            }

            var call = new AwsCall("GetAuthorizationToken", Body(registryIds),
                request.Public ? "ecr-public:GetAuthorizationToken and sts:GetServiceBearerToken" : "ecr:GetAuthorizationToken");
            var reply = await session.SendAsync(call, log, cancellationToken).ConfigureAwait(false);
            if (!reply.IsSuccess)
            {
                throw Failure(service, call, reply);
            }

            var authorizations = EcrResponseParser.ParseSuccess(reply.Body, request.Public);
            TokenCache.Put(key, authorizations);
            return new EcrTokenResult(session.Region, authorizations, false, request.Public);
        }

        /// <summary>
        /// What an ECR error reply means once the session has thrown every failure all services share
        /// (<see cref="IAwsSession.SendAsync"/> applies <see cref="AwsErrors.Common"/>): a refused parameter, or something unexpected.
        /// </summary>
        internal static EcrAirflowException Failure(AwsService service, AwsCall call, AwsReply reply) =>
            reply.ErrorCode == "InvalidParameterException" || reply.ErrorCode == "ValidationException" || reply.ErrorCode == "InvalidParameterValue"
                ? AwsErrors.Error("EcrInvalidParameter", FailureKind.InvalidArgument, service, call, reply, "Check -RegistryId (12-digit account ids, at most 10) and -Region.")
                : AwsErrors.Unexpected(service, call, reply);

        /// <summary>{} or {"registryIds":[…]}.</summary>
        internal static byte[] Body(IReadOnlyList<string>? registryIds)
        {
            var json = new JsonText().StartObject();
            if (registryIds != null && registryIds.Count > 0)
            {
                json.Name("registryIds").StartArray();
                foreach (var id in registryIds)
                {
                    json.String(id);
                }

                json.EndArray();
            }

            return json.EndObject().ToUtf8();
        }
    }
}
