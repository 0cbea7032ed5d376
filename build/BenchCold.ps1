# Cold-start rows of build.ps1 -Task Bench (issue 15): the floor module, the fast local responder, the cold
# rows as ratios to bare pwsh and to the floor, and the per-phase figures. Dot-sourced by build/Bench.ps1.
#
# The floor is what any binary PowerShell module pays: a throw-away one-cmdlet module (psd1 + dll, plain
# IL, as `dotnet build` makes it) that imports and makes N plain HttpClient requests. It is built into
# out/bench-floor/ by the bench and never shipped. Both the floor and EcrAirflow talk to one fast local
# responder (build/bench-responder.py), so server time tilts neither side.

$script:BenchFloorSource = @'
using System.Management.Automation;
using System.Net.Http;

namespace BenchFloor
{
    /// <summary>Makes one plain HttpClient GET per URL and writes each status code.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "BenchFloorRequest")]
    public sealed class InvokeBenchFloorRequestCommand : PSCmdlet
    {
        private static readonly HttpClient Client = new HttpClient();

        [Parameter(Position = 0)]
        public string[] Uri { get; set; } = new string[0];

        protected override void ProcessRecord()
        {
            foreach (var uri in Uri)
            {
                using var response = Client.GetAsync(uri).GetAwaiter().GetResult();
                _ = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
                WriteObject((int)response.StatusCode);
            }
        }
    }
}
'@

$script:BenchFloorProject = @'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
    <AssemblyName>BenchFloor</AssemblyName>
    <CopyLocalLockFileAssemblies>false</CopyLocalLockFileAssemblies>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="PowerShellStandard.Library" Version="5.1.1" PrivateAssets="all" ExcludeAssets="runtime" />
  </ItemGroup>
</Project>
'@

$script:BenchFloorManifest = @'
@{
    ModuleVersion        = '1.0.0'
    GUID                 = '0b4f3c8e-7d1a-4e2b-9c6f-5a8d2e1f3b47'
    Description          = 'Benchmark floor: one binary cmdlet that makes plain HttpClient requests. Never shipped.'
    RootModule           = 'BenchFloor.dll'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FunctionsToExport    = @()
    CmdletsToExport      = @('Invoke-BenchFloorRequest')
    VariablesToExport    = @()
    AliasesToExport      = @()
}
'@

function Build-BenchFloor {
    # Builds the floor module into <OutDirectory>/BenchFloor/ and returns the path of its manifest.
    param([Parameter(Mandatory)] [string] $OutDirectory, [string] $Configuration = 'Release')
    $src = Join-Path $OutDirectory 'src'
    $module = Join-Path $OutDirectory 'BenchFloor'
    $null = New-Item -ItemType Directory -Path $src -Force
    Set-Content -LiteralPath (Join-Path $src 'BenchFloor.csproj') -Value $BenchFloorProject -Encoding utf8
    Set-Content -LiteralPath (Join-Path $src 'InvokeBenchFloorRequestCommand.cs') -Value $BenchFloorSource -Encoding utf8
    if (Test-Path $module) { Remove-Item -LiteralPath $module -Recurse -Force }
    & dotnet build (Join-Path $src 'BenchFloor.csproj') -c $Configuration -nologo -v quiet -o $module | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "Building the floor module failed (exit code $LASTEXITCODE)." }
    Get-ChildItem -LiteralPath $module -File | Where-Object Name -notin 'BenchFloor.dll' | Remove-Item
    $manifest = Join-Path $module 'BenchFloor.psd1'
    Set-Content -LiteralPath $manifest -Value $BenchFloorManifest -Encoding utf8
    $manifest
}

function Start-BenchResponder {
    # The fast local responder on a free 127.0.0.1 port: [pscustomobject]@{ Process; Url }. Stop-Peer stops it.
    $python = Get-PythonCommand
    $psi = [Diagnostics.ProcessStartInfo]::new($python)
    $psi.ArgumentList.Add((Join-Path $PSScriptRoot 'bench-responder.py'))
    $psi.RedirectStandardInput = $true   # it stops when this pipe closes, even if we die
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($psi)
    $stderr = $process.StandardError.ReadToEndAsync()
    $line = $process.StandardOutput.ReadLineAsync()
    if (-not $line.Wait(30000) -or -not $line.Result -or -not $line.Result.StartsWith('RESPONDER_LISTENING ')) {
        try { $process.Kill($true) } catch { }
        throw "The bench responder did not start: $($stderr.Result)"
    }
    $null = $process.StandardOutput.ReadToEndAsync()
    [pscustomobject]@{ Process = $process; Url = $line.Result.Substring('RESPONDER_LISTENING '.Length).Trim() }
}

# Appended to every cold command: the process's own CPU time (all threads: JIT, GC, the work) at its end.
# Wall time is what a user waits; on a shared machine it also holds the time spent waiting for a CPU, so
# CPU time is the steadier measure of the work each side does. Both are reported.
$script:BenchCpuSuffix = "; [Console]::Out.Write(' BENCH-CPU ' + [Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime.TotalMilliseconds.ToString([cultureinfo]::InvariantCulture))"

function Measure-BenchCold {
    # Every command in a fresh process, in rounds: one warm-up round, then $Runs rounds, each running every
    # command once (forward on even rounds, backward on odd ones, so drift and neighbours even out). Every
    # pair compared below was therefore measured alternately, in the same minutes. Returns
    # @{ Wall = name -> runs (ms); Cpu = name -> runs (ms) }.
    param(
        [Parameter(Mandatory)] [System.Collections.Specialized.OrderedDictionary] $Commands,
        [Parameter(Mandatory)] [scriptblock] $Run,
        [int] $Runs = 20
    )
    $names = @($Commands.Keys)
    $times = [ordered]@{}; $cpu = [ordered]@{}
    foreach ($n in $names) { $times[$n] = [Collections.Generic.List[double]]::new(); $cpu[$n] = [Collections.Generic.List[double]]::new() }
    foreach ($n in $names) { $null = & $Run ($Commands[$n] + $BenchCpuSuffix) }
    for ($i = 0; $i -lt $Runs; $i++) {
        $order = if ($i % 2) { $names[($names.Count - 1)..0] } else { $names }
        foreach ($n in $order) {
            $r = & $Run ($Commands[$n] + $BenchCpuSuffix)
            $times[$n].Add($r.Ms)
            $cpu[$n].Add([double]::Parse([regex]::Match($r.Output, 'BENCH-CPU (\S+)').Groups[1].Value, [cultureinfo]::InvariantCulture))
        }
        Write-Host "    round $($i + 1) of $Runs" -ForegroundColor DarkGray
    }
    @{ Wall = $times; Cpu = $cpu }
}

# Per-phase figures: one fresh pwsh per sample and mode. Import, the first Get-EcrDockerCredential (its
# verbose/debug messages mark where the backend is loaded, the credentials resolved, the request signed and
# answered), then the first Sync-AirflowEcrConnection in one mode. At every mark: wall time, methods
# JIT-compiled and JIT time so far ([System.Runtime.JitInfo], all threads) and the assemblies loaded.
# -Verbose/-Debug add a little work of their own, so the cold rows above are the numbers to quote; these
# say where the time goes.
$script:BenchPhases = @'
$ErrorActionPreference = 'Stop'
$sw = [Diagnostics.Stopwatch]::StartNew()
$marks = [Collections.Generic.List[object]]::new()
function Add-Mark([string] $Phase) {
    $marks.Add([pscustomobject]@{
            Phase = $Phase; Ms = $sw.Elapsed.TotalMilliseconds
            Jit = [System.Runtime.JitInfo]::GetCompiledMethodCount($false)
            JitMs = [System.Runtime.JitInfo]::GetCompilationTime($false).TotalMilliseconds
            Assemblies = @([AppDomain]::CurrentDomain.GetAssemblies() | ForEach-Object { $_.GetName().Name })
        })
}
$label = {
    param([string] $Message)
    switch -Regex ($Message) {
        '^Region ' { 'Get: cmdlet, core load (EcrAirflow.Core), AWS backend load (ALC, AWSSDK.Core), region'; break }
        ' endpoint ' { 'Get: endpoint'; break }
        '^AWS credentials from' { 'Get: credential resolution'; break }
        '^Signed ' { 'Get: signing (SigV4)'; break }
        'SigV4 ' { 'Get: request set-up'; break }
        ' answered HTTP ' { 'Get: HTTP (first request of the process)'; break }
        default { $null }
    }
}
$airflow = [pscredential]::new($env:BENCH_AIRFLOW_USER, [Net.NetworkCredential]::new('', $env:BENCH_AIRFLOW_PASSWORD).SecurePassword)
$mode = $env:BENCH_PHASE_MODE
$target = switch ($mode) {
    'Rest v1' { @{ Mode = 'Rest'; ApiVersion = 'V1'; AirflowUrl = $env:BENCH_FAST; AirflowCredential = $airflow } }
    'Rest v2' { @{ Mode = 'Rest'; ApiVersion = 'V2'; AirflowUrl = $env:BENCH_FAST; AirflowCredential = $airflow } }
    'EnvironmentVariable' { @{ Mode = 'EnvironmentVariable' } }
    'Cli' { $env:AIRFLOW_STANDIN_HOME = $env:BENCH_STANDIN_HOME; @{ Mode = 'Cli'; AirflowCommand = $env:BENCH_STANDIN } }
    'SecretsManager' { @{ Mode = 'SecretsManager'; Region = 'eu-west-1'; EndpointUrl = $env:BENCH_MOTO; AwsCredential = [pscredential]::new($env:BENCH_WRITER_KEY, [Net.NetworkCredential]::new('', $env:BENCH_WRITER_SECRET).SecurePassword) } }
    'Mwaa' { @{ Mode = 'Mwaa'; MwaaEnvironmentName = 'bench3'; ApiVersion = 'V2' } }  # the MWAA peer (AWS_ENDPOINT_URL_MWAA), Airflow 3 behind it
    'floor' { @{} }
    'ParameterStore' { @{ Mode = 'ParameterStore'; Region = 'eu-west-1'; EndpointUrl = $env:BENCH_MOTO; AwsCredential = [pscredential]::new($env:BENCH_WRITER_KEY, [Net.NetworkCredential]::new('', $env:BENCH_WRITER_SECRET).SecurePassword) } }
    default { throw "Unknown mode '$mode'." }
}
Add-Mark 'start'; $marks.Clear(); Add-Mark 'start'  # the first call JIT-compiles Add-Mark itself
if ($mode -eq 'floor') {
    # The same phases for the floor module: its import, and its first request to the same responder.
    Import-Module $env:BENCH_FLOOR
    Add-Mark 'floor: Import-Module'
    $null = Invoke-BenchFloorRequest $env:BENCH_FAST
    Add-Mark 'floor: first request (HTTP stack of the process)'
    'BENCH-JSON ' + ($marks | ConvertTo-Json -Depth 3 -Compress)
    return
}
Import-Module $env:BENCH_MODULE
Add-Mark 'Import-Module'
$credential = $null
Get-EcrDockerCredential -EndpointUrl $env:BENCH_FAST -Verbose -Debug 4>&1 5>&1 | ForEach-Object {
    if ($_ -is [System.Management.Automation.InformationalRecord]) {
        $phase = & $label $_.Message
        if ($phase) { Add-Mark $phase }
    }
    else { $credential = $_ }
}
Add-Mark 'Get: reply, output'
$null = $credential | Sync-AirflowEcrConnection -ConnectionId ("ecr_phase_" + [guid]::NewGuid().ToString('n').Substring(0, 8)) @target
Add-Mark "first Sync: $mode"
'BENCH-JSON ' + ($marks | ConvertTo-Json -Depth 3 -Compress)
'@

function Measure-BenchPhases {
    # Runs $BenchPhases $Samples times per mode; returns one row per phase and mode with the medians of the
    # phase's own time, methods JIT-compiled, JIT time and assemblies loaded, and the assemblies' names.
    param(
        [Parameter(Mandatory)] [string[]] $Modes,
        [Parameter(Mandatory)] [scriptblock] $RunFile,
        [int] $Samples = 5
    )
    $rows = [Collections.Generic.List[object]]::new()
    foreach ($mode in $Modes) {
        Write-Host "    phases: $mode ($Samples samples)" -ForegroundColor DarkGray
        $runs = for ($s = 0; $s -le $Samples; $s++) {
            $marks = @(Read-BenchJson (& $RunFile @{ BENCH_PHASE_MODE = $mode }).Output)
            if ($s -eq 0) { continue }  # warm-up: disk cache, the peers' first request
            , $marks
        }
        $phases = [Collections.Generic.List[string]]::new()
        foreach ($m in $runs) { foreach ($p in $m | Select-Object -Skip 1) { if ($p.Phase -notin $phases) { $phases.Add($p.Phase) } } }
        foreach ($phase in $phases) {
            $d = foreach ($m in $runs) {
                for ($i = 1; $i -lt $m.Count; $i++) {
                    if ($m[$i].Phase -ne $phase) { continue }
                    [pscustomobject]@{
                        Ms = $m[$i].Ms - $m[$i - 1].Ms; Jit = $m[$i].Jit - $m[$i - 1].Jit; JitMs = $m[$i].JitMs - $m[$i - 1].JitMs
                        Assemblies = @($m[$i].Assemblies | Where-Object { $_ -notin $m[$i - 1].Assemblies })
                    }
                }
            }
            $d = @($d)
            $rows.Add([pscustomobject]@{
                    Mode = $mode; Phase = $phase; Samples = $d.Count
                    Ms = Get-BenchMedian ($d.Ms); Jit = Get-BenchMedian ($d.Jit); JitMs = Get-BenchMedian ($d.JitMs)
                    Assemblies = Get-BenchMedian ($d | ForEach-Object { $_.Assemblies.Count })
                    Names = @($d | ForEach-Object { $_.Assemblies } | Group-Object | Where-Object Count -ge ([math]::Ceiling($d.Count / 2)) | ForEach-Object Name)
                })
        }
    }
    $rows
}

function Format-BenchPhaseRows {
    # The per-phase table: import and the first Get once (the median over every mode's samples), then the
    # first Sync per mode.
    param([Parameter(Mandatory)] [object[]] $Rows)
    $md = [Collections.Generic.List[string]]::new()
    $md.Add('| Phase | median | methods JIT-compiled | JIT time | assemblies loaded | new assemblies (in most samples) |')
    $md.Add('|---|---:|---:|---:|---:|---|')
    $shared = @($Rows | Where-Object { $_.Phase -notlike 'first Sync:*' } | ForEach-Object Phase | Select-Object -Unique)
    foreach ($phase in $shared) {
        $all = @($Rows | Where-Object Phase -eq $phase)
        $names = @($all | ForEach-Object { $_.Names } | Group-Object | Where-Object Count -ge ([math]::Ceiling($all.Count / 2)) | ForEach-Object Name | Sort-Object)
        $md.Add(('| {0} | {1} | {2:N0} | {3} | {4:N0} | {5} |' -f $phase, (Format-Ms (Get-BenchMedian $all.Ms)), (Get-BenchMedian $all.Jit),
                (Format-Ms (Get-BenchMedian $all.JitMs)), (Get-BenchMedian $all.Assemblies), (Format-Cell ($names -join ', '))))
    }
    foreach ($r in $Rows | Where-Object { $_.Phase -like 'first Sync:*' }) {
        $md.Add(('| {0} | {1} | {2:N0} | {3} | {4:N0} | {5} |' -f $r.Phase, (Format-Ms $r.Ms), $r.Jit, (Format-Ms $r.JitMs), $r.Assemblies, (Format-Cell (($r.Names | Sort-Object) -join ', '))))
    }
    $md
}

function Get-BenchLoad {
    # The machine's load average (1, 5, 15 minutes) against its logical CPUs, where the OS tells it.
    if (Test-Path /proc/loadavg) {
        $l = (Get-Content /proc/loadavg -Raw).Split(' ')
        return 'load average {0} / {1} / {2} (1 / 5 / 15 min) on {3} logical CPUs' -f $l[0], $l[1], $l[2], [Environment]::ProcessorCount
    }
    'load average unknown'
}
