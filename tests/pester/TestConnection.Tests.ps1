# Test-AirflowEcrConnection in every mode, against that mode's peer (TestConnection.Common.ps1): what it reports after
# a real refresh of a moto token (ECR's format, so the password says when it expires), for an id with nothing, with a
# postgres connection, with a token about to expire and with an expired one (put at the peer directly: a refresh
# never writes an expired token over a connection); many ids in one call and from the pipeline, read with one request
# where the target allows it; -Quiet; the default view; -Login where the password cannot be read back. Durations as
# people type them, and InvalidDuration. -Login against a registry: TestConnection.Login.Tests.ps1. Sync
# -SkipIfValidFor: TestConnection.SkipIfValidFor.Tests.ps1.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestConnection.Common.ps1')
    # Counting what the child PowerShell opens needs strace (Linux).
    $script:Strace = if (-not $IsWindows) { (Get-Command strace -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source }
}

BeforeAll {
    Import-Module $env:ECRAIRFLOW_TEST_MODULE -Force
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'TestConnection.Common.ps1')
    Start-TestConnectionPeers -Tag 'testconn' -Airflow

    # What a user of another database left at an id.
    $script:Postgres = @{ conn_type = 'postgres'; host = 'db.example.com'; login = 'app'; password = 'pg-Secret+1'; description = 'App database' }
}

AfterAll {
    Stop-TestConnectionPeers
}

Describe 'Test-AirflowEcrConnection -Mode <Name>' -ForEach $TestConnectionModes {
    BeforeAll {
        $script:Target = Get-ModeParameters $Key
        $script:Source = if ($Readable) { 'Token' } else { 'Annotation' }
        # The token's own expiration has second precision; the note in the description has too, but is written from
        # the credential's ExpiresAt, so a minute is allowed there.
        $script:Tolerance = if ($Readable) { 1 } else { 60 }
    }

    It 'after a real refresh: Fresh, for the registry, with ExpiresAt from the token (or the note where the password cannot be read) and time remaining' {
        $id = New-TestId 'fresh'
        $token = New-MotoCredential
        $synced = Sync-MotoCredential $Key $id $token
        $synced.ConnectionId | Should -Be $id

        $errs = $null
        $status = @(Test-AirflowEcrConnection $id @Target -ErrorVariable errs)
        $status.Count | Should -Be 1
        $status[0] | Should -BeOfType 'EcrAirflow.AirflowConnectionStatus'
        $status[0].ConnectionId | Should -Be $id
        $status[0].Mode | Should -Be $Target.Mode
        $status[0].Target | Should -Match ([regex]::Escape($id))
        $status[0].Status | Should -Be 'Fresh'
        $status[0].Registry | Should -Be $TC.Registry
        $status[0].ExpirySource | Should -Be $Source
        [math]::Abs(($status[0].ExpiresAt - $token.ExpiresAt).TotalSeconds) | Should -BeLessOrEqual $Tolerance -Because "the token's own expiration is $($token.ExpiresAt)"
        $status[0].Remaining | Should -BeGreaterThan ([TimeSpan]::Zero)
        $status[0].Remaining | Should -BeLessOrEqual ([TimeSpan]::FromSeconds($EcrTokenLifetime + $Tolerance))
        $status[0].Login | Should -Be 'NotTested'
        $status[0].Reason | Should -BeNullOrEmpty
        $errs | Should -BeNullOrEmpty
        Get-StoredPassword $Key $id | Should -BeExactly $token.Password -Because 'the test only read'
    }

    It 'Missing for an id with nothing there, with a reason that says how to write it' {
        $id = New-TestId 'none'
        $errs = $null
        $status = Test-AirflowEcrConnection $id @Target -ErrorVariable errs
        $status.Status | Should -Be 'Missing'
        $status.Registry | Should -BeNullOrEmpty
        $status.ExpiresAt | Should -BeNullOrEmpty
        $status.Remaining | Should -BeNullOrEmpty
        $status.ExpirySource | Should -Be 'None'
        $status.Reason | Should -Match "There is no connection '$id'"
        $status.Reason | Should -Match 'Sync-AirflowEcrConnection'
        $errs | Should -BeNullOrEmpty -Because 'nothing there is a status, not an error'
    }

    It 'NotDocker for a postgres connection at the id, with a reason, and never a word of its password' {
        $id = New-TestId 'pg'
        Set-StoredConnection $Key $id $Postgres
        $status = Test-AirflowEcrConnection $id @Target
        $status.Status | Should -Be 'NotDocker'
        $status.Registry | Should -BeNullOrEmpty
        $status.ExpiresAt | Should -BeNullOrEmpty
        $status.Reason | Should -Match 'postgres'
        $status.Reason | Should -Match 'not a Docker connection'
        $status.Reason | Should -Match '-ReplaceNonDocker'
        Assert-NoSecret -Text ($status | Format-List * | Out-String -Width 400) -Secrets $Postgres.password -Where 'the status of a postgres connection'
        Get-StoredPassword $Key $id | Should -BeExactly $Postgres.password
    }

    It 'ExpiringSoon for a token with less left than -MinimumRemaining (1 hour by default), Fresh with a smaller -MinimumRemaining' {
        $id = New-TestId 'soon'
        $token = New-ShortMotoCredential -Seconds 600
        $null = Sync-MotoCredential $Key $id $token

        $status = Test-AirflowEcrConnection $id @Target -MinimumRemaining 1h
        $status.Status | Should -Be 'ExpiringSoon'
        $status.ExpirySource | Should -Be $Source
        [math]::Abs(($status.ExpiresAt - $token.ExpiresAt).TotalSeconds) | Should -BeLessOrEqual $Tolerance
        $status.Remaining | Should -BeGreaterThan ([TimeSpan]::Zero)
        $status.Remaining | Should -BeLessOrEqual ([TimeSpan]::FromSeconds(600 + $Tolerance))
        $status.Reason | Should -Match "The token of '$id' expires at .* UTC, in \d+m \d\ds, less than the 1h 00m asked for"
        (Test-AirflowEcrConnection $id @Target).Status | Should -Be 'ExpiringSoon' -Because '-MinimumRemaining is 1 hour unless given'
        # The token has 10 minutes: 90 seconds is far below what is left.
        (Test-AirflowEcrConnection $id @Target -MinimumRemaining 90s).Status | Should -Be 'Fresh'
    }

    It 'Expired for a stored token whose expiry has passed (by its own word where the password is read, even against a note that says otherwise)' {
        $id = New-TestId 'expired'
        $expiredAt = [DateTimeOffset]::UtcNow.AddHours(-2)
        # Where the password is read, a stale note that says the token is good must not win over the token itself.
        $note = if ($Readable) { Get-ExpiryNote ([DateTimeOffset]::UtcNow.AddHours(10)) } else { Get-ExpiryNote $expiredAt }
        Set-StoredConnection $Key $id @{ conn_type = 'docker'; host = $TC.Registry; login = 'AWS'; password = (New-EcrPassword -ExpiresAt $expiredAt); description = $note }

        $status = Test-AirflowEcrConnection $id @Target
        $status.Status | Should -Be 'Expired'
        $status.Registry | Should -Be $TC.Registry
        $status.ExpirySource | Should -Be $Source
        [math]::Abs(($status.ExpiresAt - $expiredAt).TotalSeconds) | Should -BeLessOrEqual 1
        $status.Remaining | Should -BeLessThan ([TimeSpan]::Zero)
        $status.Reason | Should -Match "The token of '$id' expired at .* UTC \(2h \d\dm ago\): DockerOperator's login fails"
        Test-AirflowEcrConnection $id @Target -Quiet | Should -BeFalse
    }

    It 'many ids in one call: one status per id in the order asked, read without a write (one request where the target allows it); and from the pipeline by property name' {
        $a = New-TestId 'a'; $b = New-TestId 'b'; $missing = New-TestId 'm'; $pg = New-TestId 'p'
        $token = New-MotoCredential
        $synced = @(Sync-MotoCredential $Key $a, $b $token)
        Set-StoredConnection $Key $pg $Postgres
        # Read at the peer first: moto logs the test's own reads too.
        $state = Get-StoredState $Key $a, $b, $pg
        $before = @(Get-PeerRequests $Key).Count

        $records = @(Test-AirflowEcrConnection $b, $missing, $a, $pg @Target -Verbose 4>&1)
        $statuses = @($records | Where-Object { $_ -is [EcrAirflow.AirflowConnectionStatus] })
        $statuses.ConnectionId | Should -Be @($b, $missing, $a, $pg)
        $statuses.Status | Should -Be @('Fresh', 'Missing', 'Fresh', 'NotDocker')

        $asked = @(Get-PeerRequests $Key | Select-Object -Skip $before)
        Select-WriteRequest $Key $asked | Should -BeNullOrEmpty -Because 'a test never writes'
        switch ($Key) {
            { $_ -match '^(Rest|Mwaa)' } { Assert-AirflowReads $Key $asked @($b, $missing, $a, $pg) }
            'Cli' { $asked | Should -Be @('connections get', 'connections get', 'connections get', 'connections get') }
            'SecretsManager' { @($asked -like '*.GetSecretValue').Count | Should -Be 4 }
            'ParameterStore' { @($asked -like '*.GetParameter*').Count | Should -BeGreaterThan 0 }
            'EnvDotenv' { @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like "Read '*'*" }).Count | Should -Be 1 -Because 'the file is read once for every id' }
        }
        Get-StoredState $Key $a, $b, $pg | Should -BeExactly $state

        # Sync-AirflowEcrConnection's results bind by their ConnectionId; so do plain strings.
        $piped = @($synced | Test-AirflowEcrConnection @Target)
        $piped.ConnectionId | Should -Be @($a, $b)
        $piped.Status | Should -Be @('Fresh', 'Fresh')
        $strings = @($missing, $a | Test-AirflowEcrConnection @Target)
        $strings.ConnectionId | Should -Be @($missing, $a)
        $strings.Status | Should -Be @('Missing', 'Fresh')
    }

    It '-Quiet: one $true when every connection is Fresh, one $false when one is not, and nothing else on any stream' {
        $a = New-TestId 'qa'; $b = New-TestId 'qb'; $missing = New-TestId 'qm'
        $null = Sync-MotoCredential $Key $a, $b (New-MotoCredential)

        $fresh = @(Test-AirflowEcrConnection $a, $b @Target -Quiet *>&1)
        $fresh.Count | Should -Be 1
        $fresh[0] | Should -BeOfType [bool]
        $fresh[0] | Should -BeTrue
        $notAll = @(Test-AirflowEcrConnection $a, $missing, $b @Target -Quiet *>&1)
        $notAll.Count | Should -Be 1
        $notAll[0] | Should -BeOfType [bool]
        $notAll[0] | Should -BeFalse
    }

    It 'the default view is a table with the time remaining, and nothing secret in any view' {
        $id = New-TestId 'view'; $missing = New-TestId 'vm'
        $token = New-MotoCredential
        $null = Sync-MotoCredential $Key $id $token
        $statuses = Test-AirflowEcrConnection $id, $missing @Target

        $table = $statuses | Out-String -Width 300
        $table | Should -Match 'ConnectionId\s+Status\s+Remaining\s+From\s+Login\s+Target'
        $table | Should -Match "$id\s+Fresh\s+1[01]h \d\dm\s+$Source\s"
        $table | Should -Match "$missing\s+Missing\s"
        $list = $statuses | Format-List * | Out-String -Width 300
        Assert-NoSecret -Text ($table + $list + ($statuses | ConvertTo-Json)) -Secrets $token.Password -Where 'the views of the statuses'
    }
}

Describe 'Test-AirflowEcrConnection -Login -Mode <Name>, where the password cannot be read back' -ForEach @($TestConnectionModes | Where-Object { -not $_.Readable }) {
    It 'Login Unavailable, with why: the API never returns the password (Airflow 2) or returns it masked (Airflow 3)' {
        $target = Get-ModeParameters $Key
        $id = New-TestId 'login'
        $null = Sync-MotoCredential $Key $id (New-MotoCredential)
        $status = Test-AirflowEcrConnection $id @target -Login
        $status.Status | Should -Be 'Fresh'
        $status.Login | Should -Be 'Unavailable'
        $why = if ($Key.EndsWith('2')) { "reads through Airflow 2's REST API, which never returns the password" } else { "reads through Airflow 3's REST API, which returns the password masked" }
        $status.Reason | Should -Match ("The stored login could not be tried: $($target.Mode) mode " + [regex]::Escape($why))
        $status.Reason | Should -Match 'docker login'
        Test-AirflowEcrConnection $id @target -Login -Quiet | Should -BeFalse -Because 'a login that could not be tried did not succeed'
    }
}

Describe 'Test-AirflowEcrConnection -Mode EnvironmentVariable -Path: the dotenv file is opened once for many ids' -Skip:(-not $Strace) {
    It 'a child PowerShell under strace opens the file once, for four ids' {
        $ids = (New-TestId 'sa'), (New-TestId 'sb'), (New-TestId 'sc')
        $null = Sync-MotoCredential EnvDotenv $ids (New-MotoCredential)
        $trace = Join-Path $TC.Work ('strace-' + [guid]::NewGuid().ToString('n') + '.log')
        $script = "Import-Module '$env:ECRAIRFLOW_TEST_MODULE'; Test-AirflowEcrConnection $($ids -join ','),ecr_not_there -Mode EnvironmentVariable -Path '$($TC.Dotenv)' | ForEach-Object { `$_.Status.ToString() }"
        $run = Invoke-ChildPwsh -Script $script -Wrapper @($Strace, '-f', '-qq', '-e', 'trace=open,openat', '-o', $trace)
        $run.ExitCode | Should -Be 0 -Because $run.Text
        $run.Lines | Should -Be @('Fresh', 'Fresh', 'Fresh', 'Missing')
        $opens = @(Get-Content -LiteralPath $trace | Where-Object { $_.Contains('"' + $TC.Dotenv + '"') })
        $opens.Count | Should -Be 1 -Because ($opens -join "`n")
    }
}

Describe 'Durations as people type them' {
    BeforeAll {
        # A connection whose token has 3 hours left, in this process's environment.
        function New-ThreeHourConnection {
            $id = New-TestId 'dur'
            Set-StoredConnection EnvProcess $id @{ conn_type = 'docker'; host = $TC.Registry; login = 'AWS'; password = (New-EcrPassword -ExpiresAt ([DateTimeOffset]::UtcNow.AddHours(3))) }
            $id
        }
        $script:Fresh = { New-FakeCredential -Account $TC.Moto.accountId -Region $TC.Region -Token (New-EcrPassword) }
    }

    It 'Test -MinimumRemaining <Text> says <Status> for a token with 3 hours left; Sync -SkipIfValidFor <Text> then <Action>' -ForEach @(
        @{ Text = '90s'; Status = 'Fresh'; Action = 'Skipped' }
        @{ Text = '30m'; Status = 'Fresh'; Action = 'Skipped' }
        @{ Text = '01:00:00'; Status = 'Fresh'; Action = 'Skipped' }
        @{ Text = '6h'; Status = 'ExpiringSoon'; Action = 'Updated' }
        @{ Text = '1d'; Status = 'ExpiringSoon'; Action = 'Updated' }
    ) {
        $id = New-ThreeHourConnection
        (Test-AirflowEcrConnection $id -Mode EnvironmentVariable -MinimumRemaining $Text).Status | Should -Be $Status
        (& $Fresh | Sync-AirflowEcrConnection $id -Mode EnvironmentVariable -SkipIfValidFor $Text).Action | Should -Be $Action
    }

    It 'a number with a unit typed bare keeps its unit (to PowerShell, 90s is the number 90 and 1d the number 1)' {
        $id = New-ThreeHourConnection
        (Test-AirflowEcrConnection $id -Mode EnvironmentVariable -MinimumRemaining 90s).Status | Should -Be 'Fresh'
        (Test-AirflowEcrConnection $id -Mode EnvironmentVariable -MinimumRemaining 1d).Status | Should -Be 'ExpiringSoon'
        (& $Fresh | Sync-AirflowEcrConnection $id -Mode EnvironmentVariable -SkipIfValidFor 90s).Action | Should -Be 'Skipped'
        (& $Fresh | Sync-AirflowEcrConnection $id -Mode EnvironmentVariable -SkipIfValidFor 1d).Action | Should -Be 'Updated'
    }

    It 'a TimeSpan is taken as it is' {
        $id = New-ThreeHourConnection
        (Test-AirflowEcrConnection $id -Mode EnvironmentVariable -MinimumRemaining ([TimeSpan]::FromHours(2))).Status | Should -Be 'Fresh'
        (Test-AirflowEcrConnection $id -Mode EnvironmentVariable -MinimumRemaining ([TimeSpan]::FromHours(4))).Status | Should -Be 'ExpiringSoon'
    }

    It '<Text> is refused by both cmdlets with InvalidDuration, before anything is read or written' -ForEach @(
        @{ Text = 'soon' }
        @{ Text = '-5m' }
        @{ Text = '90' }
        @{ Text = '-00:05:00' }
    ) {
        $id = New-ThreeHourConnection
        $before = Get-StoredState EnvProcess $id
        # A negative TimeSpan as one (it reads as text that is no duration, too).
        $value = if ($Text -eq '-00:05:00') { [TimeSpan]::FromMinutes(-5) } else { $Text }
        $calls = @(
            @{ Cmdlet = 'TestAirflowEcrConnectionCommand'; Parameter = 'MinimumRemaining'; Run = { Test-AirflowEcrConnection $id -Mode EnvironmentVariable -MinimumRemaining $value } }
            @{ Cmdlet = 'SyncAirflowEcrConnectionCommand'; Parameter = 'SkipIfValidFor'; Run = { & $Fresh | Sync-AirflowEcrConnection $id -Mode EnvironmentVariable -SkipIfValidFor $value } }
        )
        foreach ($call in $calls) {
            $thrown = $null
            $out = try { & $call.Run } catch { $thrown = $_ }
            $out | Should -BeNullOrEmpty
            $thrown | Should -Not -BeNullOrEmpty
            $thrown.FullyQualifiedErrorId | Should -Be "InvalidDuration,EcrAirflow.Commands.$($call.Cmdlet)"
            $thrown.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $thrown.Exception.Message | Should -Match "^-$($call.Parameter) (is not a duration|is negative \(-00:05:00\)): it takes a TimeSpan, hh:mm:ss, or a number with a unit \(90s, 30m, 6h, 1d\)"
            $thrown.ErrorDetails.RecommendedAction | Should -Match "-$($call.Parameter) 1h"
            foreach ($view in Get-ErrorViews $thrown) {
                $view | Should -Not -Match '(?m)^\s+at [\w.`<>]+\(' -Because 'no stack frame reaches the user'
                $view | Should -Not -Match '(?m)System\.[\w.]+Exception: ' -Because 'no Exception.ToString() text reaches the user'
            }
        }
        Get-StoredState EnvProcess $id | Should -BeExactly $before
    }
}
