using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Core.Airflow;
using EcrAirflow.Core.Airflow.Api;
using EcrAirflow.Core.Internal;
using EcrAirflow.Core.Internal.Secrets;

namespace EcrAirflow.Core.Modes.Rest
{
    /// <summary>
    /// Rest mode: checks the URL and the clear-text rule when it is built (before any request), picks the API
    /// version (-ApiVersion, a /api/vN suffix on the URL, or a cached probe), then hands the batch to
    /// <see cref="AirflowApiV1"/> (Airflow 2) or <see cref="AirflowApiV2"/> (Airflow 3), for writes and reads alike.
    /// </summary>
    internal sealed class RestTarget : IConnectionTarget
    {
        private readonly RestParameters _parameters;
        private readonly ModeContext _context;
        private readonly AirflowEndpoint _endpoint;
        private readonly AirflowAuth _auth;

        public RestTarget(RestParameters parameters, ModeContext context)
        {
            _parameters = parameters;
            _context = context;
            _endpoint = AirflowEndpoint.Parse(parameters.AirflowUrl);
            _auth = new AirflowAuth(parameters.AirflowCredential?.UserName, parameters.AirflowCredential?.Password, parameters.AccessToken);
            _endpoint.EnsureSecretsMaySend(_auth.SendsCredential, context.AllowUnencryptedAuthentication);
            context.Http.EnsureNextHopMayCarrySecrets(_endpoint.Root, context.AllowUnencryptedAuthentication,
                _auth.SendsCredential ? "the ECR password and the Airflow credential" : "the ECR password (in every write's body)", "-AirflowUrl");
            if (parameters.AccessToken != null && !AccessTokenCache.IsHeaderSafe(SecureText.Reveal(parameters.AccessToken)))
            {
                throw RestErrors.InvalidAccessToken();
            }
        }

        public string Mode => "Rest";

        public string Target => _endpoint.Display;

        public string Describe(DockerConnection connection) => " at " + Target;

        public async Task<SyncOutcome> WriteAsync(IReadOnlyList<DockerConnection> connections, IOperationLog log, CancellationToken cancellationToken)
        {
            var redactor = Redactor();
            foreach (var connection in connections)
            {
                redactor.AddPair(connection.Login, connection.RevealPassword());
            }

            return await WithApiAsync(redactor, (api, _) => api.WriteAsync(connections, log, cancellationToken), o => o.Failed.Exists(f => f.Error.ErrorId == AirflowErrors.ApiNotFound), log, cancellationToken).ConfigureAwait(false);
        }

        public Task<ReadOutcome> ReadAsync(IReadOnlyList<ConnectionRef> connections, IOperationLog log, CancellationToken cancellationToken) =>
            WithApiAsync(Redactor(), (api, _) => api.ReadAsync(connections, log, cancellationToken), o => o.Failed.Exists(f => f.Error.ErrorId == AirflowErrors.ApiNotFound), log, cancellationToken);

        private SecretRedactor Redactor()
        {
            var redactor = new SecretRedactor();
            _auth.AddTo(redactor);
            return redactor;
        }

        /// <summary>Runs <paramref name="work"/> against the API this Airflow speaks; a probed answer that turned out wrong is forgotten.</summary>
        private async Task<T> WithApiAsync<T>(SecretRedactor redactor, System.Func<IConnectionTarget, AirflowApiVersion, Task<T>> work, System.Func<T, bool> apiMissing, IOperationLog log, CancellationToken cancellationToken)
        {
            var http = new AirflowHttp(_endpoint, _parameters, _context, redactor);
            var version = _parameters.ApiVersion != AirflowApiVersion.Auto ? _parameters.ApiVersion : _endpoint.VersionFromPath;
            var probed = version == AirflowApiVersion.Auto;
            if (probed)
            {
                version = await ApiVersionProbe.ResolveAsync(http, log, cancellationToken).ConfigureAwait(false);
            }

            IConnectionTarget api = version == AirflowApiVersion.V1
                ? new AirflowApiV1(http, _auth, Mode)
                : new AirflowApiV2(http, _auth, Mode);
            try
            {
                var outcome = await work(api, version).ConfigureAwait(false);
                if (probed && apiMissing(outcome))
                {
                    ApiVersionProbe.Forget(_endpoint);
                }

                return outcome;
            }
            catch (EcrAirflowException ex) when (probed && ex.ErrorId == AirflowErrors.ApiNotFound)
            {
                ApiVersionProbe.Forget(_endpoint); // Airflow moved or was upgraded: probe again next time
                throw;
            }
        }
    }
}
