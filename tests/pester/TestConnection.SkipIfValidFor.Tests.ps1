# Sync-AirflowEcrConnection -SkipIfValidFor in every mode, against that mode's peer (TestConnection.Common.ps1): in
# the steady state a run reads what is stored and writes nothing, counted at the peer (the emulator's and the MWAA
# peer's request logs, moto's, the stand-in CLI's call log; the variables and the dotenv file compared byte for
# byte); what is due (a token expiring within the time given, another registry, another login, nothing yet) is
# written, and only that. Tokens are moto's, in ECR's real format.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestConnection.Common.ps1')
}

BeforeAll {
    Import-Module $env:ECRAIRFLOW_TEST_MODULE -Force
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'TestConnection.Common.ps1')
    Start-TestConnectionPeers -Tag 'testskip' -Airflow
}

AfterAll {
    Stop-TestConnectionPeers
}

Describe 'Sync-AirflowEcrConnection -SkipIfValidFor -Mode <Name>' -ForEach $TestConnectionModes {
    BeforeAll {
        $script:Tolerance = if ($Readable) { 1 } else { 60 }
        $script:Skip = @{ SkipIfValidFor = '1h' }
    }

    It 'in the steady state writes nothing: every connection Skipped, one read (one request for all where the target allows it), no write at the peer' {
        $ids = (New-TestId 'sa'), (New-TestId 'sb'), (New-TestId 'sc')
        $first = New-MotoCredential
        $null = Sync-MotoCredential $Key $ids $first
        $state = Get-StoredState $Key $ids
        # The next scheduled run: a new 12-hour token, while the stored one still has almost 12 hours.
        $next = New-MotoCredential
        $before = @(Get-PeerRequests $Key).Count

        $results = @(Sync-MotoCredential $Key $ids $next -Extra $Skip)

        $asked = @(Get-PeerRequests $Key | Select-Object -Skip $before)
        $results.ConnectionId | Should -Be $ids
        $results.Action | Should -Be @('Skipped', 'Skipped', 'Skipped')
        $results.Registry | Should -Be @($TC.Registry, $TC.Registry, $TC.Registry)
        foreach ($r in $results) {
            [math]::Abs(($r.ExpiresAt - $first.ExpiresAt).TotalSeconds) | Should -BeLessOrEqual $Tolerance -Because 'a skipped result says when the stored token expires'
        }
        Select-WriteRequest $Key $asked | Should -BeNullOrEmpty -Because "nothing was due: $($asked -join ', ')"
        switch ($Key) {
            { $_ -match '^(Rest|Mwaa)' } { Assert-AirflowReads $Key $asked $ids }
            'Cli' { $asked | Should -Be @('connections get', 'connections get', 'connections get') -Because 'no import' }
            'SecretsManager' { $asked | Should -Be @('secretsmanager.GetSecretValue', 'secretsmanager.GetSecretValue', 'secretsmanager.GetSecretValue') }
            'ParameterStore' { @($asked -notlike 'AmazonSSM.Get*') | Should -BeNullOrEmpty -Because "only reads: $($asked -join ', ')" }
        }
        Get-StoredState $Key $ids | Should -BeExactly $state
        Get-StoredPassword $Key $ids[0] | Should -BeExactly $first.Password
    }

    It 'writes what is due, and only that, with results in input order: a token that expires within the time, another registry, another login, nothing yet' {
        $soon = New-TestId 'soon'; $fresh = New-TestId 'fresh'; $otherRegistry = New-TestId 'reg'; $missing = New-TestId 'new'; $otherLogin = New-TestId 'login'
        $now = New-MotoCredential
        $null = Sync-MotoCredential $Key $fresh $now
        $null = Sync-MotoCredential $Key $soon (New-ShortMotoCredential -Seconds 600)
        $later = [DateTimeOffset]::UtcNow.AddHours(12)
        Set-StoredConnection $Key $otherRegistry @{ conn_type = 'docker'; host = 'registry.example.com'; login = 'AWS'; password = (New-EcrPassword -ExpiresAt $later); description = (Get-ExpiryNote $later) }
        Set-StoredConnection $Key $otherLogin @{ conn_type = 'docker'; host = $TC.Registry; login = 'olduser'; password = (New-EcrPassword -ExpiresAt $later); description = (Get-ExpiryNote $later) }
        $next = New-MotoCredential
        $order = $soon, $fresh, $otherRegistry, $missing, $otherLogin
        $due = $soon, $otherRegistry, $missing, $otherLogin
        $before = @(Get-PeerRequests $Key).Count

        $results = @(Sync-MotoCredential $Key $order $next -Extra $Skip)

        $asked = @(Get-PeerRequests $Key | Select-Object -Skip $before)
        $results.ConnectionId | Should -Be $order
        $results.Action | Should -Be @('Updated', 'Skipped', 'Updated', 'Created', 'Updated')
        [math]::Abs(($results[1].ExpiresAt - $now.ExpiresAt).TotalSeconds) | Should -BeLessOrEqual $Tolerance
        $writes = @(Select-WriteRequest $Key $asked)
        $expectedWrites = switch ($Key) {
            { $_ -in 'Rest3', 'Mwaa3', 'Cli' } { 1 }   # one bulk request, one import
            { $_ -in 'EnvProcess', 'EnvDotenv' } { 0 }   # no peer to ask: what is stored says it below
            default { 4 }   # one write per connection that is due
        }
        $writes.Count | Should -Be $expectedWrites -Because "the writes were: $($writes -join ', ')"
        if ($Key -in 'Rest2', 'Mwaa2') { @($writes -like "*/$fresh") | Should -BeNullOrEmpty }
        if ($Key -eq 'Rest3') {
            $bulk = @(Get-EmulatorRequests -Url $TC.Emulators[3].Url | Where-Object { $_.method -eq 'PATCH' -and $_.path -eq '/api/v2/connections' })[-1]
            @($bulk.connectionIds | Sort-Object) | Should -Be @($due | Sort-Object) -Because 'the bulk request carries only what was due'
        }
        foreach ($id in $due) { Get-StoredPassword $Key $id | Should -BeExactly $next.Password -Because "'$id' was due" }
        Get-StoredPassword $Key $fresh | Should -BeExactly $now.Password -Because 'the fresh one was not written'
    }
}
