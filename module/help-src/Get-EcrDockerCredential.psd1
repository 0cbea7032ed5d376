@{
    Synopsis    = 'Gets a Docker login for Amazon ECR registries, signed with the AWS credentials you already have.'
    Description = @'
Get-EcrDockerCredential calls Amazon ECR's GetAuthorizationToken (a SigV4-signed request made with AWSSDK.Core's signer) and returns one EcrAirflow.EcrDockerCredential per registry: the registry host, the user name (AWS), the password as a SecureString, and the time the token expires (12 hours after it was issued).

AWS credentials come from -Credential (and -SessionToken), -ProfileName (static keys, SSO, role_arn with source_profile, credential_process), or the default chain: environment variables, web identity (GitHub Actions OIDC), the AWS_PROFILE or default profile, container credentials and instance metadata. -RoleArn assumes a role through STS first, for registries in another account.

The region comes from -Region, else AWS_REGION, AWS_DEFAULT_REGION, or the profile's region. Endpoints follow AWS's rules for each partition (China, GovCloud), FIPS and dual-stack, and honour AWS_USE_FIPS_ENDPOINT, AWS_USE_DUALSTACK_ENDPOINT and AWS_ENDPOINT_URL_ECR.

Tokens are cached for the PowerShell session and reused until half their lifetime has passed; -Force always asks ECR. The password is never shown by the default views; GetNetworkCredentialPassword() returns it in plain text when you explicitly need it.
'@
    Parameters  = @{
        Proxy                          = 'The proxy every request to ECR (and STS or SSO, when the credential source calls them) goes through, e.g. http://proxy.example.com:3128. Without it the system proxy applies: HTTPS_PROXY / HTTP_PROXY and NO_PROXY on Linux and macOS, the WinINET settings on Windows. A URL with user:password@ is refused (ProxyUrlContainsCredentials).'
        ProxyCredential                = 'The proxy''s user and password (Basic), for -Proxy or the system proxy. Never printed. Basic sends the password in clear text, so with an http:// -Proxy that is not loopback it needs -AllowUnencryptedAuthentication (UnencryptedAuthenticationRefused).'
        ProxyUseDefaultCredentials     = 'Answers the proxy with the logged-on user''s credentials (Windows integrated authentication). Not with -ProxyCredential.'
        Region               = 'The AWS region of the registries, e.g. eu-west-1. Defaults to AWS_REGION, AWS_DEFAULT_REGION or the profile''s region. Press Tab to complete region names.'
        RegistryId           = 'One to ten 12-digit AWS account ids whose registries you want a login for (one object per registry). Defaults to the caller''s own account. Accepts pipeline input by property name.'
        Public               = 'Gets a login for Amazon ECR Public (registry public.ecr.aws). ECR Public lives in us-east-1; the region parameters do not apply.'
        Credential           = 'Explicit AWS keys: the user name is the access key id and the password is the secret access key. Cannot be combined with -ProfileName.'
        SessionToken         = 'The session token that belongs to temporary keys given with -Credential.'
        ProfileName          = 'A profile from ~/.aws/config or ~/.aws/credentials (or -ProfileLocation): static keys, SSO, role_arn with source_profile, or credential_process.'
        ProfileLocation      = 'A credentials file to read -ProfileName from instead of the default files.'
        RoleArn              = 'The ARN of a role to assume through STS before calling ECR, e.g. for registries in another account. The source credentials need sts:AssumeRole.'
        RoleSessionName      = 'The role session name to use with -RoleArn (2 to 64 characters). Defaults to EcrAirflow-<unix time>.'
        ExternalId           = 'The external id the role''s trust policy requires, with -RoleArn.'
        EndpointUrl          = 'A custom ECR API endpoint: a VPC interface endpoint or a local emulator. Cannot be combined with -UseFipsEndpoint or -UseDualStackEndpoint.'
        UseFipsEndpoint      = 'Uses the FIPS endpoint api.ecr-fips.<region>.amazonaws.com. Defaults to AWS_USE_FIPS_ENDPOINT.'
        UseDualStackEndpoint = 'Uses the dual-stack (IPv6) endpoint ecr.<region>.api.aws. Defaults to AWS_USE_DUALSTACK_ENDPOINT.'
        AllowUnencryptedAuthentication = 'Allows a custom http:// endpoint (-EndpointUrl, AWS_ENDPOINT_URL_ECR, AWS_ENDPOINT_URL_STS) on a host that is not loopback. ECR answers with the registry token and STS with temporary keys, which would cross the network in clear text; without it such an endpoint is refused (UnencryptedAuthenticationRefused). Loopback (localhost, 127.0.0.0/8, ::1) is always allowed.'
        Force                = 'Ignores the session cache and always asks ECR for a new token.'
        TimeoutSec           = 'How long one HTTP attempt may take, in seconds (default 30).'
        MaximumRetryCount    = 'How many times throttling, server errors and network failures are retried, with exponential backoff and jitter (default 3).'
    }
    Inputs      = @(
        @{ Type = 'System.String[]'; Description = 'Registry ids, by property name (RegistryId).' }
    )
    Outputs     = @(
        @{ Type = 'EcrAirflow.EcrDockerCredential'; Description = 'One per registry: Registry, ProxyEndpoint, RegistryId, Region, UserName, Password (SecureString), Credential, ExpiresAt (UTC), TimeRemaining, IsPublic.' }
    )
    Notes       = @'
Errors carry specific ids, for example EcrAccessDenied (PermissionDenied), EcrInvalidSignature (SecurityError), EcrThrottled (LimitsExceeded), EcrConnectionFailed (ConnectionError), NoRegion and NoAwsCredentials. See about_EcrAirflow for the full list.

No secret (secret access key, session token, ECR password) is written to any output, error, verbose or debug stream.
'@
    Examples    = @(
        @{
            Title   = 'Interactive: a login for your own account''s registry'
            Code    = @'
PS> Get-EcrDockerCredential -Region eu-west-1

Registry                                     User  ExpiresAt         Remaining
--------                                     ----  ---------         ---------
123456789012.dkr.ecr.eu-west-1.amazonaws.com AWS   2026-11-28 05:31Z   11h 59m
'@
            Remarks = 'Uses the default AWS credential chain. The password is a SecureString and is not displayed.'
        }
        @{
            Title   = 'Interactive: docker login with the password from the pipeline'
            Code    = @'
PS> $c = Get-EcrDockerCredential -ProfileName prod -Region us-east-1
PS> $c.GetNetworkCredentialPassword() | docker login --username $c.UserName --password-stdin $c.Registry
'@
            Remarks = 'GetNetworkCredentialPassword() is the explicit way to read the token in plain text; it goes to docker on standard input, never on a command line.'
        }
        @{
            Title   = 'Windows Task Scheduler: refresh Airflow every 6 hours'
            Code    = @'
# refresh-airflow-ecr.ps1, run by: pwsh -NoProfile -NonInteractive -File C:\jobs\refresh-airflow-ecr.ps1
Import-Module EcrAirflow
$airflow = Import-Clixml C:\jobs\airflow-cred.xml   # saved once with Get-Credential | Export-Clixml (DPAPI)
Get-EcrDockerCredential -Region eu-west-1 -ProfileName ecr-puller -ErrorAction Stop |
    Sync-AirflowEcrConnection -ConnectionId ecr -Mode Rest -AirflowUrl https://airflow.example.com -AirflowCredential $airflow -ErrorAction Stop
'@
            Remarks = 'The scheduled task''s account has an AWS profile; -ErrorAction Stop makes the task fail visibly (exit code 1) when anything goes wrong.'
        }
        @{
            Title   = 'GitHub Actions or Azure Pipelines: credentials from the CI identity'
            Code    = @'
# GitHub Actions (after aws-actions/configure-aws-credentials with OIDC) or Azure Pipelines (AWS service connection):
Get-EcrDockerCredential -Region $env:AWS_REGION -RoleArn arn:aws:iam::210987654321:role/ecr-pull -RegistryId 210987654321 |
    Sync-AirflowEcrConnection -ConnectionId ecr_prod -Mode EnvironmentVariable
'@
            Remarks = 'The default chain picks up the web identity or environment credentials the CI step provides; -RoleArn then assumes the cross-account role. In EnvironmentVariable mode the password is masked in the CI log.'
        }
        @{
            Title   = 'Several registries into several connections'
            Code    = @'
PS> Get-EcrDockerCredential -Region eu-west-1 -RegistryId 111111111111, 222222222222 |
        Sync-AirflowEcrConnection -ConnectionId { "ecr_$($_.RegistryId)" } -Mode Rest -AirflowUrl https://airflow.example.com -AirflowCredential $cred
'@
            Remarks = 'A script block for -ConnectionId is evaluated for each piped credential.'
        }
    )
    Links       = @('Sync-AirflowEcrConnection', 'about_EcrAirflow', 'https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_GetAuthorizationToken.html')
}
