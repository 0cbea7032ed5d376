# -Mode Rest's help: the descriptions of its own parameters (build/Help.ps1 merges them into the cmdlets' help),
# and About, from which build/Help.ps1 writes the help topic about_EcrAirflow_Rest (en-US/about_EcrAirflow_Rest.help.txt).
@{
    Parameters = @{
        AirflowUrl           = 'The base URL of the Airflow webserver (Airflow 2) or API server (Airflow 3), e.g. https://airflow.example.com or https://example.com/airflow. A URL with user:password@ inside is refused.'
        AirflowCredential    = 'The Airflow user and password (basic auth on Airflow 2, a JWT from /auth/token on Airflow 3).'
        AccessToken          = 'A bearer token to use instead of -AirflowCredential.'
        ApiVersion           = 'V1 (Airflow 2), V2 (Airflow 3) or Auto, which asks /api/v2/version, then /api/v1/version, once per URL per session.'
        TimeoutSec           = 'How long one HTTP attempt may take, in seconds.'
        MaximumRetryCount    = 'How many times 429, 5xx and network failures are retried, with backoff and jitter, honouring Retry-After.'
        SkipCertificateCheck = 'Accepts any TLS certificate (test servers only).'
    }
    About      = @{
        Synopsis    = '-Mode Rest (the default): the connection in Airflow''s database, through the REST API of Airflow 2 (API v1) or Airflow 3 (API v2).'
        # Plain text as Get-Help shows it (lines of at most 106 characters; the topic indents them by 4).
        Description = @'
-Mode Rest, the default, writes the connection into Airflow's metadata database through the REST API of
a self-managed Airflow: API v1 on Airflow 2, API v2 on Airflow 3. -AirflowUrl is the base URL of the
Airflow 2 webserver or the Airflow 3 API server, with any path prefix (https://example.com/airflow).

    $airflowCredential = Get-Credential    # an Airflow user allowed to edit connections
    Get-EcrDockerCredential -Region eu-west-1 |
        Sync-AirflowEcrConnection -ConnectionId ecr -AirflowUrl https://airflow.example.com `
            -AirflowCredential $airflowCredential

WHAT A REFRESH WRITES
    It reads what is there first and writes only what a refresh owns: host, login, password and the
    expiry note in the description (extra only for -Email/-Reauth, merged into the stored extra). Port,
    schema, other extra keys and the description's own text stay as they were. A connection of another
    type at the id is refused (NotDockerConnection) unless -ReplaceNonDocker. Airflow returns sensitive
    extra values masked ("***"): they are never written back (AirflowExtraMasked with -Email/-Reauth).

AIRFLOW 2 (API v1)
    HTTP Basic with -AirflowCredential (airflow.api.auth.backend.basic_auth in [api] auth_backends).
    GET /api/v1/connections/<id>, then PATCH it with update_mask, or POST /api/v1/connections when it
    does not exist yet: two requests per connection. A 409 or 404 from another writer in between reads
    again. Action: Updated or Created.

AIRFLOW 3 (API v2)
    -AirflowCredential is exchanged for a JWT at POST /auth/token, cached for the session and renewed
    once on 401; -AccessToken is a bearer token used as given (not with -AirflowCredential). Then one list
    request (GET /api/v2/connections) for every piped credential and one bulk PATCH /api/v2/connections:
    an "update" of the Docker connections that exist (complete entities and update_mask, so releases that
    ignore the mask give the same result) and a "create" of the rest. Two requests for any number of
    connections; per-entity errors in the 200 reply become per-connection errors. Action: Updated or
    Created.

WHICH VERSION
    -ApiVersion Auto (the default) asks /api/v2/version, then /api/v1/version, once per URL per session.
    -ApiVersion V1 or V2 skips the question.

THE WIRE
    Every write carries the ECR password in its body, so plain http:// is allowed only to a loopback host
    (localhost, 127.0.0.0/8, ::1) unless -AllowUnencryptedAuthentication. TLS certificates are checked
    unless -SkipCertificateCheck (test servers only). Redirects are not followed: a credential is never
    sent on to another address. -TimeoutSec (default 30) is per attempt; 429, 5xx, timeouts and dropped
    connections are retried -MaximumRetryCount (default 3) times with backoff and jitter, honouring
    Retry-After. -Proxy, -ProxyCredential and -ProxyUseDefaultCredentials apply to every request.
'@
        # This mode's error ids: id, T (terminating) / N / T/N, category, when.
        Errors      = @'
Sync-AirflowEcrConnection -Mode Rest (checked before any request: the T ones)
  AirflowUrlRequired                          T   InvalidArgument    -Mode Rest without -AirflowUrl
  InvalidAirflowUrl                           T   InvalidArgument    relative, not http(s) (ftp://), or with a query/fragment
  AirflowUrlContainsCredentials               T   InvalidArgument    user:pass inside -AirflowUrl (never repeated back)
  CredentialAndAccessToken                    T   InvalidArgument    -AirflowCredential with -AccessToken
  InvalidAccessToken                          T   InvalidArgument    -AccessToken holds a line break, a space or a character
                                                                     outside printable ASCII (no HTTP header can carry it)
  UnencryptedAuthenticationRefused            T   SecurityError      an http:// -AirflowUrl on a host that is not loopback,
                                                                     without -AllowUnencryptedAuthentication: every write carries
                                                                     the ECR password, with or without an Airflow credential
  AirflowApiVersionUnknown                    T   InvalidOperation   -ApiVersion Auto, but both version endpoints need auth
  AirflowCredentialRequired                   T/N PermissionDenied   401, and neither -AirflowCredential nor -AccessToken was
                                                                     given
  AirflowAuthenticationFailed                 T/N PermissionDenied   401: wrong user/password, or the -AccessToken was refused
                                                                     (the hint is about the token then); a 401 from
                                                                     /auth/token is not retried
  AirflowPermissionDenied                     T/N PermissionDenied   403: the user may not edit connections
  AirflowApiNotFound                          T/N ObjectNotFound     404: no Airflow REST API at -AirflowUrl
  AirflowRejectedConnection                   N   InvalidData        400/422, or an Airflow 3 bulk entity error
  AirflowConnectionConflict                   N   InvalidOperation   409 that persisted, or an Airflow 3 bulk entity skipped
                                                                     because another writer created or deleted it between
                                                                     the read and the write, twice
  AirflowUnavailable                          T/N ConnectionError    429/5xx after -MaximumRetryCount retries
  AirflowConnectionFailed                     T/N ConnectionError    DNS failure, refused or reset connection, after retries
  AirflowTimeout                              T/N ConnectionError    no answer within -TimeoutSec, after retries
  AirflowTlsFailure                           T/N SecurityError      TLS handshake or certificate failure (not retried)
  AirflowRedirected                           T/N InvalidOperation   3xx: credentials are not sent on to another address
  AirflowUnexpectedStatus                     T/N InvalidOperation   a status the API does not document
  AirflowUnexpectedResponse                   T/N InvalidData        a reply that is not what the API returns (malformed
                                                                     JSON, no access_token, no bulk result, an API v1 2xx that
                                                                     is not the JSON Connection with our connection_id, e.g. a
                                                                     proxy's login page): never counted as written
  AirflowResponseTooLarge                     T/N InvalidData        the reply is larger than 4 MB (decompressed): not the
                                                                     Airflow API; it is not read further, nor retried
  AirflowWriteFailed                          N   WriteError         another Airflow 3 bulk entity error, or an id the bulk
                                                                     action did not reach after another id's error
  AirflowExtraMasked                          N   InvalidOperation   -Email/-Reauth on a connection whose extra Airflow returns
                                                                     with masked values ("***" under keys such as *token*,
                                                                     *secret*, *password*): merging would write the mask over
                                                                     them, so it is left unchanged (keys named, never values)
A "T/N" error is terminating when nothing was written yet; once some connections were written, each
unwritten one gets a non-terminating error whose message lists what was written.
'@
    }
}
