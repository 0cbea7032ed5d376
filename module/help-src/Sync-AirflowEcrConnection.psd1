@{
    Synopsis    = 'Writes Amazon ECR Docker logins into Airflow connections: through the REST API or the Airflow CLI, as AIRFLOW_CONN_* variables, or as AWS Secrets Manager secrets / SSM parameters for Airflow''s secrets backends.'
    # The per-mode parameter lists and each parameter's 'Modes:' line come from the mode table in the code
    # (EcrAirflow.Commands.ModeHelp), and each mode's own parameters are described in its folder (src/EcrAirflow/Modes/<Mode>/<Mode>.help.psd1).
    ModeTable   = 'EcrAirflow.Commands.ModeHelp'
    Description = @'
Sync-AirflowEcrConnection takes the credentials of Get-EcrDockerCredential (or any object with Registry or ProxyEndpoint, UserName and Password, such as the output of AWS Tools' Get-ECRLoginCommand) from the pipeline and writes an Airflow connection of type docker for each: host = the registry host, login, password, a description with the token's expiry, and extra {"email","reauth"} when -Email or -Reauth are given.

A connection is replaced in place, never deleted first: Airflow's DockerOperator always finds a working connection, and a failed write leaves the previous one intact.

-Mode Rest (the default) uses the Airflow REST API, reading what is there before writing only what a refresh owns (host, login, password, the expiry note in the description, and extra keys for -Email/-Reauth): API v1 on Airflow 2 (GET, then PATCH with update_mask, or POST when the connection does not exist yet) and API v2 on Airflow 3 (one list request and one bulk request for every piped credential, after getting a token from /auth/token). -Mode Cli runs one "airflow connections import --overwrite" for all of them, with the secrets in an owner-only temporary file, never on a command line. -Mode EnvironmentVariable sets AIRFLOW_CONN_<ID> for this process, the Windows user or machine, a dotenv file, or the CI system's environment (GitHub Actions, Azure Pipelines). -Mode SecretsManager and -Mode ParameterStore write the connection where the amazon provider's secrets backends read it (airflow/connections/<id>, /airflow/connections/<id>), signed with the same AWS credentials Get-EcrDockerCredential uses; Airflow itself is never contacted.

-Mode Mwaa writes into an Amazon MWAA environment (-MwaaEnvironmentName, Airflow 2.4.3 or later) through MWAA's InvokeRestApi, signed with your AWS credentials (-Region, -ProfileName, -AwsCredential, -RoleArn, -EndpointUrl or AWS_ENDPOINT_URL_MWAA, or the default chain): no Airflow user or password. It uses Rest mode's logic inside the call: on Airflow 2, GET /connections/{id}, then PATCH it or POST when it does not exist yet (ids of at most 51 characters, InvokeRestApi's path limit); on Airflow 3, one list request and one bulk request for every piped credential. The IAM principal needs airflow:InvokeRestApi on the environment's role/<environment>/<Airflow role> (Op or Admin may edit connections) and, for -ApiVersion Auto, airflow:GetEnvironment.

Credentials are collected from the pipeline and written together when the pipeline ends, so many registries cost one request (Airflow 3) or one CLI start. -WhatIf shows what would be written where, without the password.
'@
    Parameters  = @{
        Proxy                          = 'The proxy every request to Airflow or AWS (and STS or SSO, when the credential source calls them) goes through, e.g. http://proxy.example.com:3128. Without it the system proxy applies: HTTPS_PROXY / HTTP_PROXY and NO_PROXY on Linux and macOS, the WinINET settings on Windows. A URL with user:password@ is refused (ProxyUrlContainsCredentials).'
        ProxyCredential                = 'The proxy''s user and password (Basic), for -Proxy or the system proxy. Never printed. Basic sends the password in clear text, so with an http:// -Proxy that is not loopback it needs -AllowUnencryptedAuthentication (UnencryptedAuthenticationRefused).'
        ProxyUseDefaultCredentials     = 'Answers the proxy with the logged-on user''s credentials (Windows integrated authentication). Not with -ProxyCredential.'
        Registry                       = 'The registry, as a host or a URL (ProxyEndpoint); the connection''s host is the host part. Bound from the pipeline by property name (aliases ProxyEndpoint, Endpoint).'
        UserName                       = 'The registry login (AWS for ECR). Bound from the pipeline by property name.'
        Password                       = 'The registry password, a SecureString or a string. Bound from the pipeline by property name; never displayed.'
        ExpiresAt                      = 'When the token expires; used in the default description and in the result. Bound from the pipeline by property name.'
        ConnectionId                   = 'The Airflow connection id: letters, digits, _, . and - (at most 200 characters). Use a script block to name one connection per registry, e.g. { "ecr_$($_.Region)" }.'
        Description                    = 'Your text for the connection''s description; EcrAirflow adds its note of the token''s expiry after it ("; token expires <UTC time> UTC"). Without it a description you wrote is kept (with the note renewed), and a new connection gets "Managed by EcrAirflow; token expires <UTC time> UTC".'
        Email                          = 'Written to the connection''s extra as "email".'
        Reauth                         = 'Written to the connection''s extra as "reauth" (true, or false with -Reauth:$false).'
        Mode                           = 'Where to write: Rest (the Airflow REST API, the default), Cli (the Airflow command line), EnvironmentVariable (AIRFLOW_CONN_* variables), SecretsManager or ParameterStore (where Airflow''s AWS secrets backends read connections), or Mwaa (an Amazon MWAA environment''s Airflow, through InvokeRestApi). Each mode takes its own parameters (listed under PARAMETERS PER MODE in the description); a parameter of another mode is an error (ParameterNotValidForMode). Tab completion after -Mode offers the modes that take every parameter already typed.'
        ReplaceNonDocker               = 'Lets a write replace a value at the name that is not a Docker connection (a connection of another type, a secret or parameter holding something else, a SecretBinary). Without it such a value is left unchanged and the connection is not written (NotDockerConnection).'
        Force                          = 'Writes a piped credential even when its ExpiresAt has passed. Without it such a credential is refused (CredentialExpired) and the connection Airflow has is kept; one that expires within 30 minutes is written with a warning.'
        AllowUnencryptedAuthentication = 'Allows plain http:// to a host that is not loopback. Every write carries the ECR password in its body (and the Airflow credential in its headers), so without it such an -AirflowUrl (or a custom AWS endpoint of an AWS-backed mode) is refused before any request (UnencryptedAuthenticationRefused). Loopback (localhost, 127.0.0.0/8, ::1) is always allowed.'
        Region                         = 'The AWS region to write to. Without it: AWS_REGION, AWS_DEFAULT_REGION, the profile''s region, and last the piped credential''s Region (so each registry''s connection lands in its own region). Press Tab for region names.'
        AwsCredential                  = 'Explicit AWS keys for the write: user name = access key id, password = secret access key. Without it the AWS default credential chain is used (environment, web identity, profile, SSO, container, instance metadata).'
        SessionToken                   = 'The session token of temporary keys given with -AwsCredential.'
        ProfileName                    = 'An AWS profile (static keys, SSO, role_arn with source_profile, credential_process) for the write.'
        ProfileLocation                = 'A credentials file to read -ProfileName from instead of the default files.'
        RoleArn                        = 'A role to assume through STS before writing, e.g. one that may write exactly these secrets.'
        RoleSessionName                = 'The role session name with -RoleArn (default EcrAirflow-<unix time>).'
        ExternalId                     = 'The external id the role''s trust policy requires, with -RoleArn.'
        EndpointUrl                    = 'A custom endpoint for the mode''s AWS service (a VPC endpoint or an emulator); also AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL_SSM / AWS_ENDPOINT_URL_MWAA, then AWS_ENDPOINT_URL. Cannot be combined with -UseFipsEndpoint or -UseDualStackEndpoint.'
        UseFipsEndpoint                = 'Uses the service''s FIPS endpoint (e.g. secretsmanager-fips.<region>.amazonaws.com). Defaults to AWS_USE_FIPS_ENDPOINT.'
        UseDualStackEndpoint           = 'Uses the service''s dual-stack (IPv6) endpoint. Defaults to AWS_USE_DUALSTACK_ENDPOINT.'
    }
    Inputs      = @(
        @{ Type = 'EcrAirflow.EcrDockerCredential'; Description = 'From Get-EcrDockerCredential.' }
        @{ Type = 'System.Management.Automation.PSObject'; Description = 'Any object with Registry or ProxyEndpoint, UserName and Password (e.g. Get-ECRLoginCommand''s output).' }
    )
    Outputs     = @(
        @{ Type = 'EcrAirflow.AirflowConnectionSyncResult'; Description = 'One per connection written: ConnectionId, Mode, Target, ApiVersion, Action, Registry, ExpiresAt, VariableName. Never the password.' }
    )
    Notes       = @'
Errors carry specific ids, for example InvalidConnectionId, ParameterNotValidForMode, AirflowUrlRequired; see about_EcrAirflow for every id per mode.

No secret (ECR password, Airflow password or token) is written to any output, error, verbose or debug stream, command line or leftover file.
'@
    Examples    = @(
        @{
            Title   = 'Interactive: Airflow 3 through the REST API'
            Code    = @'
PS> $airflow = Get-Credential admin
PS> Get-EcrDockerCredential -Region eu-west-1 |
        Sync-AirflowEcrConnection -ConnectionId ecr -AirflowUrl https://airflow.example.com -AirflowCredential $airflow
'@
            Remarks = 'Creates the connection ecr, or replaces its password in place.'
        }
        @{
            Title   = 'Windows Task Scheduler: every 6 hours'
            Code    = @'
PS> $action = New-ScheduledTaskAction -Execute pwsh.exe -Argument '-NoProfile -NonInteractive -File C:\jobs\Update-AirflowEcrConnection.ps1'
PS> $trigger = New-ScheduledTaskTrigger -Once -At (Get-Date) -RepetitionInterval (New-TimeSpan -Hours 6)
PS> Register-ScheduledTask -TaskName 'Refresh Airflow ECR login' -Action $action -Trigger $trigger -User svc-airflow -Password $pw
'@
            Remarks = 'The script runs Get-EcrDockerCredential | Sync-AirflowEcrConnection with -ErrorAction Stop; see examples/ in the project.'
        }
        @{
            Title   = 'GitHub Actions: make the connection available to later steps'
            Code    = @'
- shell: pwsh
  run: |
    Import-Module EcrAirflow
    Get-EcrDockerCredential -Region eu-west-1 | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable
'@
            Remarks = 'Masks the password in the log and appends AIRFLOW_CONN_ECR to $GITHUB_ENV; in Azure Pipelines it sets a secret pipeline variable instead.'
        }
        @{
            Title   = 'Amazon MWAA: the connection in an MWAA environment, through InvokeRestApi'
            Code    = @'
PS> Get-EcrDockerCredential -Region eu-west-1 |
        Sync-AirflowEcrConnection -ConnectionId ecr -Mode Mwaa -MwaaEnvironmentName my-airflow
'@
            Remarks = 'Signed with the default AWS credential chain in eu-west-1 (the piped credential''s Region, unless -Region, AWS_REGION or the profile names one). Airflow 3 environments get one InvokeRestApi call for every piped credential; Airflow 2 one per connection. The identity needs airflow:InvokeRestApi on arn:aws:airflow:eu-west-1:<account>:role/my-airflow/Op (or Admin) and airflow:GetEnvironment.'
        }
        @{
            Title   = 'docker compose: the Airflow CLI inside the scheduler container'
            Code    = @'
PS> Get-EcrDockerCredential -Region eu-west-1 |
        Sync-AirflowEcrConnection -ConnectionId ecr -Mode Cli -AirflowCommand docker, compose, exec, airflow-scheduler, airflow -WorkingDirectory ./shared
'@
            Remarks = 'One "connections import --overwrite" call; ./shared must be bind-mounted at the same path in the container.'
        }
        @{
            Title   = 'Airflow with the Secrets Manager backend: no Airflow password at all'
            Code    = @'
PS> Get-EcrDockerCredential -Region eu-west-1 |
        Sync-AirflowEcrConnection -ConnectionId ecr -Mode SecretsManager
'@
            Remarks = 'Writes airflow/connections/ecr in eu-west-1 (PutSecretValue; CreateSecret the first time) with the same AWS identity that fetched the token. Airflow reads it with [secrets] backend = airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend.'
        }
        @{
            Title   = 'Airflow with the Parameter Store backend, a custom prefix and a customer key'
            Code    = @'
PS> Get-EcrDockerCredential -Region eu-west-1 |
        Sync-AirflowEcrConnection -ConnectionId ecr -Mode ParameterStore -ConnectionsPrefix /prod/airflow/connections -KmsKeyId alias/airflow
'@
            Remarks = 'One SecureString PutParameter with Overwrite; the result says the Version and the Tier (Advanced only when the value is over 4 KB).'
        }
        @{
            Title   = 'See what would change'
            Code    = 'PS> Get-EcrDockerCredential -Region eu-west-1 | Sync-AirflowEcrConnection -ConnectionId ecr -AirflowUrl https://airflow.example.com -AirflowCredential $airflow -WhatIf'
            Remarks = 'Writes nothing, and never shows the password.'
        }
    )
    Links       = @('Get-EcrDockerCredential', 'about_EcrAirflow', 'https://airflow.apache.org/docs/apache-airflow/stable/howto/connection.html')
}
