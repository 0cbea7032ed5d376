# Bad-input matrix: each row is one thing a user can get wrong. Each must give its documented
# FullyQualifiedErrorId (first part) and category (the ERRORS sections of the about_EcrAirflow topics), show no .NET stack trace or
# exception dump in any error view, and write nothing anywhere: no Airflow request (emulator log empty),
# no file created or changed in the test folder, no import file left in the temp folder, no AIRFLOW_CONN_*
# variable set, no connection stored by the stand-in CLI. The temp folder is the suite's own (Enter-PrivateTemp):
# other processes on the machine write ecrairflow-*.json files to the shared one at any time.

BeforeDiscovery {
    # Rows about another user's files hand them to an unprivileged account, which needs root (chown).
    $script:CanChown = -not $IsWindows -and (id -u) -eq '0' -and [bool](getent passwd nobody)
}

BeforeAll {
    Import-Module $env:ECRAIRFLOW_TEST_MODULE -Force
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Root = if ($env:ECRAIRFLOW_TEST_ROOT) { $env:ECRAIRFLOW_TEST_ROOT } else { (Resolve-Path "$PSScriptRoot/../..").Path }
    $script:StandIn = Join-Path $Root 'tests/peers/airflow/airflow'
    $script:Emu = Start-AirflowEmulator -AirflowVersion 3 -Password 'bad-input-Pa55'
    $script:AirflowCredential = [pscredential]::new('admin', (ConvertTo-SecureString 'bad-input-Pa55' -AsPlainText -Force))
    $script:AwsKey = [pscredential]::new('AKIAHARDENINGEXAMPLE', (ConvertTo-SecureString 'hardening/secret+key' -AsPlainText -Force))
    $script:Token = ConvertTo-SecureString 'session-token' -AsPlainText -Force
    # ECR answering as it does for an expired session token (moto cannot expire one).
    $script:ExpiredEcr = New-TcpPeer -Mode Canned -Response (New-HttpAnswer 400 'Bad Request' '{"__type":"ExpiredTokenException","message":"The security token included in the request is expired"}' 'application/x-amz-json-1.1')

    $script:EnvNames = 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION',
        'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_ECR', 'AWS_ENDPOINT_URL_STS', 'AWS_EC2_METADATA_DISABLED',
        'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN',
        'AWS_USE_FIPS_ENDPOINT', 'AWS_USE_DUALSTACK_ENDPOINT', 'GITHUB_ENV', 'TF_BUILD', 'AIRFLOW_STANDIN_HOME', 'AIRFLOW_STANDIN_FAIL', 'AIRFLOW_STANDIN_VERSION'
    $script:Other = 'nobody'   # the unprivileged account of the rows about another user's files (RootOnly)
    $script:SavedEnv = @{}
    foreach ($n in $EnvNames) { $SavedEnv[$n] = [Environment]::GetEnvironmentVariable($n) }

    function Get-ConnVariables {
        Get-ChildItem Env: | Where-Object Name -like 'AIRFLOW_CONN_*' | ForEach-Object { "$($_.Name)=$($_.Value)" } | Sort-Object
    }

    function Get-FolderState([string] $Path) {
        Get-ChildItem -LiteralPath $Path -Recurse -Force -ErrorAction SilentlyContinue |
            ForEach-Object { '{0}|{1}|{2}' -f $_.FullName, ($(if ($_.PSIsContainer) { 'dir' } else { $_.Length })), $_.LastWriteTimeUtc.Ticks } | Sort-Object
    }
    $script:PrivateTemp = Enter-PrivateTemp 'input-tmp'
}

AfterAll {
    foreach ($n in $EnvNames) { Set-TestEnv $n $SavedEnv[$n] }
    Stop-Peer $Emu
    if ($ExpiredEcr) { $ExpiredEcr.Dispose() }
    Exit-PrivateTemp $PrivateTemp
}

Describe 'Bad input: <Name>' -ForEach @(
    # ---- Get-EcrDockerCredential ----
    @{ Name = 'a region that is not a region name'; Id = 'InvalidRegion'; Category = 'InvalidArgument'
        Run = { Get-EcrDockerCredential -Region 'eu west 1' -Credential $AwsKey @Row } }
    @{ Name = 'a region with a path in it'; Id = 'InvalidRegion'; Category = 'InvalidArgument'
        Run = { Get-EcrDockerCredential -Region 'eu-west-1/../x' -Credential $AwsKey @Row } }
    @{ Name = 'no region anywhere'; Id = 'NoRegion'; Category = 'InvalidArgument'
        Run = { Get-EcrDockerCredential -Credential $AwsKey @Row } }
    @{ Name = 'a registry id that is not 12 digits'; Id = 'ParameterArgumentValidationError'; Category = 'InvalidData'
        Run = { Get-EcrDockerCredential -Region eu-west-1 -RegistryId 12345 -Credential $AwsKey @Row } }
    @{ Name = 'more than 10 registry ids'; Id = 'ParameterArgumentValidationError'; Category = 'InvalidData'
        Run = { Get-EcrDockerCredential -Region eu-west-1 -RegistryId (1..11 | ForEach-Object { '{0:d12}' -f $_ }) -Credential $AwsKey @Row } }
    @{ Name = 'a role ARN that is not a role ARN'; Id = 'ParameterArgumentValidationError'; Category = 'InvalidData'
        Run = { Get-EcrDockerCredential -Region eu-west-1 -RoleArn 'arn:aws:iam::1:user/x' -Credential $AwsKey @Row } }
    @{ Name = '-Credential with -ProfileName'; Id = 'CredentialAndProfile'; Category = 'InvalidArgument'
        Run = { Get-EcrDockerCredential -Region eu-west-1 -Credential $AwsKey -ProfileName x @Row } }
    @{ Name = '-SessionToken without -Credential'; Id = 'SessionTokenWithoutCredential'; Category = 'InvalidArgument'
        Run = { Get-EcrDockerCredential -Region eu-west-1 -SessionToken $Token @Row } }
    @{ Name = '-ExternalId without -RoleArn'; Id = 'RoleOptionWithoutRoleArn'; Category = 'InvalidArgument'
        Run = { Get-EcrDockerCredential -Region eu-west-1 -ExternalId x -Credential $AwsKey @Row } }
    @{ Name = '-Public with -Region (mutually exclusive)'; Id = 'AmbiguousParameterSet'; Category = 'InvalidArgument'
        Run = { Get-EcrDockerCredential -Public -Region eu-west-1 @Row } }
    @{ Name = 'a relative -EndpointUrl'; Id = 'InvalidEndpointUrl'; Category = 'InvalidArgument'
        Run = { Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl 'ecr.example.com/x' -Credential $AwsKey @Row } }
    @{ Name = 'an ftp:// -EndpointUrl'; Id = 'InvalidEndpointUrl'; Category = 'InvalidArgument'
        Run = { Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl 'ftp://127.0.0.1/' -Credential $AwsKey @Row } }
    @{ Name = 'user:pass inside -EndpointUrl'; Id = 'InvalidEndpointUrl'; Category = 'InvalidArgument'
        Run = { Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl 'https://u:p@127.0.0.1/' -Credential $AwsKey @Row } }
    @{ Name = '-EndpointUrl with -UseFipsEndpoint'; Id = 'EndpointUrlWithFipsOrDualStack'; Category = 'InvalidArgument'
        Run = { Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl 'https://127.0.0.1/' -UseFipsEndpoint -Credential $AwsKey @Row } }
    @{ Name = '-EndpointUrl http:// to another host (the token would come back in clear text)'; Id = 'UnencryptedAuthenticationRefused'; Category = 'SecurityError'
        Run = { Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl 'http://ecr.invalid' -Credential $AwsKey -Force @Row } }
    @{ Name = 'AWS_ENDPOINT_URL_ECR http:// to another host'; Id = 'UnencryptedAuthenticationRefused'; Category = 'SecurityError'
        Run = { $env:AWS_ENDPOINT_URL_ECR = 'http://192.0.2.1:8080'; Get-EcrDockerCredential -Region eu-west-1 -Credential $AwsKey -Force -TimeoutSec 1 -MaximumRetryCount 0 @Row } }
    @{ Name = 'AWS_ENDPOINT_URL_STS http:// to another host with -RoleArn (temporary keys in clear text)'; Id = 'UnencryptedAuthenticationRefused'; Category = 'SecurityError'
        Run = { $env:AWS_ENDPOINT_URL_STS = 'http://sts.invalid'; Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl 'http://127.0.0.1:9' -Credential $AwsKey -RoleArn 'arn:aws:iam::123456789012:role/x' -Force @Row } }
    @{ Name = 'AWS_ENDPOINT_URL_STS with user:password@ in it'; Id = 'InvalidEndpointUrl'; Category = 'InvalidArgument'
        Run = { $env:AWS_ENDPOINT_URL_STS = 'https://stsuser:sts-url-Pa55@127.0.0.1:9'; Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl 'http://127.0.0.1:9' -Credential $AwsKey -RoleArn 'arn:aws:iam::123456789012:role/x' -Force @Row } }
    @{ Name = 'no AWS credentials anywhere'; Id = 'NoAwsCredentials'; Category = 'SecurityError'
        Run = { Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl 'http://127.0.0.1:9' @Row } }
    @{ Name = 'an unknown profile'; Id = 'ProfileNotFound'; Category = 'ObjectNotFound'
        Run = { Get-EcrDockerCredential -Region eu-west-1 -ProfileName 'no-such-profile-hardening' @Row } }
    @{ Name = 'an expired session token'; Id = 'EcrExpiredCredentials'; Category = 'SecurityError'
        Run = { Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $ExpiredEcr.Url -Credential $AwsKey -SessionToken $Token -Force @Row } }
    @{ Name = 'STS refusing the connection (AWS_ENDPOINT_URL_STS on a closed port) with -RoleArn'; Id = 'StsConnectionFailed'; Category = 'ConnectionError'
        Run = { $env:AWS_ENDPOINT_URL_STS = 'http://127.0.0.1:9'; Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl 'http://127.0.0.1:9' -Credential $AwsKey -RoleArn 'arn:aws:iam::123456789012:role/x' -Force @Row } }
    @{ Name = 'a profile whose credential_process fails'; Id = 'CredentialProcessFailed'; Category = 'SecurityError'; NotOnWindows = $true
        Run = { $script = Join-Path $Work 'creds.sh'
            [IO.File]::WriteAllText($script, "#!/bin/sh`necho 'vault says: token expired' >&2`nexit 3`n"); [IO.File]::SetUnixFileMode($script, [IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
            $profiles = Join-Path $Work 'profiles'
            [IO.File]::WriteAllText($profiles, "[broken]`ncredential_process = $script`n")
            $script:FolderBefore = Get-FolderState $Work   # seeded files are part of "before"
            Get-EcrDockerCredential -ProfileName broken -ProfileLocation $profiles -Region eu-west-1 -EndpointUrl 'http://127.0.0.1:9' -Force @Row } }
    @{ Name = '-TimeoutSec 0'; Id = 'ParameterArgumentValidationError'; Category = 'InvalidData'
        Run = { Get-EcrDockerCredential -Region eu-west-1 -TimeoutSec 0 -Credential $AwsKey @Row } }

    # ---- Sync-AirflowEcrConnection, any mode ----
    @{ Name = 'a connection id with a space'; Id = 'InvalidConnectionId'; Category = 'InvalidArgument'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId 'bad id' -Mode EnvironmentVariable @Row } }
    @{ Name = 'a connection id with a slash'; Id = 'InvalidConnectionId'; Category = 'InvalidArgument'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId '../ecr' @Rest @Row } }
    @{ Name = 'a connection id of 201 characters'; Id = 'InvalidConnectionId'; Category = 'InvalidArgument'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ('a' * 201) -Mode Cli -AirflowCommand $StandIn @Row } }
    @{ Name = 'the connection id . (Rest v1 would resolve it away: /api/v1/connections/.)'; Id = 'InvalidConnectionId'; Category = 'InvalidArgument'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId '.' @Rest @Row } }
    @{ Name = 'the connection id .. in Rest mode'; Id = 'InvalidConnectionId'; Category = 'InvalidArgument'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId '..' @Rest @Row } }
    @{ Name = 'the connection id .. in Cli mode'; Id = 'InvalidConnectionId'; Category = 'InvalidArgument'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId '..' -Mode Cli -AirflowCommand $StandIn @Row } }
    @{ Name = 'the connection id .. in EnvironmentVariable mode (a dotenv file)'; Id = 'InvalidConnectionId'; Category = 'InvalidArgument'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId '..' -Mode EnvironmentVariable -Path (Join-Path $Work '.env') @Row } }
    @{ Name = 'the connection id .. in SecretsManager mode (airflow/connections/..)'; Id = 'InvalidConnectionId'; Category = 'InvalidArgument'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId '..' -Mode SecretsManager -Region eu-west-1 -AwsCredential $AwsKey -EndpointUrl 'http://127.0.0.1:9' @Row } }
    @{ Name = 'the connection id . in ParameterStore mode'; Id = 'InvalidConnectionId'; Category = 'InvalidArgument'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId '.' -Mode ParameterStore -Region eu-west-1 -AwsCredential $AwsKey -EndpointUrl 'http://127.0.0.1:9' @Row } }
    @{ Name = 'the connection id .. in Mwaa mode'; Id = 'InvalidConnectionId'; Category = 'InvalidArgument'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId '..' -Mode Mwaa -MwaaEnvironmentName demo -Region eu-west-1 -AwsCredential $AwsKey -EndpointUrl 'http://127.0.0.1:9' @Row } }
    @{ Name = 'a registry port above 65535'; Id = 'InvalidRegistry'; Category = 'InvalidArgument'
        Run = { [pscustomobject]@{ Registry = '123456789012.dkr.ecr.eu-west-1.amazonaws.com:99999'; UserName = 'AWS'; Password = 't' } | Sync-AirflowEcrConnection -ConnectionId ecr @Rest @Row } }
    @{ Name = 'a registry port 0'; Id = 'InvalidRegistry'; Category = 'InvalidArgument'
        Run = { [pscustomobject]@{ Registry = 'https://registry.example.com:0/'; UserName = 'AWS'; Password = 't' } | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -Path (Join-Path $Work '.env') @Row } }
    @{ Name = 'an ExpiresAt that is no time (the expiry guard never skips)'; Id = 'InvalidExpiresAt'; Category = 'InvalidData'
        Run = { [pscustomobject]@{ Registry = '123456789012.dkr.ecr.eu-west-1.amazonaws.com'; UserName = 'AWS'; Password = 't'; ExpiresAt = 'tomorrow-ish' } | Sync-AirflowEcrConnection -ConnectionId ecr @Rest @Row } }
    @{ Name = 'an ExpiresAt of an unknown kind (a hashtable)'; Id = 'InvalidExpiresAt'; Category = 'InvalidData'
        Run = { [pscustomobject]@{ Registry = '123456789012.dkr.ecr.eu-west-1.amazonaws.com'; UserName = 'AWS'; Password = 't'; ExpiresAt = @{ at = 1 } } | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -Path (Join-Path $Work '.env') @Row } }
    @{ Name = 'an expired ExpiresAt given as epoch seconds'; Id = 'CredentialExpired'; Category = 'InvalidData'
        Run = { [pscustomobject]@{ Registry = '123456789012.dkr.ecr.eu-west-1.amazonaws.com'; UserName = 'AWS'; Password = 't'; ExpiresAt = [DateTimeOffset]::UtcNow.AddHours(-1).ToUnixTimeSeconds() } | Sync-AirflowEcrConnection -ConnectionId ecr @Rest @Row } }
    @{ Name = 'an expired ExpiresAt that went through Export-Clixml'; Id = 'CredentialExpired'; Category = 'InvalidData'
        Run = { $file = Join-Path ([IO.Path]::GetTempPath()) ("ecrairflow-clixml-" + [guid]::NewGuid().ToString('n') + '.xml')
            try { [pscustomobject]@{ Registry = '123456789012.dkr.ecr.eu-west-1.amazonaws.com'; UserName = 'AWS'; Password = 't'; ExpiresAt = [DateTimeOffset]::UtcNow.AddHours(-1) } | Export-Clixml -LiteralPath $file
                $cred = Import-Clixml -LiteralPath $file }
            finally { Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue }
            $cred | Sync-AirflowEcrConnection -ConnectionId ecr @Rest @Row } }
    @{ Name = 'an expiresAt from ECR beyond any date (an ECR reply out of range)'; Id = 'EcrMalformedResponse'; Category = 'InvalidData'
        Run = { $peer = New-TcpPeer -Mode Canned -Response (New-HttpAnswer 200 'OK' '{"authorizationData":[{"authorizationToken":"QVdTOnRva2Vu","expiresAt":1e20,"proxyEndpoint":"https://123456789012.dkr.ecr.eu-west-1.amazonaws.com"}]}' 'application/x-amz-json-1.1')
            try { Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $peer.Url -Credential $AwsKey -Force -MaximumRetryCount 0 @Row } finally { $peer.Dispose() } } }
    @{ Name = 'a connection id with a trailing line break (what Out-String hands over)'; Id = 'InvalidConnectionId'; Category = 'InvalidArgument'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId "ecr`n" -Mode EnvironmentVariable -Path (Join-Path $Work '.env') @Row } }
    @{ Name = 'a connection id with a trailing line break, to GitHub Actions'; Id = 'InvalidConnectionId'; Category = 'InvalidArgument'
        Run = { $env:GITHUB_ENV = Join-Path $Work 'github_env'; New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId "ecr`r`n" -Mode EnvironmentVariable @Row } }
    @{ Name = 'a registry with a line break and a logging command'; Id = 'InvalidRegistry'; Category = 'InvalidArgument'
        Run = { [pscustomobject]@{ Registry = "123456789012.dkr.ecr.eu-west-1.amazonaws.com`r`n##vso[task.setvariable variable=x]y"; UserName = 'AWS'; Password = 't' } | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -WhatIf @Row } }
    @{ Name = 'a registry with user:password@ in it'; Id = 'InvalidRegistry'; Category = 'InvalidArgument'
        Run = { [pscustomobject]@{ Registry = 'https://user:pw@123456789012.dkr.ecr.eu-west-1.amazonaws.com'; UserName = 'AWS'; Password = 't' } | Sync-AirflowEcrConnection -ConnectionId ecr @Rest @Row } }
    @{ Name = 'a user name with a line break and a logging command'; Id = 'InvalidUserName'; Category = 'InvalidArgument'
        Run = { [pscustomobject]@{ Registry = '123456789012.dkr.ecr.eu-west-1.amazonaws.com'; UserName = "AWS`n##vso[task.setvariable variable=x]y"; Password = 't' } | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -WhatIf @Row } }
    @{ Name = 'a password with a NUL inside a SecureString'; Id = 'InvalidPassword'; Category = 'InvalidArgument'
        Run = { [pscustomobject]@{ Registry = '123456789012.dkr.ecr.eu-west-1.amazonaws.com'; UserName = 'AWS'; Password = (ConvertTo-SecureString "tok`0cut" -AsPlainText -Force) } | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable @Row } }
    @{ Name = 'an empty pipeline'; Id = 'NoCredentialInput'; Category = 'ObjectNotFound'
        Run = { @() | Sync-AirflowEcrConnection -ConnectionId ecr @Rest @Row } }
    @{ Name = 'an input object without a password'; Id = 'InputObjectMissingMandatory'; Category = 'InvalidArgument'
        Run = { [pscustomobject]@{ Registry = '123456789012.dkr.ecr.eu-west-1.amazonaws.com'; UserName = 'AWS' } | Sync-AirflowEcrConnection -ConnectionId ecr @Rest @Row } }
    @{ Name = 'an input object with an empty password'; Id = 'InvalidPassword'; Category = 'InvalidArgument'
        Run = { [pscustomobject]@{ Registry = '123456789012.dkr.ecr.eu-west-1.amazonaws.com'; UserName = 'AWS'; Password = '' } | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable @Row } }
    @{ Name = 'an input object with a number as password'; Id = 'InvalidPassword'; Category = 'InvalidArgument'
        Run = { [pscustomobject]@{ Registry = '123456789012.dkr.ecr.eu-west-1.amazonaws.com'; UserName = 'AWS'; Password = 42 } | Sync-AirflowEcrConnection -ConnectionId ecr @Rest @Row } }
    @{ Name = 'an unknown -Mode'; Id = 'CannotConvertArgumentNoMessage'; Category = 'InvalidArgument'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Ftp @Row } }

    # ---- Rest ----
    @{ Name = 'a relative -AirflowUrl'; Id = 'InvalidAirflowUrl'; Category = 'InvalidArgument'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -AirflowUrl 'airflow.example.com/x' -AirflowCredential $AirflowCredential @Row } }
    @{ Name = 'an ftp:// -AirflowUrl'; Id = 'InvalidAirflowUrl'; Category = 'InvalidArgument'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -AirflowUrl 'ftp://127.0.0.1/' -AirflowCredential $AirflowCredential @Row } }
    @{ Name = 'user:pass inside -AirflowUrl'; Id = 'AirflowUrlContainsCredentials'; Category = 'InvalidArgument'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -AirflowUrl ($Emu.Url -replace '//', '//admin:bad-input-Pa55@') @Row } }
    @{ Name = 'a query string in -AirflowUrl'; Id = 'InvalidAirflowUrl'; Category = 'InvalidArgument'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -AirflowUrl "$($Emu.Url)/?x=1" -AirflowCredential $AirflowCredential @Row } }
    @{ Name = 'credentials over http:// to another host'; Id = 'UnencryptedAuthenticationRefused'; Category = 'SecurityError'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -AirflowUrl 'http://airflow.invalid' -AirflowCredential $AirflowCredential @Row } }
    @{ Name = 'the ECR password over http:// to another host, with no Airflow credential'; Id = 'UnencryptedAuthenticationRefused'; Category = 'SecurityError'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -AirflowUrl 'http://airflow.invalid' -ApiVersion V1 @Row } }
    @{ Name = 'the ECR password over http:// to a private address, Auto version'; Id = 'UnencryptedAuthenticationRefused'; Category = 'SecurityError'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -AirflowUrl 'http://192.0.2.1:8080' -TimeoutSec 1 -MaximumRetryCount 0 @Row } }
    @{ Name = '-Mode Rest without -AirflowUrl'; Id = 'AirflowUrlRequired'; Category = 'InvalidArgument'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Rest @Row } }
    @{ Name = '-AirflowCredential with -AccessToken'; Id = 'CredentialAndAccessToken'; Category = 'InvalidArgument'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr @Rest -AccessToken $Token @Row } }
    @{ Name = '-AccessToken with a line break (no HTTP header can carry it)'; Id = 'InvalidAccessToken'; Category = 'InvalidArgument'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Rest -AirflowUrl $Emu.Url -AccessToken (ConvertTo-SecureString "eyJhbGciOi.x`r`nX-Injected: 1" -AsPlainText -Force) -ApiVersion V2 @Row } }
    @{ Name = '-MaximumRetryCount 11'; Id = 'ParameterArgumentValidationError'; Category = 'InvalidData'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr @Rest -MaximumRetryCount 11 @Row } }

    # ---- parameters of another mode ----
    @{ Name = '-AirflowUrl with -Mode Cli'; Id = 'ParameterNotValidForMode'; Category = 'InvalidArgument'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Cli -AirflowUrl $Emu.Url -AirflowCommand $StandIn @Row } }
    @{ Name = '-Path with -Mode Rest'; Id = 'ParameterNotValidForMode'; Category = 'InvalidArgument'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr @Rest -Path (Join-Path $Work '.env') @Row } }
    @{ Name = '-IncludeValue with -Mode Cli'; Id = 'ParameterNotValidForMode'; Category = 'InvalidArgument'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Cli -AirflowCommand $StandIn -IncludeValue @Row } }

    # ---- Mwaa (all refused before any request: no AWS endpoint is even reachable here) ----
    @{ Name = 'an MWAA environment name that starts with a digit'; Id = 'InvalidMwaaEnvironmentName'; Category = 'InvalidArgument'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Mwaa -MwaaEnvironmentName '9lives' @Row } }
    @{ Name = 'an MWAA environment ARN instead of its name'; Id = 'InvalidMwaaEnvironmentName'; Category = 'InvalidArgument'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Mwaa -MwaaEnvironmentName 'arn:aws:airflow:eu-west-1:123456789012:environment/demo' @Row } }
    @{ Name = '-Mode Mwaa without -MwaaEnvironmentName'; Id = 'MwaaEnvironmentNameRequired'; Category = 'InvalidArgument'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Mwaa @Row } }
    @{ Name = 'a 52-character id for Airflow 2 through MWAA'; Id = 'MwaaPathTooLong'; Category = 'InvalidArgument'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ('e' * 52) -Mode Mwaa -MwaaEnvironmentName demo -ApiVersion V1 -AwsCredential $AwsKey @Row } }
    @{ Name = '-MwaaEnvironmentName with -Mode Rest'; Id = 'ParameterNotValidForMode'; Category = 'InvalidArgument'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr @Rest -MwaaEnvironmentName demo @Row } }
    @{ Name = '-AirflowCredential with -Mode Mwaa'; Id = 'ParameterNotValidForMode'; Category = 'InvalidArgument'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Mwaa -MwaaEnvironmentName demo -AirflowCredential $AirflowCredential @Row } }

    # ---- Cli ----
    @{ Name = 'a CLI that is not there'; Id = 'AirflowCommandNotFound'; Category = 'ObjectNotFound'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Cli -AirflowCommand (Join-Path $Work 'no-airflow') @Row } }
    @{ Name = 'a CLI that exits 1'; Id = 'AirflowCliFailed'; Category = 'InvalidOperation'; CliRuns = $true
        Run = { $env:AIRFLOW_STANDIN_FAIL = '1'; New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Cli -AirflowCommand $StandIn @Row } }
    @{ Name = 'a CLI that exits 2 (argparse)'; Id = 'AirflowCliUsageError'; Category = 'InvalidArgument'; CliRuns = $true
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Cli -AirflowCommand $StandIn, 'connections' @Row } }
    @{ Name = 'a CLI too old for --overwrite'; Id = 'AirflowCliTooOld'; Category = 'NotImplemented'; CliRuns = $true
        Run = { $env:AIRFLOW_STANDIN_VERSION = '2.5.3'; New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Cli -AirflowCommand $StandIn @Row } }
    @{ Name = 'a CLI that says nothing (not even to connections get)'; Id = 'AirflowCliUnexpectedOutput'; Category = 'InvalidData'; CliRuns = $true
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Cli -AirflowCommand 'true' @Row } }
    @{ Name = 'a CLI that reads but says nothing on import'; Id = 'AirflowCliNotConfirmed'; Category = 'InvalidData'; CliRuns = $true; NotOnWindows = $true
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Cli -AirflowCommand 'sh', '-c', 'if [ "$2" = get ]; then exec "$0" "$@"; fi', $StandIn @Row } }
    @{ Name = 'a connection of another type at the id (Cli)'; Id = 'NotDockerConnection'; Category = 'InvalidOperation'; CliRuns = $true
        Run = { Set-StandInStore '{"ecr": {"conn_type": "postgres", "host": "db", "login": "app", "password": "pg-pass"}}'
            New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Cli -AirflowCommand $StandIn @Row } }
    @{ Name = 'an -AirflowCommand with an empty element'; Id = 'ParameterArgumentValidationError'; Category = 'InvalidData'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Cli -AirflowCommand $StandIn, '' @Row } }
    @{ Name = 'a -WorkingDirectory that does not exist'; Id = 'WorkingDirectoryNotFound'; Category = 'ObjectNotFound'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Cli -AirflowCommand $StandIn -WorkingDirectory (Join-Path $Work 'missing') @Row } }

    @{ Name = 'a -WorkingDirectory that belongs to another user'; Id = 'WorkingDirectoryNotTrusted'; Category = 'SecurityError'; RootOnly = $true
        Run = { $d = New-Item -ItemType Directory (Join-Path $Work 'theirs'); chown $Other $d.FullName; Set-Seeded
            New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Cli -AirflowCommand $StandIn -WorkingDirectory $d.FullName @Row } }
    @{ Name = 'a -WorkingDirectory every user can write to, without the sticky bit (0777)'; Id = 'WorkingDirectoryNotTrusted'; Category = 'SecurityError'; NotOnWindows = $true
        Run = { $d = New-Item -ItemType Directory (Join-Path $Work 'open'); [IO.File]::SetUnixFileMode($d.FullName, [IO.UnixFileMode]511); Set-Seeded
            New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Cli -AirflowCommand $StandIn -WorkingDirectory $d.FullName @Row } }
    @{ Name = 'a -WorkingDirectory of ours inside a folder of another user'; Id = 'WorkingDirectoryNotTrusted'; Category = 'SecurityError'; RootOnly = $true
        Run = { $p = New-Item -ItemType Directory (Join-Path $Work 'their-parent'); $d = New-Item -ItemType Directory (Join-Path $p.FullName 'mine'); chown $Other $p.FullName; Set-Seeded
            New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Cli -AirflowCommand $StandIn -WorkingDirectory $d.FullName @Row } }

    # ---- EnvironmentVariable ----
    @{ Name = '-Path with -Scope'; Id = 'PathAndScopeTogether'; Category = 'InvalidArgument'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -Scope Process -Path (Join-Path $Work '.env') @Row } }
    @{ Name = '-Scope User off Windows'; Id = 'ScopeNotSupportedOnPlatform'; Category = 'InvalidArgument'; NotOnWindows = $true
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -Scope User @Row } }
    @{ Name = '-Scope Machine off Windows'; Id = 'ScopeNotSupportedOnPlatform'; Category = 'InvalidArgument'; NotOnWindows = $true
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -Scope Machine @Row } }
    @{ Name = 'a dotenv file in a missing folder'; Id = 'DotEnvFolderNotFound'; Category = 'ObjectNotFound'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -Path (Join-Path $Work 'missing/.env') @Row } }
    @{ Name = 'a dotenv path that is a folder (unreadable as a file)'; Id = 'DotEnvNotRegularFile'; Category = 'InvalidArgument'
        Run = { $null = New-Item -ItemType Directory (Join-Path $Work 'dir.env'); Sync-Seeded { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -Path (Join-Path $Work 'dir.env') @Row } } }
    @{ Name = 'a read-only dotenv file'; Id = 'DotEnvReadOnly'; Category = 'PermissionDenied'
        Run = { $f = Join-Path $Work 'ro.env'; [IO.File]::WriteAllText($f, "A=1`n"); Set-ItemProperty $f IsReadOnly $true
            Sync-Seeded { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -Path $f @Row } } }
    @{ Name = 'an unreadable dotenv file (mode 000)'; Id = 'DotEnvReadOnly'; Category = 'PermissionDenied'; NotOnWindows = $true
        Run = { $f = Join-Path $Work 'secret.env'; [IO.File]::WriteAllText($f, "A=1`n"); [IO.File]::SetUnixFileMode($f, [IO.UnixFileMode]::None)
            Sync-Seeded { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -Path $f @Row } } }
    @{ Name = 'a connection id outside ASCII for a variable (Python upper-cases ß to SS, .NET does not)'; Id = 'VariableNameNotAscii'; Category = 'InvalidArgument'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId 'straße' -Mode EnvironmentVariable -Path (Join-Path $Work '.env') @Row } }
    @{ Name = 'a connection id with a dotless i for a variable'; Id = 'VariableNameNotAscii'; Category = 'InvalidArgument'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId 'ecr_ı' -Mode EnvironmentVariable -CiSystem None @Row } }
    @{ Name = 'a dotenv file that belongs to another user'; Id = 'DotEnvOwnedByOtherUser'; Category = 'SecurityError'; RootOnly = $true
        Run = { $f = Join-Path $Work 'theirs.env'; [IO.File]::WriteAllText($f, "A=1`n"); chown $Other $f; Set-Seeded
            New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -Path $f @Row } }
    @{ Name = 'a dotenv file that others may write but its owner may not (0464)'; Id = 'DotEnvReadOnly'; Category = 'PermissionDenied'; NotOnWindows = $true
        Run = { $f = Join-Path $Work 'odd.env'; [IO.File]::WriteAllText($f, "A=1`n"); [IO.File]::SetUnixFileMode($f, [IO.UnixFileMode]308); Set-Seeded
            New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -Path $f @Row } }
    @{ Name = 'a dotenv path that is a FIFO (a read would hang)'; Id = 'DotEnvNotRegularFile'; Category = 'InvalidArgument'; NotOnWindows = $true
        Run = { $f = Join-Path $Work 'fifo.env'; mkfifo $f; Set-Seeded
            New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -Path $f @Row } }
    @{ Name = 'a dotenv link to /dev/zero (a read would never end)'; Id = 'DotEnvNotRegularFile'; Category = 'InvalidArgument'; NotOnWindows = $true
        Run = { $f = Join-Path $Work 'zero.env'; $null = New-Item -ItemType SymbolicLink -Path $f -Target '/dev/zero'; Set-Seeded
            New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -Path $f @Row } }
    @{ Name = 'a dangling dotenv link into another folder (no file may be created there)'; Id = 'DotEnvLinkNotFollowed'; Category = 'SecurityError'; NotOnWindows = $true
        Run = { $other = New-Item -ItemType Directory (Join-Path $Work 'elsewhere'); $f = Join-Path $Work '.env'
            $null = New-Item -ItemType SymbolicLink -Path $f -Target (Join-Path $other.FullName 'planted.env'); Set-Seeded
            New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -Path $f @Row } }
    @{ Name = 'a dotenv link in a folder every user can write to'; Id = 'DotEnvLinkNotFollowed'; Category = 'SecurityError'; NotOnWindows = $true
        Run = { $open = New-Item -ItemType Directory (Join-Path $Work 'open'); $real = Join-Path $Work 'real.env'; [IO.File]::WriteAllText($real, "A=1`n")
            $f = Join-Path $open.FullName '.env'; $null = New-Item -ItemType SymbolicLink -Path $f -Target $real; [IO.File]::SetUnixFileMode($open.FullName, [IO.UnixFileMode]511); Set-Seeded
            New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -Path $f @Row } }
    @{ Name = 'a dotenv link that belongs to another user'; Id = 'DotEnvLinkNotFollowed'; Category = 'SecurityError'; RootOnly = $true
        Run = { $real = Join-Path $Work 'real.env'; [IO.File]::WriteAllText($real, "A=1`n"); $f = Join-Path $Work '.env'
            $null = New-Item -ItemType SymbolicLink -Path $f -Target $real; chown -h $Other $f; Set-Seeded
            New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -Path $f @Row } }
    @{ Name = 'a GITHUB_ENV that is a FIFO (the step would hang)'; Id = 'GitHubEnvUnsafe'; Category = 'SecurityError'; NotOnWindows = $true
        Run = { $env:GITHUB_ENV = Join-Path $Work 'github_env'; mkfifo $env:GITHUB_ENV; Set-Seeded
            New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable @Row } }
    @{ Name = 'a GITHUB_ENV that is a dangling link into another folder'; Id = 'GitHubEnvUnsafe'; Category = 'SecurityError'; NotOnWindows = $true
        Run = { $other = New-Item -ItemType Directory (Join-Path $Work 'elsewhere'); $env:GITHUB_ENV = Join-Path $Work 'github_env'
            $null = New-Item -ItemType SymbolicLink -Path $env:GITHUB_ENV -Target (Join-Path $other.FullName 'planted'); Set-Seeded
            New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable @Row } }
    @{ Name = '-CiSystem GitHubActions without GITHUB_ENV'; Id = 'GitHubEnvNotSet'; Category = 'InvalidOperation'
        Run = { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -CiSystem GitHubActions @Row } }
    @{ Name = 'a value Azure Pipelines would decode'; Id = 'AzurePipelinesValueNotRepresentable'; Category = 'InvalidData'
        Run = { New-FakeCredential -Token 'a%0Db' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -CiSystem AzurePipelines @Row } }
    @{ Name = 'a dotenv variable that holds a connection of another type'; Id = 'NotDockerConnection'; Category = 'InvalidOperation'
        Run = { $f = Join-Path $Work '.env'; [IO.File]::WriteAllText($f, "AIRFLOW_CONN_ECR='postgresql://app:pg-pass@db/app'`n"); Set-Seeded
            New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -Path $f @Row } }
    @{ Name = 'a dotenv variable that holds something that is not a connection'; Id = 'NotDockerConnection'; Category = 'InvalidOperation'
        Run = { $f = Join-Path $Work '.env'; [IO.File]::WriteAllText($f, "AIRFLOW_CONN_ECR='{`"db_password`": `"x`"}'`n"); Set-Seeded
            New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -Path $f -Format Json @Row } }
) {
    BeforeEach {
        foreach ($n in $EnvNames) { Set-TestEnv $n $null }
        $script:Work = New-TestFolder 'input'
        $env:AWS_CONFIG_FILE = Join-Path $Work 'aws-config'             # exists nowhere: no profile, no region
        $env:AWS_SHARED_CREDENTIALS_FILE = Join-Path $Work 'aws-credentials'
        $env:AWS_EC2_METADATA_DISABLED = 'true'
        $env:AIRFLOW_STANDIN_HOME = Join-Path ([IO.Path]::GetTempPath()) ("ecrairflow-hard-standin-" + [guid]::NewGuid().ToString('n').Substring(0, 12))
        $script:Rest = @{ Mode = 'Rest'; AirflowUrl = $Emu.Url; AirflowCredential = $AirflowCredential; ApiVersion = 'V2' }
        Clear-EmulatorState -Url $Emu.Url
        # Files a row seeds itself are part of "before": Sync-Seeded snapshots after seeding (Set-Seeded too,
        # for rows whose error is non-terminating and must land in the row's -ErrorVariable).
        function script:Sync-Seeded([scriptblock] $Command) { $script:FolderBefore = Get-FolderState $Work; . $Command }
        function script:Set-Seeded { $script:FolderBefore = Get-FolderState $Work }
        # A row about what the CLI's store already holds: seeded through the stand-in's own import, then forgotten.
        $script:StoreBefore = $null
        function script:Set-StandInStore([string] $Json) {
            $null = New-Item -ItemType Directory -Force $env:AIRFLOW_STANDIN_HOME
            $seed = Join-Path $env:AIRFLOW_STANDIN_HOME 'seed.json'
            [IO.File]::WriteAllText($seed, $Json)
            $null = & $StandIn connections import $seed --overwrite
            Remove-Item -LiteralPath $seed, (Join-Path $env:AIRFLOW_STANDIN_HOME 'calls.jsonl'), (Join-Path $env:AIRFLOW_STANDIN_HOME 'imports.jsonl')
            $script:StoreBefore = Get-Content -LiteralPath (Join-Path $env:AIRFLOW_STANDIN_HOME 'connections.json') -Raw
        }
    }

    AfterEach {
        Remove-TestFolder $script:Work
        Remove-TestFolder $env:AIRFLOW_STANDIN_HOME
    }

    It 'fails with its documented id and category, no stack trace, and writes nothing' -Skip:(($NotOnWindows -and $IsWindows) -or ($RootOnly -and -not $CanChown)) {
        if (($NotOnWindows -or $RootOnly) -and (-not $IsWindows -and $env:ECRAIRFLOW_FRAMEWORK -eq 'netstandard2.0')) { Set-ItResult -Skipped -Because 'Unix owners, modes, links and signals are the net8.0 build''s (what PowerShell 7 loads on Linux and macOS); the netstandard2.0 build runs only in Windows PowerShell 5.1, on Windows, where these rules do not apply'; return }
        $Row = @{ ErrorVariable = 'rowErrors'; ErrorAction = 'SilentlyContinue' }
        $rowErrors = $null
        $script:FolderBefore = Get-FolderState $Work
        $varsBefore = Get-ConnVariables
        $tempBefore = Get-TempImportFiles
        $thrown = $null
        $output = try { . $Run } catch { $thrown = $_ }

        $record = if ($thrown) { $thrown } else { @($rowErrors)[0] }
        $record | Should -Not -BeNullOrEmpty -Because 'the input must be refused with an error'
        $record | Should -BeOfType [System.Management.Automation.ErrorRecord]
        $record.FullyQualifiedErrorId | Should -BeLike "$Id,*" -Because "$($record.Exception.Message) [env: $(Get-ChildItem Env:AIRFLOW_STANDIN* | ForEach-Object { "$($_.Name)=$($_.Value)" })]"
        "$($record.CategoryInfo.Category)" | Should -Be $Category
        $output | Should -BeNullOrEmpty

        # What a user sees: the message, the hint, no .NET internals.
        foreach ($view in Get-ErrorViews $record) {
            $view | Should -Not -Match '(?m)^\s+at [\w.`<>]+\(' -Because 'no stack frame reaches the user'
            $view | Should -Not -Match '--->' -Because 'no inner-exception dump reaches the user'
            $view | Should -Not -Match '(?m)System\.[\w.]+Exception: ' -Because 'no Exception.ToString() text reaches the user'
        }
        $record.Exception.Message | Should -Not -Match '(?m)^\s+at '
        if ($record.Exception -is [EcrAirflow.EcrAirflowException]) {
            $record.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty -Because 'our errors say what to do'
        }

        # Nothing written anywhere.
        Get-EmulatorRequests -Url $Emu.Url | Should -BeNullOrEmpty -Because 'no Airflow request is made'
        Get-FolderState $Work | Should -Be $script:FolderBefore -Because 'no file is created or changed'
        Get-ConnVariables | Should -Be $varsBefore -Because 'no AIRFLOW_CONN_* variable is set'
        Get-TempImportFiles | Should -Be $tempBefore
        $calls = Join-Path $env:AIRFLOW_STANDIN_HOME 'calls.jsonl'
        $store = Join-Path $env:AIRFLOW_STANDIN_HOME 'connections.json'
        if ($CliRuns -and $script:StoreBefore) { Get-Content -LiteralPath $store -Raw | Should -BeExactly $script:StoreBefore -Because 'what the CLI stored is unchanged' }
        elseif ($CliRuns) { Test-Path $store | Should -BeFalse -Because 'the CLI stored nothing' }
        else { Test-Path $calls | Should -BeFalse -Because 'the CLI is not run for rejected input' }
    }
}

Describe 'Inputs that look odd but are fine' {
    BeforeEach { $script:Work = New-TestFolder 'input-ok' }
    AfterEach { Remove-TestFolder $script:Work }

    It 'a CRLF dotenv file is edited in place and keeps CRLF endings' {
        $path = Join-Path $Work '.env'
        [IO.File]::WriteAllText($path, "A=1`r`nAIRFLOW_CONN_ECR='docker://AWS:old@old.example.com'`r`nB=2`r`n")
        $result = New-FakeCredential -Token 'crlf+/=' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -Path $path
        $result.Action | Should -Be 'Updated'
        [IO.File]::ReadAllText($path) | Should -BeExactly "A=1`r`nAIRFLOW_CONN_ECR='docker://AWS:crlf%2B%2F%3D@123456789012.dkr.ecr.eu-west-1.amazonaws.com'`r`nB=2`r`n"
        @(Get-ChildItem -Force $Work).Count | Should -Be 1 -Because 'no lock or temporary file is left'
    }

    It 'a duplicate connection id writes the first and refuses the second' {
        $path = Join-Path $Work '.env'
        $errs = $null
        $result = (New-FakeCredential -Account 111111111111 -Token 'one'), (New-FakeCredential -Account 222222222222 -Token 'two') |
            Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -Path $path -ErrorVariable errs -ErrorAction SilentlyContinue
        $result.ConnectionId | Should -Be 'ecr'
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'DuplicateConnectionId,*'
        Get-Content $path | Should -Be "AIRFLOW_CONN_ECR='docker://AWS:one@111111111111.dkr.ecr.eu-west-1.amazonaws.com'"
    }
}

Describe 'Ids that Airflow would read as one variable' {
    BeforeEach { $script:Work = New-TestFolder 'input-case' }
    AfterEach { Remove-TestFolder $script:Work }

    It 'ecr and ECR are one AIRFLOW_CONN_ECR: the second is refused, not written over the first' {
        $path = Join-Path $Work '.env'
        $errs = $null
        $ids = @{ '111111111111' = 'ecr'; '222222222222' = 'ECR' }
        $result = (New-FakeCredential -Account 111111111111 -Token 'one'), (New-FakeCredential -Account 222222222222 -Token 'two') |
            Sync-AirflowEcrConnection -ConnectionId { $ids[$_.Registry.Substring(8, 12)] } -Mode EnvironmentVariable -Path $path -ErrorVariable errs -ErrorAction SilentlyContinue
        @($result).ConnectionId | Should -Be 'ecr'
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'DuplicateConnectionId,*'
        $errs[0].Exception.Message | Should -Match 'AIRFLOW_CONN_ECR'
        Get-Content $path | Should -Be "AIRFLOW_CONN_ECR='docker://AWS:one@111111111111.dkr.ecr.eu-west-1.amazonaws.com'"
    }
}

Describe 'A binding error alone' {
    It 'a credential piped without -ConnectionId gets PowerShell''s binding error only, not also NoCredentialInput' {
        $errs = $null
        $out = New-FakeCredential -Token 'bind-token' | Sync-AirflowEcrConnection -Mode EnvironmentVariable -WhatIf -ErrorVariable errs -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        @($errs) | Should -HaveCount 1 -Because 'a credential did come through the pipeline; only its binding failed'
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InputObjectMissingMandatory,*'
        $errs[0].Exception.Message | Should -Match 'ConnectionId'
    }

    It 'an empty pipeline still gets NoCredentialInput after an unrelated binding error of an earlier command' {
        $null = New-FakeCredential -Token 'bind-token' | Sync-AirflowEcrConnection -Mode EnvironmentVariable -WhatIf -ErrorAction SilentlyContinue
        $errs = $null
        @() | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -WhatIf -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'NoCredentialInput,*'
    }
}

Describe 'Error ids are documented' {
    BeforeAll {
        $script:DocRoot = if ($env:ECRAIRFLOW_TEST_ROOT) { $env:ECRAIRFLOW_TEST_ROOT } else { (Resolve-Path "$PSScriptRoot/../..").Path }
        $code = Get-ChildItem (Join-Path $DocRoot 'src') -Recurse -Filter *.cs | Where-Object FullName -notmatch '[\\/](bin|obj)[\\/]' | Get-Content -Raw
        $script:Ids = [Collections.Generic.HashSet[string]]::new()
        foreach ($pattern in '(?:new EcrAirflowException\(|NewError\()\s*"(\w+)"', '\bid = "(\w+)"', '=> \("(\w+)"', 'public const string \w+ = "((?:Airflow|Mwaa)\w+)"', 'new ModeConflict\(\s*"\w+",\s*"\w+",\s*"(\w+)"', 'AwsErrors\.Error\(\s*"(\w+)"') {
            foreach ($m in [regex]::Matches(($code -join "`n"), $pattern)) { $null = $Ids.Add($m.Groups[1].Value) }
        }
        foreach ($prefix in 'Ecr', 'Airflow', 'Registry') { foreach ($suffix in 'Timeout', 'TlsFailure', 'ConnectionFailed', 'ResponseTooLarge') { $null = $Ids.Add("$prefix$suffix") } }
        foreach ($m in [regex]::Matches(($code -join "`n"), '"(SecretsManager|ParameterStore)(\w+)"')) { $null = $Ids.Add($m.Groups[1].Value + $m.Groups[2].Value) }
        # What every AWS service's errors share (AwsApi/AwsErrors.cs and HttpRetry, prefixed with the service's
        # ErrorPrefix): each AWS-backed mode documents them under its own prefix.
        foreach ($prefix in 'SecretsManager', 'ParameterStore', 'Mwaa') {
            foreach ($suffix in 'AccessDenied', 'UnrecognizedClient', 'InvalidSignature', 'ExpiredCredentials', 'Throttled', 'ServiceUnavailable',
                'EndpointNotFound', 'RequestFailed', 'MalformedResponse', 'Timeout', 'TlsFailure', 'ConnectionFailed', 'ResponseTooLarge') { $null = $Ids.Add("$prefix$suffix") }
        }
        $null = $Ids.Add('MwaaEnvironmentNameRequired')   # <parameter>Required, from the mode table
        $Ids.Remove('MinimumVersion') | Out-Null
    }

    It 'every id the code raises is in the ERRORS section of an about_EcrAirflow topic of the staged module' {
        $Ids.Count | Should -BeGreaterThan 60
        # about_EcrAirflow (the ids every mode shares) and about_EcrAirflow_<Mode> (each mode's own), as installed.
        $topics = @(Get-ChildItem (Join-Path (Split-Path $env:ECRAIRFLOW_TEST_MODULE) 'en-US') -Filter 'about_EcrAirflow*.help.txt')
        $topics.Count | Should -Be (1 + [Enum]::GetNames([EcrAirflow.SyncMode]).Count)
        $errors = foreach ($topic in $topics) {
            $about = Get-Content -LiteralPath $topic.FullName -Raw
            $about.IndexOf("`nERRORS") | Should -BeGreaterThan 0 -Because "$($topic.Name) has an ERRORS section"
            $about.Substring($about.IndexOf("`nERRORS"))
        }
        $missing = @($Ids | Where-Object { ($errors -join "`n") -notmatch "\b$_\b" } | Sort-Object)
        $missing | Should -BeNullOrEmpty -Because 'each id needs its category and "when" in about_EcrAirflow or its mode''s topic'
    }

    It 'every id the code raises has an entry in docs/troubleshooting.md' {
        $page = Get-Content -LiteralPath (Join-Path $DocRoot 'docs/troubleshooting.md') -Raw
        $missing = @($Ids | Where-Object { $page -notmatch "``$_``" } | Sort-Object)
        $missing | Should -BeNullOrEmpty -Because 'each id says what to do about it in the troubleshooting page'
    }
}
