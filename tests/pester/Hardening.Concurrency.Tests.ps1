# Concurrency: 8 pwsh processes started at once, released together by a go-file, each syncing its own
# connection and one shared connection to the same Airflow 2 emulator, the same Airflow 3 emulator and the
# same dotenv file. No update may be lost, no line corrupted, and each process must report its own result.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Emu2 = Start-AirflowEmulator -AirflowVersion 2 -Password 'conc-Pa55'
    $script:Emu3 = Start-AirflowEmulator -AirflowVersion 3 -Password 'conc-Pa55'
    $script:Work = New-TestFolder 'concurrency'
    $script:Count = 8
}

AfterAll {
    Stop-Peer $Emu2
    Stop-Peer $Emu3
    Remove-TestFolder $Work
}

Describe 'Eight processes at once' {
    It 'lose no update, corrupt no line, and each reports its own result' {
        $dotenv = Join-Path $Work '.env'
        [IO.File]::WriteAllText($dotenv, "# shared by $Count writers`nKEEP_ME=1`n")
        # Owner-only, as a file holding tokens should be: a group/world-readable one gets a warning on stdout.
        if (-not $IsWindows) { [IO.File]::SetUnixFileMode($dotenv, [IO.UnixFileMode]'UserRead, UserWrite') }
        $go = Join-Path $Work 'go'
        $readyDir = New-Item -ItemType Directory -Path (Join-Path $Work 'ready')
        $worker = Join-Path $Work 'worker.ps1'
        @'
param([int] $N, [string] $Url2, [string] $Url3, [string] $DotEnv, [string] $Go, [string] $Ready, [string] $Module, [string] $Common)
$ErrorActionPreference = 'Stop'
Import-Module $Module
. $Common
$cred = [pscredential]::new('admin', (ConvertTo-SecureString 'conc-Pa55' -AsPlainText -Force))
$own = New-FakeCredential -Account ('{0:d12}' -f $N) -Token "own-$N+/="
$shared = New-FakeCredential -Account '999999999999' -Token "shared-$N+/="
$ids = @{ ('{0:d12}' -f $N) = "ecr_p$N"; '999999999999' = 'ecr_shared' }
$byId = { $ids[$_.Registry.Substring(8, 12)] }
# Everything loaded and warmed up: say so, then wait for the others (the test releases all at once).
[IO.File]::WriteAllText($Ready, "$N")
while (-not (Test-Path $Go)) { Start-Sleep -Milliseconds 20 }
$results = @()
$results += $own, $shared | Sync-AirflowEcrConnection -ConnectionId $byId -Mode Rest -AirflowUrl $Url2 -AirflowCredential $cred -ApiVersion V1 -MaximumRetryCount 5
$results += $own, $shared | Sync-AirflowEcrConnection -ConnectionId $byId -Mode Rest -AirflowUrl $Url3 -AirflowCredential $cred -ApiVersion V2 -MaximumRetryCount 5
$results += $own, $shared | Sync-AirflowEcrConnection -ConnectionId $byId -Mode EnvironmentVariable -Path $DotEnv
$results | ForEach-Object { [pscustomobject]@{ N = $N; ConnectionId = $_.ConnectionId; Mode = $_.Mode; ApiVersion = "$($_.ApiVersion)"; Action = "$($_.Action)" } } | ConvertTo-Json -Compress
'@ | Set-Content -LiteralPath $worker

        $pwsh = @(Get-PwshCommandLine)
        $processes = foreach ($n in 1..$Count) {
            $psi = [Diagnostics.ProcessStartInfo]::new($pwsh[0])
            foreach ($a in @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $worker, '-N', $n, '-Url2', $Emu2.Url, '-Url3', $Emu3.Url, '-DotEnv', $dotenv, '-Go', $go, '-Ready', (Join-Path $readyDir.FullName "$n"), '-Module', $env:ECRAIRFLOW_TEST_MODULE, '-Common', (Join-Path $PSScriptRoot 'Common.ps1'))) {
                Add-ProcessArgument $psi "$a"
            }
            $psi.RedirectStandardOutput = $true
            $psi.RedirectStandardError = $true
            $psi.UseShellExecute = $false
            $p = [Diagnostics.Process]::Start($psi)
            [pscustomobject]@{ N = $n; Process = $p; Out = $p.StandardOutput.ReadToEndAsync(); Err = $p.StandardError.ReadToEndAsync() }
        }
        # Every process has loaded the module and reached the go-file wait when its ready file is there (a loaded
        # machine takes longer, never a fixed time); one that exited early is reported below with what it said.
        $deadline = [DateTime]::UtcNow.AddMinutes(5)
        while (@(Get-ChildItem -LiteralPath $readyDir.FullName -File).Count -lt $Count -and -not @($processes | Where-Object { $_.Process.HasExited }) -and [DateTime]::UtcNow -lt $deadline) {
            Start-Sleep -Milliseconds 100
        }
        $readyCount = @(Get-ChildItem -LiteralPath $readyDir.FullName -File).Count
        if ($readyCount -lt $Count) { foreach ($p in $processes) { if (-not $p.Process.HasExited) { $p.Process.Kill($true) } } }
        $readyCount | Should -Be $Count -Because "every worker got ready ($(@($processes | Where-Object { $_.Process.HasExited } | ForEach-Object { "worker $($_.N) exited: $($_.Err.Result)" }) -join '; '))"
        $null = New-Item -ItemType File -Path $go
        foreach ($p in $processes) {
            if (-not $p.Process.WaitForExit(300000)) { $p.Process.Kill($true); throw "worker $($p.N) did not finish within 5 minutes" }
        }

        $reports = foreach ($p in $processes) {
            $p.Process.ExitCode | Should -Be 0 -Because "worker $($p.N) said: $($p.Err.Result)"
            $p.Err.Result | Should -BeNullOrEmpty
            $p.Out.Result | ConvertFrom-Json
        }

        # Each process reports exactly its own six writes.
        foreach ($n in 1..$Count) {
            $mine = @($reports | Where-Object N -eq $n)
            $mine.Count | Should -Be 6
            ($mine | Where-Object ConnectionId -eq "ecr_p$n").Count | Should -Be 3
            ($mine | Where-Object ConnectionId -eq 'ecr_shared').Count | Should -Be 3
            ($mine | Where-Object ConnectionId -like 'ecr_p*' | Where-Object ConnectionId -ne "ecr_p$n") | Should -BeNullOrEmpty
        }
        # Airflow 2: the shared id was created by exactly one process (the rest updated it, after a 409 if they raced).
        @($reports | Where-Object { $_.ConnectionId -eq 'ecr_shared' -and $_.ApiVersion -eq 'V1' -and $_.Action -eq 'Created' }).Count | Should -Be 1
        # dotenv: likewise exactly one Created for the shared variable; every own variable Created once.
        @($reports | Where-Object { $_.ConnectionId -eq 'ecr_shared' -and $_.Mode -eq 'EnvironmentVariable' -and $_.Action -eq 'Created' }).Count | Should -Be 1

        # What the servers stored: every own connection with its own token, the shared one with one writer's token.
        foreach ($emu in $Emu2, $Emu3) {
            $stored = Get-EmulatorConnections -Url $emu.Url
            foreach ($n in 1..$Count) { ($stored | Where-Object connection_id -eq "ecr_p$n").password | Should -BeExactly "own-$n+/=" }
            ($stored | Where-Object connection_id -eq 'ecr_shared').password | Should -Match '^shared-[1-8]\+/=$'
            @(Get-EmulatorRequests -Url $emu.Url | Where-Object { $_.status -ge 500 -or $_.status -eq 0 }) | Should -BeNullOrEmpty
        }

        # The dotenv file: the original lines, one line per variable, each well-formed; no lock or temp file left.
        $lines = @(Get-Content -LiteralPath $dotenv)
        $lines[0..1] | Should -Be @("# shared by $Count writers", 'KEEP_ME=1')
        $lines.Count | Should -Be (2 + $Count + 1)
        foreach ($n in 1..$Count) {
            @($lines -eq "AIRFLOW_CONN_ECR_P$n='docker://AWS:own-$n%2B%2F%3D@$('{0:d12}' -f $n).dkr.ecr.eu-west-1.amazonaws.com'").Count | Should -Be 1
        }
        @($lines -match "^AIRFLOW_CONN_ECR_SHARED='docker://AWS:shared-[1-8]%2B%2F%3D@999999999999\.dkr\.ecr\.eu-west-1\.amazonaws\.com'$").Count | Should -Be 1
        @(Get-ChildItem -LiteralPath $Work -Force -Filter '.*' | Where-Object Name -ne '.env').Name | Should -BeNullOrEmpty -Because 'no lock or temporary file is left behind'
    }
}
