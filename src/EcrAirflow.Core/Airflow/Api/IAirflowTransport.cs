using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Core.Internal;
using EcrAirflow.Core.Internal.Secrets;
using EcrAirflow.Core.Modes.Mwaa;
using EcrAirflow.Core.Modes.Rest;

namespace EcrAirflow.Core.Airflow.Api
{
    /// <summary>
    /// How the Airflow 2 and 3 targets (<see cref="RestV1ConnectionTarget"/>, <see cref="RestV2ConnectionTarget"/>)
    /// reach Airflow's REST API: straight over HTTP (<see cref="AirflowHttp"/>, Rest mode) or wrapped in
    /// Amazon MWAA's InvokeRestApi (<see cref="MwaaTransport"/>, Mwaa mode). Either way the targets see
    /// Airflow's own status and body, so they and <see cref="AirflowErrors"/> judge both the same way.
    /// </summary>
    internal interface IAirflowTransport
    {
        /// <summary>Where the requests go, safe to print and used as the results' Target: a base URL, or mwaa:&lt;region&gt;:&lt;environment&gt;.</summary>
        string Display { get; }

        /// <summary>Masks every secret of the run in what Airflow (or MWAA) answers.</summary>
        SecretRedactor Redactor { get; }

        /// <summary>How often a 429/5xx was retried before a reply came back, for messages.</summary>
        int MaximumRetryCount { get; }

        /// <summary>
        /// One Airflow API call: <paramref name="apiPath"/> is below Airflow's base URL ("api/v1/connections/ecr"),
        /// segments already escaped. Returns Airflow's answer, whatever its status; throws
        /// <see cref="EcrAirflowException"/> when no answer from Airflow came back (network, AWS errors).
        /// </summary>
        Task<AirflowReply> SendAsync(
            HttpMethod method,
            string apiPath,
            byte[]? jsonBody,
            AuthenticationHeaderValue? authorization,
            IOperationLog log,
            CancellationToken cancellationToken);
    }
}
