# -Mode Mwaa's help: the descriptions of its own parameters (build/Help.ps1 merges them into the cmdlets' help),
# and About, from which build/Help.ps1 writes the help topic about_EcrAirflow_Mwaa (en-US/about_EcrAirflow_Mwaa.help.txt).
@{
    Parameters = @{
        MwaaEnvironmentName = 'The name of the Amazon MWAA environment (as aws mwaa list-environments shows it): a letter, then letters, digits, - and _, at most 80 characters; checked before any call. Its region is -Region, else AWS_REGION, AWS_DEFAULT_REGION or the profile''s region, else the piped credential''s Region; the endpoint is -EndpointUrl or AWS_ENDPOINT_URL_MWAA when given.'
        ApiVersion          = 'V1 (Airflow 2), V2 (Airflow 3) or Auto, which reads the environment''s AirflowVersion with GetEnvironment (needs airflow:GetEnvironment), once per environment per session; V1 or V2 skip that call.'
    }
    About      = @{
        Synopsis    = '-Mode Mwaa: the connection in an Amazon MWAA environment''s Airflow database, through MWAA''s signed InvokeRestApi.'
        # Plain text as Get-Help shows it (lines of at most 106 characters; the topic indents them by 4).
        Description = @'
-Mode Mwaa writes the connection into an Amazon MWAA environment's Airflow database through MWAA's
InvokeRestApi, signed with your AWS credentials: no Airflow user, password or browser login. MWAA's web
server sits behind AWS authentication, so Rest mode cannot reach it with an Airflow user, and MWAA's CLI
endpoint offers "connections add" and "delete" but not "import" (a moment without the connection).

    Get-EcrDockerCredential -Region eu-west-1 |
        Sync-AirflowEcrConnection -ConnectionId ecr -Mode Mwaa -MwaaEnvironmentName my-airflow

Needs Apache Airflow 2.4.3 or later on MWAA (InvokeRestApi starts there; older: MwaaAirflowTooOld).
Each Airflow call is one SigV4-signed POST /restapi/<environment> (signing name airflow, host
env.airflow.<region>.amazonaws.com). Inside the call it is Rest mode, sharing its code:

AIRFLOW 2 (API v1)
    GET /connections/<id>, then PATCH it with update_mask, or POST /connections when it does not exist
    yet: two calls per connection, writing only what a refresh owns (host, login, password, the expiry
    note) as in Rest mode. InvokeRestApi's Path is at most 64 characters, so a connection id may have at
    most 51 (percent-encoded); a longer one is refused before any call (MwaaPathTooLong). Action: Updated
    or Created.

AIRFLOW 3 (API v2)
    One GET /connections for every piped credential, then one bulk PATCH /connections (update for what
    exists, create for the rest): two calls for any number of connections, per-connection errors read
    from the reply, no path-length limit. Action: Updated or Created.

    -ApiVersion Auto (the default) reads AirflowVersion with GetEnvironment once per environment per
    session (3.x: V2, 2.x: V1); V1 or V2 skip that call and its permission. What Airflow answers (MWAA
    wraps its 4xx and 5xx in RestApiClientException and RestApiServerException) is judged as in Rest mode
    (AirflowRejectedConnection, AirflowUnavailable, ...); Airflow's 429 and 5xx are retried first.

AWS
    The AWS parameters of Get-EcrDockerCredential (-Region, -AwsCredential with -SessionToken,
    -ProfileName, -RoleArn, -EndpointUrl, -UseFipsEndpoint, -UseDualStackEndpoint) or the default chain.
    Region: -Region, else AWS_REGION, AWS_DEFAULT_REGION or the profile's, else each piped credential's
    Region. Endpoint: AWS_ENDPOINT_URL_MWAA, then AWS_ENDPOINT_URL (MWAA's host prefixes env. and api.
    are never added to a custom endpoint). The ECR password travels only inside the signed InvokeRestApi
    body; the AWS secret key only signs.

IAM
    airflow:InvokeRestApi on arn:aws:airflow:<region>:<account>:role/<environment>/<Airflow role>, where
    the Airflow role may edit connections (Op or Admin; Viewer and User may not), and, for -ApiVersion
    Auto, airflow:GetEnvironment on arn:aws:airflow:<region>:<account>:environment/<environment>.

RESULTS
    Action: Created or Updated. Target is mwaa:<region>:<environment>.
'@
        # This mode's error ids: id, T (terminating) / N / T/N, category, when.
        Errors      = @'
Sync-AirflowEcrConnection -Mode Mwaa (the Airflow* ids of about_EcrAirflow_Rest apply to what Airflow
answers inside InvokeRestApi, and the AWS-backed modes' ids in about_EcrAirflow, e.g. NoRegion,
NoAwsCredentials, ProfileNotFound, AssumeRoleAccessDenied, InvalidEndpointUrl, to the AWS side)
  MwaaEnvironmentNameRequired                 T   InvalidArgument    -Mode Mwaa without -MwaaEnvironmentName
  InvalidMwaaEnvironmentName                  T   InvalidArgument    not [a-zA-Z][0-9a-zA-Z-_]* or longer than 80 (an ARN or a
                                                                     URL instead of the name)
  MwaaPathTooLong                             N   InvalidArgument    Airflow 2: a connection id longer than 51 characters
                                                                     (percent-encoded); InvokeRestApi's Path is at most 64.
                                                                     Refused before any call, read or write (Airflow 3 reads
                                                                     and writes at /connections: no such limit, except for
                                                                     the rare own PATCH of a connection whose extra Airflow
                                                                     returns masked)
  MwaaEnvironmentNotFound                     T/N ObjectNotFound     no such environment in that region (and account)
  MwaaAirflowTooOld                           T/N NotImplemented     the environment runs Airflow before 2.4.3 (named in the
                                                                     message): no InvokeRestApi
  MwaaValidationFailed                        T/N InvalidArgument    MWAA's ValidationException, quoted (e.g. the 2.4.3 rule
                                                                     with -ApiVersion V1/V2)
  MwaaAccessDenied                            T/N PermissionDenied   no airflow:InvokeRestApi on role/<env>/<role> (or no
                                                                     airflow:GetEnvironment for -ApiVersion Auto)
  MwaaInvalidSignature                        T/N SecurityError      wrong secret key, or the clock is off
  MwaaUnrecognizedClient                      T/N SecurityError      unknown access key id or session token
  MwaaExpiredCredentials                      T/N SecurityError      expired session token
  MwaaThrottled                               T/N LimitsExceeded     still throttled after every retry
  MwaaServiceUnavailable                      T/N ConnectionError    MWAA answered 5xx after every retry
  MwaaConnectionFailed                        T/N ConnectionError    DNS failure, refused or reset connection, after retries
  MwaaTimeout                                 T/N ConnectionError    no answer within -TimeoutSec, after retries
  MwaaTlsFailure                              T/N SecurityError      TLS handshake or certificate failure (not retried)
  MwaaEndpointNotFound                        T/N ObjectNotFound     the endpoint does not serve the MWAA API (404)
  MwaaMalformedResponse                       T/N InvalidData        a reply that is not MWAA's (not JSON, no
                                                                     RestApiStatusCode, no AirflowVersion)
  MwaaRequestFailed                           T/N NotSpecified       another error reply from MWAA
  MwaaResponseTooLarge                        T/N InvalidData        MWAA's reply is over 4 MB (decompressed): not read
An Airflow 429/5xx inside RestApiServerException is retried -MaximumRetryCount times, then reported as
AirflowUnavailable; the connection Airflow had stays as it was.
'@
    }
}
