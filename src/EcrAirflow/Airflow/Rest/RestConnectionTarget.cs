using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Internal;

namespace EcrAirflow.Airflow.Rest
{
    /// <summary>
    /// Rest mode: checks the URL and the clear-text rule when it is built (before any request), picks the
    /// API version (-ApiVersion, a /api/vN suffix on the URL, or a cached probe), then hands the batch to
    /// <see cref="RestV1ConnectionTarget"/> (Airflow 2) or <see cref="RestV2ConnectionTarget"/> (Airflow 3).
    /// </summary>
    internal sealed class RestConnectionTarget : IConnectionTarget
    {
        private readonly SyncOptions _options;
        private readonly AirflowEndpoint _endpoint;

        public RestConnectionTarget(SyncOptions options)
        {
            _options = options;
            _endpoint = AirflowEndpoint.Parse(options.AirflowUrl);
            _endpoint.EnsureSecretsMaySend(options.UserName != null || options.AccessToken != null, options.AllowUnencryptedAuthentication);
            if (options.AccessToken != null && !AccessTokenCache.IsHeaderSafe(SecureText.Reveal(options.AccessToken)))
            {
                throw new EcrAirflowException("InvalidAccessToken", FailureKind.InvalidArgument,
                    "-AccessToken holds a line break, a space or a character outside printable ASCII, which no Authorization header can carry.",
                    "Pass the bearer token exactly as issued (e.g. without the trailing newline of a file read with Get-Content -Raw).");
            }
        }

        public string Mode => "Rest";

        public string Target => _endpoint.Display;

        public string Describe(DockerConnection connection) => " at " + Target;

        public async Task<SyncOutcome> WriteAsync(IReadOnlyList<DockerConnection> connections, IOperationLog log, CancellationToken cancellationToken)
        {
            var redactor = new SecretRedactor();
            if (_options.UserName != null)
            {
                redactor.AddPair(_options.UserName, _options.Password == null ? null : SecureText.Reveal(_options.Password));
            }

            redactor.Add(_options.AccessToken == null ? null : SecureText.Reveal(_options.AccessToken));
            foreach (var connection in connections)
            {
                redactor.AddPair(connection.Login, connection.RevealPassword());
            }

            var http = new AirflowHttp(_endpoint, _options, redactor);

            var version = _options.ApiVersion != AirflowApiVersion.Auto ? _options.ApiVersion : _endpoint.VersionFromPath;
            var probed = version == AirflowApiVersion.Auto;
            if (probed)
            {
                version = await ApiVersionProbe.ResolveAsync(http, log, cancellationToken).ConfigureAwait(false);
            }

            IConnectionTarget target = version == AirflowApiVersion.V1
                ? new RestV1ConnectionTarget(http, _options)
                : new RestV2ConnectionTarget(http, _options);
            try
            {
                var outcome = await target.WriteAsync(connections, log, cancellationToken).ConfigureAwait(false);
                if (probed && outcome.Failed.Exists(f => f.Error.ErrorId == AirflowErrors.ApiNotFound))
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
