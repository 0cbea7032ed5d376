# Benchmarks for build.ps1 -Task Bench (not part of -Task Test: timings are printed as ratios measured in
# one run on one machine, never asserted). Starts moto, the MWAA peer and the Airflow API emulators (2 and 3)
# on loopback, runs every row of issue 6 (and the counts of issues 20 and 21), prints Markdown tables and writes
# them to out/bench.md and, after a full run, to the generated section of docs/performance.md ("Latest run").
# Dot-sourced by build.ps1 after tests/peers/Peers.ps1; every timed command runs in a child process.
# The cold rows (the floor module, the fast local responder, per-phase figures) are in build/BenchCold.ps1, the
# request counts per mode in build/BenchCounts.ps1, the soak in build/BenchSoak.ps1.
. (Join-Path $PSScriptRoot 'BenchCold.ps1')
. (Join-Path $PSScriptRoot 'BenchCounts.ps1')
. (Join-Path $PSScriptRoot 'BenchSoak.ps1')
. (Join-Path $PSScriptRoot 'Docs.ps1')

# ---- statistics and formatting ----

function Get-BenchMedian([double[]] $Values) {
    $s = [double[]]($Values | Sort-Object)
    $n = $s.Count
    if ($n -eq 0) { return [double]::NaN }
    if ($n % 2) { return $s[($n - 1) / 2] }
    ($s[$n / 2 - 1] + $s[$n / 2]) / 2
}

function Get-BenchPercentile([double[]] $Values, [double] $Percent) {
    # Nearest-rank percentile.
    $s = [double[]]($Values | Sort-Object)
    if ($s.Count -eq 0) { return [double]::NaN }
    $rank = [math]::Ceiling($Percent / 100 * $s.Count)
    $s[[math]::Max(0, $rank - 1)]
}

function Format-Ms([double] $Ms) {
    if ($Ms -ge 100) { return '{0:N0} ms' -f $Ms }
    '{0:N1} ms' -f $Ms
}

function Format-Verdict([bool] $Met) { if ($Met) { 'met' } else { '**missed**' } }

function Format-Cell([string] $Text) { $Text -replace '\|', '\|' }

# ---- the machine ----

function Get-BenchMachineInfo {
    $cpu = $null
    $memory = $null
    if (Test-Path /proc/cpuinfo) {
        $cpu = (Select-String -Path /proc/cpuinfo -Pattern '^model name\s*:\s*(.+)$' | Select-Object -First 1).Matches.Groups[1].Value
    }
    if (Test-Path /proc/meminfo) {
        $kb = [double](Select-String -Path /proc/meminfo -Pattern '^MemTotal:\s+(\d+)' | Select-Object -First 1).Matches.Groups[1].Value
        $memory = '{0:N1} GiB' -f ($kb / 1MB)
    }
    if (-not $cpu -and $IsWindows) {
        $cpu = (Get-CimInstance Win32_Processor | Select-Object -First 1).Name
        $memory = '{0:N1} GiB' -f ((Get-CimInstance Win32_ComputerSystem).TotalPhysicalMemory / 1GB)
    }
    if (-not $cpu -and $IsMacOS) {
        $cpu = (& sysctl -n machdep.cpu.brand_string)
        $memory = '{0:N1} GiB' -f ([double](& sysctl -n hw.memsize) / 1GB)
    }
    [ordered]@{
        'CPU'         = if ($cpu) { $cpu.Trim() } else { 'unknown' }
        'Logical CPUs' = [Environment]::ProcessorCount
        'Memory'      = if ($memory) { $memory } else { 'unknown' }
        'OS'          = [Runtime.InteropServices.RuntimeInformation]::OSDescription
        '.NET'        = [Runtime.InteropServices.RuntimeInformation]::FrameworkDescription
        'pwsh'        = "$($PSVersionTable.PSVersion) (dotnet tool: dotnet + pwsh.dll)"
        'Date'        = [DateTimeOffset]::UtcNow.ToString('yyyy-MM-dd HH:mm') + 'Z'
    }
}

# ---- running child processes ----

function Invoke-BenchProcess {
    # Runs one command line to completion; returns its wall time (ms) and stdout. Throws on a non-zero exit.
    param(
        [Parameter(Mandatory)] [string[]] $CommandLine,
        [hashtable] $Environment = @{}
    )
    $psi = [Diagnostics.ProcessStartInfo]::new($CommandLine[0])
    foreach ($a in @($CommandLine | Select-Object -Skip 1)) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    foreach ($k in $Environment.Keys) {
        if ($null -eq $Environment[$k]) { $null = $psi.Environment.Remove($k) } else { $psi.Environment[$k] = [string]$Environment[$k] }
    }
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $p = [Diagnostics.Process]::Start($psi)
    $out = $p.StandardOutput.ReadToEndAsync()
    $err = $p.StandardError.ReadToEndAsync()
    $p.WaitForExit()
    $sw.Stop()
    if ($p.ExitCode -ne 0) {
        throw "'$($CommandLine -join ' ')' exited with $($p.ExitCode): $($err.Result)$($out.Result)"
    }
    [pscustomobject]@{ Ms = $sw.Elapsed.TotalMilliseconds; Output = $out.Result; Error = $err.Result }
}

function Measure-BenchPair {
    # A B A B ... after one warm-up of each; medians and the ratio A/B.
    param(
        [Parameter(Mandatory)] [string] $Row,
        [Parameter(Mandatory)] [string] $NameA,
        [Parameter(Mandatory)] [scriptblock] $A,
        [Parameter(Mandatory)] [string] $NameB,
        [Parameter(Mandatory)] [scriptblock] $B,
        [int] $Runs = 10,
        [double] $TargetRatio = 0,
        [string] $TargetText = ''
    )
    Write-Host "  $Row : $NameA vs $NameB ($Runs runs each, alternating)" -ForegroundColor DarkCyan
    $null = & $A; $null = & $B  # warm-up: disk cache, JIT caches, the peers' first request
    $ta = [Collections.Generic.List[double]]::new()
    $tb = [Collections.Generic.List[double]]::new()
    for ($i = 0; $i -lt $Runs; $i++) {
        $ta.Add((& $A).Ms)
        $tb.Add((& $B).Ms)
    }
    $ma = Get-BenchMedian $ta.ToArray()
    $mb = Get-BenchMedian $tb.ToArray()
    $ratio = $ma / $mb
    [pscustomobject]@{
        Row     = $Row
        A       = $NameA
        B       = $NameB
        MedianA = $ma
        MedianB = $mb
        Ratio   = $ratio
        Target  = $TargetText
        Result  = if ($TargetRatio -gt 0) { Format-Verdict ($ratio -le $TargetRatio) } else { 'info' }
        RunsA   = $ta.ToArray()
        RunsB   = $tb.ToArray()
    }
}

function Remove-BenchFolder([string] $Path) {
    # Deletes only the folder this run made: under the temp folder and named ecrairflow-bench-*.
    if (-not $Path) { return }
    $temp = [IO.Path]::GetFullPath([IO.Path]::GetTempPath())
    $full = [IO.Path]::GetFullPath($Path)
    if ($full.StartsWith($temp, [StringComparison]::Ordinal) -and (Split-Path $full -Leaf) -like 'ecrairflow-bench-*' -and $full.Length -gt $temp.Length + 18) {
        Remove-Item -LiteralPath $full -Recurse -Force -ErrorAction SilentlyContinue
    }
    else { Write-Warning "Not deleting '$Path': not a benchmark folder." }
}

# ---- scripts run in child pwsh processes (parameters come through BENCH_* environment variables) ----

$script:BenchCommon = @'
$ErrorActionPreference = 'Stop'
Import-Module $env:BENCH_MODULE
. $env:BENCH_PEERS
$Aws = @{ Region = 'us-east-1'; EndpointUrl = $env:BENCH_MOTO }
$AirflowCredential = [pscredential]::new($env:BENCH_AIRFLOW_USER, (ConvertTo-SecureString $env:BENCH_AIRFLOW_PASSWORD -AsPlainText -Force))
$Targets = [ordered]@{
    'Rest v1'             = @{ Mode = 'Rest'; AirflowUrl = $env:BENCH_AIRFLOW2; AirflowCredential = $AirflowCredential; ApiVersion = 'V1' }
    'Rest v2'             = @{ Mode = 'Rest'; AirflowUrl = $env:BENCH_AIRFLOW3; AirflowCredential = $AirflowCredential; ApiVersion = 'V2' }
    'EnvironmentVariable' = @{ Mode = 'EnvironmentVariable' }
}
function Get-EcrCalls { @(Get-MotoRequests -RequestLog $env:BENCH_MOTO_LOG | Where-Object target -like '*GetAuthorizationToken').Count }
function Clear-Requests([string] $Url) { $null = Invoke-RestMethod -Method Delete -Uri "$Url/_emulator/requests" }
function Get-Requests([string] $Url) { @(Get-EmulatorRequests -Url $Url) }
$MwaaPeer = [pscustomobject]@{ Endpoint = $env:BENCH_MWAA }
'@

# Row 3: warm, one session. Per mode: the pipeline, plus a breakdown (Get -Force alone, Sync alone).
$script:BenchWarm = $BenchCommon + @'

$n = [int]$env:BENCH_ITERATIONS
$sw = [Diagnostics.Stopwatch]::new()
$out = foreach ($name in $Targets.Keys) {
    $t = $Targets[$name]
    $id = 'ecr_warm_' + ($name -replace '\W', '_')
    for ($i = 0; $i -lt 20; $i++) { $null = Get-EcrDockerCredential @Aws -Force | Sync-AirflowEcrConnection -ConnectionId $id @t }
    $pipe = [double[]]::new($n)
    for ($i = 0; $i -lt $n; $i++) {
        $sw.Restart()
        $null = Get-EcrDockerCredential @Aws -Force | Sync-AirflowEcrConnection -ConnectionId $id @t
        $pipe[$i] = $sw.Elapsed.TotalMilliseconds
    }
    $m = [math]::Min($n, 50)
    $get = [double[]]::new($m); $sync = [double[]]::new($m)
    $c = Get-EcrDockerCredential @Aws
    for ($i = 0; $i -lt $m; $i++) {
        $sw.Restart(); $null = Get-EcrDockerCredential @Aws -Force; $get[$i] = $sw.Elapsed.TotalMilliseconds
        $sw.Restart(); $null = $c | Sync-AirflowEcrConnection -ConnectionId $id @t; $sync[$i] = $sw.Elapsed.TotalMilliseconds
    }
    [pscustomobject]@{ Name = $name; Pipeline = $pipe; Get = $get; Sync = $sync }
}
'BENCH-JSON ' + ($out | ConvertTo-Json -Depth 4 -Compress)
'@

# Row 5: one scale case per fresh pwsh (so PeakWorkingSet64 is this case's alone).
$script:BenchScale = $BenchCommon + @'

$count = [int]$env:BENCH_SCALE_COUNT
$t = $Targets[$env:BENCH_SCALE_TARGET]
$url = if ($env:BENCH_SCALE_TARGET -eq 'Rest v1') { $env:BENCH_AIRFLOW2 } else { $env:BENCH_AIRFLOW3 }
$c = Get-EcrDockerCredential @Aws
$items = foreach ($i in 1..$count) {
    [pscustomobject]@{ Registry = $c.Registry; UserName = $c.UserName; Password = $c.Password; ExpiresAt = $c.ExpiresAt; ConnectionId = "ecr_scale_${count}_$i" }
}
$sw = [Diagnostics.Stopwatch]::StartNew()
$written = @($items | Sync-AirflowEcrConnection @t)
$first = $sw.Elapsed.TotalMilliseconds
if ($written.Count -ne $count) { throw "wrote $($written.Count) of $count" }
Clear-Requests $url
$null = $items | Sync-AirflowEcrConnection @t
$requests = (Get-Requests $url).Count
$runs = [int]$env:BENCH_SCALE_RUNS
$times = [double[]]::new($runs)
for ($i = 0; $i -lt $runs; $i++) {
    $sw.Restart(); $null = $items | Sync-AirflowEcrConnection @t; $times[$i] = $sw.Elapsed.TotalMilliseconds
}
$peak = [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64
'BENCH-JSON ' + ([pscustomobject]@{ First = $first; Times = $times; Requests = $requests; PeakWorkingSet = $peak } | ConvertTo-Json -Compress)
'@

function Read-BenchJson([string] $Output) {
    $line = ($Output -split '\r?\n' | Where-Object { $_.StartsWith('BENCH-JSON ') } | Select-Object -Last 1)
    if (-not $line) { throw "The benchmark script printed no result:`n$Output" }
    $line.Substring('BENCH-JSON '.Length) | ConvertFrom-Json
}

# ---- the task ----

# Zipped size of the staged module with and without its ReadyToRun folders (bin/net8.0/<rid>/), each zip
# measured in memory (nothing written to disk).
function Measure-BenchPackageSize([string] $ModuleDirectory) {
    Add-Type -AssemblyName System.IO.Compression, System.IO.Compression.FileSystem
    $root = [IO.Path]::GetFullPath($ModuleDirectory).TrimEnd([IO.Path]::DirectorySeparatorChar) + [IO.Path]::DirectorySeparatorChar
    $files = @(Get-ChildItem -LiteralPath $root -Recurse -File)
    $rid = [regex] '^bin[\\/]net8\.0[\\/](win|linux|osx)-[a-z0-9]+[\\/]'
    $measure = {
        param([object[]] $Items)
        $stream = [IO.MemoryStream]::new()
        $zip = [IO.Compression.ZipArchive]::new($stream, [IO.Compression.ZipArchiveMode]::Create, $true)
        foreach ($f in $Items) { $null = [IO.Compression.ZipFileExtensions]::CreateEntryFromFile($zip, $f.FullName, $f.FullName.Substring($root.Length), [IO.Compression.CompressionLevel]::Optimal) }
        $zip.Dispose()
        $length = $stream.Length
        $stream.Dispose()
        $length
    }
    [pscustomobject]@{
        Full     = & $measure $files
        Portable = & $measure @($files | Where-Object { -not $rid.IsMatch($_.FullName.Substring($root.Length)) })
    }
}

function Invoke-Bench {
    param(
        [Parameter(Mandatory)] [string] $ModuleManifest,
        [Parameter(Mandatory)] [string] $OutFile,
        # Another build of the module (its .psd1, e.g. main's, staged elsewhere): its import, Get and Get | Sync join
        # the cold rounds, so a change's before and after are measured alternately, in the same minutes.
        [string] $BeforeModule,
        # The page whose generated section "bench" gets the tables of a full run (docs/performance.md).
        [string] $DocsFile,
        [string] $Configuration = 'Release',
        [int] $Runs = 10,
        [int] $WarmIterations = 200,
        # The soak (row 7): its length, and whether each refresh is a fresh pwsh (as a scheduler runs it) or
        # one long-lived session.
        [ValidateRange(1, 120)] [int] $SoakMinutes = 10,
        [ValidateSet('PerRun', 'Session')] [string] $SoakRefresh = 'PerRun',
        # Only the cold rows and the per-phase figures (for development: what issue 15's changes move).
        [switch] $ColdOnly,
        # Only what is counted, not timed: the requests per run (rows 4, 4b, 4c) and the soak (row 7).
        [switch] $CountsOnly
    )
    if ($ColdOnly -and $CountsOnly) { throw 'Give -ColdOnly or -CountsOnly, not both.' }
    $started = [Diagnostics.Stopwatch]::StartNew()
    $pwsh = @(Get-PwshCommandLine)
    $python = Get-PythonCommand
    $awsCli = Get-Command aws -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    $work = Join-Path ([IO.Path]::GetTempPath()) ('ecrairflow-bench-' + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory -Path $work
    $moto = $null; $af2 = $null; $af3 = $null; $mwaa = $null; $fast = $null
    try {
        Write-Host 'Building the floor module' -ForegroundColor Cyan
        $floor = if (-not $CountsOnly) { Build-BenchFloor -OutDirectory (Join-Path (Split-Path $OutFile) 'bench-floor') -Configuration $Configuration }
        Write-Host 'Starting the fast responder, moto, the MWAA peer and the Airflow emulators (2 and 3) on loopback' -ForegroundColor Cyan
        $fast = Start-BenchResponder
        $moto = Start-MotoPeer -WorkDirectory $work
        $af2 = Start-AirflowEmulator -AirflowVersion 2 -Password 'bench-Pa55' -Configuration $Configuration
        $af3 = Start-AirflowEmulator -AirflowVersion 3 -Password 'bench-Pa55' -Configuration $Configuration
        $mwaa = Start-MwaaPeer -WorkDirectory $work
        $null = Add-MwaaKey -Peer $mwaa -Key $moto.Info.allowed
        $null = Add-MwaaEnvironment -Peer $mwaa -Name bench2 -AirflowVersion '2.10.3' -AirflowUrl $af2.Url -AirflowPassword 'bench-Pa55'
        $null = Add-MwaaEnvironment -Peer $mwaa -Name bench3 -AirflowVersion '3.0.6' -AirflowUrl $af3.Url -AirflowPassword 'bench-Pa55'
        $standInHome = Join-Path $work 'standin'
        $null = New-Item -ItemType Directory -Path $standInHome

        # Every child gets the same environment: moto's keys in the standard AWS variables (for pwsh, the
        # AWS CLI and boto3 alike), no config files or instance metadata from this machine.
        $envBase = @{
            AWS_ACCESS_KEY_ID      = $moto.Info.allowed.accessKeyId
            AWS_SECRET_ACCESS_KEY  = $moto.Info.allowed.secretAccessKey
            AWS_SESSION_TOKEN      = $null
            AWS_PROFILE            = $null
            AWS_DEFAULT_PROFILE    = $null
            AWS_REGION             = 'us-east-1'
            AWS_DEFAULT_REGION     = 'us-east-1'
            AWS_CONFIG_FILE        = Join-Path $work 'aws-config'
            AWS_SHARED_CREDENTIALS_FILE = Join-Path $work 'aws-credentials'
            AWS_EC2_METADATA_DISABLED = 'true'
            AWS_ENDPOINT_URL       = $null
            AWS_ENDPOINT_URL_ECR   = $null
            AWS_ENDPOINT_URL_MWAA  = $mwaa.Endpoint
            AWS_PAGER              = ''
            BENCH_MODULE           = $ModuleManifest
            BENCH_PEERS            = Join-Path (Split-Path $PSScriptRoot) 'tests/peers/Peers.ps1'
            BENCH_MOTO             = $moto.Endpoint
            BENCH_MOTO_LOG         = $moto.RequestLog
            BENCH_WRITER_KEY       = $moto.Info.writer.accessKeyId
            BENCH_WRITER_SECRET    = $moto.Info.writer.secretAccessKey
            BENCH_AIRFLOW2         = $af2.Url
            BENCH_AIRFLOW3         = $af3.Url
            BENCH_MWAA             = $mwaa.Endpoint
            BENCH_AIRFLOW_USER     = 'admin'
            BENCH_AIRFLOW_PASSWORD = 'bench-Pa55'
            BENCH_STANDIN          = Join-Path (Split-Path $PSScriptRoot) 'tests/peers/airflow/airflow'
            BENCH_STANDIN_HOME     = $standInHome
            BENCH_ITERATIONS       = $WarmIterations
            BENCH_FAST             = $fast.Url
            BENCH_FLOOR            = $floor
            BENCH_DOTENV           = Join-Path $work 'bench.env'
        }
        $pwshArgs = $pwsh + @('-NoProfile', '-NonInteractive')
        $runPwsh = { param([string] $Command, [hashtable] $Extra = @{}) Invoke-BenchProcess -CommandLine ($pwshArgs + @('-Command', $Command)) -Environment ($envBase + $Extra) }
        $scriptFile = {
            param([string] $Name, [string] $Text)
            $path = Join-Path $work $Name
            Set-Content -LiteralPath $path -Value $Text -Encoding utf8
            $path
        }
        $q = "'" + ($ModuleManifest -replace "'", "''") + "'"
        $bare = { & $runPwsh 'exit' }

        $loadBefore = Get-BenchLoad
        $coldRows = @(); $phaseRows = @()
        $pairs = [Collections.Generic.List[object]]::new()
        $notes = [Collections.Generic.List[string]]::new()
        $warm = @(); $counts = $null; $scale = @(); $soak = $null
        if (-not $CountsOnly) {
        # 1-2. Cold rows: every command in a fresh pwsh, all against the fast responder, in alternating rounds;
        # each of ours is read against bare pwsh and against the floor making the same requests. Both sides
        # build the Airflow credential the same way (NetworkCredential: ConvertTo-SecureString's module
        # autoload, about 55 ms here, is PowerShell's cost, not EcrAirflow's).
        Write-Host "Rows 1-2: cold start, $Runs rounds (fresh pwsh per sample)" -ForegroundColor Cyan
        $fq = "'" + ($floor -replace "'", "''") + "'"
        $cred = "`$c = [pscredential]::new(`$env:BENCH_AIRFLOW_USER, [Net.NetworkCredential]::new('', `$env:BENCH_AIRFLOW_PASSWORD).SecurePassword)"
        $cold = [ordered]@{
            'bare'          = '$null = 0'
            'floor import'  = "Import-Module $fq; `$null = Get-Command Invoke-BenchFloorRequest"
            'import'        = "Import-Module $q; `$null = Get-Command Get-EcrDockerCredential"
            'floor 1'       = "Import-Module $fq; `$null = Invoke-BenchFloorRequest `$env:BENCH_FAST"
            'get'           = "Import-Module $q; `$null = Get-EcrDockerCredential -EndpointUrl `$env:BENCH_FAST"
            'floor 4'       = "Import-Module $fq; $cred; `$null = Invoke-BenchFloorRequest `$env:BENCH_FAST, `$env:BENCH_FAST, `$env:BENCH_FAST, `$env:BENCH_FAST"
            'get sync'      = "Import-Module $q; $cred; `$null = Get-EcrDockerCredential -EndpointUrl `$env:BENCH_FAST | Sync-AirflowEcrConnection -ConnectionId ecr_cold -Mode Rest -ApiVersion V2 -AirflowUrl `$env:BENCH_FAST -AirflowCredential `$c"
        }
        $beforeKeys = @('import', 'get', 'get sync')  # the rows -BeforeModule measures again
        if ($BeforeModule) {
            $bq = "'" + ((Resolve-Path -LiteralPath $BeforeModule).Path -replace "'", "''") + "'"
            foreach ($k in $beforeKeys) { $cold["before $k"] = $cold[$k].Replace("Import-Module $q;", "Import-Module $bq;") }
        }
        $coldTimes = Measure-BenchCold -Commands $cold -Run { param($Command) & $runPwsh $Command } -Runs $Runs
        $coldMedian = @{}; $coldCpu = @{}
        foreach ($k in $coldTimes.Wall.Keys) {
            $coldMedian[$k] = Get-BenchMedian $coldTimes.Wall[$k].ToArray()
            $coldCpu[$k] = Get-BenchMedian $coldTimes.Cpu[$k].ToArray()
        }
        $coldRows = @(
            [pscustomobject]@{ Row = '0. Bare'; What = 'pwsh -Command (nothing)'; Key = 'bare'; Floor = $null; Target = 0 }
            [pscustomobject]@{ Row = '0. Floor'; What = 'floor: Import-Module + Get-Command'; Key = 'floor import'; Floor = $null; Target = 0 }
            [pscustomobject]@{ Row = '1. Cold import'; What = 'Import-Module EcrAirflow + Get-Command'; Key = 'import'; Floor = 'floor import'; Target = 1.05 }
            [pscustomobject]@{ Row = '0. Floor'; What = 'floor: import + 1 request'; Key = 'floor 1'; Floor = $null; Target = 0 }
            [pscustomobject]@{ Row = '2. Cold Get'; What = 'Get-EcrDockerCredential (default chain: keys from the environment)'; Key = 'get'; Floor = 'floor 1'; Target = 1.10 }
            [pscustomobject]@{ Row = '0. Floor'; What = 'floor: import + 4 requests'; Key = 'floor 4'; Floor = $null; Target = 0 }
            [pscustomobject]@{ Row = '2. Cold Get \| Sync'; What = 'Get-EcrDockerCredential \| Sync-AirflowEcrConnection -Mode Rest -ApiVersion V2 (ECR, token, list, bulk)'; Key = 'get sync'; Floor = 'floor 4'; Target = 1.10 }
        )
        if ($BeforeModule) {
            $coldRows = foreach ($c in $coldRows) {
                $c
                if ($c.Key -in $beforeKeys) {
                    [pscustomobject]@{ Row = $c.Row + ', before'; What = "the same, with the module at -BenchBefore"; Key = "before $($c.Key)"; Floor = $c.Floor; Target = $c.Target }
                }
            }
        }

        # Per-phase figures: import, the first Get, the first Sync per mode.
        Write-Host 'Per-phase figures (fresh pwsh per sample)' -ForegroundColor Cyan
        $phasesFile = & $scriptFile 'phases.ps1' $BenchPhases
        $phaseStandIn = Join-Path $work 'standin-phases'  # its own call log: row 4 counts the CLI's starts
        $null = New-Item -ItemType Directory -Path $phaseStandIn
        $phaseRows = @(Measure-BenchPhases -Modes 'floor', 'Rest v2', 'Rest v1', 'EnvironmentVariable', 'Cli', 'SecretsManager', 'ParameterStore', 'Mwaa' `
                -RunFile { param($Extra) $e = @{} + $envBase; $e['BENCH_STANDIN_HOME'] = $phaseStandIn; foreach ($k in $Extra.Keys) { $e[$k] = $Extra[$k] }; Invoke-BenchProcess -CommandLine ($pwshArgs + @('-File', $phasesFile)) -Environment $e } -Samples ([math]::Max(3, [int]($Runs / 4))))
        }

        # Rows 2 (vs the AWS CLI and boto3), 3 and 5, timed; not re-indented under this if, to keep the diff small.
        if (-not $ColdOnly -and -not $CountsOnly) {
        $ecrOnly = "Import-Module $q; `$null = Get-EcrDockerCredential -Region us-east-1 -EndpointUrl `$env:BENCH_MOTO"
        $ecrA = { & $runPwsh $ecrOnly }
        if ($awsCli) {
            $awsLine = @($awsCli.Source, 'ecr', 'get-login-password', '--region', 'us-east-1', '--endpoint-url', $moto.Endpoint)
            $pairs.Add((Measure-BenchPair -Row '2. Cold ECR half' -NameA 'pwsh: Get-EcrDockerCredential' -A $ecrA `
                        -NameB 'aws ecr get-login-password' -B { Invoke-BenchProcess -CommandLine $awsLine -Environment $envBase } -Runs $Runs -TargetText 'none (comparison)'))
        }
        else { $notes.Add('Row 2 vs the AWS CLI skipped: no `aws` on PATH.') }
        $boto = & $scriptFile 'boto3_token.py' @'
import os, boto3
boto3.client("ecr", region_name="us-east-1", endpoint_url=os.environ["BENCH_MOTO"]).get_authorization_token()
'@
        & $python -c 'import boto3' 2>$null
        if ($LASTEXITCODE -eq 0) {
            $pairs.Add((Measure-BenchPair -Row '2. Cold ECR half' -NameA 'pwsh: Get-EcrDockerCredential' -A $ecrA `
                        -NameB 'python3 boto3 get_authorization_token' -B { Invoke-BenchProcess -CommandLine @($python, $boto) -Environment $envBase } -Runs $Runs -TargetText 'none (comparison)'))
        }
        else { $notes.Add('Row 2 vs boto3 skipped: boto3 does not import.') }

        # 3. Warm, one session.
        Write-Host "Row 3: warm, $WarmIterations iterations per mode in one session" -ForegroundColor Cyan
        $warmFile = & $scriptFile 'warm.ps1' $BenchWarm
        $warm = Read-BenchJson (Invoke-BenchProcess -CommandLine ($pwshArgs + @('-File', $warmFile)) -Environment $envBase).Output

        # 5. Scale.
        Write-Host 'Row 5: scale (1, 10, 100 connections; a fresh pwsh per case)' -ForegroundColor Cyan
        $scaleFile = & $scriptFile 'scale.ps1' $BenchScale
        $scale = foreach ($target in 'Rest v1', 'Rest v2') {
            foreach ($count in 1, 10, 100) {
                $r = Read-BenchJson (Invoke-BenchProcess -CommandLine ($pwshArgs + @('-File', $scaleFile)) -Environment ($envBase + @{
                            BENCH_SCALE_COUNT = $count; BENCH_SCALE_TARGET = $target; BENCH_SCALE_RUNS = $Runs })).Output
                [pscustomobject]@{ Target = $target; Count = $count; First = $r.First; Median = Get-BenchMedian $r.Times; Requests = $r.Requests; PeakMB = $r.PeakWorkingSet / 1MB }
            }
        }
        }

        # Counted, not timed: 4 (requests per run, every mode), 4b (-SkipIfValidFor), 4c (Test), 7 (the soak).
        if (-not $ColdOnly) {
            Write-Host 'Rows 4, 4b, 4c: requests per run, counted at the peers (a fresh pwsh per case)' -ForegroundColor Cyan
            $countsFile = & $scriptFile 'counts.ps1' ($BenchCommon + $BenchCountsScript)
            $counts = Measure-BenchCounts -RunFile { param($Extra) Invoke-BenchProcess -CommandLine ($pwshArgs + @('-File', $countsFile)) -Environment ($envBase + $Extra) }
            Write-Host "Row 7: soak, $SoakMinutes minute(s), refresh $SoakRefresh" -ForegroundColor Cyan
            $soak = Measure-BenchSoak -PwshArgs $pwshArgs -Environment $envBase -ScriptFile $scriptFile -MotoEndpoint $moto.Endpoint -MotoLog $moto.RequestLog `
                -AirflowUrl $af3.Url -Minutes $SoakMinutes -Refresh $SoakRefresh
        }
    }
    finally {
        foreach ($peer in $mwaa, $af3, $af2, $moto, $fast) { if ($peer) { Stop-Peer $peer } }
        Remove-BenchFolder $work
    }

    # What was counted, as it came from the children (to read a row's every request, or to format it again).
    if ($counts -or $soak) {
        $null = New-Item -ItemType Directory -Path (Split-Path $OutFile) -Force
        Set-Content -LiteralPath ([IO.Path]::ChangeExtension($OutFile, '.json')) -Encoding utf8 -Value (ConvertTo-Json -InputObject @{ Counts = $counts; Soak = $soak } -Depth 8)
    }

    # ---- the report ----
    $md = [Collections.Generic.List[string]]::new()
    $md.Add('## EcrAirflow benchmarks')
    $md.Add('')
    $md.Add('| Machine | |')
    $md.Add('|---|---|')
    foreach ($e in (Get-BenchMachineInfo).GetEnumerator()) { $md.Add("| $($e.Key) | $($e.Value) |") }
    $md.Add('')
    $md.Add(('Load: at the start {0}; at the end {1}.' -f $loadBefore, (Get-BenchLoad)))
    $md.Add('')
    if (-not $CountsOnly) {
    $md.Add("Cold rows: a fresh pwsh per sample, every command once per round (one warm-up round, then $Runs rounds, alternating forward and backward); medians of wall time for the whole process. Floor = a one-cmdlet binary module (psd1 + dll, built into out/bench-floor, never shipped) that imports and makes plain HttpClient requests; both sides talk to one fast local responder on 127.0.0.1.")
    $md.Add('')
    $md.Add('Wall = what a user waits (the target''s measure); CPU = the process''s own CPU time, all threads, the steadier figure on a shared machine.')
    $md.Add('')
    $md.Add('| Row | pwsh -Command | wall median | / bare pwsh | / floor (same requests) | CPU median | CPU / bare | CPU / floor | target (wall) | result |')
    $md.Add('|---|---|---:|---:|---:|---:|---:|---:|---|---|')
    foreach ($c in $coldRows) {
        $m = $coldMedian[$c.Key]; $u = $coldCpu[$c.Key]
        $vsFloor = ''; $cpuFloor = ''; $target = ''; $result = 'info'
        if ($c.Floor) {
            $ratio = $m / $coldMedian[$c.Floor]
            $vsFloor = '{0:N2}x' -f $ratio
            $cpuFloor = '{0:N2}x' -f ($u / $coldCpu[$c.Floor])
            $target = '<= {0:N2}x the floor' -f $c.Target
            $result = Format-Verdict ($ratio -le $c.Target)
        }
        $md.Add(('| {0} | {1} | {2} | {3:N2}x | {4} | {5} | {6:N2}x | {7} | {8} | {9} |' -f $c.Row, $c.What, (Format-Ms $m), ($m / $coldMedian['bare']), $vsFloor, (Format-Ms $u), ($u / $coldCpu['bare']), $cpuFloor, $target, $result))
    }
    $md.Add('')
    $md.Add('Per phase, in a fresh pwsh (medians of {0} samples per mode; import and the first Get over every mode''s samples). The first Get runs with -Verbose -Debug, whose messages mark its phases; JIT figures from [System.Runtime.JitInfo] (all threads), assemblies from [AppDomain]::CurrentDomain.GetAssemblies() (every load context).' -f ([math]::Max(3, [int]($Runs / 4))))
    $md.Add('')
    foreach ($line in Format-BenchPhaseRows -Rows $phaseRows) { $md.Add($line) }
    $md.Add('')
    }
    if ($pairs.Count) {
    $md.Add("Comparisons: one warm-up each, then $Runs runs alternating A B A B, against moto.")
    $md.Add('')
    $md.Add('| Row | A | B | median A | median B | A/B | target | result |')
    $md.Add('|---|---|---|---:|---:|---:|---|---|')
    foreach ($p in $pairs) {
        $md.Add(('| {0} | {1} | {2} | {3} | {4} | {5:N2}x | {6} | {7} |' -f $p.Row, (Format-Cell $p.A), (Format-Cell $p.B), (Format-Ms $p.MedianA), (Format-Ms $p.MedianB), $p.Ratio, $p.Target, $p.Result))
    }
    $md.Add('')
    }
    if (-not $ColdOnly -and -not $CountsOnly) {
    $md.Add("Warm, one session: $WarmIterations iterations of ``Get-EcrDockerCredential -Force | Sync-AirflowEcrConnection`` per mode after 20 warm-up ones (ECR = moto, REST = the emulator); breakdown from 50 separate calls of each half.")
    $md.Add('')
    $md.Add('| Row | Mode | median | p95 | Get -Force alone (median) | Sync alone (median) | target | result |')
    $md.Add('|---|---|---:|---:|---:|---:|---|---|')
    foreach ($w in $warm) {
        $median = Get-BenchMedian $w.Pipeline
        $md.Add(('| 3. Warm | {0} | {1} | {2} | {3} | {4} | <= 15 ms median | {5} |' -f $w.Name, (Format-Ms $median), (Format-Ms (Get-BenchPercentile $w.Pipeline 95)),
                (Format-Ms (Get-BenchMedian $w.Get)), (Format-Ms (Get-BenchMedian $w.Sync)), (Format-Verdict ($median -le 15))))
    }
    $md.Add('')
    }
    if ($counts) {
        foreach ($line in Format-BenchCountRows -Counts $counts) { $md.Add($line) }
        $md.Add('')
    }
    if (-not $ColdOnly -and -not $CountsOnly) {
    $md.Add("Scale: one fresh pwsh per case; one credential piped as N connections into one Airflow. First = first Sync in the process (creates; v2 also gets the token); warm = median of $Runs further runs; requests = one steady-state run (v1: a GET and a PATCH per connection; v2: one list read and one bulk request); peak working set of that pwsh.")
    $md.Add('')
    $md.Add('| Row | API | connections | first run | warm median | requests (steady) | peak working set | target | result |')
    $md.Add('|---|---|---:|---:|---:|---:|---:|---|---|')
    foreach ($s in $scale) {
        $target = ''; $result = 'info'
        if ($s.Target -eq 'Rest v2' -and $s.Count -eq 100) {
            $target = '2 requests, <= 100 ms warm'
            $result = Format-Verdict ($s.Requests -eq 2 -and $s.Median -le 100)
        }
        $api = if ($s.Target -eq 'Rest v1') { 'v1 (Airflow 2)' } else { 'v2 (Airflow 3)' }
        $md.Add(('| 5. Scale | {0} | {1} | {2} | {3} | {4} | {5:N0} MB | {6} | {7} |' -f $api, $s.Count, (Format-Ms $s.First), (Format-Ms $s.Median), $s.Requests, $s.PeakMB, $target, $result))
    }
    }
    foreach ($n in $notes) { $md.Add(''); $md.Add($n) }
    $md.Add('')
    $size = Measure-BenchPackageSize -ModuleDirectory (Split-Path $ModuleManifest)
    $md.Add('Package: the staged module zipped (deflate, as in the nupkg), with the ReadyToRun images of bin/net8.0/<rid>/ and without them (the portable IL only, what the module was before issue 15).')
    $md.Add('')
    $md.Add('| Row | with ReadyToRun images | portable IL only | growth | target | result |')
    $md.Add('|---|---:|---:|---:|---|---|')
    $md.Add(('| 6. Package | {0:N2} MB | {1:N2} MB | {2:N2}x | <= 3x | {3} |' -f ($size.Full / 1MB), ($size.Portable / 1MB), ($size.Full / $size.Portable), (Format-Verdict ($size.Full -le 3 * $size.Portable))))
    $md.Add('')
    if ($soak) {
        foreach ($line in Format-BenchSoakRows -Soak $soak) { $md.Add($line) }
        $md.Add('')
    }
    $md.Add(('Total benchmark time: {0:N0} s.' -f $started.Elapsed.TotalSeconds))

    $null = New-Item -ItemType Directory -Path (Split-Path $OutFile) -Force
    Set-Content -LiteralPath $OutFile -Value ($md -join "`n") -Encoding utf8
    Write-Host ''
    $md | ForEach-Object { Write-Host $_ }
    Write-Host ''
    Write-Host "Wrote $OutFile"
    # A -ColdOnly or -CountsOnly run has only some of the tables: the page keeps the last full run's.
    if ($DocsFile -and -not $ColdOnly -and -not $CountsOnly) {
        # The page has its own heading for the section; the tables start after the report's title line.
        Set-GeneratedSection -Path $DocsFile -Name 'bench' -Lines @($md | Select-Object -Skip 2)
        Write-Host "Wrote the tables into $DocsFile (Latest run)"
    }
}
