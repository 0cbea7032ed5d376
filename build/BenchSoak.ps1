# Row 7 of build.ps1 -Task Bench, the soak of issue 21 (item 7): the moto peer's ECR tokens live 2 minutes; a
# refresh `Get-EcrDockerCredential | Sync-AirflowEcrConnection -SkipIfValidFor 60s` runs every 10 s into one
# connection (Rest on the Airflow 3 emulator) while Test-AirflowEcrConnection looks at it every 2 s, for
# -SoakMinutes. It reports writes per token lifetime, requests per refresh run (counted at the emulator and at
# moto) and how often Test found the stored token Expired. Nothing here is asserted in a test: it is a bench row.
# Dot-sourced by build/Bench.ps1, whose $BenchCommon opens both child scripts.
#
# The refresh runs as a fresh pwsh per run by default (-SoakRefresh PerRun): that is what every schedule the
# docs give does (cron, a systemd timer, Task Scheduler, the Airflow task before the DockerOperator one), so each
# run pays its own ECR request and Airflow token. -SoakRefresh Session runs it in one long-lived pwsh instead,
# where the session caches (the ECR token until half its lifetime, the Airflow JWT) are what is tried.
# Test runs in one long-lived pwsh either way: it is the observer, and a fresh pwsh every 2 s would cost about
# a core on a 2-core machine and delay the refreshes it is there to watch.

$script:BenchSoakRefreshScript = @'

$t = $Targets['Rest v2']
function Invoke-Refresh([double] $At) {
    $sw = [Diagnostics.Stopwatch]::StartNew()
    try {
        $r = @(Get-EcrDockerCredential @Aws | Sync-AirflowEcrConnection -ConnectionId $env:BENCH_SOAK_ID -SkipIfValidFor $env:BENCH_SOAK_SKIP @t)
        [pscustomobject]@{ At = $At; Action = [string]$r[0].Action; ExpiresAt = $r[0].ExpiresAt.ToUnixTimeSeconds(); Ms = $sw.Elapsed.TotalMilliseconds; Error = $null }
    }
    catch { [pscustomobject]@{ At = $At; Action = 'Failed'; ExpiresAt = $null; Ms = $sw.Elapsed.TotalMilliseconds; Error = $_.Exception.Message } }
}

if ($env:BENCH_SOAK_LOOP -ne '1') {
    'BENCH-JSON ' + (Invoke-Refresh 0 | ConvertTo-Json -Compress)
    return
}
# One session: run 0 creates the connection before the counted window; then a run every interval from GO.
$null = Invoke-Refresh 0
[Console]::Out.WriteLine('SOAK-READY'); [Console]::Out.Flush()
$null = [Console]::In.ReadLine()
$go = [DateTime]::UtcNow
$seconds = [double]$env:BENCH_SOAK_SECONDS; $interval = [double]$env:BENCH_SOAK_INTERVAL
$runs = [Collections.Generic.List[object]]::new()
$missed = 0
for ($k = 0; $k * $interval -lt $seconds; $k++) {
    $wait = $go.AddSeconds($k * $interval) - [DateTime]::UtcNow
    if ($wait.TotalSeconds -lt -$interval) { $missed++; continue }  # the run before took longer than an interval
    if ($wait.TotalMilliseconds -gt 0) { Start-Sleep -Milliseconds ([int]$wait.TotalMilliseconds) }
    $runs.Add((Invoke-Refresh ($k * $interval)))
}
'BENCH-JSON ' + (ConvertTo-Json -InputObject ([pscustomobject]@{ Runs = $runs.ToArray(); Missed = $missed }) -Depth 4 -Compress)
'@

$script:BenchSoakTestScript = @'

$t = $Targets['Rest v2']
$minimum = $env:BENCH_SOAK_MINIMUM
$null = Test-AirflowEcrConnection -ConnectionId $env:BENCH_SOAK_ID -MinimumRemaining $minimum @t  # the session's token, before the counted window
[Console]::Out.WriteLine('SOAK-READY'); [Console]::Out.Flush()
$null = [Console]::In.ReadLine()
$go = [DateTime]::UtcNow
$seconds = [double]$env:BENCH_SOAK_SECONDS; $interval = [double]$env:BENCH_SOAK_TEST_INTERVAL
$calls = 0; $missed = 0; $least = $null
$statuses = @{}
$expired = [Collections.Generic.List[object]]::new()
$errors = [Collections.Generic.List[string]]::new()
for ($k = 0; $k * $interval -lt $seconds; $k++) {
    $wait = $go.AddSeconds($k * $interval) - [DateTime]::UtcNow
    if ($wait.TotalSeconds -lt -$interval) { $missed++; continue }
    if ($wait.TotalMilliseconds -gt 0) { Start-Sleep -Milliseconds ([int]$wait.TotalMilliseconds) }
    $calls++
    try {
        $s = Test-AirflowEcrConnection -ConnectionId $env:BENCH_SOAK_ID -MinimumRemaining $minimum @t
        $statuses[[string]$s.Status] = 1 + [int]$statuses[[string]$s.Status]
        if ($null -ne $s.Remaining -and ($null -eq $least -or $s.Remaining.TotalSeconds -lt $least)) { $least = $s.Remaining.TotalSeconds }
        if ([string]$s.Status -eq 'Expired') { $expired.Add([pscustomobject]@{ At = $k * $interval; ExpiresAt = $s.ExpiresAt.ToUnixTimeSeconds() }) }
    }
    catch { $errors.Add($_.Exception.Message) }
}
'BENCH-JSON ' + (ConvertTo-Json -InputObject ([pscustomobject]@{ Calls = $calls; Missed = $missed; Statuses = $statuses; LeastRemaining = $least; Expired = $expired.ToArray(); Errors = $errors.ToArray() }) -Depth 4 -Compress)
'@

function Start-BenchChild {
    # A child process whose stdin stays open (it waits for GO there); read its stdout up to SOAK-READY with
    # Wait-BenchChildReady. Returns [pscustomobject]@{ Process; Error (stderr, read to the end); Output }.
    param([Parameter(Mandatory)] [string[]] $CommandLine, [hashtable] $Environment = @{})
    $psi = [Diagnostics.ProcessStartInfo]::new($CommandLine[0])
    foreach ($a in @($CommandLine | Select-Object -Skip 1)) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardInput = $true
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    foreach ($k in $Environment.Keys) {
        if ($null -eq $Environment[$k]) { $null = $psi.Environment.Remove($k) } else { $psi.Environment[$k] = [string]$Environment[$k] }
    }
    $p = [Diagnostics.Process]::Start($psi)
    [pscustomobject]@{ Process = $p; Error = $p.StandardError.ReadToEndAsync(); Output = $null }
}

function Wait-BenchChildReady($Child, [int] $TimeoutSec = 300) {
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    while ($true) {
        $line = $Child.Process.StandardOutput.ReadLineAsync()
        $left = [math]::Max(0, ($deadline - [DateTime]::UtcNow).TotalMilliseconds)
        if (-not $line.Wait([int]$left)) { throw "A soak child was not ready within $TimeoutSec s." }
        if ($null -eq $line.Result) { $Child.Process.WaitForExit(); throw "A soak child ended before it was ready: $($Child.Error.Result)" }
        if ($line.Result -eq 'SOAK-READY') { break }
    }
    $Child.Output = $Child.Process.StandardOutput.ReadToEndAsync()
}

function Complete-BenchChild($Child, [int] $TimeoutSec) {
    # Waits for the child's end; its BENCH-JSON result.
    if (-not $Child.Process.WaitForExit($TimeoutSec * 1000)) { throw "A soak child did not end within $TimeoutSec s." }
    if ($Child.Process.ExitCode -ne 0) { throw "A soak child exited with $($Child.Process.ExitCode): $($Child.Error.Result)$($Child.Output.Result)" }
    Read-BenchJson $Child.Output.Result
}

function Measure-BenchSoak {
    # Runs the soak; returns what Format-BenchSoakRows reports.
    param(
        [Parameter(Mandatory)] [string[]] $PwshArgs,
        [Parameter(Mandatory)] [hashtable] $Environment,
        [Parameter(Mandatory)] [scriptblock] $ScriptFile,
        [Parameter(Mandatory)] [string] $MotoEndpoint,
        [Parameter(Mandatory)] [string] $MotoLog,
        [Parameter(Mandatory)] [string] $AirflowUrl,
        [ValidateRange(1, 120)] [int] $Minutes = 10,
        [ValidateSet('PerRun', 'Session')] [string] $Refresh = 'PerRun',
        [int] $TokenSeconds = 120,
        [int] $RefreshSeconds = 10,
        [int] $TestSeconds = 2,
        [int] $SkipSeconds = 60,
        [int] $MinimumRemainingSeconds = 30
    )
    $seconds = $Minutes * 60
    $soakEnv = $Environment + @{
        BENCH_SOAK_ID = 'ecr_soak_' + [guid]::NewGuid().ToString('n').Substring(0, 6)
        BENCH_SOAK_SECONDS = $seconds; BENCH_SOAK_INTERVAL = $RefreshSeconds; BENCH_SOAK_TEST_INTERVAL = $TestSeconds
        BENCH_SOAK_SKIP = "${SkipSeconds}s"; BENCH_SOAK_MINIMUM = "${MinimumRemainingSeconds}s"; BENCH_SOAK_LOOP = $(if ($Refresh -eq 'Session') { '1' } else { '' })
    }
    $refreshFile = & $ScriptFile 'soak-refresh.ps1' ($BenchCommon + $BenchSoakRefreshScript)
    $testFile = & $ScriptFile 'soak-test.ps1' ($BenchCommon + $BenchSoakTestScript)
    $ecrCalls = { @(Get-MotoRequests -RequestLog $MotoLog | Where-Object target -like '*GetAuthorizationToken').Count }
    $refresher = $null; $tester = $null
    $runs = [Collections.Generic.List[object]]::new()
    $missed = 0
    Set-MotoEcrTokenLifetime -Endpoint $MotoEndpoint -Seconds $TokenSeconds
    try {
        # Run 0 creates the connection; the Test loop then gets its token. Neither is in the counted window.
        if ($Refresh -eq 'Session') {
            $refresher = Start-BenchChild -CommandLine ($PwshArgs + @('-File', $refreshFile)) -Environment $soakEnv
            Wait-BenchChildReady $refresher
        }
        else { $null = Invoke-BenchProcess -CommandLine ($PwshArgs + @('-File', $refreshFile)) -Environment $soakEnv }
        $tester = Start-BenchChild -CommandLine ($PwshArgs + @('-File', $testFile)) -Environment $soakEnv
        Wait-BenchChildReady $tester
        Clear-EmulatorRequests -Url $AirflowUrl
        $ecrBefore = & $ecrCalls
        $go = [DateTime]::UtcNow
        foreach ($child in $tester, $refresher) { if ($child) { $child.Process.StandardInput.WriteLine('GO'); $child.Process.StandardInput.Flush() } }
        if ($Refresh -eq 'Session') {
            $r = Complete-BenchChild $refresher ($seconds + 300)
            $runs.AddRange([object[]]@($r.Runs)); $missed = $r.Missed
        }
        else {
            for ($k = 0; $k * $RefreshSeconds -lt $seconds; $k++) {
                $wait = $go.AddSeconds($k * $RefreshSeconds) - [DateTime]::UtcNow
                if ($wait.TotalSeconds -lt -$RefreshSeconds) { $missed++; continue }  # the run before took longer than an interval
                if ($wait.TotalMilliseconds -gt 0) { Start-Sleep -Milliseconds ([int]$wait.TotalMilliseconds) }
                try {
                    $p = Invoke-BenchProcess -CommandLine ($PwshArgs + @('-File', $refreshFile)) -Environment $soakEnv
                    $run = Read-BenchJson $p.Output
                    $run.At = $k * $RefreshSeconds
                    $run | Add-Member -NotePropertyName ProcessMs -NotePropertyValue $p.Ms
                    $runs.Add($run)
                }
                catch { $runs.Add([pscustomobject]@{ At = $k * $RefreshSeconds; Action = 'Failed'; ExpiresAt = $null; Ms = $null; Error = $_.Exception.Message }) }
                if ($k % 6 -eq 5) { Write-Host "    soak: $([int](([DateTime]::UtcNow - $go).TotalSeconds)) of $seconds s" -ForegroundColor DarkGray }
            }
        }
        $test = Complete-BenchChild $tester ($seconds + 300)
        $log = Get-EmulatorRequests -Url $AirflowUrl
        $ecr = (& $ecrCalls) - $ecrBefore
    }
    finally {
        Set-MotoEcrTokenLifetime -Endpoint $MotoEndpoint -Seconds 43200
        foreach ($child in $tester, $refresher) {
            if ($child -and -not $child.Process.HasExited) { try { $child.Process.Kill($true) } catch { } }
        }
    }
    [pscustomobject]@{
        Minutes = $Minutes; Seconds = $seconds; Refresh = $Refresh; TokenSeconds = $TokenSeconds; RefreshSeconds = $RefreshSeconds
        TestSeconds = $TestSeconds; SkipSeconds = $SkipSeconds; MinimumRemainingSeconds = $MinimumRemainingSeconds
        Runs = $runs.ToArray(); Missed = $missed; Test = $test; Ecr = $ecr
        Token = @($log | Where-Object { $_.path -like '*/auth/token' }).Count
        Gets = @($log | Where-Object { $_.method -eq 'GET' }).Count
        Patches = @($log | Where-Object { $_.method -eq 'PATCH' }).Count
        Other = @($log | Where-Object { $_.method -notin 'GET', 'PATCH' -and $_.path -notlike '*/auth/token' }).Count
    }
}

function Format-BenchSoakRows {
    # The soak's table and the sentence above it.
    param([Parameter(Mandatory)] $Soak)
    $s = $Soak
    $runs = @($s.Runs)
    $written = @($runs | Where-Object { $_.Action -in 'Updated', 'Created' })
    $failed = @($runs | Where-Object { $_.Action -eq 'Failed' })
    $skipped = @($runs | Where-Object { $_.Action -eq 'Skipped' })
    $lifetimes = $s.Seconds / $s.TokenSeconds
    $perLifetime = $s.Patches / $lifetimes
    # A stored token is replaced at the first run that finds less than -SkipIfValidFor of it left: after
    # lifetime - skip seconds, or up to one interval later.
    $low = $s.TokenSeconds / ($s.TokenSeconds - $s.SkipSeconds + $s.RefreshSeconds)
    $high = $s.TokenSeconds / ($s.TokenSeconds - $s.SkipSeconds)
    $refreshGets = $s.Gets - $s.Test.Calls
    $airflow = $s.Token + $refreshGets + $s.Patches + $s.Other
    # Per run: the list read (and the token in a fresh process); a run that writes reads once more and sends the bulk request.
    $perRun = if ($s.Refresh -eq 'PerRun') { 2 } else { 1 }
    $expectedAirflow = $perRun * $runs.Count + 2 * $written.Count
    $expectedEcr = if ($s.Refresh -eq 'PerRun') { $runs.Count } else { $null }
    $statuses = (@($s.Test.Statuses.PSObject.Properties) | Sort-Object Name | ForEach-Object { "$($_.Value)x $($_.Name)" }) -join ', '
    $expired = @($s.Test.Expired).Count
    $distinct = @($written | ForEach-Object ExpiresAt | Select-Object -Unique).Count
    # A run's time: its whole process (PerRun), or the pipeline in the session (Session).
    $ms = @($runs | ForEach-Object { if ($_.PSObject.Properties['ProcessMs']) { $_.ProcessMs } else { $_.Ms } } | Where-Object { $_ })
    $how = if ($s.Refresh -eq 'PerRun') { 'a fresh pwsh per run, as a scheduler starts one' } else { 'one long-lived pwsh session (the ECR token cached until half its lifetime)' }
    $md = [Collections.Generic.List[string]]::new()
    $md.Add(("Soak (issue 21): the moto peer's ECR tokens live {0} s; every {1} s ``Get-EcrDockerCredential | Sync-AirflowEcrConnection -SkipIfValidFor {2}s`` into one connection (Rest, the Airflow 3 emulator), {3}; every {4} s ``Test-AirflowEcrConnection -MinimumRemaining {5}s`` in one long-lived pwsh; for {6} min. Requests counted at the emulator (its request log, cleared when the window opened; the Test loop's one list read per call subtracted from the reads) and at moto." -f
            $s.TokenSeconds, $s.RefreshSeconds, $s.SkipSeconds, $how, $s.TestSeconds, $s.MinimumRemainingSeconds, $s.Minutes))
    $md.Add('')
    $md.Add('| Row | Measure | expected | measured | detail | result |')
    $md.Add('|---|---|---:|---:|---|---|')
    $runDetail = '{0} wrote, {1} skipped, {2} failed; {3} ticks missed (the run before took longer than {4} s)' -f $written.Count, $skipped.Count, $failed.Count, $s.Missed, $s.RefreshSeconds
    if ($ms.Count) { $runDetail += '; a run took {0} (median), {1} (p95)' -f (Format-Ms (Get-BenchMedian $ms)), (Format-Ms (Get-BenchPercentile $ms 95)) }
    if ($failed.Count) { $runDetail += '; first failure: ' + (Format-Cell ($failed[0].Error -replace '\s+', ' ')) }
    $md.Add(('| 7. Soak | refresh runs | {0} | {1} | {2} | {3} |' -f ($s.Seconds / $s.RefreshSeconds), $runs.Count, $runDetail, (Format-Verdict ($failed.Count -eq 0 -and $s.Missed -eq 0))))
    # The verdict is the upper bound (never more writes than the tokens need); a short soak counts partial
    # lifetimes at both ends, so it may come out below the steady state's range.
    $md.Add(('| 7. Soak | writes per token lifetime ({0} s) | at most {2:N1} ({1:N1}–{2:N1} over a long soak) | {3:N2} | {4} bulk PATCHes at the emulator in {5} s; {6} runs said they wrote, {7} distinct tokens (expiries) among them | {8} |' -f
            $s.TokenSeconds, $low, $high, $perLifetime, $s.Patches, $s.Seconds, $written.Count, $distinct,
            (Format-Verdict ($s.Patches -eq $written.Count -and $distinct -eq $written.Count -and $perLifetime -le $high + 1 / $lifetimes))))
    # Each token ECR issued is written once: a later run finds it stored and skips until it is due.
    $perToken = if ($distinct) { $written.Count / $distinct } else { 0 }
    # A soak shorter than what a token leaves before it is due writes nothing: nothing to judge then, not a miss.
    $perTokenVerdict = if ($written.Count -eq 0) { 'info' } else { Format-Verdict ($written.Count -eq $distinct) }
    $perTokenDetail = if ($written.Count -eq 0) { 'no write was due in this soak (too short for a token to come due)' } else { "$($written.Count) writes of $distinct distinct tokens: no token written twice" }
    $md.Add(('| 7. Soak | writes per token issued | 1 | {0:N2} | {1} | {2} |' -f $perToken, $perTokenDetail, $perTokenVerdict))
    $md.Add(('| 7. Soak | Airflow requests per refresh run | {0:N2} | {1:N2} | {2} POST /auth/token, {3} list reads ({4} GETs less the Test loop''s {5}), {6} bulk PATCHes, {7} other; expected {8} per run + 2 per write | {9} |' -f
            ($expectedAirflow / [math]::Max(1, $runs.Count)), ($airflow / [math]::Max(1, $runs.Count)), $s.Token, $refreshGets, $s.Gets, $s.Test.Calls, $s.Patches, $s.Other, $perRun,
            (Format-Verdict ($airflow -eq $expectedAirflow))))
    $ecrExpected = if ($null -eq $expectedEcr) { 'n/a' } else { '{0:N2}' -f ($expectedEcr / [math]::Max(1, $runs.Count)) }
    $ecrDetail = if ($null -eq $expectedEcr) { "$($s.Ecr) GetAuthorizationToken: the session's cache answers until half the token's lifetime has passed" } else { "$($s.Ecr) GetAuthorizationToken, one per run (a fresh process has no cache)" }
    $md.Add(('| 7. Soak | ECR requests per refresh run | {0} | {1:N2} | {2} | {3} |' -f $ecrExpected, ($s.Ecr / [math]::Max(1, $runs.Count)), $ecrDetail, $(if ($null -eq $expectedEcr) { 'info' } else { Format-Verdict ($s.Ecr -eq $expectedEcr) })))
    $least = if ($null -ne $s.Test.LeastRemaining) { '{0:N0} s' -f $s.Test.LeastRemaining } else { 'unknown' }
    $testDetail = '{0} Test calls ({1} ticks missed): {2}; the least time left seen {3}' -f $s.Test.Calls, $s.Test.Missed, $statuses, $least
    if (@($s.Test.Errors).Count) { $testDetail += '; {0} failed, first: {1}' -f @($s.Test.Errors).Count, (Format-Cell ($s.Test.Errors[0] -replace '\s+', ' ')) }
    $md.Add(('| 7. Soak | Test found the stored token Expired | 0 | {0} | {1} | {2} |' -f $expired, $testDetail, (Format-Verdict ($expired -eq 0 -and @($s.Test.Errors).Count -eq 0))))
    $md
}
