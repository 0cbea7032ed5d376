# -Mode SecretsManager's help: the descriptions of its own parameters (build/Help.ps1 merges them into the cmdlets' help),
# and About, from which build/Help.ps1 writes the help topic about_EcrAirflow_SecretsManager (en-US/about_EcrAirflow_SecretsManager.help.txt).
@{
    Parameters = @{
        ConnectionsPrefix = 'The connections_prefix of Airflow''s secrets backend (its backend_kwargs): the secret is <prefix><separator><connection id>.'
        Separator         = 'The sep of the Secrets Manager backend between prefix and connection id.'
        Format            = 'Json (Airflow 2.3+) or Uri: the form of the value of a new secret. An existing connection secret keeps its own form unless -Format is given.'
        KmsKeyId          = 'A customer managed KMS key (id, ARN or alias/...) to encrypt a new secret with; the identity then also needs kms:Decrypt, kms:Encrypt and kms:GenerateDataKey on it. For an existing secret it is compared with the secret''s key (DescribeSecret): another key is an error (SecretsManagerKmsKeyMismatch) and nothing is written.'
        Tag               = 'Tags (a hashtable) for a secret this command creates; an existing secret keeps its tags.'
    }
    About      = @{
        Synopsis    = '-Mode SecretsManager: the connection as an AWS Secrets Manager secret, where Airflow''s SecretsManagerBackend reads it.'
        # Plain text as Get-Help shows it (lines of at most 106 characters; the topic indents them by 4).
        Description = @'
-Mode SecretsManager is for an Airflow whose [secrets] backend is the amazon provider's
SecretsManagerBackend. Airflow looks a connection up there before its database, so a connection in the
database would be shadowed, and a refresh needs no Airflow password at all: EcrAirflow writes the secret
the backend reads, signed with the same AWS identity that fetched the token. Airflow is never contacted.

    Get-EcrDockerCredential -Region eu-west-1 |
        Sync-AirflowEcrConnection -ConnectionId ecr -Mode SecretsManager

THE SECRET
    <ConnectionsPrefix><Separator><connection id>: airflow/connections/ecr with the backend's defaults.
    Its SecretString is the connection as JSON (-Format Json, the default, Airflow 2.3+; only the keys the
    backend keeps: conn_type, host, login, password, extra) or a URI (-Format Uri). A refresh reads the
    secret first (GetSecretValue), then PutSecretValue writes a new version (the previous one stays as
    AWSPREVIOUS) with host, login and password renewed and everything else kept: port, schema, extra keys,
    and the JSON or URI form it had (unless -Format is given). CreateSecret, with -KmsKeyId (default
    aws/secretsmanager) and -Tag, the first time. A secret that is not a Docker connection (other JSON,
    another conn_type, a SecretBinary) is left as it is, with its versions and stages
    (NotDockerConnection; -ReplaceNonDocker replaces it). With -KmsKeyId, an existing secret's key
    (DescribeSecret) must be that key, or nothing is written (SecretsManagerKmsKeyMismatch). Nothing is
    ever deleted, and a secret scheduled for deletion is reported (SecretsManagerSecretPendingDeletion),
    not restored. Steady state: two requests per connection (GetSecretValue, PutSecretValue).

AIRFLOW'S SIDE (airflow.cfg, or AIRFLOW__SECRETS__BACKEND and AIRFLOW__SECRETS__BACKEND_KWARGS)
    [secrets]
    backend = airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend
    backend_kwargs = {"connections_prefix": "airflow/connections"}

AWS
    The AWS parameters of Get-EcrDockerCredential (-Region, -AwsCredential with -SessionToken,
    -ProfileName, -RoleArn, -EndpointUrl, -UseFipsEndpoint, -UseDualStackEndpoint) or the default chain.
    Region: -Region, else AWS_REGION, AWS_DEFAULT_REGION or the profile's, else each piped credential's
    Region. Endpoint: secretsmanager.<region>.<suffix> (FIPS and dual-stack variants),
    AWS_ENDPOINT_URL_SECRETS_MANAGER, then AWS_ENDPOINT_URL. IAM: secretsmanager:GetSecretValue,
    PutSecretValue and CreateSecret (DescribeSecret with -KmsKeyId) on
    arn:aws:secretsmanager:<region>:<account>:secret:airflow/connections/<id>-?????? (a secret's ARN ends
    in - and six random characters), secretsmanager:TagResource for -Tag, and kms:Decrypt, kms:Encrypt and
    kms:GenerateDataKey on the key for -KmsKeyId.

RESULTS
    Action: Created (the secret was new) or Updated. VersionId is the id of the version written
    (AWSCURRENT from now on); Target is secretsmanager:<region>:<secret name>.
'@
        # This mode's error ids: id, T (terminating) / N / T/N, category, when.
        Errors      = @'
Sync-AirflowEcrConnection -Mode SecretsManager
  InvalidSeparator                            T   InvalidArgument    an empty -Separator
  SecretsManagerInvalidName                   N   InvalidArgument    <prefix><sep><id> is not [A-Za-z0-9/_+=.@-]{1,512}
  SecretsManagerValueTooLarge                 N   LimitsExceeded     the value is over 64 KB
  SecretsManagerSecretPendingDeletion         N   InvalidOperation   the secret is scheduled for deletion, so it can be
                                                                     neither read nor written (restore it first;
                                                                     EcrAirflow never restores or deletes)
  SecretsManagerKmsKeyMismatch                N   InvalidOperation   -KmsKeyId is not the key the existing secret is
                                                                     encrypted with (DescribeSecret): nothing written;
                                                                     the hint gives the update-secret command
  SecretsManagerInvalidRequest                N   InvalidArgument    InvalidRequest/InvalidParameter/Validation (quoted)
  SecretsManagerKmsFailure                    N   PermissionDenied   the KMS key cannot be used (disabled, no rights)
  SecretsManagerLimitExceeded                 N   LimitsExceeded     an account quota (secrets, versions)
  SecretsManagerAccessDenied                  T/N PermissionDenied   IAM refused the write; the hint names the action
                                                                     (secretsmanager:PutSecretValue / CreateSecret, kms:* for
                                                                     -KmsKeyId)
  SecretsManagerInvalidSignature              T/N SecurityError      wrong secret key, or the clock is off
  SecretsManagerUnrecognizedClient            T/N SecurityError      unknown access key id or session token
  SecretsManagerExpiredCredentials            T/N SecurityError      expired session token
  SecretsManagerThrottled                     N   LimitsExceeded     still throttled (or TooManyUpdates) after every retry
  SecretsManagerServiceUnavailable            T/N ConnectionError    5xx after every retry
  SecretsManagerConnectionFailed              T/N ConnectionError    DNS failure, refused or reset connection, after retries
  SecretsManagerTimeout                       T/N ConnectionError    no answer within -TimeoutSec, after retries
  SecretsManagerTlsFailure                    T/N SecurityError      TLS handshake or certificate failure (not retried)
  SecretsManagerEndpointNotFound              N   ObjectNotFound     the endpoint answered 404 without an AWS error
  SecretsManagerMalformedResponse             N   InvalidData        the reply is not what the API returns (no VersionId):
                                                                     whether it was written is unknown
  SecretsManagerRequestFailed                 N   NotSpecified       another error reply
  SecretsManagerResponseTooLarge              N   InvalidData        the reply is over 4 MB (decompressed): not read, not retried
'@
    }
}
