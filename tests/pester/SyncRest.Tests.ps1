# Sync-AirflowEcrConnection -Mode Rest against the Airflow API emulator, as Airflow 2 (API v1) and
# Airflow 3 (API v2). Imports the staged module (build.ps1 sets ECRAIRFLOW_TEST_MODULE).

BeforeDiscovery {
    $script:Airflows = @(
        @{ AirflowVersion = 2; Api = 'V1' }
        @{ AirflowVersion = 3; Api = 'V2' }
    )
}

BeforeAll {
    Import-Module $env:ECRAIRFLOW_TEST_MODULE -Force
    . (Join-Path $PSScriptRoot 'Common.ps1')

    $script:Emulators = @{
        2 = Start-AirflowEmulator -AirflowVersion 2 -Password 'airflow-Pa55'
        3 = Start-AirflowEmulator -AirflowVersion 3 -Password 'airflow-Pa55'
    }
    $script:AirflowCredential = [pscredential]::new('admin', (ConvertTo-SecureString 'airflow-Pa55' -AsPlainText -Force))




    function Get-StoredConnection($Emulator, [string] $Id) {
        Get-EmulatorConnections -Url $Emulator.Url | Where-Object connection_id -eq $Id
    }

    # What a user left before EcrAirflow's first refresh: port, schema, extra keys and a description of their own.
    function Set-UsersDocker($Emulator, [string] $Id, [string] $Extra = '{"reauth": false, "email": "ops@example.com", "timeout": 30}') {
        $null = Set-EmulatorConnection -Url $Emulator.Url -ConnectionId $Id -Connection @{
            connection_id = $Id; conn_type = 'docker'; host = 'old.example.com'; login = 'olduser'; password = 'users-old-Pa55'
            port = 5000; schema = 'v2'; extra = $Extra; description = 'Team registry'
        }
    }
}

AfterAll {
    foreach ($emulator in $script:Emulators.Values) { Stop-Peer $emulator }
}

Describe 'Sync-AirflowEcrConnection -Mode Rest with Airflow <AirflowVersion> (API <Api>)' -ForEach $Airflows {
    BeforeAll {
        $script:Emu = $Emulators[$AirflowVersion]
        $script:Url = $Emu.Url
        $script:Rest = @{ Mode = 'Rest'; AirflowUrl = $Url; AirflowCredential = $AirflowCredential; ApiVersion = $Api }
    }

    BeforeEach {
        Clear-EmulatorState -Url $Emu.Url
    }

    It 'creates the connection, then updates it in place' {
        $id = New-TestId 'cu'
        $first = New-FakeCredential -Token 'tok+/=en-first' | Sync-AirflowEcrConnection -ConnectionId $id @Rest

        $first.ConnectionId | Should -Be $id
        $first.Mode | Should -Be 'Rest'
        $first.ApiVersion | Should -Be $Api
        $first.Target | Should -Be $Url.ToString().TrimEnd('/')
        $first.Registry | Should -Be '123456789012.dkr.ecr.eu-west-1.amazonaws.com'
        $first.Action | Should -Be 'Created'
        $stored = Get-StoredConnection $Emu $id
        $stored.conn_type | Should -Be 'docker'
        $stored.host | Should -Be '123456789012.dkr.ecr.eu-west-1.amazonaws.com'
        $stored.login | Should -Be 'AWS'
        $stored.password | Should -Be 'tok+/=en-first'

        $second = New-FakeCredential -Token 'tok+/=en-second' | Sync-AirflowEcrConnection -ConnectionId $id @Rest

        $second.Action | Should -Be 'Updated'
        (Get-StoredConnection $Emu $id).password | Should -Be 'tok+/=en-second'
        Get-EmulatorRequestLines $Emu | Should -Not -Match '^DELETE'
        # .NET Framework's HttpClient sends Expect: 100-continue with every body and waits for an answer
        # many servers never give; the module turns it off (this runs on both builds and on 5.1).
        $writes = @(Get-EmulatorRequests -Emulator $Emu | Where-Object { $_.method -in 'POST', 'PATCH' })
        $writes.Count | Should -BeGreaterThan 0
        @($writes | Where-Object { $_.expect }) | Should -BeNullOrEmpty -Because 'no request of the module carries an Expect header'
    }

    It 'maps three registries to three connections with -ConnectionId delay binding' {
        $suffix = [guid]::NewGuid().ToString('n').Substring(0, 6)
        $regions = 'eu-west-1', 'us-east-1', 'ap-southeast-2'
        # Get the v2 token first, so only the write itself is counted below.
        New-FakeCredential | Sync-AirflowEcrConnection -ConnectionId (New-TestId 'warm') @Rest | Out-Null
        Clear-EmulatorRequests $Emu

        $results = $regions | ForEach-Object { New-FakeCredential -Region $_ -Token "tok+/=en-$_" } |
            Sync-AirflowEcrConnection -ConnectionId { "ecr_$($_.Region)_$suffix" } @Rest

        $results.ConnectionId | Should -Be ($regions | ForEach-Object { "ecr_${_}_$suffix" })
        foreach ($region in $regions) {
            $stored = Get-StoredConnection $Emu "ecr_${region}_$suffix"
            $stored.host | Should -Be "123456789012.dkr.ecr.$region.amazonaws.com"
            $stored.password | Should -Be "tok+/=en-$region"
        }
        $lines = Get-EmulatorRequestLines $Emu
        if ($Api -eq 'V2') {
            $lines | Should -Be @('GET /api/v2/connections 200', 'PATCH /api/v2/connections 200') # one read, one bulk write
        }
        else {
            @($lines -match '^GET /api/v1/connections/.* 404$').Count | Should -Be 3
            @($lines -match '^POST /api/v1/connections 200$').Count | Should -Be 3
            $lines.Count | Should -Be 6
        }
    }

    It 'sends two requests per run on Airflow 3, two per connection on Airflow 2, in the steady state' {
        $suffix = [guid]::NewGuid().ToString('n').Substring(0, 6)
        $regions = 'eu-west-1', 'us-east-1'
        $regions | ForEach-Object { New-FakeCredential -Region $_ } |
            Sync-AirflowEcrConnection -ConnectionId { "ecr_$($_.Region)_$suffix" } @Rest | Out-Null
        Clear-EmulatorRequests $Emu

        $results = $regions | ForEach-Object { New-FakeCredential -Region $_ -Token "tok+/=en-next-$_" } |
            Sync-AirflowEcrConnection -ConnectionId { "ecr_$($_.Region)_$suffix" } @Rest

        $results.Count | Should -Be 2
        if ($Api -eq 'V2') {
            Get-EmulatorRequestLines $Emu | Should -Be @('GET /api/v2/connections 200', 'PATCH /api/v2/connections 200')
        }
        else {
            Get-EmulatorRequestLines $Emu | Should -Be ($regions | ForEach-Object { "GET /api/v1/connections/ecr_${_}_$suffix 200"; "PATCH /api/v1/connections/ecr_${_}_$suffix 200" })
        }
    }

    It 'reports a wrong Airflow password as PermissionDenied, without any secret in the ErrorRecord' {
        $bad = [pscredential]::new('admin', (ConvertTo-SecureString 'wrong-Pa55' -AsPlainText -Force))
        $err = $null
        try {
            New-FakeCredential -Token 'tok+/=en-denied' |
                Sync-AirflowEcrConnection -ConnectionId (New-TestId 'denied') -Mode Rest -AirflowUrl $Url -AirflowCredential $bad -ApiVersion $Api -ErrorAction Stop
        }
        catch { $err = $_ }

        $err | Should -Not -BeNullOrEmpty
        $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
        $err.FullyQualifiedErrorId | Should -Be 'AirflowAuthenticationFailed,EcrAirflow.Commands.SyncAirflowEcrConnectionCommand'
        $err.ErrorDetails.RecommendedAction | Should -Match ($(if ($Api -eq 'V1') { 'auth_backends' } else { 'auth manager' }))
        $text = ($err | Format-List * -Force | Out-String) + ($err.Exception | Format-List * -Force | Out-String) + $err.Exception.ToString()
        $text | Should -Not -Match ([regex]::Escape('wrong-Pa55'))
        $text | Should -Not -Match ([regex]::Escape('tok+/=en-denied'))
        $text | Should -Not -Match 'airflow-Pa55'
    }

    It 'tells no credential at all (AirflowCredentialRequired) from a refused one, and a refused -AccessToken gets a hint about the token' {
        $id = New-TestId 'noauth'
        $none = $null
        try { New-FakeCredential -Token 'tok+/=en-none' | Sync-AirflowEcrConnection -ConnectionId $id -Mode Rest -AirflowUrl $Url -ApiVersion $Api -ErrorAction Stop }
        catch { $none = $_ }
        $none.FullyQualifiedErrorId | Should -BeLike 'AirflowCredentialRequired,*'
        $none.CategoryInfo.Category | Should -Be 'PermissionDenied'
        $none.Exception.Message | Should -Match 'none was given'
        $none.ErrorDetails.RecommendedAction | Should -Match '-AirflowCredential'

        $token = ConvertTo-SecureString 'not-a-token-of-this-airflow' -AsPlainText -Force
        $refused = $null
        try { New-FakeCredential -Token 'tok+/=en-tok' | Sync-AirflowEcrConnection -ConnectionId $id -Mode Rest -AirflowUrl $Url -AccessToken $token -ApiVersion $Api -ErrorAction Stop }
        catch { $refused = $_ }
        $refused.FullyQualifiedErrorId | Should -BeLike 'AirflowAuthenticationFailed,*'
        $refused.Exception.Message | Should -Match 'the token given with -AccessToken'
        $refused.ErrorDetails.RecommendedAction | Should -Match 'the token itself'
        $refused.ErrorDetails.RecommendedAction | Should -Not -Match '/auth/token' -Because 'a token given as is never went through /auth/token'
        ($refused | Out-String) + $refused.Exception.ToString() | Should -Not -Match 'not-a-token-of-this-airflow'
        (Get-EmulatorConnections -Url $Url | Where-Object connection_id -eq $id) | Should -BeNullOrEmpty
    }

    It '-WhatIf writes nothing and never shows the password' {
        $id = New-TestId 'whatif'
        $transcript = Join-Path ([IO.Path]::GetTempPath()) "whatif-$([guid]::NewGuid().ToString('n')).txt"
        Start-Transcript -LiteralPath $transcript | Out-Null
        try {
            $out = New-FakeCredential -Token 'tok+/=en-whatif' | Sync-AirflowEcrConnection -ConnectionId $id @Rest -WhatIf -Verbose *>&1 | Out-String
        }
        finally { Stop-Transcript | Out-Null }
        $said = (Get-Content -LiteralPath $transcript -Raw) + $out
        Remove-Item -LiteralPath $transcript

        $said | Should -Match ([regex]::Escape("What if: Performing the operation `"Write Airflow connection`" on target `"Airflow connection '$id'"))
        $said | Should -Match ([regex]::Escape($Url.ToString().TrimEnd('/')))
        $said | Should -Not -Match ([regex]::Escape('tok+/=en-whatif'))
        Get-EmulatorRequestLines $Emu | Should -BeNullOrEmpty
        Get-StoredConnection $Emu $id | Should -BeNullOrEmpty
    }

    It 'leaves the previous connection intact when the write fails with 500' {
        $id = New-TestId 'keep'
        New-FakeCredential -Token 'tok+/=en-before' | Sync-AirflowEcrConnection -ConnectionId $id @Rest | Out-Null
        $path = $(if ($Api -eq 'V1') { "/api/v1/connections/$id" } else { '/api/v2/connections' })
        Set-EmulatorFault -Url $Emu.Url @{ method = 'PATCH'; path = $path; status = 500; times = 10 }

        $err = $null
        try { New-FakeCredential -Token 'tok+/=en-after' | Sync-AirflowEcrConnection -ConnectionId $id @Rest -MaximumRetryCount 1 -ErrorAction Stop }
        catch { $err = $_ }

        $err.FullyQualifiedErrorId | Should -BeLike 'AirflowUnavailable,*'
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
        (Get-StoredConnection $Emu $id).password | Should -Be 'tok+/=en-before'
        $err.Exception.Message | Should -Not -Match ([regex]::Escape('tok+/=en-after'))
    }

    It 'retries a 503 after the Retry-After the server asked for' {
        $id = New-TestId 'retry'
        New-FakeCredential | Sync-AirflowEcrConnection -ConnectionId $id @Rest | Out-Null
        Clear-EmulatorRequests $Emu
        $path = $(if ($Api -eq 'V1') { "/api/v1/connections/$id" } else { '/api/v2/connections' })
        Set-EmulatorFault -Url $Emu.Url @{ method = 'PATCH'; path = $path; status = 503; retryAfter = 1; times = 1 }

        $clock = [Diagnostics.Stopwatch]::StartNew()
        $result = New-FakeCredential -Token 'tok+/=en-retried' | Sync-AirflowEcrConnection -ConnectionId $id @Rest
        $clock.Stop()

        $result.ConnectionId | Should -Be $id
        $clock.Elapsed.TotalMilliseconds | Should -BeGreaterOrEqual 950
        $read = $(if ($Api -eq 'V1') { "/api/v1/connections/$id" } else { '/api/v2/connections' })
        Get-EmulatorRequestLines $Emu | Should -Be @("GET $read 200", "PATCH $path 503", "PATCH $path 200")
        (Get-StoredConnection $Emu $id).password | Should -Be 'tok+/=en-retried'
    }

    It 'refuses an invalid connection id before any request' {
        $err = $null
        New-FakeCredential | Sync-AirflowEcrConnection -ConnectionId 'not valid!' @Rest -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty

        $err[0].FullyQualifiedErrorId | Should -Be 'InvalidConnectionId,EcrAirflow.Commands.SyncAirflowEcrConnectionCommand'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        Get-EmulatorRequestLines $Emu | Should -BeNullOrEmpty
    }

    It 'says in the verbose stream what it requests where, never a secret' {
        $id = New-TestId 'verbose'
        $verbose = New-FakeCredential -Token 'tok+/=en-verbose' | Sync-AirflowEcrConnection -ConnectionId $id @Rest -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | Out-String

        $verbose | Should -Match 'GET http://127\.0\.0\.1:\d+/api/v\d/connections'
        $verbose | Should -Match '(PATCH|POST) http://127\.0\.0\.1:\d+/api/v\d/connections'
        $verbose | Should -Not -Match ([regex]::Escape('tok+/=en-verbose'))
        $verbose | Should -Not -Match 'airflow-Pa55'
    }

    It 'keeps port, schema, the extra keys (reauth false, email, timeout) and the description''s own text' {
        $id = New-TestId 'keep'
        Set-UsersDocker $Emu $id
        $result = New-FakeCredential -Token 'tok+/=en-kept' | Sync-AirflowEcrConnection -ConnectionId $id @Rest

        $result.Action | Should -Be 'Updated'
        $stored = Get-StoredConnection $Emu $id
        $stored.password | Should -BeExactly 'tok+/=en-kept'
        $stored.host | Should -Be '123456789012.dkr.ecr.eu-west-1.amazonaws.com'
        $stored.login | Should -Be 'AWS'
        Assert-TeamSettingsKept $stored
        $stored.description | Should -Match '^Team registry; token expires \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$'
        # What Airflow was sent: the fields a refresh owns, after one read.
        $write = @(Get-EmulatorRequests -Emulator $Emu | Where-Object method -eq 'PATCH')
        $write.Count | Should -Be 1
        if ($Api -eq 'V1') {
            $write[0].query | Should -Be 'update_mask=host,login,password,description'
            $write[0].bodyFields | Should -Be @('host', 'login', 'password', 'description')
            Get-EmulatorRequestLines $Emu | Should -Be @("GET /api/v1/connections/$id 200", "PATCH /api/v1/connections/$id 200")
        }
        else {
            $write[0].bulkActions[0].action | Should -Be 'update'
            $write[0].bulkActions[0].updateMask | Should -Be @('host', 'login', 'password', 'description')
            Get-EmulatorRequestLines $Emu | Where-Object { $_ -notlike 'POST /auth/token*' } | Should -Be @('GET /api/v2/connections 200', 'PATCH /api/v2/connections 200')
        }
    }

    It '-Email changes only the email key of the stored extra' {
        $id = New-TestId 'email'
        Set-UsersDocker $Emu $id
        $null = New-FakeCredential | Sync-AirflowEcrConnection -ConnectionId $id @Rest -Email 'new@example.com'

        $stored = Get-StoredConnection $Emu $id
        $extra = $stored.extra | ConvertFrom-Json
        $extra.email | Should -Be 'new@example.com'
        $extra.reauth | Should -BeFalse
        $extra.timeout | Should -Be 30
        @($extra.PSObject.Properties).Count | Should -Be 3
        $stored.port | Should -Be 5000
    }

    It 'refuses a connection of another type, unchanged and named by its type, unless -ReplaceNonDocker' {
        $id = New-TestId 'pg'
        Set-EmulatorConnection -Emulator $Emu -ConnectionId $id -Connection @{ connection_id = $id; conn_type = 'postgres'; host = 'db.example.com'; login = 'app'; password = 'pg-Pa55-secret'; port = 5432 } | Out-Null
        $err = $null
        $out = New-FakeCredential -Token 'tok+/=en-pg' | Sync-AirflowEcrConnection -ConnectionId $id @Rest -ErrorVariable err -ErrorAction SilentlyContinue

        $out | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'NotDockerConnection,EcrAirflow.Commands.SyncAirflowEcrConnectionCommand'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $err[0].Exception.Message | Should -Match 'a postgres connection'
        $err[0].ErrorDetails.RecommendedAction | Should -Match '-ReplaceNonDocker'
        ($err[0] | Out-String) + $err[0].Exception.Message | Should -Not -Match 'pg-Pa55-secret'
        $stored = Get-StoredConnection $Emu $id
        $stored.conn_type | Should -Be 'postgres'
        $stored.password | Should -BeExactly 'pg-Pa55-secret'
        Get-EmulatorRequestLines $Emu | Where-Object { $_ -match '^(PATCH|POST) /api/v\d/connections' } | Should -BeNullOrEmpty

        $replaced = New-FakeCredential -Token 'tok+/=en-replaced' | Sync-AirflowEcrConnection -ConnectionId $id @Rest -ReplaceNonDocker
        $replaced.Action | Should -Be 'Updated'
        $stored = Get-StoredConnection $Emu $id
        $stored.conn_type | Should -Be 'docker'
        $stored.password | Should -BeExactly 'tok+/=en-replaced'
        $stored.port | Should -BeNullOrEmpty
    }
}

Describe 'Sync-AirflowEcrConnection -Mode Rest on an Airflow 3.0 release whose bulk update ignores update_mask' {
    BeforeAll {
        $script:Old3 = Start-AirflowEmulator -AirflowVersion 3 -Password 'airflow-Pa55' -BulkUpdateIgnoresMask
        $script:Rest30 = @{ Mode = 'Rest'; AirflowUrl = $Old3.Url; AirflowCredential = $AirflowCredential; ApiVersion = 'V2' }
    }
    AfterAll { Stop-Peer $Old3 }
    BeforeEach { Clear-EmulatorState -Url $Old3.Url }

    It 'plays that release (the emulator says so)' {
        (Invoke-RestMethod "$($Old3.Url)/_emulator/health").bulkUpdateIgnoresMask | Should -BeTrue
    }

    It 'keeps port, schema and extra: the update entities are complete' {
        $id = New-TestId 'old3'
        Set-UsersDocker $Old3 $id
        $result = New-FakeCredential -Token 'tok+/=en-30' | Sync-AirflowEcrConnection -ConnectionId $id @Rest30 -Reauth

        $result.Action | Should -Be 'Updated'
        $stored = Get-StoredConnection $Old3 $id
        $stored.password | Should -BeExactly 'tok+/=en-30'
        Assert-TeamSettingsKept $stored -Reauth $true
        $stored.description | Should -Match '^Team registry; token expires '
    }

    It 'never writes a value Airflow returned masked back over the real one' {
        $id = New-TestId 'masked'
        Set-UsersDocker $Old3 $id -Extra '{"email": "a@example.com", "registry_token": "real-extra-secret"}'
        $result = New-FakeCredential -Token 'tok+/=en-m' | Sync-AirflowEcrConnection -ConnectionId $id @Rest30
        $result.Action | Should -Be 'Updated'
        ((Get-StoredConnection $Old3 $id).extra | ConvertFrom-Json).registry_token | Should -BeExactly 'real-extra-secret'

        $err = $null
        $null = New-FakeCredential -Token 'tok+/=en-m2' | Sync-AirflowEcrConnection -ConnectionId $id @Rest30 -Email 'b@example.com' -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AirflowExtraMasked,*'
        $err[0].Exception.Message | Should -Match "'registry_token'"
        $err[0].Exception.Message | Should -Not -Match 'real-extra-secret'
        $stored = Get-StoredConnection $Old3 $id
        $stored.password | Should -BeExactly 'tok+/=en-m'
        ($stored.extra | ConvertFrom-Json).registry_token | Should -BeExactly 'real-extra-secret'
    }
}

Describe 'Sync-AirflowEcrConnection -Mode Rest safety checks' {
    It 'refuses to send credentials over http:// to a non-loopback host, before any request' {
        $err = $null
        $verbose = try {
            New-FakeCredential | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Rest -AirflowUrl http://airflow.invalid -AirflowCredential $AirflowCredential -Verbose -ErrorAction Stop 4>&1
        }
        catch { $err = $_ }

        $err.FullyQualifiedErrorId | Should -Be 'UnencryptedAuthenticationRefused,EcrAirflow.Commands.SyncAirflowEcrConnectionCommand'
        $err.CategoryInfo.Category | Should -Be 'SecurityError'
        $err.ErrorDetails.RecommendedAction | Should -Match 'AllowUnencryptedAuthentication'
        # airflow.invalid can never resolve: had a request been tried, the error would be a DNS failure.
        $verbose | Out-String | Should -Not -Match 'GET |PATCH |POST '
    }

    It 'refuses credentials inside -AirflowUrl without repeating them' {
        $err = $null
        $withPassword = 'https://admin:pa55-in-url@airflow.example.com'
        try { New-FakeCredential | Sync-AirflowEcrConnection -ConnectionId ecr -AirflowUrl $withPassword -ErrorAction Stop }
        catch { $err = $_ }

        $err.FullyQualifiedErrorId | Should -BeLike 'AirflowUrlContainsCredentials,*'
        ($err | Format-List * -Force | Out-String) | Should -Not -Match 'pa55-in-url'
    }
}
