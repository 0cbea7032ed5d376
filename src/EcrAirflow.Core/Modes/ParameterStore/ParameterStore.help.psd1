# -Mode ParameterStore's help: the descriptions of its own parameters (build/Help.ps1 merges them into the cmdlets' help),
# and About, from which build/Help.ps1 writes the help topic about_EcrAirflow_ParameterStore (en-US/about_EcrAirflow_ParameterStore.help.txt).
@{
    Parameters = @{
        ConnectionsPrefix = 'The connections_prefix of Airflow''s secrets backend (its backend_kwargs): the parameter is <prefix>/<connection id>, and Parameter Store names start with /.'
        Format            = 'Json (Airflow 2.3+) or Uri: the form of the value of a new parameter. An existing connection parameter keeps its own form unless -Format is given.'
        KmsKeyId          = 'A customer managed KMS key (id, ARN or alias/...) to encrypt a new parameter with; the identity then also needs kms:Decrypt, kms:Encrypt and kms:GenerateDataKey on it. An existing parameter keeps its type and key: a -KmsKeyId it is not encrypted with (another key, or a String or StringList parameter) is an error (ParameterStoreKmsKeyMismatch) and nothing is written.'
        Tag               = 'Tags (a hashtable) for a parameter this command creates (sent with the creating PutParameter, or added with AddTagsToResource when another request created it first); an existing one keeps its tags.'
        Tier              = 'The Parameter Store tier: Standard (up to 4 KB), Advanced (up to 8 KB, charged by AWS) or IntelligentTiering. Without it a new parameter''s tier follows the value''s size and an existing one keeps its tier, rising to Advanced only when the value needs it; the result''s Tier says which one was used. An Advanced parameter cannot become Standard again.'
    }
    About      = @{
        Synopsis    = '-Mode ParameterStore: the connection as an SSM Parameter Store SecureString, where Airflow''s SystemsManagerParameterStoreBackend reads it.'
        # Plain text as Get-Help shows it (lines of at most 106 characters; the topic indents them by 4).
        Description = @'
-Mode ParameterStore is for an Airflow whose [secrets] backend is the amazon provider's
SystemsManagerParameterStoreBackend: it writes the SecureString parameter the backend reads, signed with
the same AWS identity that fetched the token. Airflow is never contacted and needs no password here.

    Get-EcrDockerCredential -Region eu-west-1 |
        Sync-AirflowEcrConnection -ConnectionId ecr -Mode ParameterStore

    THE PARAMETER <ConnectionsPrefix>/<connection id>: /airflow/connections/ecr with the backend's default
    prefix (Parameter Store names start with /, and the backend forces one). A refresh reads the parameter
    first (GetParameter with decryption, and DescribeParameters for its type, key, Description and tier),
    then one PutParameter with Overwrite that keeps all of them: a String or StringList never becomes a
    SecureString, the user's Description and tags stay, and the tier rises to Advanced only when the size
    needs it. In the value, host, login and password are renewed and everything else is kept (port,
    schema, extra keys, the description's own text, the JSON or URI form unless -Format is given). SSM
    keeps the versions. A new parameter is a SecureString, encrypted with -KmsKeyId (default: the
    account's alias/aws/ssm), created without Overwrite with its -Tag values in the same request; a create
    that finds the parameter already there (a lost reply, another writer) reads it again and tags it by
    name. A parameter that is not a Docker connection is left as it is (NotDockerConnection;
    -ReplaceNonDocker replaces it). Steady state: three requests per connection. Nothing is ever deleted.

THE TIER
    Without -Tier, the tier follows the size: the account's default up to 4 KB, Advanced above (AWS
    charges for Advanced parameters; an ECR token alone fits in Standard). -Tier Standard, Advanced or
    IntelligentTiering names one. An Advanced parameter cannot become Standard again.

AIRFLOW'S SIDE (airflow.cfg, or AIRFLOW__SECRETS__BACKEND and AIRFLOW__SECRETS__BACKEND_KWARGS)
    [secrets]
    backend = airflow.providers.amazon.aws.secrets.systems_manager.SystemsManagerParameterStoreBackend
    backend_kwargs = {"connections_prefix": "/airflow/connections"}

AWS
    The AWS parameters of Get-EcrDockerCredential (-Region, -AwsCredential with -SessionToken,
    -ProfileName, -RoleArn, -EndpointUrl, -UseFipsEndpoint, -UseDualStackEndpoint) or the default chain.
    Region: -Region, else AWS_REGION, AWS_DEFAULT_REGION or the profile's, else each piped credential's
    Region. Endpoint: ssm.<region>.<suffix> (FIPS and dual-stack variants), AWS_ENDPOINT_URL_SSM, then
    AWS_ENDPOINT_URL. IAM: ssm:GetParameter and ssm:PutParameter on
    arn:aws:ssm:<region>:<account>:parameter/airflow/connections/<id>, ssm:DescribeParameters (on *: it
    cannot be limited to a parameter), ssm:AddTagsToResource for -Tag, and kms:Decrypt, kms:Encrypt and
    kms:GenerateDataKey on the key for -KmsKeyId.

RESULTS
    Action: Created (version 1) or Updated. Version is the parameter's version after the write; Tier is
    the tier SSM reports; Target is ssm:<region>:<parameter name>.
'@
        # This mode's error ids: id, T (terminating) / N / T/N, category, when.
        Errors      = @'
Sync-AirflowEcrConnection -Mode ParameterStore
  ParameterStorePrefixNotRooted               T   InvalidArgument    -ConnectionsPrefix without the leading /
  ParameterStoreInvalidName                   N   InvalidArgument    not [A-Za-z0-9_./-], more than 15 levels, an empty
                                                                     level, or under /aws or /ssm
  ParameterStoreValueTooLarge                 N   LimitsExceeded     the value is over 8 KB (Advanced's limit)
  ParameterStoreValueTooLargeForTier          N   LimitsExceeded     -Tier Standard with a value over 4 KB
  ParameterStoreInvalidKeyId                  N   InvalidArgument    SSM does not know -KmsKeyId or may not use it
  ParameterStoreKmsKeyMismatch                N   InvalidOperation   -KmsKeyId over an existing parameter that is not a
                                                                     SecureString under that key (a String or StringList,
                                                                     or another key): its type and key are kept, so
                                                                     nothing is written
  ParameterStoreInvalidRequest                N   InvalidArgument    a name, tier or key SSM refused (quoted), e.g. an
                                                                     Advanced parameter written as Standard
  ParameterStoreLimitExceeded                 N   LimitsExceeded     a quota, the version history or the hierarchy
  ParameterStoreAccessDenied                  T/N PermissionDenied   IAM refused the write; the hint names the action
                                                                     (ssm:PutParameter, kms:* for -KmsKeyId)
  ParameterStoreInvalidSignature              T/N SecurityError      wrong secret key, or the clock is off
  ParameterStoreUnrecognizedClient            T/N SecurityError      unknown access key id or session token
  ParameterStoreExpiredCredentials            T/N SecurityError      expired session token
  ParameterStoreThrottled                     N   LimitsExceeded     still throttled (or TooManyUpdates) after every retry
  ParameterStoreServiceUnavailable            T/N ConnectionError    5xx after every retry
  ParameterStoreConnectionFailed              T/N ConnectionError    DNS failure, refused or reset connection, after retries
  ParameterStoreTimeout                       T/N ConnectionError    no answer within -TimeoutSec, after retries
  ParameterStoreTlsFailure                    T/N SecurityError      TLS handshake or certificate failure (not retried)
  ParameterStoreEndpointNotFound              N   ObjectNotFound     the endpoint answered 404 without an AWS error
  ParameterStoreMalformedResponse             N   InvalidData        the reply is not what the API returns (no Version):
                                                                     whether it was written is unknown
  ParameterStoreRequestFailed                 N   NotSpecified       another error reply
  ParameterStoreResponseTooLarge              N   InvalidData        the reply is over 4 MB (decompressed): not read, not retried
'@
    }
}
