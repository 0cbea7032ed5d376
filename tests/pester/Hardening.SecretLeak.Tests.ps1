# Secret-leak audit. Every mode (Get-EcrDockerCredential against moto; Sync-AirflowEcrConnection -Mode Rest
# with Airflow 2 and 3, Cli, EnvironmentVariable to the process, a dotenv file, GitHub Actions and Azure
# Pipelines, Mwaa through the MWAA peer on Airflow 2 and 3), on success and failure paths and with -WhatIf, run with -Verbose -Debug -ErrorVariable under
# Start-Transcript with the console captured. Then every place a secret could surface is searched for every
# secret of the run, plain, percent-encoded, JSON-escaped and base64-encoded: all six streams, the
# ErrorRecords (-ErrorVariable, $Error, exceptions and inner exceptions), the transcript, the console (minus
# the CI commands meant to carry secrets), the stand-in CLI's recorded argv, new or changed files in the temp
# folder, the emulator's request log, moto's and the MWAA peer's. The channels meant for a secret are checked to hold it.
# The temp folder is the suite's own (Enter-PrivateTemp), so an ecrairflow-*.json another process writes to the
# shared one is not taken for ours; the shared one is still searched for this run's secrets.

BeforeAll {
    Import-Module $env:ECRAIRFLOW_TEST_MODULE -Force
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Root = if ($env:ECRAIRFLOW_TEST_ROOT) { $env:ECRAIRFLOW_TEST_ROOT } else { (Resolve-Path "$PSScriptRoot/../..").Path }
    $script:StandIn = Join-Path $Root 'tests/peers/airflow/airflow'

    $script:OwnMoto = $null
    if (-not $env:ECRAIRFLOW_TEST_MOTO -or -not (Test-Path $env:ECRAIRFLOW_TEST_MOTO)) {
        $script:OwnMoto = Start-MotoPeer -WorkDirectory ([IO.Path]::GetTempPath())
        $env:ECRAIRFLOW_TEST_MOTO = $OwnMoto.InfoPath
    }
    $script:Moto = Get-Content $env:ECRAIRFLOW_TEST_MOTO -Raw | ConvertFrom-Json
    $script:MotoEndpoint = $Moto.endpoint

    # Distinctive secrets, each with characters that change under percent-encoding and JSON escaping.
    $script:AirflowPassword = 'AfPw+/=Leak:9q'
    $script:WrongAirflowPassword = 'AfWrong+/=Leak:4z'
    $script:EcrPassword = 'EcrPw+/=Leak:7Qz'
    # moto issues a new ECR token on every call: the ones issued during a run are secrets of that run.
    function Get-MotoTokenCount { @(Get-MotoEcrToken -Endpoint $MotoEndpoint).Count }
    function Get-MotoPasswordsSince([int] $Count) { @(Get-MotoEcrToken -Endpoint $MotoEndpoint | Select-Object -Skip $Count | ForEach-Object { $_.password }) }
    # The token a target already holds: a refresh reads it back (the CLI prints it) and must never show it.
    $script:StoredEcrPassword = 'StoredPw+/=Leak:3Kx'
    $script:SessionToken = 'IQoJSessTok+/=Leak:EXPIRED'
    $script:AccessTokenText = 'eyJBearer+/=Leak.tok3n'
    $script:CredentialProcessSecret = 'CredProcSecret+/=Leak:1x'
    $script:StsUrlPassword = 'StsUrlPw+Leak9'
    # What a user keeps in Airflow that is not EcrAirflow's: another connection's password, a secret in a Docker extra.
    $script:OtherConnPassword = 'PgPw+/=Leak:3k'
    $script:ExtraSecret = 'XtraTok+/=Leak:8m'
    # An ECR-sized token (ECR's are about 2,000 characters): SQLAlchemy quotes only its first and last 149.
    $script:LongEcrPassword = 'LongEcr+/=' + (-join (1..190 | ForEach-Object { 'Tok' + ('{0:x4}' -f ($_ * 7919 % 65536)) + '+/=' }))
    $script:Basic = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("admin:$AirflowPassword"))
    $script:AllSecrets = @($AirflowPassword, $WrongAirflowPassword, $EcrPassword, $StoredEcrPassword, $SessionToken, $AccessTokenText, $CredentialProcessSecret, $StsUrlPassword, $LongEcrPassword, $OtherConnPassword, $ExtraSecret,
        $Moto.allowed.secretAccessKey, $Moto.denied.secretAccessKey, $Moto.admin.secretAccessKey)

    $script:Emulators = @{
        2 = Start-AirflowEmulator -AirflowVersion 2 -Password $AirflowPassword
        3 = Start-AirflowEmulator -AirflowVersion 3 -Password $AirflowPassword
    }
    # The MWAA peer (botocore checks the signatures) in front of both emulators; moto's keys are its keys too.
    $script:MwaaWork = New-TestFolder 'leak-mwaa'
    $script:Mwaa = Start-MwaaPeer -WorkDirectory $MwaaWork
    $null = Add-MwaaKey -Peer $Mwaa -Key $Moto.allowed
    $null = Add-MwaaKey -Peer $Mwaa -Key $Moto.denied -Actions 'airflow:GetEnvironment' -UserName 'denied'
    foreach ($v in 2, 3) { $null = Add-MwaaEnvironment -Peer $Mwaa -Name "af$v" -AirflowVersion ($(if ($v -eq 2) { '2.10.3' } else { '3.0.6' })) -AirflowUrl $Emulators[$v].Url -AirflowPassword $AirflowPassword }
    $script:AirflowCredential = [pscredential]::new('admin', (ConvertTo-SecureString $AirflowPassword -AsPlainText -Force))
    $script:WrongAirflowCredential = [pscredential]::new('admin', (ConvertTo-SecureString $WrongAirflowPassword -AsPlainText -Force))
    $script:AllowedAws = New-AwsKeyCredential $Moto.allowed
    $script:DeniedAws = New-AwsKeyCredential $Moto.denied
    $script:WrongSecretAws = New-AwsKeyCredential $Moto.allowed -SecretAccessKey $Moto.admin.secretAccessKey
    $script:SessionTokenSecure = ConvertTo-SecureString $SessionToken -AsPlainText -Force

    $script:EnvNames = 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION',
        'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_ECR', 'AWS_ENDPOINT_URL_MWAA', 'AWS_EC2_METADATA_DISABLED',
        'AWS_ENDPOINT_URL_STS', 'GITHUB_ENV', 'TF_BUILD', 'AIRFLOW_STANDIN_HOME', 'AIRFLOW_STANDIN_FAIL', 'AIRFLOW_STANDIN_GET_FAIL', 'AIRFLOW_CONN_ECR_AUDIT', 'AIRFLOW_CONN_ECR_AUDIT_ENV'
    $script:SavedEnv = @{}
    foreach ($n in $EnvNames) { $SavedEnv[$n] = [Environment]::GetEnvironmentVariable($n) }

    # Seeds ecr_audit as something the refresh must not overwrite or show: a postgres connection with its password.
    function Set-OtherConnection($Emulator) {
        $null = Set-EmulatorConnection -Url $Emulator.Url -ConnectionId ecr_audit -Connection @{ connection_id = 'ecr_audit'; conn_type = 'postgres'; host = 'db.example.com'; login = 'app'; password = $OtherConnPassword }
    }
    # Seeds ecr_audit as a Docker connection whose extra holds a secret (Airflow's API returns it masked).
    function Set-DockerWithExtraSecret($Emulator) {
        $null = Set-EmulatorConnection -Url $Emulator.Url -ConnectionId ecr_audit -Connection @{ connection_id = 'ecr_audit'; conn_type = 'docker'; host = 'old.example.com'; login = 'AWS'; password = 'old'
            extra = (@{ email = 'a@example.com'; registry_token = $ExtraSecret } | ConvertTo-Json -Compress) }
    }
    $script:PrivateTemp = Enter-PrivateTemp 'leak-tmp'
}

AfterAll {
    foreach ($n in $EnvNames) { Set-TestEnv $n $SavedEnv[$n] }
    Exit-PrivateTemp $PrivateTemp
    foreach ($emulator in $Emulators.Values) { Stop-Peer $emulator }
    if ($OwnMoto) { Stop-Peer $OwnMoto }
    Stop-Peer $Mwaa
    if ($MwaaWork) { Remove-TestFolder $MwaaWork }
}

Describe 'Secret-leak audit: <Name>' -ForEach @(
    # ---- Get-EcrDockerCredential against moto (SigV4 checked) ----
    @{ Name = 'Get-EcrDockerCredential success piped into the process variable'; ExpectedError = $null
        Script = { Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $MotoEndpoint -Credential $AllowedAws -Force @Audit |
                Sync-AirflowEcrConnection -ConnectionId ecr_audit -Mode EnvironmentVariable -CiSystem None @Audit }
        Check = { $env:AIRFLOW_CONN_ECR_AUDIT | Should -BeLike "docker://AWS:$([uri]::EscapeDataString((Get-MotoEcrPassword -Endpoint $MotoEndpoint -AccessKeyId $Moto.allowed.accessKeyId)))@*" } }
    @{ Name = 'Get-EcrDockerCredential with the secret key in AWS_SECRET_ACCESS_KEY'; ExpectedError = $null
        Script = { $env:AWS_ACCESS_KEY_ID = $Moto.allowed.accessKeyId; $env:AWS_SECRET_ACCESS_KEY = $Moto.allowed.secretAccessKey
            Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $MotoEndpoint -Force @Audit | Select-Object Registry, UserName, ExpiresAt, Password, Credential } }
    @{ Name = 'Get-EcrDockerCredential with a wrong secret key'; ExpectedError = 'EcrInvalidSignature'
        Script = { Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $MotoEndpoint -Credential $WrongSecretAws -Force @Audit } }
    @{ Name = 'Get-EcrDockerCredential with a session token moto rejects'; ExpectedError = 'EcrUnrecognizedClient'
        Script = { Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $MotoEndpoint -Credential $AllowedAws -SessionToken $SessionTokenSecure -Force @Audit } }
    @{ Name = 'Get-EcrDockerCredential with an identity that may not call ECR'; ExpectedError = 'EcrAccessDenied'
        Script = { Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $MotoEndpoint -Credential $DeniedAws -Force @Audit } }
    @{ Name = 'Get-EcrDockerCredential with ECR unreachable'; ExpectedError = 'EcrConnectionFailed'
        Script = { Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl 'http://127.0.0.1:9' -Credential $AllowedAws -SessionToken $SessionTokenSecure -MaximumRetryCount 1 -Force @Audit } }

    @{ Name = 'Get-EcrDockerCredential with a credential_process that prints a secret on stderr and fails'; ExpectedError = 'CredentialProcessFailed'; NotOnWindows = $true
        Script = { $proc = Join-Path $Work 'creds.sh'
            [IO.File]::WriteAllText($proc, "#!/bin/sh`necho 'vault: token $CredentialProcessSecret expired for AKIAIOSFODNN7EXAMPLE' >&2`nexit 1`n")
            [IO.File]::SetUnixFileMode($proc, [IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
            $profiles = Join-Path $Work 'profiles'
            [IO.File]::WriteAllText($profiles, "[leaky]`ncredential_process = $proc`n")
            Get-EcrDockerCredential -ProfileName leaky -ProfileLocation $profiles -Region eu-west-1 -EndpointUrl $MotoEndpoint -Force @Audit } }
    @{ Name = 'Get-EcrDockerCredential with user:password@ in -EndpointUrl'; ExpectedError = 'InvalidEndpointUrl'
        Script = { Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl ($MotoEndpoint -replace '//', "//ecruser:$StsUrlPassword@") -Credential $AllowedAws -Force @Audit } }
    @{ Name = 'Get-EcrDockerCredential with user:password@ in AWS_ENDPOINT_URL_ECR'; ExpectedError = 'InvalidEndpointUrl'
        Script = { $env:AWS_ENDPOINT_URL_ECR = $MotoEndpoint -replace '//', "//ecruser:$StsUrlPassword@"
            Get-EcrDockerCredential -Region eu-west-1 -Credential $AllowedAws -Force @Audit } }
    @{ Name = 'Get-EcrDockerCredential with user:password@ in AWS_ENDPOINT_URL_STS'; ExpectedError = 'InvalidEndpointUrl'
        Script = { $env:AWS_ENDPOINT_URL_STS = "https://stsuser:$StsUrlPassword@127.0.0.1:9"
            Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $MotoEndpoint -Credential $AllowedAws -RoleArn "arn:aws:iam::$($Moto.accountId):role/x" -Force @Audit } }

    # ---- Rest, Airflow 2 and 3 ----
    foreach ($v in 2, 3) {
        @{ Name = "Rest Airflow $v success"; Version = $v; ExpectedError = $null
            Script = { New-FakeCredential -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit @Rest @Audit }
            Check = { (Get-EmulatorConnections -Url $Emu.Url | Where-Object connection_id -eq 'ecr_audit').password | Should -BeExactly $EcrPassword } }
        @{ Name = "Rest Airflow $v with a wrong Airflow password"; Version = $v; ExpectedError = 'AirflowAuthenticationFailed'
            Script = { New-FakeCredential -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit -Mode Rest -AirflowUrl $Emu.Url -AirflowCredential $WrongAirflowCredential -ApiVersion $Api @Audit } }
        @{ Name = "Rest Airflow $v with a wrong access token"; Version = $v; ExpectedError = 'AirflowAuthenticationFailed'
            Script = { New-FakeCredential -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit -Mode Rest -AirflowUrl $Emu.Url -AccessToken (ConvertTo-SecureString $AccessTokenText -AsPlainText -Force) -ApiVersion $Api @Audit } }
        @{ Name = "Rest Airflow $v answering 500"; Version = $v; ExpectedError = 'AirflowUnavailable'
            Script = { Set-EmulatorFault -Url $Emu.Url @{ status = 500; times = 10; method = $(if ($Api -eq 'V1') { 'POST' } else { 'PATCH' }) }
                New-FakeCredential -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit @Rest -MaximumRetryCount 1 @Audit } }
        @{ Name = "Rest Airflow $v echoing the password in a validation error"; Version = $v; ExpectedError = 'AirflowRejectedConnection'
            Script = {
                $body = if ($Api -eq 'V1') { @{ detail = "bad password '$EcrPassword' for admin:$AirflowPassword"; status = 400; title = 'Bad Request'; type = 'about:blank' } }
                else { @{ detail = @(@{ type = 'string_type'; loc = @('body', 'password'); msg = "bad $EcrPassword"; input = @{ password = $EcrPassword; login = 'AWS' } }) } }
                Set-EmulatorFault -Url $Emu.Url @{ status = ($(if ($Api -eq 'V1') { 400 } else { 422 })); times = 1; method = $(if ($Api -eq 'V1') { 'POST' } else { 'PATCH' }); body = $body }
                New-FakeCredential -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit @Rest @Audit } }
        @{ Name = "Rest Airflow $v with a connection of another type at the id"; Version = $v; ExpectedError = 'NotDockerConnection'
            Script = { Set-OtherConnection $Emu
                New-FakeCredential -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit @Rest @Audit }
            Check = { (Get-EmulatorConnections -Url $Emu.Url | Where-Object connection_id -eq 'ecr_audit').password | Should -BeExactly $OtherConnPassword } }
        @{ Name = "Rest Airflow $v refreshing a connection with a secret in its extra"; Version = $v; ExpectedError = $null
            Script = { Set-DockerWithExtraSecret $Emu
                New-FakeCredential -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit @Rest @Audit }
            Check = { $stored = Get-EmulatorConnections -Url $Emu.Url | Where-Object connection_id -eq 'ecr_audit'
                $stored.password | Should -BeExactly $EcrPassword
                ($stored.extra | ConvertFrom-Json).registry_token | Should -BeExactly $ExtraSecret } }
        @{ Name = "Rest Airflow $v with -Email over an extra Airflow returns masked"; Version = $v; ExpectedError = 'AirflowExtraMasked'
            Script = { Set-DockerWithExtraSecret $Emu
                New-FakeCredential -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit @Rest -Email 'ops@example.com' @Audit }
            Check = { ((Get-EmulatorConnections -Url $Emu.Url | Where-Object connection_id -eq 'ecr_audit').extra | ConvertFrom-Json).registry_token | Should -BeExactly $ExtraSecret } }
        @{ Name = "Rest Airflow $v with -WhatIf"; Version = $v; ExpectedError = $null
            Script = { New-FakeCredential -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit @Rest -WhatIf @Audit }
            Check = { Get-EmulatorRequests -Url $Emu.Url | Should -BeNullOrEmpty } }
    }

    # ---- Mwaa, through the MWAA peer, Airflow 2 and 3 ----
    foreach ($v in 2, 3) {
        @{ Name = "Mwaa Airflow $v success"; MwaaVersion = $v; ExpectedError = $null
            Script = { New-FakeCredential -Region us-east-1 -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit @MwaaArgs -AwsCredential $AllowedAws @Audit }
            Check = { (Get-EmulatorConnections -Url $Emu.Url | Where-Object connection_id -eq 'ecr_audit').password | Should -BeExactly $EcrPassword } }
        @{ Name = "Mwaa Airflow $v with a wrong secret key"; MwaaVersion = $v; ExpectedError = 'MwaaInvalidSignature'
            Script = { New-FakeCredential -Region us-east-1 -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit @MwaaArgs -AwsCredential $WrongSecretAws @Audit } }
        @{ Name = "Mwaa Airflow $v with a session token MWAA does not know"; MwaaVersion = $v; ExpectedError = 'MwaaUnrecognizedClient'
            Script = { New-FakeCredential -Region us-east-1 -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit @MwaaArgs -AwsCredential $AllowedAws -SessionToken $SessionTokenSecure @Audit } }
        @{ Name = "Mwaa Airflow $v with a key that may not call InvokeRestApi"; MwaaVersion = $v; ExpectedError = 'MwaaAccessDenied'
            Script = { New-FakeCredential -Region us-east-1 -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit @MwaaArgs -AwsCredential $DeniedAws @Audit } }
        @{ Name = "Mwaa Airflow $v answering 500"; MwaaVersion = $v; ExpectedError = 'AirflowUnavailable'
            Script = { Set-EmulatorFault -Url $Emu.Url @{ status = 500; times = 10; method = $(if ($Api -eq 'V1') { 'POST' } else { 'PATCH' }) }
                New-FakeCredential -Region us-east-1 -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit @MwaaArgs -AwsCredential $AllowedAws -MaximumRetryCount 1 @Audit } }
        # (Only the ECR password: in Mwaa mode the module never knows an Airflow password, MWAA signs the principal in.)
        @{ Name = "Mwaa Airflow $v echoing the password in a validation error"; MwaaVersion = $v; ExpectedError = 'AirflowRejectedConnection'
            Script = {
                $body = if ($Api -eq 'V1') { @{ detail = "bad password '$EcrPassword' for AWS"; status = 400; title = 'Bad Request'; type = 'about:blank' } }
                else { @{ detail = @(@{ type = 'string_type'; loc = @('body', 'password'); msg = "bad $EcrPassword"; input = @{ password = $EcrPassword; login = 'AWS' } }) } }
                Set-EmulatorFault -Url $Emu.Url @{ status = ($(if ($Api -eq 'V1') { 400 } else { 422 })); times = 1; method = $(if ($Api -eq 'V1') { 'POST' } else { 'PATCH' }); body = $body }
                New-FakeCredential -Region us-east-1 -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit @MwaaArgs -AwsCredential $AllowedAws @Audit } }
        @{ Name = "Mwaa Airflow $v with a connection of another type at the id"; MwaaVersion = $v; ExpectedError = 'NotDockerConnection'
            Script = { Set-OtherConnection $Emu
                New-FakeCredential -Region us-east-1 -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit @MwaaArgs -AwsCredential $AllowedAws @Audit }
            Check = { (Get-EmulatorConnections -Url $Emu.Url | Where-Object connection_id -eq 'ecr_audit').password | Should -BeExactly $OtherConnPassword } }
        @{ Name = "Mwaa Airflow $v refreshing a connection with a secret in its extra"; MwaaVersion = $v; ExpectedError = $null
            Script = { Set-DockerWithExtraSecret $Emu
                New-FakeCredential -Region us-east-1 -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit @MwaaArgs -AwsCredential $AllowedAws @Audit }
            Check = { ((Get-EmulatorConnections -Url $Emu.Url | Where-Object connection_id -eq 'ecr_audit').extra | ConvertFrom-Json).registry_token | Should -BeExactly $ExtraSecret } }
        @{ Name = "Mwaa Airflow $v with -Reauth over an extra Airflow returns masked"; MwaaVersion = $v; ExpectedError = 'AirflowExtraMasked'
            Script = { Set-DockerWithExtraSecret $Emu
                New-FakeCredential -Region us-east-1 -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit @MwaaArgs -AwsCredential $AllowedAws -Reauth @Audit }
            Check = { ((Get-EmulatorConnections -Url $Emu.Url | Where-Object connection_id -eq 'ecr_audit').extra | ConvertFrom-Json).registry_token | Should -BeExactly $ExtraSecret } }
        @{ Name = "Mwaa Airflow $v with -WhatIf"; MwaaVersion = $v; ExpectedError = $null
            Script = { New-FakeCredential -Region us-east-1 -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit @MwaaArgs -AwsCredential $AllowedAws -WhatIf @Audit }
            Check = { Get-MwaaRequests -Peer $Mwaa | Should -BeNullOrEmpty; Get-EmulatorRequests -Url $Emu.Url | Should -BeNullOrEmpty } }
    }
    # ---- Echoes of the Authorization header and of encoded secrets (a proxy or a misconfigured Airflow) ----
    @{ Name = 'Rest Airflow 2 answering 403 with the Authorization header echoed in the reason phrase and the detail'; ExpectedError = 'AirflowPermissionDenied'
        Script = { $peer = New-TcpPeer -Mode Canned -Response (New-HttpAnswer 403 "Forbidden (Authorization: Basic $Basic)" (@{ detail = "Forbidden: Authorization: Basic $Basic; user admin:$AirflowPassword; raw $Basic" } | ConvertTo-Json -Compress))
            try { New-FakeCredential -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit -Mode Rest -AirflowUrl $peer.Url -AirflowCredential $AirflowCredential -ApiVersion V1 @Audit }
            finally { $peer.Dispose() } } }
    @{ Name = 'Rest Airflow 2 answering 400 with the ECR token (base64 of AWS:password) and the body base64-encoded'; ExpectedError = 'AirflowRejectedConnection'
        Script = { $ecrToken = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("AWS:$EcrPassword"))
            $bodyEcho = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("{`"connection_id`": `"ecr_audit`", `"password`": `"$EcrPassword`"}"))
            $peer = New-TcpPeer -Mode Canned -Response (New-HttpAnswer 400 'Bad Request' (@{ detail = "token $ecrToken rejected; request was $bodyEcho"; status = 400; title = 'Bad Request'; type = 'about:blank' } | ConvertTo-Json -Compress))
            try { New-FakeCredential -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit -Mode Rest -AirflowUrl $peer.Url -AirflowCredential $AirflowCredential -ApiVersion V1 @Audit }
            finally { $peer.Dispose() } } }
    @{ Name = 'Rest Airflow 2 redirecting to a Location that holds the token'; ExpectedError = 'AirflowRedirected'
        Script = { $peer = New-TcpPeer -Mode Canned -Response (New-HttpAnswer 302 'Found' '' 'text/plain' @{ Location = "https://login.example.com/$([uri]::EscapeDataString($EcrPassword))/$Basic" })
            try { New-FakeCredential -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit -Mode Rest -AirflowUrl $peer.Url -AirflowCredential $AirflowCredential -ApiVersion V1 @Audit }
            finally { $peer.Dispose() } } }

    # ---- Cli, against the stand-in ----
    @{ Name = 'Cli success'; Cli = $true; ExpectedError = $null
        Script = { New-FakeCredential -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit -Mode Cli -AirflowCommand $StandIn @Audit }
        Check = { ((& $StandIn connections get ecr_audit -o json) | ConvertFrom-Json)[0].password | Should -BeExactly $EcrPassword } }
    @{ Name = 'Cli failing with the token in its traceback'; Cli = $true; ExpectedError = 'AirflowCliFailed'
        Script = { $env:AIRFLOW_STANDIN_FAIL = '1'
            New-FakeCredential -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit -Mode Cli -AirflowCommand $StandIn @Audit } }
    @{ Name = 'Cli failing with a long token that SQLAlchemy shortens to its first and last 149 characters'; Cli = $true; ExpectedError = 'AirflowCliFailed'
        Script = { $env:AIRFLOW_STANDIN_FAIL = '1'
            New-FakeCredential -Token $LongEcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit -Mode Cli -AirflowCommand $StandIn @Audit }
        Check = {
            # The forms of the whole token are searched below; these are the fragments SQLAlchemy prints.
            foreach ($fragment in $LongEcrPassword.Substring(0, 149), $LongEcrPassword.Substring($LongEcrPassword.Length - 149), $LongEcrPassword.Substring(600, 40)) {
                foreach ($place in $run.Text, $run.Transcript) { $place.Contains($fragment) | Should -BeFalse -Because 'a fragment of a token is a secret too' }
            } } }
    @{ Name = 'Cli refresh over a stored connection (connections get prints its password)'; Cli = $true; ExpectedError = $null
        Script = { Set-StandInConnection
            New-FakeCredential -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit -Mode Cli -AirflowCommand $StandIn -Email 'ops@example.com' @Audit }
        Check = { $stored = ((& $StandIn connections get ecr_audit -o json) | ConvertFrom-Json)[0]
            $stored.password | Should -BeExactly $EcrPassword
            $stored.port | Should -Be '5000' } }
    @{ Name = 'Cli refresh whose read fails (the CLI prints a traceback)'; Cli = $true; ExpectedError = 'AirflowCliReadFailed'
        Script = { Set-StandInConnection; $env:AIRFLOW_STANDIN_GET_FAIL = '1'
            New-FakeCredential -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit -Mode Cli -AirflowCommand $StandIn @Audit } }
    @{ Name = 'Cli refresh over a connection of another type'; Cli = $true; ExpectedError = 'NotDockerConnection'
        Script = { Set-StandInConnection -Type postgres
            New-FakeCredential -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit -Mode Cli -AirflowCommand $StandIn @Audit } }
    @{ Name = 'Cli with -WhatIf'; Cli = $true; ExpectedError = $null
        Script = { New-FakeCredential -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit -Mode Cli -AirflowCommand $StandIn -WhatIf @Audit }
        Check = { Test-Path (Join-Path $env:AIRFLOW_STANDIN_HOME 'calls.jsonl') | Should -BeFalse } }

    # ---- EnvironmentVariable ----
    @{ Name = 'EnvironmentVariable process scope'; ExpectedError = $null
        Script = { New-FakeCredential -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit -Mode EnvironmentVariable -CiSystem None @Audit }
        Check = { $env:AIRFLOW_CONN_ECR_AUDIT | Should -BeLike "*$([uri]::EscapeDataString($EcrPassword))*" } }
    @{ Name = 'EnvironmentVariable dotenv file with -IncludeValue, as JSON'; ExpectedError = $null
        Script = { New-FakeCredential -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit -Mode EnvironmentVariable -Format Json -Path (Join-Path $Work '.env') -IncludeValue @Audit }
        Check = {
            $run.Output[0].Value | Should -BeLike "*$($EcrPassword | ConvertTo-Json)*"
            Get-Content -LiteralPath (Join-Path $Work '.env') -Raw | Should -BeLike "*AIRFLOW_CONN_ECR_AUDIT=*$($EcrPassword | ConvertTo-Json)*"
            $env:AIRFLOW_CONN_ECR_AUDIT | Should -BeNullOrEmpty } }
    @{ Name = 'EnvironmentVariable refresh of a stored JSON value in a dotenv file, in GitHub Actions'; ExpectedError = $null
        Script = { $env:GITHUB_ENV = Join-Path $Work 'github_env'
            [IO.File]::WriteAllText((Join-Path $Work '.env'), "AIRFLOW_CONN_ECR_AUDIT='{`"conn_type`": `"docker`", `"host`": `"h`", `"login`": `"AWS`", `"password`": `"$StoredEcrPassword`", `"port`": 5000}'`n")
            New-FakeCredential -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit -Mode EnvironmentVariable -Path (Join-Path $Work '.env') @Audit }
        Check = {
            $value = Get-Content -LiteralPath (Join-Path $Work '.env') -Raw
            $value | Should -BeLike "*$($EcrPassword | ConvertTo-Json)*"
            $value | Should -BeLike '*"port":5000*'
            Get-Content -LiteralPath (Join-Path $Work 'github_env') -Raw | Should -BeLike "*$($EcrPassword | ConvertTo-Json)*"
            $run.Console | Should -Match ('(?m)^::add-mask::' + [regex]::Escape($EcrPassword) + '$') } }
    @{ Name = 'EnvironmentVariable over a variable that holds something else (a secret)'; ExpectedError = 'NotDockerConnection'; KeepsProcess = $true
        Script = { $env:AIRFLOW_CONN_ECR_AUDIT = $StoredEcrPassword
            New-FakeCredential -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit -Mode EnvironmentVariable -CiSystem None @Audit }
        Check = { $env:AIRFLOW_CONN_ECR_AUDIT | Should -BeExactly $StoredEcrPassword } }
    @{ Name = 'EnvironmentVariable dotenv file with -WhatIf'; ExpectedError = $null
        Script = { New-FakeCredential -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit -Mode EnvironmentVariable -Path (Join-Path $Work '.env') -WhatIf @Audit }
        Check = { Test-Path (Join-Path $Work '.env') | Should -BeFalse } }
    @{ Name = 'EnvironmentVariable dotenv file in a missing folder'; ExpectedError = 'DotEnvFolderNotFound'
        Script = { New-FakeCredential -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit -Mode EnvironmentVariable -Path (Join-Path $Work 'missing/.env') @Audit } }
    @{ Name = 'EnvironmentVariable in GitHub Actions'; ExpectedError = $null
        Script = { $env:GITHUB_ENV = Join-Path $Work 'github_env'
            New-FakeCredential -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit -Mode EnvironmentVariable @Audit }
        Check = {
            $run.Console | Should -Match ('(?m)^::add-mask::' + [regex]::Escape($EcrPassword) + '$')
            Get-Content -LiteralPath (Join-Path $Work 'github_env') -Raw | Should -BeLike "*$([uri]::EscapeDataString($EcrPassword))*" } }
    @{ Name = 'EnvironmentVariable in GitHub Actions with -WhatIf'; ExpectedError = $null
        Script = { $env:GITHUB_ENV = Join-Path $Work 'github_env'
            New-FakeCredential -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit -Mode EnvironmentVariable -WhatIf @Audit }
        Check = { Test-Path (Join-Path $Work 'github_env') | Should -BeFalse; $run.Console | Should -Not -Match 'add-mask' } }
    @{ Name = 'EnvironmentVariable in GitHub Actions with GITHUB_ENV unwritable'; ExpectedError = 'GitHubEnvWriteFailed'; WritesProcess = $true
        Script = { $env:GITHUB_ENV = $Work   # a folder: appending to it fails
            New-FakeCredential -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit -Mode EnvironmentVariable @Audit } }
    @{ Name = 'EnvironmentVariable in Azure Pipelines'; ExpectedError = $null
        Script = { $env:TF_BUILD = 'True'
            New-FakeCredential -Token $EcrPassword | Sync-AirflowEcrConnection -ConnectionId ecr_audit -Mode EnvironmentVariable @Audit }
        Check = { $run.Console | Should -Match ('(?m)^##vso\[task\.setsecret\]' + [regex]::Escape($EcrPassword) + '$') } }
    @{ Name = 'EnvironmentVariable in Azure Pipelines with a value the agent would decode'; ExpectedError = 'AzurePipelinesValueNotRepresentable'
        Script = { $env:TF_BUILD = 'True'
            New-FakeCredential -Token ($EcrPassword + '%0D') | Sync-AirflowEcrConnection -ConnectionId ecr_audit -Mode EnvironmentVariable @Audit }
        Check = { $env:AIRFLOW_CONN_ECR_AUDIT | Should -BeNullOrEmpty } }
) {
    BeforeAll {
        # What the CLI's store holds before a Cli refresh: a connection with the token the target already has.
        function script:Set-StandInConnection([string] $Type = 'docker') {
            $null = New-Item -ItemType Directory -Force $env:AIRFLOW_STANDIN_HOME
            $seed = Join-Path $env:AIRFLOW_STANDIN_HOME 'seed.json'
            [IO.File]::WriteAllText($seed, (@{ ecr_audit = @{ conn_type = $Type; host = 'old.example.com'; login = 'AWS'; password = $StoredEcrPassword; port = 5000; extra = @{ timeout = 30 } } } | ConvertTo-Json -Depth 4))
            $null = & $StandIn connections import $seed --overwrite
            Remove-Item -LiteralPath $seed
        }
        if ($Version) {
            $script:Emu = $Emulators[$Version]
            $script:Api = $(if ($Version -eq 2) { 'V1' } else { 'V2' })
            $script:Rest = @{ Mode = 'Rest'; AirflowUrl = $Emu.Url; AirflowCredential = $AirflowCredential; ApiVersion = $Api }
        }
        if ($MwaaVersion) {
            $script:Emu = $Emulators[$MwaaVersion]
            $script:Api = $(if ($MwaaVersion -eq 2) { 'V1' } else { 'V2' })
            $script:MwaaArgs = @{ Mode = 'Mwaa'; MwaaEnvironmentName = "af$MwaaVersion"; Region = 'us-east-1'; EndpointUrl = $Mwaa.Endpoint; ApiVersion = $Api }
        }
    }

    BeforeEach {
        foreach ($n in $EnvNames) { Set-TestEnv $n $null }
        $env:AWS_CONFIG_FILE = [IO.Path]::Combine([IO.Path]::GetTempPath(), 'ecrairflow-hard-no-such-aws-config')
        $env:AWS_SHARED_CREDENTIALS_FILE = $env:AWS_CONFIG_FILE
        $env:AWS_EC2_METADATA_DISABLED = 'true'
        $script:Work = New-TestFolder 'leak'
        $env:AIRFLOW_STANDIN_HOME = Join-Path $Work 'standin'
        foreach ($e in $Emulators.Values) { Clear-EmulatorState -Url $e.Url }
        Clear-MwaaRequests -Peer $Mwaa
        $script:MotoLogLength = if (Test-Path $Moto.log) { (Get-Item $Moto.log).Length } else { 0 }
        $script:MotoTokensBefore = Get-MotoTokenCount
    }

    AfterEach {
        Remove-TestFolder $script:Work
    }

    It 'never shows a secret outside the channel meant for it' -Skip:($NotOnWindows -and $IsWindows) {
        $tempBefore = Get-TempSnapshot
        $sharedBefore = Get-TempSnapshot $PrivateTemp.Shared
        $run = Invoke-Audited $Script

        # The run did what the row says.
        if ($ExpectedError) {
            $run.Errors.Count | Should -BeGreaterThan 0 -Because 'the row expects an error'
            $run.Errors[0].FullyQualifiedErrorId | Should -BeLike "$ExpectedError,*"
            @($run.ErrorVariable).Count | Should -BeGreaterThan 0 -Because '-ErrorVariable collects it'
        }
        else {
            $run.Errors | Should -BeNullOrEmpty
        }
        if ($Check) { . $Check }

        # Every place a secret could surface.
        $places = [ordered]@{
            'the six streams, -ErrorVariable and $Error' = $run.Text
            'the console (minus CI secret commands)'     = Remove-SecretChannelLines $run.Console
            'the transcript (minus CI secret commands)'  = Remove-SecretChannelLines $run.Transcript
            'the Airflow 2 emulator request log'         = (Get-EmulatorRequests -Url $Emulators[2].Url | ConvertTo-Json -Depth 5)
            'the Airflow 3 emulator request log'         = (Get-EmulatorRequests -Url $Emulators[3].Url | ConvertTo-Json -Depth 5)
            'the MWAA peer request log'                  = (Get-MwaaRequests -Peer $Mwaa | ConvertTo-Json -Depth 5)
            "the MWAA peer's log file"                   = (Get-Content -LiteralPath $Mwaa.RequestLog -Raw -ErrorAction SilentlyContinue)
        }
        $calls = Join-Path $env:AIRFLOW_STANDIN_HOME 'calls.jsonl'
        if (Test-Path $calls) { $places["the stand-in CLI's argv log"] = Get-Content -LiteralPath $calls -Raw }
        if (Test-Path $Moto.log) {
            $stream = [IO.File]::Open($Moto.log, 'Open', 'Read', 'ReadWrite')
            try { $null = $stream.Seek($MotoLogLength, 'Begin'); $places["moto's request log"] = [IO.StreamReader]::new($stream).ReadToEnd() }
            finally { $stream.Dispose() }
        }
        $secrets = $AllSecrets + (Get-MotoPasswordsSince $MotoTokensBefore)
        foreach ($change in Get-TempChanges $tempBefore) {
            $change.Path | Should -Not -BeLike '*ecrairflow-*.json' -Because 'no CLI import file is left behind'
            Assert-NoSecret -Text $change.Text -Secrets $secrets -Where "the temp file $($change.Path)"
        }
        # Other processes write to the shared temp folder meanwhile; none of this run's secrets may be there.
        foreach ($change in Get-TempChanges $sharedBefore $PrivateTemp.Shared) {
            Assert-NoSecret -Text $change.Text -Secrets $secrets -Where "the shared temp file $($change.Path)"
        }
        foreach ($place in $places.GetEnumerator()) {
            Assert-NoSecret -Text $place.Value -Secrets $secrets -Where $place.Key
        }
        # No variable was set by a run that failed or only said what it would do (a GITHUB_ENV failure is
        # reported after the process variable was set: its message says so).
        if ((($ExpectedError -and -not $WritesProcess) -or $Name -like '*WhatIf*') -and -not $KeepsProcess) { $env:AIRFLOW_CONN_ECR_AUDIT | Should -BeNullOrEmpty }
    }
}

Describe "The scheduling example's log (examples/Update-AirflowEcrConnection.ps1)" {
    It 'holds no form of the Airflow password when a proxy answers 403 echoing the Authorization header' {
        $peer = New-TcpPeer -Mode Canned -Response (New-HttpAnswer 403 "Forbidden (Authorization: Basic $Basic)" (@{ detail = "Authorization: Basic $Basic is not allowed here" } | ConvertTo-Json -Compress))
        $pwsh = @(Get-PwshCommandLine)
        $example = Join-Path $Root 'examples/Update-AirflowEcrConnection.ps1'
        $saved = @{}
        $vars = @{ AIRFLOW_API_USER = 'admin'; AIRFLOW_API_PASSWORD = $AirflowPassword; AWS_ACCESS_KEY_ID = $Moto.allowed.accessKeyId; AWS_SECRET_ACCESS_KEY = $Moto.allowed.secretAccessKey
            AWS_CONFIG_FILE = [IO.Path]::Combine([IO.Path]::GetTempPath(), 'ecrairflow-hard-no-such-aws-config'); AWS_EC2_METADATA_DISABLED = 'true' }
        foreach ($k in $vars.Keys) { $saved[$k] = [Environment]::GetEnvironmentVariable($k); Set-TestEnv $k $vars[$k] }
        $tokensBefore = Get-MotoTokenCount
        try {
            $log = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $example -Region eu-west-1 -AirflowUrl $peer.Url -ApiVersion V1 `
                -EndpointUrl $MotoEndpoint -ModulePath $env:ECRAIRFLOW_TEST_MODULE 2>&1 | Out-String
            $LASTEXITCODE | Should -Be 1
        }
        finally {
            foreach ($k in $vars.Keys) { Set-TestEnv $k $saved[$k] }
            $peer.Dispose()
        }
        $log | Should -Match 'EcrAirflow refresh failed: .*\[AirflowPermissionDenied'
        $issued = @(Get-MotoPasswordsSince $tokensBefore)
        $issued.Count | Should -BeGreaterThan 0 -Because 'the example got an ECR token before Airflow refused'
        Assert-NoSecret -Text $log -Secrets ($AllSecrets + $issued) -Where "the example's log"
    }
}
