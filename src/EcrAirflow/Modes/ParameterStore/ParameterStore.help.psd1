# -Mode ParameterStore's help: the descriptions of its own parameters (build/Help.ps1 merges them into the cmdlets' help),
# and About, from which build/Help.ps1 writes the help topic about_EcrAirflow_ParameterStore (en-US/about_EcrAirflow_ParameterStore.help.txt).
@{
    Parameters = @{
        ConnectionsPrefix = 'The connections_prefix of Airflow''s secrets backend (its backend_kwargs): the parameter is <prefix>/<connection id>, and Parameter Store names start with /.'
        Format            = 'Json (Airflow 2.3+) or Uri: the form of the value the backend reads.'
        KmsKeyId          = 'A customer managed KMS key (id, ARN or alias/...) to encrypt the parameter with; the identity then also needs kms:Encrypt and kms:GenerateDataKey on it.'
        Tag               = 'Tags (a hashtable) for a parameter this command creates; an existing one keeps its tags (Parameter Store refuses tags on an overwrite, so they are added with AddTagsToResource after a creation).'
        Tier              = 'The Parameter Store tier: Standard (up to 4 KB), Advanced (up to 8 KB, charged by AWS) or IntelligentTiering. Without it the tier follows the value''s size, and the result''s Tier says which one was used. An Advanced parameter cannot become Standard again.'
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

THE PARAMETER
    <ConnectionsPrefix>/<connection id>: /airflow/connections/ecr with the backend's default prefix
    (Parameter Store names start with /, and the backend forces one). One PutParameter with Overwrite, of
    type SecureString, encrypted with -KmsKeyId (default: the account's alias/aws/ssm); SSM keeps the
    versions. The value is the connection as JSON (-Format Json, the default, with the description) or a
    URI (-Format Uri). -Tag applies to a parameter this command creates, through AddTagsToResource (SSM
    refuses tags together with Overwrite). Nothing is ever deleted.

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
    AWS_ENDPOINT_URL. IAM: ssm:PutParameter on
    arn:aws:ssm:<region>:<account>:parameter/airflow/connections/<id>, ssm:AddTagsToResource for -Tag,
    and kms:Encrypt and kms:GenerateDataKey on the key for -KmsKeyId.

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
