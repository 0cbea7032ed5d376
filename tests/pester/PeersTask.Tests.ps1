# build.ps1 -Task Peers, as a user meets it: it starts the peers, prints what to paste into another shell, and
# the module works against them with exactly that; closing it stops every peer. (The task's build step is the
# same as every other task's; the test runs its Invoke-Peers in a fresh pwsh, as build.ps1 does after building.)

BeforeAll {
    Import-Module $env:ECRAIRFLOW_TEST_MODULE -Force
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Root = if ($env:ECRAIRFLOW_TEST_ROOT) { $env:ECRAIRFLOW_TEST_ROOT } else { (Resolve-Path "$PSScriptRoot/../..").Path }
    $script:Work = New-TestFolder 'peers-task'
    $pwsh = Get-PwshCommandLine
    $psi = [System.Diagnostics.ProcessStartInfo]::new($pwsh[0])
    $script:ChildScript = Join-Path $Work 'run-peers.ps1'
    [IO.File]::WriteAllText($ChildScript, @"
`$ErrorActionPreference = 'Stop'
. '$((Join-Path $Root 'tests/peers/Peers.ps1').Replace("'", "''"))'
. '$((Join-Path $Root 'build/Peers.ps1').Replace("'", "''"))'
Invoke-Peers -ModuleManifest '$($env:ECRAIRFLOW_TEST_MODULE.Replace("'", "''"))' -WorkDirectory '$((Join-Path $Work 'out').Replace("'", "''"))'
"@)
    Add-ProcessArgument $psi (@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $ChildScript))
    $psi.RedirectStandardInput = $true
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    $script:Child = [System.Diagnostics.Process]::Start($psi)
    $script:ChildErrors = $Child.StandardError.ReadToEndAsync()
    $script:Printed = [System.Collections.Generic.List[string]]::new()
    $deadline = [DateTime]::UtcNow.AddMinutes(3)
    while ([DateTime]::UtcNow -lt $deadline) {
        $line = $Child.StandardOutput.ReadLine()
        if ($null -eq $line) { break }
        $Printed.Add($line)
        if ($line -match 'PEERS READY') { break }
    }
    $script:Rest = $Child.StandardOutput.ReadToEndAsync()
    # What the task told the user to paste, as name/value pairs.
    $script:Pasted = [ordered]@{}
    foreach ($line in $Printed) { if ($line -match "^\s+\`$env:(?<name>\w+) = '(?<value>[^']*)'") { $Pasted[$Matches.name] = $Matches.value } }
    $script:Airflow3 = ($Printed | Where-Object { $_ -match 'Airflow 3 emulator' }) -replace '.*?(http://127\.0\.0\.1:\d+).*', '$1'
    $script:SavedEnv = @{}
    foreach ($name in $Pasted.Keys) { $SavedEnv[$name] = [Environment]::GetEnvironmentVariable($name) }
}

AfterAll {
    foreach ($name in $SavedEnv.Keys) { Set-TestEnv $name $SavedEnv[$name] }
    if ($Child -and -not $Child.HasExited) { $Child.StandardInput.Close(); if (-not $Child.WaitForExit(30000)) { $Child.Kill() } }
    Remove-TestFolder $Work
}

Describe 'build.ps1 -Task Peers' {
    It 'starts the peers and prints what to paste, naming every endpoint on loopback' {
        # (Its error stream is read only once it has ended: reading it earlier would wait for the task to end.)
        $errors = if ($ChildErrors.IsCompleted) { $ChildErrors.Result } else { '' }
        ($Printed -join "`n") | Should -Match 'PEERS READY' -Because "the task must get ready; it said: $($Printed -join ' | ') $errors"
        $Pasted.Keys | Should -Contain 'AWS_ACCESS_KEY_ID'
        $Pasted.Keys | Should -Contain 'AWS_REGION'
        foreach ($name in 'AWS_ENDPOINT_URL_ECR', 'AWS_ENDPOINT_URL_SECRETS_MANAGER', 'AWS_ENDPOINT_URL_SSM', 'AWS_ENDPOINT_URL_MWAA') {
            $Pasted[$name] | Should -Match '^http://127\.0\.0\.1:\d+' -Because "$name points at a loopback peer"
        }
        $Airflow3 | Should -Match '^http://127\.0\.0\.1:\d+$'
    }

    It 'works as printed: a 12-hour token from moto, written to Airflow 3, Secrets Manager and MWAA, and found fresh' {
        foreach ($pair in $Pasted.GetEnumerator()) { Set-TestEnv $pair.Key $pair.Value }
        $airflowCredential = [pscredential]::new('admin', (ConvertTo-SecureString 'admin' -AsPlainText -Force))
        $credential = Get-EcrDockerCredential -Force
        $credential.TimeRemaining.TotalHours | Should -BeGreaterThan 11.9 -Because 'the peers hand out 12-hour tokens, as ECR does'
        ($credential | Sync-AirflowEcrConnection ecr_peers -AirflowUrl $Airflow3 -AirflowCredential $airflowCredential).Action | Should -Be 'Created'
        ($credential | Sync-AirflowEcrConnection ecr_peers -Mode SecretsManager).Action | Should -Be 'Created'
        ($credential | Sync-AirflowEcrConnection ecr_peers -Mode Mwaa -MwaaEnvironmentName demo).ConnectionId | Should -Be 'ecr_peers'
        (Test-AirflowEcrConnection ecr_peers -AirflowUrl $Airflow3 -AirflowCredential $airflowCredential).Status | Should -Be 'Fresh'
        Test-AirflowEcrConnection ecr_peers -Mode SecretsManager -Quiet | Should -BeTrue
    }

    It 'stops every peer when it is closed' {
        $ports = foreach ($url in @($Pasted['AWS_ENDPOINT_URL_ECR'], $Pasted['AWS_ENDPOINT_URL_MWAA'], $Airflow3)) { ([uri]$url).Port }
        $Child.StandardInput.Close()
        $Child.WaitForExit(60000) | Should -BeTrue -Because 'closing the task ends it'
        $tail = if ($Rest.Wait(30000)) { $Rest.Result } else { '' }
        (@($Printed) + $tail) -join "`n" | Should -Match 'Stopping the peers'
        foreach ($port in $ports) {
            $client = [System.Net.Sockets.TcpClient]::new()
            try {
                $open = try { $client.ConnectAsync('127.0.0.1', $port).Wait(2000) } catch { $false }
                $open | Should -BeFalse -Because "the peer on port $port is stopped"
            }
            finally { $client.Dispose() }
        }
    }
}
