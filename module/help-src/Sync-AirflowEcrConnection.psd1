@{
    Synopsis    = 'Writes Amazon ECR Docker logins into Airflow connections: through the REST API or the Airflow CLI, as AIRFLOW_CONN_* variables, or as AWS Secrets Manager secrets / SSM parameters for Airflow''s secrets backends.'
    # The per-mode parameter lists and each parameter's 'Modes:' line come from the mode table in the code
    # (EcrAirflow.Core.Commands.ModeHelp), and each mode's own parameters are described in its folder (src/EcrAirflow.Core/Modes/<Mode>/<Mode>.help.psd1).
    ModeTable   = 'EcrAirflow.Core.Commands.ModeHelp'
    # -Mode, -Region, -AwsCredential and the other parameters every cmdlet that takes -Mode shares are described once there.
    SharedParameters = 'ModeCmdlets.Shared.psd1'
    Description = @'
Sync-AirflowEcrConnection takes the credentials of Get-EcrDockerCredential (or any object with Registry or ProxyEndpoint, UserName and Password, such as the output of AWS Tools' Get-ECRLoginCommand) from the pipeline and writes an Airflow connection of type docker for each: host = the registry host, login, password, a description with the token's expiry, and extra {"email","reauth"} when -Email or -Reauth are given.

A connection is replaced in place, never deleted first: Airflow's DockerOperator always finds a working connection, and a failed write leaves the previous one intact.

-Mode Rest (the default) uses the Airflow REST API, reading what is there before writing only what a refresh owns (host, login, password, the expiry note in the description, and extra keys for -Email/-Reauth): API v1 on Airflow 2 (GET, then PATCH with update_mask, or POST when the connection does not exist yet) and API v2 on Airflow 3 (one list request and one bulk request for every piped credential, after getting a token from /auth/token). -Mode Cli runs one "airflow connections import --overwrite" for all of them, with the secrets in an owner-only temporary file, never on a command line. -Mode EnvironmentVariable sets AIRFLOW_CONN_<ID> for this process, the Windows user or machine, a dotenv file, or the CI system's environment (GitHub Actions, Azure Pipelines). -Mode SecretsManager and -Mode ParameterStore write the connection where the amazon provider's secrets backends read it (airflow/connections/<id>, /airflow/connections/<id>), signed with the same AWS credentials Get-EcrDockerCredential uses; Airflow itself is never contacted.

-Mode Mwaa writes into an Amazon MWAA environment (-MwaaEnvironmentName, Airflow 2.4.3 or later) through MWAA's InvokeRestApi, signed with your AWS credentials (-Region, -ProfileName, -AwsCredential, -RoleArn, -EndpointUrl or AWS_ENDPOINT_URL_MWAA, or the default chain): no Airflow user or password. It uses Rest mode's logic inside the call: on Airflow 2, GET /connections/{id}, then PATCH it or POST when it does not exist yet (ids of at most 51 characters, InvokeRestApi's path limit); on Airflow 3, one list request and one bulk request for every piped credential. The IAM principal needs airflow:InvokeRestApi on the environment's role/<environment>/<Airflow role> (Op or Admin may edit connections) and, for -ApiVersion Auto, airflow:GetEnvironment.

Credentials are collected from the pipeline and written together when the pipeline ends, so many registries cost one request (Airflow 3) or one CLI start. -WhatIf shows what would be written where, without the password.
'@
    Parameters  = @{
        Registry                       = 'The registry, as a host or a URL (ProxyEndpoint); the connection''s host is the host part. Bound from the pipeline by property name (aliases ProxyEndpoint, Endpoint).'
        UserName                       = 'The registry login (AWS for ECR). Bound from the pipeline by property name.'
        Password                       = 'The registry password, a SecureString or a string. Bound from the pipeline by property name; never displayed.'
        ExpiresAt                      = 'When the token expires; used in the default description and in the result. Bound from the pipeline by property name.'
        ConnectionId                   = 'The Airflow connection id: letters, digits, _, . and - (at most 200 characters). Use a script block to name one connection per registry, e.g. { "ecr_$($_.Region)" }.'
        Description                    = 'Your text for the connection''s description; EcrAirflow adds its note of the token''s expiry after it ("; token expires <UTC time> UTC"). Without it a description you wrote is kept (with the note renewed), and a new connection gets "Managed by EcrAirflow; token expires <UTC time> UTC".'
        Email                          = 'Written to the connection''s extra as "email".'
        Reauth                         = 'Written to the connection''s extra as "reauth" (true, or false with -Reauth:$false).'
        SkipIfValidFor                 = 'Reads what the target holds first (one request for many ids where the target allows) and writes only the connections that need it: those whose stored token is not for this registry and login, or stays valid for less than this long. The others come back with Action Skipped and get no write request. A TimeSpan, hh:mm:ss, or a number with a unit: 90s, 30m, 6h, 1d. Made for refreshing right before the DockerOperator task, or every few minutes from a scheduler.'
        ReplaceNonDocker               = 'Lets a write replace a value at the name that is not a Docker connection (a connection of another type, a secret or parameter holding something else, a SecretBinary). Without it such a value is left unchanged and the connection is not written (NotDockerConnection).'
        Force                          = 'Writes a piped credential even when its ExpiresAt has passed. Without it such a credential is refused (CredentialExpired) and the connection Airflow has is kept; one that expires within 30 minutes is written with a warning.'
    }
    Inputs      = @(
        @{ Type = 'EcrAirflow.EcrDockerCredential'; Description = 'From Get-EcrDockerCredential.' }
        @{ Type = 'System.Management.Automation.PSObject'; Description = 'Any object with Registry or ProxyEndpoint, UserName and Password (e.g. Get-ECRLoginCommand''s output).' }
    )
    Outputs     = @(
        @{ Type = 'EcrAirflow.AirflowConnectionSyncResult'; Description = @'
One per connection: ConnectionId, Mode, Target (where it was written: a URL without credentials, the CLI command, the variable's scope or file, the secret or parameter, the MWAA environment), ApiVersion, Action, Registry, ExpiresAt, VariableName (EnvironmentVariable), VersionId (SecretsManager), Version and Tier (ParameterStore). Never the password.

Action is Created (it did not exist and was written), Updated (it existed and what a refresh owns in it was replaced; every mode reads before it writes, so it knows), Unchanged (it already held exactly this value, so nothing was written: EnvironmentVariable mode), or Skipped (written nowhere because the stored token stays valid long enough: -SkipIfValidFor). A connection that could not be written gets an error instead of a result.
'@ }
    )
    Notes       = @'
Errors carry specific ids, for example InvalidConnectionId, ParameterNotValidForMode, AirflowUrlRequired: about_EcrAirflow lists the ids every mode shares, and each mode's topic (about_EcrAirflow_Rest, about_EcrAirflow_Cli, about_EcrAirflow_EnvironmentVariable, about_EcrAirflow_SecretsManager, about_EcrAirflow_ParameterStore, about_EcrAirflow_Mwaa) its parameters and its own ids.

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
            Remarks = 'Creates the connection ecr, or refreshes what a refresh owns in it (host, login, password and the note of the token''s expiry in its description) and keeps everything else: port, schema, extra, your own description text.'
        }
        @{
            Title   = 'Windows Task Scheduler: every 15 minutes, writing only when the token is due'
            Code    = @'
PS> $action = New-ScheduledTaskAction -Execute pwsh.exe -Argument '-NoProfile -NonInteractive -File C:\jobs\Update-AirflowEcrConnection.ps1 -SkipIfValidFor 1h'
PS> $trigger = New-ScheduledTaskTrigger -Once -At (Get-Date) -RepetitionInterval (New-TimeSpan -Minutes 15)
PS> $account = Get-Credential svc-airflow    # the account the task runs as
PS> Register-ScheduledTask -TaskName 'Refresh Airflow ECR login' -Action $action -Trigger $trigger -User $account.UserName -Password $account.GetNetworkCredential().Password
'@
            Remarks = 'The script runs Get-EcrDockerCredential | Sync-AirflowEcrConnection with -ErrorAction Stop; see examples/ in the project. With -SkipIfValidFor 1h most runs only read, and a token is renewed when it has less than an hour left.'
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
        Sync-AirflowEcrConnection -ConnectionId ecr -Mode Cli -AirflowCommand docker, compose, exec, -T, airflow-scheduler, airflow -WorkingDirectory /var/lib/ecrairflow
'@
            Remarks = 'One "connections import --overwrite" call through docker compose exec (-T: no terminal, as a scheduled job has none). /var/lib/ecrairflow must be bind-mounted at the same path in the container, and the container''s Airflow user needs the uid of the user running PowerShell (AIRFLOW_UID).'
        }
        @{
            Title   = 'Airflow with the Secrets Manager backend: no Airflow password at all'
            Code    = @'
PS> Get-EcrDockerCredential -Region eu-west-1 |
        Sync-AirflowEcrConnection -ConnectionId ecr -Mode SecretsManager
'@
            Remarks = 'Reads airflow/connections/ecr in eu-west-1 (GetSecretValue), then writes it (PutSecretValue, keeping the port, schema and extra it had; CreateSecret the first time) with the same AWS identity that fetched the token. Airflow reads it with [secrets] backend = airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend.'
        }
        @{
            Title   = 'Airflow with the Parameter Store backend, a custom prefix and a customer key'
            Code    = @'
PS> Get-EcrDockerCredential -Region eu-west-1 |
        Sync-AirflowEcrConnection -ConnectionId ecr -Mode ParameterStore -ConnectionsPrefix /prod/airflow/connections -KmsKeyId alias/airflow
'@
            Remarks = 'Creates a SecureString with that key the first time; afterwards GetParameter and DescribeParameters, then PutParameter with Overwrite keeping the parameter''s type, key, description and tier. The result says the Version and the Tier (Advanced only when the value is over 4 KB).'
        }
        @{
            Title   = 'Refresh only what is due: -SkipIfValidFor'
            Code    = @'
PS> $airflow = Get-Credential admin
PS> Get-EcrDockerCredential -Region eu-west-1 |
        Sync-AirflowEcrConnection -ConnectionId ecr -AirflowUrl https://airflow.example.com -AirflowCredential $airflow -SkipIfValidFor 1h

ConnectionId Action  Via     Target
------------ ------  ---     ------
ecr          Skipped Rest V2 https://airflow.example.com
'@
            Remarks = 'Reads what Airflow holds first (on Airflow 3 one request for any number of ids) and writes only a connection whose stored token is for another registry or login, or has less than an hour left. Skipped means nothing was written: the stored token stays valid long enough. Safe to run every few minutes, or as the task right before the DockerOperator one.'
        }
        @{
            Title   = 'See what would change'
            Code    = @'
PS> $airflow = Get-Credential admin
PS> Get-EcrDockerCredential -Region eu-west-1 | Sync-AirflowEcrConnection -ConnectionId ecr -AirflowUrl https://airflow.example.com -AirflowCredential $airflow -WhatIf
'@
            Remarks = 'Writes nothing, and never shows the password.'
        }
    )
    Links       = @('Get-EcrDockerCredential', 'about_EcrAirflow', 'about_EcrAirflow_Rest', 'about_EcrAirflow_Cli', 'about_EcrAirflow_EnvironmentVariable', 'about_EcrAirflow_SecretsManager', 'about_EcrAirflow_ParameterStore', 'about_EcrAirflow_Mwaa', 'https://airflow.apache.org/docs/apache-airflow/stable/howto/connection.html')
}
