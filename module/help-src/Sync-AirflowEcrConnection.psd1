@{
    Synopsis    = 'Writes Amazon ECR Docker logins into Airflow connections, through the REST API, the Airflow CLI or AIRFLOW_CONN_* variables.'
    # The per-mode parameter lists and each parameter's 'Modes:' line come from the mode table in the code
    # (EcrAirflow.Airflow.SyncModes), not from here.
    ModeTable   = 'EcrAirflow.Airflow.SyncModes'
    Description = @'
Sync-AirflowEcrConnection takes the credentials of Get-EcrDockerCredential (or any object with Registry or ProxyEndpoint, UserName and Password, such as the output of AWS Tools' Get-ECRLoginCommand) from the pipeline and writes an Airflow connection of type docker for each: host = the registry host, login, password, a description with the token's expiry, and extra {"email","reauth"} when -Email or -Reauth are given.

A connection is replaced in place, never deleted first: Airflow's DockerOperator always finds a working connection, and a failed write leaves the previous one intact.

-Mode Rest (the default) uses the Airflow REST API: API v1 on Airflow 2 (PATCH, then POST when the connection does not exist yet) and API v2 on Airflow 3 (one bulk request for every piped credential, after getting a token from /auth/token). -Mode Cli runs one "airflow connections import --overwrite" for all of them, with the secrets in an owner-only temporary file, never on a command line. -Mode EnvironmentVariable sets AIRFLOW_CONN_<ID> for this process, the Windows user or machine, a dotenv file, or the CI system's environment (GitHub Actions, Azure Pipelines).

Credentials are collected from the pipeline and written together when the pipeline ends, so many registries cost one request (Airflow 3) or one CLI start. -WhatIf shows what would be written where, without the password.
'@
    Parameters  = @{
        Registry                       = 'The registry, as a host or a URL (ProxyEndpoint); the connection''s host is the host part. Bound from the pipeline by property name (aliases ProxyEndpoint, Endpoint).'
        UserName                       = 'The registry login (AWS for ECR). Bound from the pipeline by property name.'
        Password                       = 'The registry password, a SecureString or a string. Bound from the pipeline by property name; never displayed.'
        ExpiresAt                      = 'When the token expires; used in the default description and in the result. Bound from the pipeline by property name.'
        ConnectionId                   = 'The Airflow connection id: letters, digits, _, . and - (at most 200 characters). Use a script block to name one connection per registry, e.g. { "ecr_$($_.Region)" }.'
        Description                    = 'The connection''s description. Defaults to "Managed by EcrAirflow; token expires <UTC time>".'
        Email                          = 'Written to the connection''s extra as "email".'
        Reauth                         = 'Written to the connection''s extra as "reauth" (true, or false with -Reauth:$false).'
        Mode                           = 'Where to write: Rest (the Airflow REST API, the default), Cli (the Airflow command line) or EnvironmentVariable (AIRFLOW_CONN_* variables). Each mode takes its own parameters (listed under PARAMETERS PER MODE in the description); a parameter of another mode is an error (ParameterNotValidForMode). Tab completion after -Mode offers the modes that take every parameter already typed.'
        Force                          = 'Writes a piped credential even when its ExpiresAt has passed. Without it such a credential is refused (CredentialExpired) and the connection Airflow has is kept; one that expires within 30 minutes is written with a warning.'
        AirflowUrl                     = 'The base URL of the Airflow webserver (Airflow 2) or API server (Airflow 3), e.g. https://airflow.example.com or https://example.com/airflow. A URL with user:password@ inside is refused.'
        AirflowCredential              = 'The Airflow user and password (basic auth on Airflow 2, a JWT from /auth/token on Airflow 3).'
        AccessToken                    = 'A bearer token to use instead of -AirflowCredential.'
        ApiVersion                     = 'V1 (Airflow 2), V2 (Airflow 3) or Auto (asks /api/v2/version, then /api/v1/version, once per URL per session).'
        TimeoutSec                     = 'Rest: how long one HTTP attempt may take, in seconds. Cli: how long the Airflow CLI may run before it is stopped, so a hung docker exec cannot block a scheduled job.'
        MaximumRetryCount              = 'How many times 429, 5xx and network failures are retried, with backoff and jitter, honouring Retry-After.'
        SkipCertificateCheck           = 'Accepts any TLS certificate (test servers only).'
        AllowUnencryptedAuthentication = 'Allows plain http:// to a host that is not loopback. Every write carries the ECR password in its body (and the Airflow credential in its headers), so without it such an -AirflowUrl (or a custom AWS endpoint of an AWS-backed mode) is refused before any request (UnencryptedAuthenticationRefused). Loopback (localhost, 127.0.0.0/8, ::1) is always allowed.'
        AirflowCommand                 = 'The command that reaches the Airflow CLI, as an array, e.g. docker,exec,airflow-scheduler,airflow.'
        WorkingDirectory               = 'Where the temporary import file is written; it must be visible to the CLI, e.g. a folder bind-mounted into the container.'
        Format                         = 'Uri (docker://login:password@host, read by every Airflow) or Json (Airflow 2.3+).'
        Scope                          = 'Process, or User / Machine (Windows only) to persist the variable.'
        Path                           = 'A dotenv file (docker compose .env) whose AIRFLOW_CONN_<ID> line is added or replaced atomically, keeping every other line, comment and line ending. A new file is created owner-only. Cannot be combined with -Scope.'
        IncludeValue                   = 'Adds the variable''s value, in plain text, as a Value property of each result. Without it the value (which holds the ECR password) is never output.'
        CiSystem                       = 'Auto (GitHub Actions when GITHUB_ENV is set, Azure Pipelines when TF_BUILD is set), GitHubActions, AzurePipelines or None. CI output is written in addition to the scope or file: GitHub Actions masks the password (::add-mask::) and appends to $GITHUB_ENV; Azure Pipelines sets a secret variable.'
        # The AWS-backed modes (the parameters Get-EcrDockerCredential shares, declared once in AwsCmdletBase)
        Region                         = 'The AWS region an AWS-backed mode writes to. Defaults to AWS_REGION, AWS_DEFAULT_REGION or the profile''s region, else the piped credential''s Region.'
        AwsCredential                  = 'Explicit AWS keys for an AWS-backed mode: the user name is the access key id and the password is the secret access key. Cannot be combined with -ProfileName.'
        SessionToken                   = 'The session token that belongs to temporary keys given with -AwsCredential.'
        ProfileName                    = 'A profile from ~/.aws/config or ~/.aws/credentials (or -ProfileLocation) for an AWS-backed mode.'
        ProfileLocation                = 'A credentials file to read -ProfileName from instead of the default files.'
        RoleArn                        = 'The ARN of a role to assume through STS before writing to AWS.'
        RoleSessionName                = 'The role session name to use with -RoleArn (2 to 64 characters).'
        ExternalId                     = 'The external id the role''s trust policy requires, with -RoleArn.'
        EndpointUrl                    = 'A custom endpoint for the AWS service an AWS-backed mode writes to (a VPC endpoint or an emulator). Cannot be combined with -UseFipsEndpoint or -UseDualStackEndpoint.'
        UseFipsEndpoint                = 'Uses the service''s FIPS endpoint. Defaults to AWS_USE_FIPS_ENDPOINT.'
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
            Title   = 'docker compose: the Airflow CLI inside the scheduler container'
            Code    = @'
PS> Get-EcrDockerCredential -Region eu-west-1 |
        Sync-AirflowEcrConnection -ConnectionId ecr -Mode Cli -AirflowCommand docker, compose, exec, airflow-scheduler, airflow -WorkingDirectory ./shared
'@
            Remarks = 'One "connections import --overwrite" call; ./shared must be bind-mounted at the same path in the container.'
        }
        @{
            Title   = 'See what would change'
            Code    = 'PS> Get-EcrDockerCredential -Region eu-west-1 | Sync-AirflowEcrConnection -ConnectionId ecr -AirflowUrl https://airflow.example.com -AirflowCredential $airflow -WhatIf'
            Remarks = 'Writes nothing, and never shows the password.'
        }
    )
    Links       = @('Get-EcrDockerCredential', 'about_EcrAirflow', 'https://airflow.apache.org/docs/apache-airflow/stable/howto/connection.html')
}
