# Sync-AirflowEcrConnection -Mode Mwaa against the MWAA peer (tests/peers/mwaa_peer.py: signatures verified by
# AWS's own botocore, requests checked against botocore's mwaa model, an IAM-style allow list per key) in front of
# the Airflow API emulator as Airflow 2 and 3. AWS comes the way a refresh job has it: keys in the default chain
# (the environment), AWS_REGION and AWS_ENDPOINT_URL_MWAA; moto (SigV4 checked too) serves the ECR half.

BeforeAll {
    Import-Module $env:ECRAIRFLOW_TEST_MODULE -Force
    . (Join-Path $PSScriptRoot 'Common.ps1')

    $script:OwnMoto = $null
    if (-not $env:ECRAIRFLOW_TEST_MOTO -or -not (Test-Path $env:ECRAIRFLOW_TEST_MOTO)) {
        $script:OwnMoto = Start-MotoPeer -WorkDirectory ([IO.Path]::GetTempPath())
        $env:ECRAIRFLOW_TEST_MOTO = $OwnMoto.InfoPath
    }
    $script:Moto = Get-Content $env:ECRAIRFLOW_TEST_MOTO -Raw | ConvertFrom-Json

    $script:Work = New-TestFolder 'mwaa'
    $script:AirflowPassword = 'mwaa-Airflow-Pa55'
    $script:Emulators = @{
        2 = Start-AirflowEmulator -AirflowVersion 2 -Password $AirflowPassword
        # The MWAA environments below run 3.0.6: the emulator plays a 3.0 release, whose bulk update ignores update_mask.
        3 = Start-AirflowEmulator -AirflowVersion 3 -Password $AirflowPassword -BulkUpdateIgnoresMask
    }
    $script:Mwaa = Start-MwaaPeer -WorkDirectory $Work
    # The key of the refresh job: moto's 'allowed' user (ECR) is allowed MWAA's two actions too.
    $script:Key = $Moto.allowed
    $null = Add-MwaaKey -Peer $Mwaa -Key $Key
    $script:Reader = @{ accessKeyId = 'AKIAMWAASYNCREADER01'; secretAccessKey = 'reader/Secret+Key01' }
    $null = Add-MwaaKey -Peer $Mwaa -AccessKeyId $Reader.accessKeyId -SecretAccessKey $Reader.secretAccessKey -Actions 'airflow:GetEnvironment' -UserName 'mwaa-reader'
    $script:Environments = @{ 2 = 'af2'; 3 = 'af3' }
    $null = Add-MwaaEnvironment -Peer $Mwaa -Name 'af2' -AirflowVersion '2.10.3' -AirflowUrl $Emulators[2].Url -AirflowPassword $AirflowPassword
    $null = Add-MwaaEnvironment -Peer $Mwaa -Name 'af3' -AirflowVersion '3.0.6' -AirflowUrl $Emulators[3].Url -AirflowPassword $AirflowPassword -AirflowRole 'Op'
    $null = Add-MwaaEnvironment -Peer $Mwaa -Name 'old' -AirflowVersion '2.2.2' -AirflowUrl $Emulators[2].Url -AirflowPassword $AirflowPassword
    $null = Add-MwaaEnvironment -Peer $Mwaa -Name 'west' -AirflowVersion '3.0.6' -AirflowUrl $Emulators[3].Url -AirflowPassword $AirflowPassword -Region 'eu-west-1'
    $null = Add-MwaaEnvironment -Peer $Mwaa -Name 'cached' -AirflowVersion '2.10.3' -AirflowUrl $Emulators[2].Url -AirflowPassword $AirflowPassword

    $script:EnvNames = 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION',
        'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_ECR', 'AWS_ENDPOINT_URL_MWAA', 'AWS_EC2_METADATA_DISABLED',
        'AWS_USE_FIPS_ENDPOINT', 'AWS_USE_DUALSTACK_ENDPOINT'
    $script:SavedEnv = @{}
    foreach ($n in $EnvNames) { $SavedEnv[$n] = [Environment]::GetEnvironmentVariable($n) }

    function Get-StoredConnection([int] $Version, [string] $Id) {
        Get-EmulatorConnections -Url $Emulators[$Version].Url | Where-Object connection_id -eq $Id
    }
    # "Operation Method Path -> RestApiStatusCode" (or the error) for each MWAA API request the peer answered.
    function Get-MwaaLine {
        @(Get-MwaaRequests -Peer $Mwaa | ForEach-Object {
                if ($_.operation -eq 'InvokeRestApi' -and $null -ne $_.restApiStatusCode) { '{0} {1} {2} -> {3}' -f $_.operation, $_.restApiMethod, $_.restApiPath, $_.restApiStatusCode }
                else { '{0} -> {1}{2}' -f $_.operation, $_.status, ($(if ($_.errorType) { " $($_.errorType)" } else { '' })) }
            })
    }
    function New-Token([string] $Tag) { "tok+/=mwaa-$Tag-" + [guid]::NewGuid().ToString('n') }

    # What a refresh job has: keys in the default chain, the region and MWAA's endpoint variable. Nothing else.
    function Reset-TestState {
        foreach ($n in $EnvNames) { Set-TestEnv $n $null }
        $env:AWS_ACCESS_KEY_ID = $Key.accessKeyId
        $env:AWS_SECRET_ACCESS_KEY = $Key.secretAccessKey
        $env:AWS_REGION = 'us-east-1'
        $env:AWS_ENDPOINT_URL_MWAA = $Mwaa.Endpoint
        $env:AWS_CONFIG_FILE = Join-Path $Work 'no-aws-config'
        $env:AWS_SHARED_CREDENTIALS_FILE = Join-Path $Work 'no-aws-credentials'
        $env:AWS_EC2_METADATA_DISABLED = 'true'
        Clear-MwaaRequests -Peer $Mwaa
        foreach ($e in $Emulators.Values) { Clear-EmulatorState -Url $e.Url }
    }
}

AfterAll {
    foreach ($n in $EnvNames) { Set-TestEnv $n $SavedEnv[$n] }
    Stop-Peer $Mwaa
    foreach ($e in $Emulators.Values) { Stop-Peer $e }
    if ($OwnMoto) { Stop-Peer $OwnMoto }
    if ($Mwaa.RequestLog) { Remove-Item -LiteralPath $Mwaa.RequestLog -ErrorAction SilentlyContinue }
    Remove-TestFolder $Work
}

Describe 'Sync-AirflowEcrConnection -Mode Mwaa on an Airflow <_> environment' -ForEach 2, 3 {
    BeforeAll {
        $script:Version = $_
        $script:EnvName = $Environments[$_]
        $script:Api = $(if ($_ -eq 2) { 'V1' } else { 'V2' })
    }

    BeforeEach { Reset-TestState }

    It 'creates the connection, then updates it in place, through signed InvokeRestApi calls' {
        $id = New-TestId 'cu'
        $firstToken = New-Token first
        $first = New-FakeCredential -Region us-east-1 -Token $firstToken |
            Sync-AirflowEcrConnection -ConnectionId $id -Mode Mwaa -MwaaEnvironmentName $EnvName

        $first.ConnectionId | Should -Be $id
        $first.Mode | Should -Be 'Mwaa'
        $first.Target | Should -Be "mwaa:us-east-1:$EnvName"
        $first.ApiVersion | Should -Be $Api
        $first.Action | Should -Be 'Created'
        $first.Registry | Should -Be '123456789012.dkr.ecr.us-east-1.amazonaws.com'
        $stored = Get-StoredConnection $Version $id
        $stored.conn_type | Should -Be 'docker'
        $stored.host | Should -Be '123456789012.dkr.ecr.us-east-1.amazonaws.com'
        $stored.login | Should -Be 'AWS'
        $stored.password | Should -BeExactly $firstToken

        $token = New-Token second
        $second = New-FakeCredential -Region us-east-1 -Token $token | Sync-AirflowEcrConnection -ConnectionId $id -Mode Mwaa -MwaaEnvironmentName $EnvName
        $second.Action | Should -Be 'Updated'
        (Get-StoredConnection $Version $id).password | Should -BeExactly $token

        # Every call was signed with the job's key and accepted by botocore's check; Airflow saw no DELETE.
        $requests = @(Get-MwaaRequests -Peer $Mwaa)
        $requests.accessKeyId | Select-Object -Unique | Should -Be $Key.accessKeyId
        $requests.errorType | Where-Object { $_ -and $_ -ne 'RestApiClientException' } | Should -BeNullOrEmpty
        Get-EmulatorRequests -Url $Emulators[$Version].Url | Where-Object method -eq 'DELETE' | Should -BeNullOrEmpty
    }

    It 'writes three connections with two InvokeRestApi calls on Airflow 3, two per connection on Airflow 2' {
        $suffix = [guid]::NewGuid().ToString('n').Substring(0, 6)
        $regions = 'us-east-1', 'eu-west-1', 'ap-southeast-2'
        $creds = { $regions | ForEach-Object { New-FakeCredential -Region $_ -Token "tok+/=$_-$suffix" } }
        $sync = @{ ConnectionId = { "ecr_$($_.Region)_$suffix" }; Mode = 'Mwaa'; MwaaEnvironmentName = $EnvName; ApiVersion = $Api }
        # AWS_REGION is set, so every connection goes to the environment in us-east-1.
        $results = & $creds | Sync-AirflowEcrConnection @sync

        $results.ConnectionId | Should -Be ($regions | ForEach-Object { "ecr_${_}_$suffix" })
        $results.Target | Select-Object -Unique | Should -Be "mwaa:us-east-1:$EnvName"
        foreach ($region in $regions) { (Get-StoredConnection $Version "ecr_${region}_$suffix").password | Should -BeExactly "tok+/=$region-$suffix" }
        if ($Version -eq 3) {
            Get-MwaaLine | Should -Be @('InvokeRestApi GET /connections -> 200', 'InvokeRestApi PATCH /connections -> 200')
        }
        else {
            $lines = Get-MwaaLine
            @($lines -match '^InvokeRestApi GET /connections/ecr_.* -> 404$').Count | Should -Be 3
            @($lines -match '^InvokeRestApi POST /connections -> 200$').Count | Should -Be 3
        }

        Clear-MwaaRequests -Peer $Mwaa
        $null = & $creds | Sync-AirflowEcrConnection @sync
        @(Get-MwaaLine).Count | Should -Be ($(if ($Version -eq 3) { 2 } else { 6 })) -Because 'the steady state is one read and one write per Airflow 3 environment, a GET and a PATCH per connection on Airflow 2'
    }

    It 'keeps a 500 from Airflow as an error, retried, with the old connection intact' {
        $id = New-TestId 'f500'
        Set-EmulatorConnection -Url $Emulators[$Version].Url -ConnectionId $id -Connection @{ connection_id = $id; conn_type = 'docker'; host = 'old.example.com'; login = 'AWS'; password = 'still-working' }
        Set-EmulatorFault -Url $Emulators[$Version].Url @{ method = 'PATCH'; status = 500; times = 10 }
        $err = $null
        try { New-FakeCredential -Region us-east-1 -Token (New-Token f500) | Sync-AirflowEcrConnection -ConnectionId $id -Mode Mwaa -MwaaEnvironmentName $EnvName -ApiVersion $Api -MaximumRetryCount 1 -ErrorAction Stop }
        catch { $err = $_ }

        $err.FullyQualifiedErrorId | Should -BeLike 'AirflowUnavailable,*'
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
        $err.Exception.Message | Should -Match 'answered HTTP 500 after 1 retries'
        $err.Exception.Message | Should -Match "mwaa://us-east-1/$EnvName/api/v[12]/connections"
        $err.ErrorDetails.RecommendedAction | Should -Match 'web server'
        (Get-StoredConnection $Version $id).password | Should -BeExactly 'still-working'
        $calls = @(Get-MwaaRequests -Peer $Mwaa | Where-Object { $_.operation -eq 'InvokeRestApi' -and $_.restApiMethod -eq 'PATCH' })
        $calls.Count | Should -Be 2 -Because 'one retry'
        $calls.errorType | Select-Object -Unique | Should -Be 'RestApiServerException'
    }

    It 'keeps port, schema, the extra keys (reauth false, email, timeout) and the description''s own text' {
        $id = New-TestId 'keep'
        $emu = $Emulators[$Version]
        Set-EmulatorConnection -Url $emu.Url -ConnectionId $id -Connection @{ connection_id = $id; conn_type = 'docker'; host = 'old.example.com'; login = 'olduser'; password = 'users-old-Pa55'
            port = 5000; schema = 'v2'; extra = '{"reauth": false, "email": "ops@example.com", "timeout": 30}'; description = 'Team registry' } | Out-Null
        $token = New-Token keep
        $result = New-FakeCredential -Region us-east-1 -Token $token | Sync-AirflowEcrConnection -ConnectionId $id -Mode Mwaa -MwaaEnvironmentName $EnvName

        $result.Action | Should -Be 'Updated'
        $stored = Get-StoredConnection $Version $id
        $stored.password | Should -BeExactly $token
        $stored.host | Should -Be '123456789012.dkr.ecr.us-east-1.amazonaws.com'
        Assert-TeamSettingsKept $stored
        $stored.description | Should -Match '^Team registry; token expires '
        if ($Version -eq 3) { Get-MwaaLine | Should -Be @('InvokeRestApi GET /connections -> 200', 'InvokeRestApi PATCH /connections -> 200') }
        else { Get-MwaaLine | Should -Be @("InvokeRestApi GET /connections/$id -> 200", "InvokeRestApi PATCH /connections/$id -> 200") }

        # -Email changes only its own key.
        $null = New-FakeCredential -Region us-east-1 -Token (New-Token email) | Sync-AirflowEcrConnection -ConnectionId $id -Mode Mwaa -MwaaEnvironmentName $EnvName -Email 'new@example.com'
        $extra = (Get-StoredConnection $Version $id).extra | ConvertFrom-Json
        $extra.email | Should -Be 'new@example.com'
        $extra.reauth | Should -BeFalse
        $extra.timeout | Should -Be 30
        (Get-StoredConnection $Version $id).port | Should -Be 5000
    }

    It 'refuses a connection of another type, unchanged, unless -ReplaceNonDocker' {
        $id = New-TestId 'pg'
        Set-EmulatorConnection -Url $Emulators[$Version].Url -ConnectionId $id -Connection @{ connection_id = $id; conn_type = 'postgres'; host = 'db.example.com'; password = 'pg-Pa55-secret' } | Out-Null
        $err = $null
        $out = New-FakeCredential -Region us-east-1 -Token (New-Token pg) | Sync-AirflowEcrConnection -ConnectionId $id -Mode Mwaa -MwaaEnvironmentName $EnvName -ErrorVariable err -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NotDockerConnection,*'
        $err[0].Exception.Message | Should -Match 'a postgres connection'
        $err[0].Exception.Message | Should -Match "mwaa:us-east-1:$EnvName"
        (Get-StoredConnection $Version $id).password | Should -BeExactly 'pg-Pa55-secret'
        Get-MwaaLine | Where-Object { $_ -match ' (PATCH|POST) ' } | Should -BeNullOrEmpty

        $token = New-Token replaced
        (New-FakeCredential -Region us-east-1 -Token $token | Sync-AirflowEcrConnection -ConnectionId $id -Mode Mwaa -MwaaEnvironmentName $EnvName -ReplaceNonDocker).Action | Should -Be 'Updated'
        (Get-StoredConnection $Version $id).conn_type | Should -Be 'docker'
        (Get-StoredConnection $Version $id).password | Should -BeExactly $token
    }
}

Describe 'Sync-AirflowEcrConnection -Mode Mwaa' {
    BeforeEach { Reset-TestState }

    It 'refreshes from Get-EcrDockerCredential with only AWS_REGION, AWS_ENDPOINT_URL_MWAA and the default chain, on both Airflows' {
        foreach ($version in 2, 3) {
            foreach ($run in 1, 2) {
                $result = Get-EcrDockerCredential -EndpointUrl $Moto.endpoint -Force | Sync-AirflowEcrConnection -Mode Mwaa -MwaaEnvironmentName $Environments[$version] -ConnectionId ecr
                $result.Action | Should -Be ($(if ($run -eq 1) { 'Created' } else { 'Updated' }))
                $result.Target | Should -Be "mwaa:us-east-1:$($Environments[$version])"
                (Get-StoredConnection $version ecr).password | Should -BeExactly (Get-MotoEcrPassword -Endpoint $Moto.endpoint -AccessKeyId $Key.accessKeyId)
                (Get-StoredConnection $version ecr).host | Should -Be "$($Moto.accountId).dkr.ecr.us-east-1.amazonaws.com"
            }
        }
    }

    It 'takes the region from the piped credential when neither -Region nor the environment names one' {
        Set-TestEnv AWS_REGION $null
        $id = New-TestId 'west'
        $result = New-FakeCredential -Region eu-west-1 -Token (New-Token west) | Sync-AirflowEcrConnection -ConnectionId $id -Mode Mwaa -MwaaEnvironmentName west
        $result.Target | Should -Be 'mwaa:eu-west-1:west'
        (Get-StoredConnection 3 $id) | Should -Not -BeNullOrEmpty
        # -Region on the command line wins over the piped Region.
        $err = $null
        try { New-FakeCredential -Region eu-west-1 -Token (New-Token west) | Sync-AirflowEcrConnection -ConnectionId $id -Mode Mwaa -MwaaEnvironmentName west -Region us-east-1 -ErrorAction Stop }
        catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'MwaaEnvironmentNotFound,*'
        $err.Exception.Message | Should -Match "no Amazon MWAA environment 'west' in us-east-1"
    }

    It 'refuses a wrong secret key with MwaaInvalidSignature, and nothing is written' {
        $wrong = New-AwsKeyCredential $Key -SecretAccessKey 'not/the+secret-key'
        $id = New-TestId 'sig'
        $err = $null
        try { New-FakeCredential -Region us-east-1 -Token (New-Token sig) | Sync-AirflowEcrConnection -ConnectionId $id -Mode Mwaa -MwaaEnvironmentName af3 -ApiVersion V2 -AwsCredential $wrong -ErrorAction Stop }
        catch { $err = $_ }

        $err.FullyQualifiedErrorId | Should -BeLike 'MwaaInvalidSignature,*'
        $err.CategoryInfo.Category | Should -Be 'SecurityError'
        $err.ErrorDetails.RecommendedAction | Should -Match 'secret access key'
        Get-MwaaLine | Should -Be @('InvokeRestApi -> 403 InvalidSignatureException')
        Get-EmulatorRequests -Url $Emulators[3].Url | Should -BeNullOrEmpty
        Get-StoredConnection 3 $id | Should -BeNullOrEmpty
    }

    It 'reports a key without airflow:InvokeRestApi as MwaaAccessDenied, naming the action and the Airflow role' {
        $reader = New-AwsKeyCredential $Reader
        $err = $null
        try { New-FakeCredential -Region us-east-1 -Token (New-Token denied) | Sync-AirflowEcrConnection -ConnectionId ecr_denied -Mode Mwaa -MwaaEnvironmentName af3 -AwsCredential $reader -ErrorAction Stop }
        catch { $err = $_ }

        $err.FullyQualifiedErrorId | Should -BeLike 'MwaaAccessDenied,*'
        $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
        $err.Exception.Message | Should -Match 'not authorized to perform: airflow:InvokeRestApi on resource: arn:aws:airflow:us-east-1:123456789012:role/af3/Op'
        $err.ErrorDetails.RecommendedAction | Should -Match 'airflow:InvokeRestApi on arn:aws:airflow:us-east-1:<account>:role/af3/'
        $err.ErrorDetails.RecommendedAction | Should -Match 'Op or Admin'
        # (The reader may call GetEnvironment; the version of af3 is cached from earlier tests in this session.)
        @(Get-MwaaLine) -match '^InvokeRestApi' | Should -Be @('InvokeRestApi -> 403 AccessDeniedException')
        Get-EmulatorRequests -Url $Emulators[3].Url | Should -BeNullOrEmpty
    }

    It 'reports an unknown environment as MwaaEnvironmentNotFound, naming it and the region, with or without GetEnvironment' {
        foreach ($api in 'Auto', 'V2') {
            Clear-MwaaRequests -Peer $Mwaa
            $err = $null
            try { New-FakeCredential -Region us-east-1 -Token (New-Token nf) | Sync-AirflowEcrConnection -ConnectionId ecr_nf -Mode Mwaa -MwaaEnvironmentName no-such-env -ApiVersion $api -ErrorAction Stop }
            catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -BeLike 'MwaaEnvironmentNotFound,*'
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err.Exception.Message | Should -Match "no Amazon MWAA environment 'no-such-env' in us-east-1"
            $err.ErrorDetails.RecommendedAction | Should -Match 'list-environments --region us-east-1'
            @(Get-MwaaRequests -Peer $Mwaa).Count | Should -Be 1 -Because 'one refused call, no retry'
        }
    }

    It 'refuses a 52-character id on Airflow 2 with MwaaPathTooLong before any request; 51 characters fit' {
        $long = 'ecr_' + ('x' * 48)
        $long.Length | Should -Be 52
        $err = $null; $out = $null
        $out = New-FakeCredential -Region us-east-1 -Token (New-Token long) | Sync-AirflowEcrConnection -ConnectionId $long -Mode Mwaa -MwaaEnvironmentName af2 -ApiVersion V1 -ErrorVariable err -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'MwaaPathTooLong,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].Exception.Message | Should -Match 'at most 64 characters'
        $err[0].Exception.Message | Should -Match 'leaves 51'
        Get-MwaaRequests -Peer $Mwaa | Should -BeNullOrEmpty
        Get-EmulatorRequests -Url $Emulators[2].Url | Should -BeNullOrEmpty

        $fits = $long.Substring(0, 51)
        (New-FakeCredential -Region us-east-1 -Token (New-Token fits) | Sync-AirflowEcrConnection -ConnectionId $fits -Mode Mwaa -MwaaEnvironmentName af2 -ApiVersion V1).Action | Should -Be 'Created'
        # On Airflow 3 the id is in the bulk body, not the path: no limit but Airflow's own.
        (New-FakeCredential -Region us-east-1 -Token (New-Token long3) | Sync-AirflowEcrConnection -ConnectionId $long -Mode Mwaa -MwaaEnvironmentName af3).Action | Should -Be 'Created'
    }

    It 'takes the 404 -> POST path on Airflow 2: GET /connections/<id>, POST /connections, nothing deleted' {
        $id = New-TestId 'post'
        $null = New-FakeCredential -Region us-east-1 -Token (New-Token post) | Sync-AirflowEcrConnection -ConnectionId $id -Mode Mwaa -MwaaEnvironmentName af2 -ApiVersion V1
        Get-MwaaLine | Should -Be @("InvokeRestApi GET /connections/$id -> 404", 'InvokeRestApi POST /connections -> 200')
        $seen = @(Get-EmulatorRequests -Url $Emulators[2].Url | ForEach-Object { '{0} {1} {2} {3}' -f $_.method, $_.path, $_.auth, $_.status })
        $seen | Should -Be @("GET /api/v1/connections/$id Basic 404", 'POST /api/v1/connections Basic 200')
    }

    It 'reads the version with GetEnvironment once per session (Auto); V1 and V2 never call it' {
        foreach ($run in 1..3) { $null = New-FakeCredential -Region us-east-1 -Token (New-Token "auto$run") | Sync-AirflowEcrConnection -ConnectionId ecr_cached -Mode Mwaa -MwaaEnvironmentName cached }
        @(Get-MwaaRequests -Peer $Mwaa | Where-Object operation -eq 'GetEnvironment').Count | Should -Be 1
        @(Get-MwaaRequests -Peer $Mwaa | Where-Object operation -eq 'InvokeRestApi').Count | Should -Be 6 -Because 'create (GET 404 + POST), then a GET and a PATCH per run'

        Clear-MwaaRequests -Peer $Mwaa
        $null = New-FakeCredential -Region us-east-1 -Token (New-Token v2) | Sync-AirflowEcrConnection -ConnectionId ecr_v2 -Mode Mwaa -MwaaEnvironmentName af3 -ApiVersion V2
        Get-MwaaLine | Should -Be @('InvokeRestApi GET /connections -> 200', 'InvokeRestApi PATCH /connections -> 200')
    }

    It 'refuses an environment on Airflow before 2.4.3, naming the version, and writes nothing' {
        $err = $null
        try { New-FakeCredential -Region us-east-1 -Token (New-Token old) | Sync-AirflowEcrConnection -ConnectionId ecr_old -Mode Mwaa -MwaaEnvironmentName old -ErrorAction Stop }
        catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'MwaaAirflowTooOld,*'
        $err.Exception.Message | Should -Match 'runs Apache Airflow 2\.2\.2; InvokeRestApi.* needs Airflow 2\.4\.3 or later'
        Get-MwaaLine | Should -Be @('GetEnvironment -> 200')

        # Told the API, it calls, and MWAA's own refusal is quoted.
        try { New-FakeCredential -Region us-east-1 -Token (New-Token old) | Sync-AirflowEcrConnection -ConnectionId ecr_old -Mode Mwaa -MwaaEnvironmentName old -ApiVersion V1 -ErrorAction Stop }
        catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'MwaaValidationFailed,*'
        $err.Exception.Message | Should -Match 'ValidationException: InvokeRestApi is supported only for environments running Apache Airflow v2\.4\.3 or later'
        Get-EmulatorRequests -Url $Emulators[2].Url | Should -BeNullOrEmpty
    }

    It 'refuses an environment name MWAA would refuse, before any request' {
        foreach ($name in '9lives', 'my env', ('a' * 81)) {
            $err = $null
            try { New-FakeCredential -Region us-east-1 -Token (New-Token name) | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Mwaa -MwaaEnvironmentName $name -ErrorAction Stop }
            catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -BeLike 'InvalidMwaaEnvironmentName,*'
            $err.ErrorDetails.RecommendedAction | Should -Match 'starts with a letter'
        }
        $err = $null
        try { New-FakeCredential -Region us-east-1 -Token (New-Token name) | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Mwaa -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'MwaaEnvironmentNameRequired,*'
        Get-MwaaRequests -Peer $Mwaa | Should -BeNullOrEmpty
    }

    It '-WhatIf names the environment and region, writes nothing and never shows the token' {
        # -WhatIf text goes to the host: a fresh pwsh (with this process's AWS variables) runs it.
        $token = New-Token whatif
        $script = @'
Import-Module $env:ECRAIRFLOW_TEST_MODULE
$cred = [pscustomobject]@{ Registry = 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com'; UserName = 'AWS'; Region = 'eu-west-1'
    Password = [System.Net.NetworkCredential]::new('', $env:WHATIF_TOKEN).SecurePassword; ExpiresAt = [DateTimeOffset]::UtcNow.AddHours(12) }
$cred | Sync-AirflowEcrConnection -ConnectionId ecr_whatif -Mode Mwaa -MwaaEnvironmentName af3 -WhatIf -Verbose
"out=done"
'@
        $pwsh = @(Get-PwshCommandLine)
        $env:WHATIF_TOKEN = $token
        try { $all = (& $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $script 2>&1) -join "`n" }
        finally { Remove-Item Env:WHATIF_TOKEN }
        $all | Should -Match "What if: .*Airflow connection 'ecr_whatif' \(docker, host 123456789012.dkr.ecr.eu-west-1.amazonaws.com, login AWS\) via Mwaa to MWAA environment 'af3' in us-east-1"
        $all | Should -Match 'out=done'
        foreach ($form in Get-SecretForms $token) { $all | Should -Not -Match ([regex]::Escape($form)) }
        Get-MwaaRequests -Peer $Mwaa | Should -BeNullOrEmpty
        Get-EmulatorRequests -Url $Emulators[3].Url | Should -BeNullOrEmpty
    }

    It 'takes the shared AWS parameters and refuses the ones of other modes' {
        $err = $null
        try { New-FakeCredential -Token (New-Token p) | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Mwaa -MwaaEnvironmentName af3 -AirflowUrl $Emulators[3].Url -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'ParameterNotValidForMode,*'
        try { New-FakeCredential -Token (New-Token p) | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Rest -AirflowUrl $Emulators[3].Url -MwaaEnvironmentName af3 -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'ParameterNotValidForMode,*'
        $err.Exception.Message | Should -Match '-MwaaEnvironmentName belongs to -Mode Mwaa'

        # -Region, -EndpointUrl and -AwsCredential on the command line instead of the environment.
        foreach ($n in 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION', 'AWS_ENDPOINT_URL_MWAA') { Set-TestEnv $n $null }
        $aws = New-AwsKeyCredential $Key
        $result = New-FakeCredential -Region ap-south-1 -Token (New-Token p) |
            Sync-AirflowEcrConnection -ConnectionId ecr_params -Mode Mwaa -MwaaEnvironmentName af3 -Region us-east-1 -EndpointUrl $Mwaa.Endpoint -AwsCredential $aws -ApiVersion V2
        $result.Target | Should -Be 'mwaa:us-east-1:af3'
        (Get-StoredConnection 3 ecr_params) | Should -Not -BeNullOrEmpty
    }
}
