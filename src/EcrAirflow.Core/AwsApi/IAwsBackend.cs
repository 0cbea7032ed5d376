using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Core.Internal;

namespace EcrAirflow.Core.AwsApi
{
    /// <summary>
    /// The AWS side of the module, implemented in EcrAirflow.Aws.dll (the only assembly that uses AWSSDK),
    /// which <see cref="AwsBackend"/> loads privately on first use. Only core types cross this boundary.
    /// </summary>
    internal interface IAwsBackend
    {
        /// <summary>
        /// Resolves region and endpoint for one service now (so errors come before any request); credentials
        /// are resolved on the first call and kept for the session's lifetime (one cmdlet invocation).
        /// </summary>
        IAwsSession Open(AwsService service, AwsSessionRequest request, IOperationLog log);
    }

    /// <summary>Signed calls to one AWS service in one region with one identity.</summary>
    internal interface IAwsSession
    {
        string Region { get; }

        /// <summary>Where the region came from (-Region, AWS_REGION, a profile, the piped credential), for -Verbose.</summary>
        string RegionSource { get; }

        AwsEndpoint Endpoint { get; }

        /// <summary>
        /// A keyed hash of the identity (access key id, secret key, session token), for cache keys: a cached
        /// answer is never given to a caller with the right key id but another secret.
        /// </summary>
        Task<string> IdentityKeyAsync(IOperationLog log, CancellationToken cancellationToken);

        /// <summary>
        /// Signs and sends one call with bounded retries. Authentication, permission, throttling, server and
        /// network failures are thrown as EcrAirflowException (&lt;ErrorPrefix&gt;AccessDenied, …Throttled, …);
        /// a success or a service-specific error comes back as the reply for the caller to read.
        /// </summary>
        Task<AwsReply> SendAsync(AwsCall call, IOperationLog log, CancellationToken cancellationToken);
    }
}
