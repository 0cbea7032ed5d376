# Rows 4, 4b and 4c of build.ps1 -Task Bench: requests per run, counted at the peers, for every mode (issues 20
# and 21). Nothing here is timed. Dot-sourced by build/Bench.ps1, whose $BenchCommon opens every child script.
#
# Each case runs in a fresh pwsh, as a scheduled refresh does, so "first run" includes what a session pays once
# (Airflow 3's token, MWAA's GetEnvironment with -ApiVersion Auto):
#   sync: N new connections (first run), then a new token over them (steady state), then one more new token
#         with -SkipIfValidFor 1h (the stored tokens are good for 12 h: reads only, no write);
#   test: Test-AirflowEcrConnection on those ids, first in a fresh process and then again in the same session;
#   misc: the ECR rows and -ApiVersion Auto's probe.
# Each run gets a new token (Get-EcrDockerCredential -Force), as each scheduled run does: a token equal to the
# stored one would let a dotenv file stay unchanged and say nothing about the steady state.
# Where the requests are counted: the emulators' request logs, the MWAA peer's, moto's (the store modes'
# targets), the stand-in CLI's call log, and the dotenv file itself (replaced or not; a file has no log of reads).

$script:BenchCountsScript = @'

$count = [int]$env:BENCH_COUNT
$phase = $env:BENCH_COUNTS_PHASE
$suffix = $env:BENCH_COUNTS_SUFFIX
$env:AIRFLOW_STANDIN_HOME = $env:BENCH_STANDIN_HOME
$calls = Join-Path $env:AIRFLOW_STANDIN_HOME 'calls.jsonl'
$writer = [pscredential]::new($env:BENCH_WRITER_KEY, (ConvertTo-SecureString $env:BENCH_WRITER_SECRET -AsPlainText -Force))
$stores = @{ Region = 'eu-west-1'; EndpointUrl = $env:BENCH_MOTO; AwsCredential = $writer }
# Peer: an emulator's URL, 'mwaa', a moto X-Amz-Target prefix ('secretsmanager.', 'AmazonSSM.'), 'cli' or 'dotenv'.
$modes = [ordered]@{
    'v1'    = @{ Peer = $env:BENCH_AIRFLOW2; Target = $Targets['Rest v1'] }
    'v2'    = @{ Peer = $env:BENCH_AIRFLOW3; Target = $Targets['Rest v2'] }
    'mwaa2' = @{ Peer = 'mwaa'; Target = @{ Mode = 'Mwaa'; MwaaEnvironmentName = 'bench2' } }
    'mwaa3' = @{ Peer = 'mwaa'; Target = @{ Mode = 'Mwaa'; MwaaEnvironmentName = 'bench3' } }
    'sm'    = @{ Peer = 'secretsmanager.'; Target = @{ Mode = 'SecretsManager' } + $stores }
    'ps'    = @{ Peer = 'AmazonSSM.'; Target = @{ Mode = 'ParameterStore' } + $stores }
    'cli'   = @{ Peer = 'cli'; Target = @{ Mode = 'Cli'; AirflowCommand = $env:BENCH_STANDIN } }
    'env'   = @{ Peer = 'dotenv'; Target = @{ Mode = 'EnvironmentVariable'; Path = $env:BENCH_DOTENV } }
}

function Get-FileState([string] $Path) {
    if (-not (Test-Path -LiteralPath $Path)) { return '' }
    '{0} {1}' -f (Get-Item -LiteralPath $Path).LastWriteTimeUtc.Ticks, (Get-FileHash -LiteralPath $Path).Hash
}

# Where a peer's log stands now (the emulators' and the MWAA peer's logs are cleared instead).
function Get-Mark([string] $Peer) {
    if ($Peer -like 'http*') { Clear-Requests $Peer; return 0 }
    if ($Peer -eq 'mwaa') { Clear-MwaaRequests -Peer $MwaaPeer; return 0 }
    if ($Peer -like '*.') { return @(Get-MotoRequests -RequestLog $env:BENCH_MOTO_LOG).Count }
    if ($Peer -eq 'cli') { if (Test-Path $calls) { return @(Get-Content $calls).Count }; return 0 }
    Get-FileState $env:BENCH_DOTENV
}

# What the peer saw since the mark: one { Op; Kind } per request, Kind read, write, auth (Airflow 3's token) or
# lookup (MWAA's GetEnvironment, the API version probe).
function Get-Ops([string] $Peer, $Mark) {
    if ($Peer -like 'http*') {
        return @(Get-Requests $Peer | ForEach-Object {
                $kind = if ($_.path -like '*/auth/token') { 'auth' } elseif ($_.path -like '*/version') { 'lookup' } elseif ($_.method -eq 'GET') { 'read' } else { 'write' }
                [pscustomobject]@{ Op = '{0} {1} {2}' -f $_.method, ($_.path -replace '^(/api/v1/connections/).+$', '$1<id>'), $_.status; Kind = $kind }
            })
    }
    if ($Peer -eq 'mwaa') {
        return @(Get-MwaaRequests -Peer $MwaaPeer | ForEach-Object {
                if ($_.operation -ne 'InvokeRestApi') { [pscustomobject]@{ Op = $_.operation; Kind = 'lookup' }; return }
                $path = $_.restApiPath -replace '\?.*$' -replace '^(/?connections/).+$', '$1<id>'
                [pscustomobject]@{ Op = 'InvokeRestApi {0} {1} {2}' -f $_.restApiMethod, $path, $_.restApiStatusCode; Kind = $(if ($_.restApiMethod -eq 'GET') { 'read' } else { 'write' }) }
            })
    }
    if ($Peer -like '*.') {
        return @(Get-MotoRequests -RequestLog $env:BENCH_MOTO_LOG | Select-Object -Skip $Mark | Where-Object { $_.target -like "$Peer*" } | ForEach-Object {
                $op = $_.target.Substring($Peer.Length)
                [pscustomobject]@{ Op = '{0} {1}' -f $op, $_.status; Kind = $(if ($op -match '^(Get|Describe|List)') { 'read' } else { 'write' }) }
            })
    }
    if ($Peer -eq 'cli') {
        if (-not (Test-Path $calls)) { return @() }
        return @(Get-Content $calls | Select-Object -Skip $Mark | Where-Object { $_ } | ForEach-Object {
                $argv = @(($_ | ConvertFrom-Json).argv)
                $sub = $argv[[array]::IndexOf($argv, 'connections') + 1]
                [pscustomobject]@{ Op = "airflow connections $sub"; Kind = $(if ($sub -eq 'get') { 'read' } else { 'write' }) }
            })
    }
    if ((Get-FileState $env:BENCH_DOTENV) -ne $Mark) { return @([pscustomobject]@{ Op = 'file replaced'; Kind = 'write' }) }
    @()
}

$rows = [Collections.Generic.List[object]]::new()
function Measure-Case([string] $Mode, [string] $Case, [scriptblock] $Run) {
    $peer = $modes[$Mode].Peer
    $mark = Get-Mark $peer
    $out = @(); $failure = $null
    try { $out = @(& $Run) } catch { $failure = $_.Exception.Message }
    $ops = @(Get-Ops $peer $mark)
    $rows.Add([pscustomobject]@{
            Mode = $Mode; Count = $count; Case = $Case; Ops = $ops; Error = $failure
            # What the user saw: each result's Action (Sync) or Status (Test).
            Results = @($out | ForEach-Object { if ($_.PSObject.Properties['Action']) { [string]$_.Action } else { [string]$_.Status } })
        })
}

# N connections for one new token; Region binds by property name, as it does from Get-EcrDockerCredential.
function New-Items([string[]] $Ids) {
    $c = Get-EcrDockerCredential @Aws -Force
    foreach ($id in $Ids) { [pscustomobject]@{ Registry = $c.Registry; UserName = $c.UserName; Password = $c.Password; ExpiresAt = $c.ExpiresAt; Region = $c.Region; ConnectionId = $id } }
}

if ($phase -eq 'misc') {
    # ECR: one request per region; the session cache answers a second Get without -Force.
    $before = Get-EcrCalls
    $regions = 'us-east-1', 'eu-west-1', 'ap-southeast-2'
    $creds = @($regions | ForEach-Object { Get-EcrDockerCredential -Region $_ -EndpointUrl $env:BENCH_MOTO -Force })
    $rows.Add([pscustomobject]@{ What = "ECR: Get-EcrDockerCredential for $($regions.Count) regions"; Expected = $regions.Count; Counted = (Get-EcrCalls) - $before; Detail = "$($creds.Count) credentials" })
    $before = Get-EcrCalls
    $again = @($regions | ForEach-Object { Get-EcrDockerCredential -Region $_ -EndpointUrl $env:BENCH_MOTO })
    $rows.Add([pscustomobject]@{ What = "ECR: the same $($regions.Count) regions again, without -Force (session cache)"; Expected = 0; Counted = (Get-EcrCalls) - $before; Detail = "$($again.Count) credentials from the cache (the moto peer serves now + 12 h expiries)" })

    # -ApiVersion Auto: one probe per Airflow per session, before the token, the list and the bulk request.
    $auto = @{ Mode = 'Rest'; AirflowUrl = $env:BENCH_AIRFLOW3; AirflowCredential = $AirflowCredential }
    $ids = @(1..3 | ForEach-Object { "ecr_auto_${suffix}_$_" })
    foreach ($case in @(@{ Run = 'first run in the session (3 new connections)'; Expected = 4 }, @{ Run = 'steady state'; Expected = 2 })) {
        Clear-Requests $env:BENCH_AIRFLOW3
        $null = New-Items $ids | Sync-AirflowEcrConnection @auto
        $r = @(Get-Requests $env:BENCH_AIRFLOW3)
        $rows.Add([pscustomobject]@{ What = "Airflow 3, -ApiVersion Auto, $($case.Run)"; Expected = $case.Expected; Counted = $r.Count; Detail = (($r | ForEach-Object { "$($_.method) $($_.path)" }) -join '; ') })
    }
}
else {
    foreach ($mode in $modes.Keys) {
        $t = $modes[$mode].Target
        $ids = @(1..$count | ForEach-Object { "ecr_${mode}_${suffix}_$_" })
        if ($phase -eq 'sync') {
            Measure-Case $mode 'first' { New-Items $ids | Sync-AirflowEcrConnection @t }
            Measure-Case $mode 'steady' { New-Items $ids | Sync-AirflowEcrConnection @t }
            Measure-Case $mode 'skip' { New-Items $ids | Sync-AirflowEcrConnection -SkipIfValidFor 1h @t }
        }
        else {
            Measure-Case $mode 'test first' { Test-AirflowEcrConnection -ConnectionId $ids @t }
            Measure-Case $mode 'test again' { Test-AirflowEcrConnection -ConnectionId $ids @t }
        }
    }
}
'BENCH-JSON ' + (ConvertTo-Json -InputObject @($rows) -Depth 4 -Compress)
'@

# What each mode should cost, from what the module does (read src/EcrAirflow.Core/Modes/* and Airflow/Api/*), for N
# connections: Sync's first run in a fresh session (N new connections), its steady state, the reads of Sync
# -SkipIfValidFor when nothing is due, and Test's reads first in a fresh session and again. Why says where a run
# costs more than two requests (null: a number not counted at any peer).
function Get-BenchCountExpectation([string] $Mode, [int] $N) {
    switch ($Mode) {
        'v1' { @{ Name = 'Rest, Airflow 2 (API v1)'; First = 2 * $N; Steady = 2 * $N; Skip = $N; TestFirst = $N; TestAgain = $N
                Why = 'API v1 has no bulk write: GET, then PATCH (update_mask) or POST, per connection'; TestWhy = 'API v1 reads one connection per GET' } }
        'v2' { @{ Name = 'Rest, Airflow 3 (API v2)'; First = 3; Steady = 2; Skip = 1; TestFirst = 2; TestAgain = 1
                Why = 'a session''s first run gets its token (POST /auth/token) once' } }
        'mwaa2' { @{ Name = 'Mwaa, Airflow 2'; First = 1 + 2 * $N; Steady = 2 * $N; Skip = $N; TestFirst = 1 + $N; TestAgain = $N
                Why = 'InvokeRestApi GET, then PATCH or POST, per connection (Airflow 2 has no bulk write); GetEnvironment once per session (-ApiVersion Auto)'
                TestWhy = 'one InvokeRestApi GET per connection (API v1); GetEnvironment once per session (-ApiVersion Auto)' } }
        'mwaa3' { @{ Name = 'Mwaa, Airflow 3'; First = 3; Steady = 2; Skip = 1; TestFirst = 2; TestAgain = 1
                Why = 'GetEnvironment once per session (-ApiVersion Auto)' } }
        'sm' { @{ Name = 'SecretsManager'; First = 2 * $N; Steady = 2 * $N; Skip = $N; TestFirst = $N; TestAgain = $N
                Why = 'one secret per connection: GetSecretValue, then PutSecretValue (CreateSecret for a new one), each'; TestWhy = 'one GetSecretValue per secret' } }
        'ps' { @{ Name = 'ParameterStore'; First = 2 * $N; Steady = 3 * $N; Skip = $N; TestFirst = $N; TestAgain = $N
                Why = 'one parameter per connection: GetParameter, DescribeParameters (the type, key, Description and tier an overwrite keeps) and PutParameter each; GetParameter and PutParameter for a new one'
                TestWhy = 'one GetParameter per parameter' } }
        'cli' { @{ Name = 'Cli (CLI starts)'; First = $N + 1; Steady = $N + 1; Skip = $N; TestFirst = $N; TestAgain = $N
                Why = 'airflow connections get reads one connection per CLI start; then one import for the batch'; TestWhy = 'one airflow connections get per id' } }
        'env' { @{ Name = 'EnvironmentVariable (dotenv file)'; First = 1; Steady = 1; Skip = $null; TestFirst = $null; TestAgain = $null
                Why = 'no network: the file is read once and replaced once (-Scope Process: no file either)'; TestWhy = $null } }
    }
}

function Measure-BenchCounts {
    # Runs the count script once per phase and count (a fresh pwsh each: $RunFile gets the extra environment);
    # returns @{ Misc = rows; Cases = rows }.
    param(
        [Parameter(Mandatory)] [scriptblock] $RunFile,
        [int[]] $Counts = @(1, 10)
    )
    $cases = [Collections.Generic.List[object]]::new()
    foreach ($n in $Counts) {
        $suffix = [guid]::NewGuid().ToString('n').Substring(0, 6)
        foreach ($phase in 'sync', 'test') {
            Write-Host "    $phase, $n connection(s) per mode (a fresh pwsh)" -ForegroundColor DarkGray
            $cases.AddRange([object[]]@(Read-BenchJson (& $RunFile @{ BENCH_COUNT = $n; BENCH_COUNTS_PHASE = $phase; BENCH_COUNTS_SUFFIX = $suffix }).Output))
        }
    }
    Write-Host '    ECR and -ApiVersion Auto (a fresh pwsh)' -ForegroundColor DarkGray
    $misc = @(Read-BenchJson (& $RunFile @{ BENCH_COUNT = 3; BENCH_COUNTS_PHASE = 'misc'; BENCH_COUNTS_SUFFIX = [guid]::NewGuid().ToString('n').Substring(0, 6) }).Output)
    @{ Misc = $misc; Cases = $cases.ToArray() }
}

function Format-BenchOps([object[]] $Ops) {
    # "2x GET /api/v1/connections/<id> 404; 2x POST /api/v1/connections 200", in the order first seen.
    $seen = [ordered]@{}
    foreach ($op in @($Ops)) { if ($null -ne $op) { $seen[$op.Op] = 1 + [int]$seen[$op.Op] } }
    (@($seen.Keys) | ForEach-Object { "$($seen[$_])x $_" }) -join '; '
}

function Format-BenchCountRows {
    # The Markdown of rows 4, 4b and 4c from Measure-BenchCounts's result.
    param([Parameter(Mandatory)] [hashtable] $Counts)
    $md = [Collections.Generic.List[string]]::new()
    $case = { param($Mode, $N, $Name) $Counts.Cases | Where-Object { $_.Mode -eq $Mode -and $_.Count -eq $N -and $_.Case -eq $Name } | Select-Object -First 1 }
    $modes = @($Counts.Cases | ForEach-Object Mode | Select-Object -Unique)
    $sizes = @($Counts.Cases | ForEach-Object Count | Select-Object -Unique)
    $failed = { param($c) if ($c.Error) { ' **failed**: ' + (Format-Cell ($c.Error -replace '\s+', ' ')) } else { '' } }
    # The results of a case (Actions or Statuses), counted as Format-BenchOps counts requests.
    $results = { param($r) Format-BenchOps @($r | ForEach-Object { [pscustomobject]@{ Op = $_ } }) }
    # A table's opening: its intro line (if any), then the header row and its alignment row.
    $table = { param([string] $Intro, [string] $Header, [string] $Align) if ($Intro) { $md.Add($Intro); $md.Add('') }; $md.Add($Header); $md.Add($Align) }
    # Runs $Row for every mode and connection count, with what that case should cost.
    $eachCase = { param([scriptblock] $Row) foreach ($mode in $modes) { foreach ($n in $sizes) { & $Row $mode $n (Get-BenchCountExpectation $mode $n) } } }

    & $table 'Requests per run, counted at the peers (the emulators'' request logs, the MWAA peer''s, moto''s, the stand-in CLI''s call log; for a dotenv file, whether the file was replaced). A fresh pwsh per connection count, as a scheduled run starts one: first run = N new connections; steady state = the same N with a new token. "More than two" marks a run that costs more than two requests at its target.' `
        '| Row | Run | expected | counted | detail | result |' '|---|---|---:|---:|---|---|'
    foreach ($r in $Counts.Misc) {
        $md.Add(('| 4. Requests | {0} | {1} | {2} | {3} | {4} |' -f $r.What, $r.Expected, $r.Counted, (Format-Cell $r.Detail), (Format-Verdict ($r.Counted -eq $r.Expected))))
    }
    $md.Add('')
    & $table '' '| Row | Mode | connections | run | expected | counted | detail | result |' '|---|---|---:|---|---:|---:|---|---|'
    & $eachCase {
        param($mode, $n, $e)
        foreach ($run in @(@{ Case = 'first'; Label = 'first run in the session'; Expected = $e.First }, @{ Case = 'steady'; Label = 'steady state'; Expected = $e.Steady })) {
            $c = & $case $mode $n $run.Case
            $counted = @($c.Ops).Count
            $detail = Format-BenchOps $c.Ops
            if ($counted -gt 2) { $detail = "more than two ($($e.Why)): $detail" }
            $detail += '; results: ' + (& $results $c.Results)
            $md.Add(('| 4. Requests | {0} | {1} | {2} | {3} | {4} | {5}{6} | {7} |' -f $e.Name, $n, $run.Label, $run.Expected, $counted, (Format-Cell $detail), (& $failed $c),
                    (Format-Verdict (-not $c.Error -and $counted -eq $run.Expected))))
        }
    }
    $md.Add('')

    & $table 'Sync-AirflowEcrConnection -SkipIfValidFor 1h in the steady state (a new token piped, the stored one good for 12 h), in the same session: reads only, no write, every result Skipped.' `
        '| Row | Mode | connections | reads expected | reads counted | writes (must be 0) | detail | result |' '|---|---|---:|---:|---:|---:|---|---|'
    & $eachCase {
        param($mode, $n, $e)
        $c = & $case $mode $n 'skip'
        $writes = @($c.Ops | Where-Object Kind -eq 'write').Count
        $reads = @($c.Ops | Where-Object Kind -ne 'write').Count
        $skipped = @($c.Results | Where-Object { $_ -eq 'Skipped' }).Count
        $detail = (Format-BenchOps $c.Ops) + '; results: ' + (& $results $c.Results)
        $readsExpected = if ($null -eq $e.Skip) { 'n/a' } else { $e.Skip }
        $readsCounted = if ($null -eq $e.Skip) { 'n/a (a file read)' } else { $reads }
        $met = -not $c.Error -and $writes -eq 0 -and $skipped -eq $n -and ($null -eq $e.Skip -or $reads -eq $e.Skip)
        $md.Add(('| 4b. Skip | {0} | {1} | {2} | {3} | {4} | {5}{6} | {7} |' -f $e.Name, $n, $readsExpected, $readsCounted, $writes, (Format-Cell $detail.TrimStart('; ')), (& $failed $c), (Format-Verdict $met)))
    }
    $md.Add('')

    & $table 'Test-AirflowEcrConnection on the same ids: first in a fresh pwsh (what a monitoring script started by a scheduler pays), then again in that session.' `
        '| Row | Mode | ids | first: expected | first: counted | again: expected | again: counted | statuses | detail | result |' '|---|---|---:|---:|---:|---:|---:|---|---|---|'
    & $eachCase {
        param($mode, $n, $e)
        $first = & $case $mode $n 'test first'
        $again = & $case $mode $n 'test again'
        $both = @($first.Results) + @($again.Results)
        $fresh = @($both | Where-Object { $_ -eq 'Fresh' }).Count
        $statuses = & $results $both
        $cells = if ($null -eq $e.TestFirst) { 'n/a', 'n/a (a file read)', 'n/a', 'n/a (a file read)' } else { $e.TestFirst, @($first.Ops).Count, $e.TestAgain, @($again.Ops).Count }
        $detail = (Format-BenchOps $first.Ops) + ' / ' + (Format-BenchOps $again.Ops)
        if ($null -eq $e.TestFirst) { $detail = 'no request: the file is read once' }
        elseif (@($first.Ops).Count -gt 2) { $detail = "more than two ($($e.TestWhy)): $detail" }
        $met = -not $first.Error -and -not $again.Error -and $fresh -eq 2 * $n -and @(@($first.Ops) + @($again.Ops) | Where-Object Kind -eq 'write').Count -eq 0 -and
            ($null -eq $e.TestFirst -or (@($first.Ops).Count -eq $e.TestFirst -and @($again.Ops).Count -eq $e.TestAgain))
        $md.Add(('| 4c. Test | {0} | {1} | {2} | {3} | {4} | {5} | {6} | {7}{8} | {9} |' -f $e.Name, $n, $cells[0], $cells[1], $cells[2], $cells[3], $statuses,
                (Format-Cell $detail.Trim(' /')), ((& $failed $first) + (& $failed $again)), (Format-Verdict $met)))
    }
    $md
}
