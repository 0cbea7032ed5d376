# Fault injection: the emulator's fault switches (delay, status with Retry-After, canned bodies) and a
# small TCP peer written in the tests (Common.ps1) for what the emulator cannot do: reset a
# connection mid-response, answer malformed JSON, stand in for an unreachable ECR. Expected: bounded
# retries (counted at the emulator or the TCP peer), clear errors with specific ids, partial success
# reported per connection, and the previous connection value intact in the emulator.

BeforeDiscovery {
    $script:Airflows = @(@{ AirflowVersion = 2; Api = 'V1' }, @{ AirflowVersion = 3; Api = 'V2' })
}

BeforeAll {
    Import-Module $env:ECRAIRFLOW_TEST_MODULE -Force
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Emulators = @{
        2 = Start-AirflowEmulator -AirflowVersion 2 -Password 'faults-Pa55'
        3 = Start-AirflowEmulator -AirflowVersion 3 -Password 'faults-Pa55'
    }
    $script:AirflowCredential = [pscredential]::new('admin', (ConvertTo-SecureString 'faults-Pa55' -AsPlainText -Force))
    $script:Peers = [Collections.Generic.List[object]]::new()


    function Get-Stored($Emulator, [string] $Id) { Get-EmulatorConnections -Url $Emulator.Url | Where-Object connection_id -eq $Id }

    function Invoke-Sync([scriptblock] $Command) {
        $errs = $null
        $thrown = $null
        $out = try { . $Command -ErrorVariable errs -ErrorAction SilentlyContinue } catch { $thrown = $_ }
        # A terminating error ends the command: it is the one to judge. Otherwise the non-terminating ones.
        $records = if ($thrown) { @($thrown) } else { @($errs | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) }
        [pscustomobject]@{ Output = @($out); Errors = $records }
    }
}

AfterAll {
    foreach ($p in $Peers) { $p.Dispose() }
    foreach ($emulator in $Emulators.Values) { Stop-Peer $emulator }
}

Describe 'Faults with Airflow <AirflowVersion> (API <Api>)' -ForEach $Airflows {
    BeforeAll {
        $script:Emu = $Emulators[$AirflowVersion]
        $script:Rest = @{ Mode = 'Rest'; AirflowUrl = $Emu.Url; AirflowCredential = $AirflowCredential; ApiVersion = $Api }
        $script:WritePath = { param($Id) $(if ($Api -eq 'V1') { "/api/v1/connections/$Id" } else { '/api/v2/connections' }) }
    }

    BeforeEach {
        Clear-EmulatorState -Url $Emu.Url
        # The connection as it was before the run: a failed refresh must leave it exactly so.
        $null = New-FakeCredential -Token 'before+/=' | Sync-AirflowEcrConnection -ConnectionId ecr_fault @Rest
        Clear-EmulatorRequests $Emu
    }

    It 'answers slower than -TimeoutSec: AirflowTimeout after MaximumRetryCount + 1 attempts, old value kept' {
        Set-EmulatorFault -Url $Emu.Url @{ method = 'PATCH'; path = (& $WritePath 'ecr_fault'); delayMs = 1600; status = 503; times = 10 }
        $r = Invoke-Sync { New-FakeCredential -Token 'after' | Sync-AirflowEcrConnection -ConnectionId ecr_fault @Rest -TimeoutSec 1 -MaximumRetryCount 1 @args }
        $r.Output | Should -BeNullOrEmpty
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'AirflowTimeout,*'
        "$($r.Errors[0].CategoryInfo.Category)" | Should -Be 'ConnectionError'
        $r.Errors[0].Exception.Message | Should -Match 'did not answer within 1 s'
        # The emulator logs a delayed request when it answers it, after the client gave up: wait for both.
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while ((Get-EmulatorRequestLines $Emu 'PATCH').Count -lt 2 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        (Get-EmulatorRequestLines $Emu 'PATCH').Count | Should -Be 2
        (Get-Stored $Emu ecr_fault).password | Should -BeExactly 'before+/='
    }

    It 'retries a <_> once and writes' -ForEach 429, 500, 502, 503 {
        $fault = @{ method = 'PATCH'; path = (& $WritePath 'ecr_fault'); status = $_; times = 1 }
        if ($_ -in 429, 503) { $fault.retryAfter = 1 }
        Set-EmulatorFault -Url $Emu.Url $fault
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $r = Invoke-Sync { New-FakeCredential -Token 'after' | Sync-AirflowEcrConnection -ConnectionId ecr_fault @Rest @args }
        $clock.Stop()
        $r.Errors | Should -BeNullOrEmpty
        $r.Output.ConnectionId | Should -Be 'ecr_fault'
        $lines = Get-EmulatorRequestLines $Emu 'PATCH'
        $lines.Count | Should -Be 2
        $lines[0] | Should -BeLike "* $_"
        if ($_ -in 429, 503) { $clock.Elapsed.TotalMilliseconds | Should -BeGreaterOrEqual 950 -Because 'Retry-After: 1 is honoured' }
        (Get-Stored $Emu ecr_fault).password | Should -BeExactly 'after'
    }

    It 'gives up on a lasting 502 after MaximumRetryCount retries: AirflowUnavailable, old value kept' {
        Set-EmulatorFault -Url $Emu.Url @{ method = 'PATCH'; path = (& $WritePath 'ecr_fault'); status = 502; times = 50 }
        $r = Invoke-Sync { New-FakeCredential -Token 'after' | Sync-AirflowEcrConnection -ConnectionId ecr_fault @Rest -MaximumRetryCount 2 @args }
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'AirflowUnavailable,*'
        $r.Errors[0].Exception.Message | Should -Match '502.*after 2 retries'
        (Get-EmulatorRequestLines $Emu 'PATCH').Count | Should -Be 3
        (Get-Stored $Emu ecr_fault).password | Should -BeExactly 'before+/='
    }

    It 'survives a connection reset mid-response (TCP peer), and gives up after bounded retries when it persists' {
        $once = New-TcpPeer -Mode ProxyReset -UpstreamPort ([uri]$Emu.Url).Port -FaultTimes 1
        $Peers.Add($once)
        # The write is the first request through the peer (Airflow 3: with a token fetched beforehand).
        $auth = if ($Api -eq 'V2') {
            $jwt = (Invoke-RestMethod -Method Post -Uri "$($Emu.Url)/auth/token" -ContentType 'application/json' -Body '{"username":"admin","password":"faults-Pa55"}').access_token
            @{ AccessToken = (ConvertTo-SecureString $jwt -AsPlainText -Force) }
        }
        else { @{ AirflowCredential = $AirflowCredential } }
        Clear-EmulatorRequests $Emu
        $r = Invoke-Sync { New-FakeCredential -Token 'after-reset' | Sync-AirflowEcrConnection -ConnectionId ecr_fault -Mode Rest -AirflowUrl $once.Url @auth -ApiVersion $Api @args }
        $r.Errors | Should -BeNullOrEmpty
        $once.Requests | Should -Be 3 -Because 'the read whose answer was cut, its retry, then the write'
        (Get-EmulatorRequestLines $Emu 'GET').Count | Should -Be 2 -Because 'the cut answer is retried once, as a write''s is'
        (Get-EmulatorRequestLines $Emu 'PATCH').Count | Should -Be 1
        (Get-Stored $Emu ecr_fault).password | Should -BeExactly 'after-reset'

        $always = New-TcpPeer -Mode ProxyReset -UpstreamPort ([uri]$Emu.Url).Port
        $Peers.Add($always)
        $r = Invoke-Sync { New-FakeCredential -Token 'never' | Sync-AirflowEcrConnection -ConnectionId ecr_fault -Mode Rest -AirflowUrl $always.Url -AccessToken (ConvertTo-SecureString 'x' -AsPlainText -Force) -ApiVersion $Api -MaximumRetryCount 2 @args }
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'AirflowConnectionFailed,*'
        "$($r.Errors[0].CategoryInfo.Category)" | Should -Be 'ConnectionError'
        $always.Requests | Should -Be 3
    }

    It 'reports a malformed JSON answer as AirflowUnexpectedResponse' -Skip:($Api -eq 'V1') {
        $peer = New-TcpPeer -Mode Canned -Response (New-HttpAnswer 200 'OK' '{"create": {"success": ["ecr_fault"')
        $Peers.Add($peer)
        $r = Invoke-Sync { New-FakeCredential -Token 'x' | Sync-AirflowEcrConnection -ConnectionId ecr_fault -Mode Rest -AirflowUrl $peer.Url -AccessToken (ConvertTo-SecureString 'x' -AsPlainText -Force) -ApiVersion V2 @args }
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'AirflowUnexpectedResponse,*'
        "$($r.Errors[0].CategoryInfo.Category)" | Should -Be 'InvalidData'
        $r.Errors[0].Exception.Message | Should -Match 'not JSON'
        $peer.Requests | Should -Be 1 -Because 'a 200 is not retried'

        $token = New-TcpPeer -Mode Canned -Response (New-HttpAnswer 201 'Created' '{"access_token": ')
        $Peers.Add($token)
        $r = Invoke-Sync { New-FakeCredential -Token 'x' | Sync-AirflowEcrConnection -ConnectionId ecr_fault -Mode Rest -AirflowUrl $token.Url -AirflowCredential $AirflowCredential -ApiVersion V2 @args }
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'AirflowUnexpectedResponse,*'
        $r.Errors[0].Exception.Message | Should -Match 'without an access_token'
    }

    It 'a token from /auth/token with a line break in it is AirflowUnexpectedResponse, never sent' -Skip:($Api -eq 'V1') {
        $token = New-TcpPeer -Mode Canned -Response (New-HttpAnswer 201 'Created' '{"access_token": "eyJhbGciOi.x\r\nX-Injected: 1"}')
        $Peers.Add($token)
        $r = Invoke-Sync { New-FakeCredential -Token 'x' | Sync-AirflowEcrConnection -ConnectionId ecr_fault -Mode Rest -AirflowUrl $token.Url -AirflowCredential $AirflowCredential -ApiVersion V2 @args }
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'AirflowUnexpectedResponse,*'
        $r.Errors[0].Exception.Message | Should -Match 'header'
        $token.Requests | Should -Be 1 -Because 'the bad token is never used'
    }

    It 'reports partial success per connection, and keeps the refused connection''s old value' {
        $null = New-FakeCredential -Token 'b-before' | Sync-AirflowEcrConnection -ConnectionId ecr_b @Rest
        if ($Api -eq 'V1') {
            Set-EmulatorFault -Url $Emu.Url @{ method = 'PATCH'; path = '/api/v1/connections/ecr_b'; status = 400; times = 1 }
        }
        else {
            # Airflow 3 answers a bulk request 200 even when an entity failed; the reply says which.
            Set-EmulatorFault -Url $Emu.Url @{ method = 'PATCH'; path = '/api/v2/connections'; status = 200; times = 1
                body = @{ create = @{ success = @('ecr_a', 'ecr_c'); errors = @() }; update = @{ success = @(); errors = @(@{ error = "The connection 'ecr_b' could not be written: value too long"; status_code = 422 }) }; delete = $null } }
        }
        $creds = foreach ($t in 'a', 'b', 'c') { New-FakeCredential -Account ("{0}{0}{0}{0}{0}{0}{0}{0}{0}{0}{0}{0}" -f ([int][char]$t - 96)) -Token "$t-after" }
        $r = Invoke-Sync { $creds | Sync-AirflowEcrConnection -ConnectionId { "ecr_$($_.Password | ConvertFrom-SecureString -AsPlainText | ForEach-Object Substring 0 1)" } @Rest @args }
        $r.Output.ConnectionId | Should -Be @('ecr_a', 'ecr_c')
        $r.Errors.Count | Should -Be 1
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'AirflowRejectedConnection,*'
        $r.Errors[0].TargetObject | Should -Be 'ecr_b'
        $r.Errors[0].ErrorDetails.Message | Should -Match "Connection 'ecr_b' was not written: .* Written: ecr_a, ecr_c\."
        (Get-Stored $Emu ecr_b).password | Should -BeExactly 'b-before'
        if ($Api -eq 'V1') { (Get-Stored $Emu ecr_a).password | Should -BeExactly 'a-after' }
    }

    It 'stops a batch at a lasting outage and names what was and was not written' -Skip:($Api -eq 'V2') {
        # Airflow fails on ecr_y's read: reads and writes stop the batch alike.
        Set-EmulatorFault -Url $Emu.Url @{ method = 'GET'; path = '/api/v1/connections/ecr_y'; status = 503; times = 50 }
        $creds = 'x', 'y', 'z' | ForEach-Object { New-FakeCredential -Account ('{0:d12}' -f [int][char]$_) -Token "$_-after" }
        $ids = @{ '000000000120' = 'ecr_x'; '000000000121' = 'ecr_y'; '000000000122' = 'ecr_z' }
        $r = Invoke-Sync { $creds | Sync-AirflowEcrConnection -ConnectionId { $ids[$_.Registry.Substring(8, 12)] } @Rest -MaximumRetryCount 1 @args }
        $r.Output.ConnectionId | Should -Be 'ecr_x'
        $r.Errors.TargetObject | Should -Be @('ecr_y', 'ecr_z')
        $r.Errors.FullyQualifiedErrorId | ForEach-Object { $_ | Should -BeLike 'AirflowUnavailable,*' }
        (Get-EmulatorRequestLines $Emu | Where-Object { $_ -like '*ecr_z*' }) | Should -BeNullOrEmpty -Because 'nothing more is sent once Airflow is down'
    }
}

Describe 'Airflow 3 token endpoint faults' {
    BeforeEach {
        # A fresh password each time: the session's token cache is keyed on it, so the first run must ask.
        $script:Password = 'tok-' + [guid]::NewGuid().ToString('n').Substring(0, 10)
        $script:Emu3 = Start-AirflowEmulator -AirflowVersion 3 -Password $Password
        $script:Rest3 = @{ Mode = 'Rest'; AirflowUrl = $Emu3.Url; AirflowCredential = [pscredential]::new('admin', (ConvertTo-SecureString $Password -AsPlainText -Force)); ApiVersion = 'V2' }
    }
    AfterEach { Stop-Peer $Emu3 }

    It 'a 401 from /auth/token once: a clear PermissionDenied without retrying the password, then the next run works' {
        Set-EmulatorFault -Url $Emu3.Url @{ method = 'POST'; path = '/auth/token'; status = 401; times = 1 }
        $r = Invoke-Sync { New-FakeCredential -Token 'x' | Sync-AirflowEcrConnection -ConnectionId ecr_tok @Rest3 @args }
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'AirflowAuthenticationFailed,*'
        "$($r.Errors[0].CategoryInfo.Category)" | Should -Be 'PermissionDenied'
        Get-EmulatorRequestLines $Emu3 | Should -Be @('POST /auth/token 401')

        $ok = New-FakeCredential -Token 'y' | Sync-AirflowEcrConnection -ConnectionId ecr_tok @Rest3
        $ok.ConnectionId | Should -Be 'ecr_tok'
        Get-EmulatorRequestLines $Emu3 | Select-Object -Skip 1 | Should -Be @('POST /auth/token 201', 'GET /api/v2/connections 200', 'PATCH /api/v2/connections 200')
    }

    It 'a revoked cached token: one new token, one more try' {
        $null = New-FakeCredential -Token 'x' | Sync-AirflowEcrConnection -ConnectionId ecr_tok @Rest3
        $null = Invoke-RestMethod -Method Post -Uri "$($Emu3.Url)/_emulator/tokens/revoke"
        Clear-EmulatorRequests $Emu3
        $ok = New-FakeCredential -Token 'y' | Sync-AirflowEcrConnection -ConnectionId ecr_tok @Rest3
        $ok.ConnectionId | Should -Be 'ecr_tok'
        Get-EmulatorRequestLines $Emu3 | Should -Be @('GET /api/v2/connections 401', 'POST /auth/token 201', 'GET /api/v2/connections 200', 'PATCH /api/v2/connections 200')
    }
}

Describe 'ECR (moto) unreachable or failing' {
    BeforeAll {
        $script:Aws = [pscredential]::new('AKIAFAULTSEXAMPLE01', (ConvertTo-SecureString 'faults/secret' -AsPlainText -Force))
    }

    It 'a connection reset on every attempt: EcrConnectionFailed after MaximumRetryCount + 1 attempts' {
        $peer = New-TcpPeer -Mode Reset
        $Peers.Add($peer)
        $r = Invoke-Sync { Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $peer.Url -Credential $Aws -MaximumRetryCount 2 -Force @args }
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'EcrConnectionFailed,*'
        "$($r.Errors[0].CategoryInfo.Category)" | Should -Be 'ConnectionError'
        $peer.Requests | Should -Be 3
    }

    It 'nothing listening: EcrConnectionFailed naming the endpoint' {
        $peer = New-TcpPeer -Mode Reset
        $port = $peer.Port
        $peer.Dispose()
        $r = Invoke-Sync { Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl "http://127.0.0.1:$port" -Credential $Aws -MaximumRetryCount 1 -Force @args }
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'EcrConnectionFailed,*'
        $r.Errors[0].Exception.Message | Should -Match "refused.*127\.0\.0\.1:$port"
    }

    It 'a lasting 503: EcrServiceUnavailable after bounded retries' {
        $peer = New-TcpPeer -Mode Canned -Response (New-HttpAnswer 503 'Service Unavailable' '{"__type":"ServerException","message":"busy"}' 'application/x-amz-json-1.1')
        $Peers.Add($peer)
        $r = Invoke-Sync { Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $peer.Url -Credential $Aws -MaximumRetryCount 2 -Force @args }
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'EcrServiceUnavailable,*'
        $peer.Requests | Should -Be 3
    }

    It 'malformed JSON from ECR: EcrMalformedResponse, not retried' {
        $peer = New-TcpPeer -Mode Canned -Response (New-HttpAnswer 200 'OK' '{"authorizationData": [' 'application/x-amz-json-1.1')
        $Peers.Add($peer)
        $r = Invoke-Sync { Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $peer.Url -Credential $Aws -Force @args }
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'EcrMalformedResponse,*'
        $peer.Requests | Should -Be 1
    }
}

Describe 'The http:// rule: -AllowUnencryptedAuthentication is the one way through' {
    BeforeAll {
        $script:Aws = [pscredential]::new('AKIAFAULTSEXAMPLE01', (ConvertTo-SecureString 'faults/secret' -AsPlainText -Force))
    }

    It 'Get-EcrDockerCredential -EndpointUrl http:// (another host) with the switch: the request is made (DNS fails for .invalid)' {
        $r = Invoke-Sync { Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl 'http://ecr.invalid' -Credential $Aws -AllowUnencryptedAuthentication -MaximumRetryCount 0 -Force @args }
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'EcrConnectionFailed,*'
        $r.Errors[0].Exception.Message | Should -Match 'ecr\.invalid'
    }

    It 'Sync-AirflowEcrConnection -AirflowUrl http:// (another host) with the switch and no Airflow credential: the request is made' {
        $r = Invoke-Sync { New-FakeCredential -Token 'x' | Sync-AirflowEcrConnection -ConnectionId ecr -AirflowUrl 'http://airflow.invalid' -ApiVersion V2 -AllowUnencryptedAuthentication -MaximumRetryCount 0 @args }
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'AirflowConnectionFailed,*'
    }

    It 'loopback needs no switch (moto and the emulator are on 127.0.0.1 throughout the suites)' {
        $r = Invoke-Sync { New-FakeCredential -Token 'x' | Sync-AirflowEcrConnection -ConnectionId ecr_loop -AirflowUrl ($Emulators[3].Url -replace '127\.0\.0\.1', 'localhost') -AirflowCredential $AirflowCredential -ApiVersion V2 @args }
        $r.Errors | Should -BeNullOrEmpty
        $r.Output.ConnectionId | Should -Be 'ecr_loop'
    }
}

Describe 'No false success: a reply that is not what the API promises is never a write' {
    It 'Airflow 2: a 200 HTML login page from a proxy for the read is AirflowUnexpectedResponse, never Missing nor Updated' {
        $page = New-TcpPeer -Mode Canned -Response (New-HttpAnswer 200 'OK' '<!DOCTYPE html><html><body><form action="/login">Sign in</form></body></html>' 'text/html; charset=utf-8')
        $Peers.Add($page)
        $r = Invoke-Sync { New-FakeCredential -Token 'x' | Sync-AirflowEcrConnection -ConnectionId ecr_false -Mode Rest -AirflowUrl $page.Url -AirflowCredential $AirflowCredential -ApiVersion V1 @args }
        $r.Output | Should -BeNullOrEmpty -Because 'nothing says the connection was written'
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'AirflowUnexpectedResponse,*'
        "$($r.Errors[0].CategoryInfo.Category)" | Should -Be 'InvalidData'
        $r.Errors[0].Exception.Message | Should -Match 'not the connection'
    }

    It 'Airflow 2: a 200 JSON reply for another connection id is not Updated' {
        $other = New-TcpPeer -Mode Canned -Response (New-HttpAnswer 200 'OK' '{"connection_id": "someone_else", "conn_type": "docker"}')
        $Peers.Add($other)
        $r = Invoke-Sync { New-FakeCredential -Token 'x' | Sync-AirflowEcrConnection -ConnectionId ecr_false -Mode Rest -AirflowUrl $other.Url -AirflowCredential $AirflowCredential -ApiVersion V1 @args }
        $r.Output | Should -BeNullOrEmpty
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'AirflowUnexpectedResponse,*'
    }

    It 'Airflow 2: a 200 for the POST that is not the new connection is not Created (emulator: GET 404, then a faulted POST)' {
        $emu = $Emulators[2]
        Clear-EmulatorState -Url $emu.Url
        Set-EmulatorFault -Url $emu.Url @{ method = 'POST'; path = '/api/v1/connections'; status = 200; times = 1; body = @{ message = 'Welcome to the proxy' } }
        $rest = @{ Mode = 'Rest'; AirflowUrl = $emu.Url; AirflowCredential = $AirflowCredential; ApiVersion = 'V1' }
        $r = Invoke-Sync { New-FakeCredential -Token 'x' | Sync-AirflowEcrConnection -ConnectionId ecr_false_post @rest @args }
        $r.Output | Should -BeNullOrEmpty
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'AirflowUnexpectedResponse,*'
        Get-Stored $emu ecr_false_post | Should -BeNullOrEmpty -Because 'the emulator really stored nothing'
    }

    It 'Airflow 3: a 200 HTML page for the bulk PATCH is AirflowUnexpectedResponse' {
        $page = New-TcpPeer -Mode Canned -Response (New-HttpAnswer 200 'OK' '<html>Sign in</html>' 'text/html')
        $Peers.Add($page)
        $r = Invoke-Sync { New-FakeCredential -Token 'x' | Sync-AirflowEcrConnection -ConnectionId ecr_false -Mode Rest -AirflowUrl $page.Url -AccessToken (ConvertTo-SecureString 'x' -AsPlainText -Force) -ApiVersion V2 @args }
        $r.Output | Should -BeNullOrEmpty
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'AirflowUnexpectedResponse,*'
    }

    It 'ECR: a 200 with an empty authorizationData is EcrMalformedResponse, not silence' {
        $empty = New-TcpPeer -Mode Canned -Response (New-HttpAnswer 200 'OK' '{"authorizationData": []}' 'application/x-amz-json-1.1')
        $Peers.Add($empty)
        $aws = [pscredential]::new('AKIAFAULTSEXAMPLE01', (ConvertTo-SecureString 'faults/secret' -AsPlainText -Force))
        $r = Invoke-Sync { Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $empty.Url -Credential $aws -Force @args }
        $r.Output | Should -BeNullOrEmpty
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'EcrMalformedResponse,*'
    }
}

Describe 'Caches keyed exactly: the path of -AirflowUrl is case-sensitive' {
    BeforeAll {
        $script:TeamPassword = 'team-' + [guid]::NewGuid().ToString('n').Substring(0, 10)
        $script:Team = Start-AirflowEmulator -AirflowVersion 3 -Password $TeamPassword -PathPrefix '/TeamA'
        $script:TeamCred = [pscredential]::new('admin', (ConvertTo-SecureString $TeamPassword -AsPlainText -Force))
    }
    AfterAll { Stop-Peer $Team }

    It 'a JWT and an API version learnt for .../TeamA are not used for .../teama' {
        $ok = New-FakeCredential -Token 'x' | Sync-AirflowEcrConnection -ConnectionId ecr_team -AirflowUrl "$($Team.Url)/TeamA" -AirflowCredential $TeamCred
        $ok.ConnectionId | Should -Be 'ecr_team'
        Clear-EmulatorRequests $Team

        $r = Invoke-Sync { New-FakeCredential -Token 'y' | Sync-AirflowEcrConnection -ConnectionId ecr_team -AirflowUrl "$($Team.Url)/teama" -AirflowCredential $TeamCred @args }
        $r.Output | Should -BeNullOrEmpty -Because '/teama is not where this Airflow is'
        $sent = @(Get-EmulatorRequests -Url $Team.Url)
        $sent[0].method + ' ' + $sent[0].path | Should -Be 'GET /teama/api/v2/version' -Because 'the version probed for /TeamA is not reused for /teama'
        @($sent | Where-Object { $_.auth -eq 'Bearer' }) | Should -BeNullOrEmpty -Because 'the JWT obtained for /TeamA is never sent to /teama'
    }
}

Describe 'Bounded reads: no reply is read past a few MB, decompressed size included' {
    BeforeAll {
        $script:Aws = [pscredential]::new('AKIAFAULTSEXAMPLE01', (ConvertTo-SecureString 'faults/secret' -AsPlainText -Force))
        $script:Hundred = 100MB
    }

    It 'Airflow answering 100 MB: AirflowResponseTooLarge, not read to the end, not retried' {
        $flood = New-TcpPeer -Mode Flood -FloodBytes $Hundred
        $Peers.Add($flood)
        $before = [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64
        $r = Invoke-Sync { New-FakeCredential -Token 'x' | Sync-AirflowEcrConnection -ConnectionId ecr_big -Mode Rest -AirflowUrl $flood.Url -AccessToken (ConvertTo-SecureString 'x' -AsPlainText -Force) -ApiVersion V2 @args }
        $r.Output | Should -BeNullOrEmpty
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'AirflowResponseTooLarge,*'
        "$($r.Errors[0].CategoryInfo.Category)" | Should -Be 'InvalidData'
        $flood.Requests | Should -Be 1 -Because 'an oversized answer is not asked for again'
        # Content-Length says 100 MB: nothing of the body needs to be read at all.
        $flood.BytesSent | Should -BeLessThan 50MB
        ([Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64 - $before) | Should -BeLessThan 60MB
    }

    It 'a gzip reply that inflates to 100 MB: AirflowResponseTooLarge (the decompressed bytes are counted)' {
        $bomb = New-TcpPeer -Mode Flood -FloodBytes $Hundred -FloodGzip
        $Peers.Add($bomb)
        $r = Invoke-Sync { New-FakeCredential -Token 'x' | Sync-AirflowEcrConnection -ConnectionId ecr_big -Mode Rest -AirflowUrl $bomb.Url -AccessToken (ConvertTo-SecureString 'x' -AsPlainText -Force) -ApiVersion V2 @args }
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'AirflowResponseTooLarge,*'
        $bomb.BytesSent | Should -BeLessThan 1MB -Because 'the transfer itself was small'
    }

    It 'ECR answering 100 MB: EcrResponseTooLarge' {
        $flood = New-TcpPeer -Mode Flood -FloodBytes $Hundred -FloodGzip
        $Peers.Add($flood)
        $r = Invoke-Sync { Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $flood.Url -Credential $Aws -Force @args }
        $r.Output | Should -BeNullOrEmpty
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'EcrResponseTooLarge,*'
        $flood.Requests | Should -Be 1
    }
}

Describe 'The secret stores (moto behind a TCP peer) when the reply to the creating request is lost: <Mode>' -ForEach @(
    @{ Mode = 'ParameterStore'; Creating = 'AmazonSSM.PutParameter'; Service = 'ssm'; Prefix = '/airflow/connections/' }
    @{ Mode = 'SecretsManager'; Creating = 'secretsmanager.CreateSecret'; Service = 'secretsmanager'; Prefix = 'airflow/connections/' }
) {
    BeforeAll {
        $script:OwnMoto = $null
        if (-not $env:ECRAIRFLOW_TEST_MOTO -or -not (Test-Path $env:ECRAIRFLOW_TEST_MOTO)) {
            $script:OwnMoto = Start-MotoPeer -WorkDirectory ([IO.Path]::GetTempPath())
            $env:ECRAIRFLOW_TEST_MOTO = $OwnMoto.InfoPath
        }
        $script:Moto = Get-Content $env:ECRAIRFLOW_TEST_MOTO -Raw | ConvertFrom-Json
        $script:Writer = [pscredential]::new($Moto.writer.accessKeyId, (ConvertTo-SecureString $Moto.writer.secretAccessKey -AsPlainText -Force))
    }
    AfterAll { if ($OwnMoto) { Stop-Peer $OwnMoto } }

    It 'the retry finds it created and the new one still gets its -Tag values (tagged by name, not by its version)' {
        # moto does the create; the TCP peer cuts its answer in half, so the module retries the same request.
        $cut = New-TcpPeer -Mode ProxyReset -UpstreamPort ([uri]$Moto.endpoint).Port -Match $Creating -FaultTimes 1
        $Peers.Add($cut)
        $id = 'ecr_lost_' + [guid]::NewGuid().ToString('n').Substring(0, 10)
        $r = Invoke-Sync { New-FakeCredential -Token 'lost+/=reply' | Sync-AirflowEcrConnection -ConnectionId $id -Mode $Mode -Tag @{ team = 'data' } -Region eu-west-1 -EndpointUrl $cut.Url -AwsCredential $Writer @args }
        $r.Errors | Should -BeNullOrEmpty
        $r.Output[0].Action | Should -Be 'Created' -Because 'nothing was there when the refresh looked'
        $read = Read-MotoStore $Moto $Service ($Prefix + $id)
        $read.tags.team | Should -Be 'data'
        $read.connection.password | Should -BeExactly 'lost+/=reply'
        if ($Mode -eq 'ParameterStore') { $read.type | Should -Be 'SecureString' }
        else { @($read.versions).Count | Should -Be 1 -Because 'the retried CreateSecret carries the same ClientRequestToken, so it is the same version' }
    }
}

Describe 'Faults in Cli mode (the stand-in CLI): the read before the import' {
    BeforeAll {
        $script:StandIn = Join-Path $(if ($env:ECRAIRFLOW_TEST_ROOT) { $env:ECRAIRFLOW_TEST_ROOT } else { (Resolve-Path "$PSScriptRoot/../..").Path }) 'tests/peers/airflow/airflow'
        $script:CliEnv = 'AIRFLOW_STANDIN_HOME', 'AIRFLOW_STANDIN_GET_FAIL', 'AIRFLOW_STANDIN_SLEEP', 'AIRFLOW_STANDIN_SLEEP_COMMAND'
        $script:SavedCliEnv = @{}
        foreach ($n in $CliEnv) { $SavedCliEnv[$n] = [Environment]::GetEnvironmentVariable($n) }
        function Get-StandInStore([string] $Id) { (Get-Content -LiteralPath (Join-Path $env:AIRFLOW_STANDIN_HOME 'connections.json') -Raw | ConvertFrom-Json).$Id }
        function Get-StandInCommands { @(Get-Content -LiteralPath (Join-Path $env:AIRFLOW_STANDIN_HOME 'calls.jsonl') | ForEach-Object { ($_ | ConvertFrom-Json).argv[1] }) }
    }
    AfterAll { foreach ($n in $CliEnv) { Set-TestEnv $n $SavedCliEnv[$n] } }

    BeforeEach {
        foreach ($n in $CliEnv) { Set-TestEnv $n $null }
        $script:Work = New-TestFolder 'faults-cli'
        $env:AIRFLOW_STANDIN_HOME = Join-Path $Work 'standin'
        # The connections as they were before the run: a failed refresh must leave them exactly so.
        $null = (New-FakeCredential -Account 111111111111 -Token 'before-a'), (New-FakeCredential -Account 222222222222 -Token 'before-b') |
            Sync-AirflowEcrConnection -ConnectionId { if ($_.Registry -like '*1111*') { 'ecr_a' } else { 'ecr_b' } } -Mode Cli -AirflowCommand $StandIn -WorkingDirectory $Work
        Remove-Item -LiteralPath (Join-Path $env:AIRFLOW_STANDIN_HOME 'calls.jsonl')
    }
    AfterEach { Remove-TestFolder $script:Work }

    It 'the database fails for every read: AirflowCliReadFailed (terminating), no import, old values kept' {
        $env:AIRFLOW_STANDIN_GET_FAIL = '1'
        $r = Invoke-Sync { (New-FakeCredential -Account 111111111111 -Token 'after-a'), (New-FakeCredential -Account 222222222222 -Token 'after-b') |
                Sync-AirflowEcrConnection -ConnectionId { if ($_.Registry -like '*1111*') { 'ecr_a' } else { 'ecr_b' } } -Mode Cli -AirflowCommand $StandIn -WorkingDirectory $Work @args }
        $r.Output | Should -BeNullOrEmpty
        $r.Errors.Count | Should -Be 1
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'AirflowCliReadFailed,*'
        "$($r.Errors[0].CategoryInfo.Category)" | Should -Be 'InvalidOperation'
        $r.Errors[0].Exception.Message | Should -BeLike '*OperationalError*database is locked*'
        Get-StandInCommands | Should -Be @('get') -Because 'the second read would meet the same, and nothing is imported'
        (Get-StandInStore ecr_a).password | Should -Be 'before-a'
        (Get-StandInStore ecr_b).password | Should -Be 'before-b'
    }

    It 'the database fails for the second read only: the first is imported, the second reported with its error' {
        $env:AIRFLOW_STANDIN_GET_FAIL = 'ecr_b'
        $r = Invoke-Sync { (New-FakeCredential -Account 111111111111 -Token 'after-a'), (New-FakeCredential -Account 222222222222 -Token 'after-b') |
                Sync-AirflowEcrConnection -ConnectionId { if ($_.Registry -like '*1111*') { 'ecr_a' } else { 'ecr_b' } } -Mode Cli -AirflowCommand $StandIn -WorkingDirectory $Work @args }
        $r.Output.ConnectionId | Should -Be 'ecr_a'
        $r.Errors.Count | Should -Be 1
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'AirflowCliReadFailed,*'
        $r.Errors[0].TargetObject | Should -Be 'ecr_b'
        $r.Errors[0].ErrorDetails.Message | Should -BeLike "Connection 'ecr_b' was not written: *Written: ecr_a."
        Get-StandInCommands | Should -Be @('get', 'get', 'import')
        (Get-StandInStore ecr_a).password | Should -Be 'after-a'
        (Get-StandInStore ecr_b).password | Should -Be 'before-b'
    }

    It 'a read that hangs beyond -TimeoutSec: AirflowCliTimeout, the CLI stopped, nothing imported' {
        $env:AIRFLOW_STANDIN_SLEEP = '60'
        $env:AIRFLOW_STANDIN_SLEEP_COMMAND = 'get'
        $r = Invoke-Sync { New-FakeCredential -Account 111111111111 -Token 'after-a' | Sync-AirflowEcrConnection -ConnectionId ecr_a -Mode Cli -AirflowCommand $StandIn -WorkingDirectory $Work -TimeoutSec 2 @args }
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'AirflowCliTimeout,*'
        $r.Errors[0].Exception.Message | Should -BeLike '*no connection was written*'
        Get-StandInCommands | Should -Be @('get')
        (Get-StandInStore ecr_a).password | Should -Be 'before-a'
    }
}
