<#
.SYNOPSIS
    Builds, tests and stages the EcrAirflow module.
.DESCRIPTION
    Tasks:
      Build  - compiles the module (net8.0 for PowerShell 7.4+, netstandard2.0 for Windows PowerShell 5.1)
               and stages it as an installed module under out/EcrAirflow/<version>/; builds the test peers.
      Test   - Build, then runs xunit and Pester against real peers (moto with SigV4 checking, the Airflow
               API emulator, the stand-in airflow CLI, the MWAA peer, squid); Pester runs twice, against the
               net8.0 build and against the netstandard2.0 build (-Framework picks one). Ends with one line
               "N passed, N failed".
      Package- Build, then publishes the staged module with Publish-PSResource into the local file
               repository out/repo/ (out/repo/EcrAirflow.<version>.nupkg).
      Demo   - Build, then runs Get-EcrDockerCredential | Sync-AirflowEcrConnection in every mode against moto,
               the MWAA peer and the Airflow API emulator (Airflow 2 and 3) on loopback, printing each command
               (secrets as variables) before its result, and ends with the command for your own Airflow.
      Bench  - Build, then benchmarks (build/Bench.ps1, BenchCold.ps1, BenchCounts.ps1, BenchSoak.ps1): cold
               import, Get and Get | Sync as ratios to bare pwsh and to a floor module making the same requests
               (built into out/bench-floor, never shipped), per-phase JIT and assembly figures, the ECR half vs
               the AWS CLI and boto3, warm per-iteration latency, requests per run counted at the peers for
               every mode (Sync, Sync -SkipIfValidFor, Test), scale, and a soak of -BenchSoakMinutes (2-minute
               tokens, a refresh every 10 s, Test every 2 s); prints a table and writes out/bench.md (the counts
               also to out/bench.json) and the "Latest run" section of docs/performance.md. Not part of Test.
               -BenchBefore <psd1> adds another build's cold rows to the same rounds (a change's before and
               after); -BenchColdOnly measures only the cold rows and phases, -BenchCountsOnly only the request counts
               and the soak.
      Peers  - Build, then starts the local peers on 127.0.0.1 for trying the module by hand (moto with 12-hour
               ECR tokens, the Airflow 2 and 3 emulators, the MWAA peer), prints the environment variables and
               parameters to use, and stops them on Ctrl+C (build/Peers.ps1).
      Clean  - removes out/ and every bin/ and obj/ folder.
    The version comes from EcrAirflow.psd1 and nowhere else. The staged manifest's ReleaseNotes are CHANGELOG.md's
    section for that version (the build fails without one); LICENSE and CHANGELOG.md ship beside the manifest.
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Clean', 'Package', 'Demo', 'Bench', 'Peers')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Run only Pester files whose name starts with this, or with one of several comma-separated prefixes
    # (development convenience; All = every file).
    [string] $PesterFilter = 'All',

    # Which build the Pester suites import: both (the default, as CI runs them), or one of them. The
    # netstandard2.0 build is what Windows PowerShell 5.1 loads; here it runs on PowerShell 7.
    [ValidateSet('All', 'net8.0', 'netstandard2.0')]
    [string] $Framework = 'All',

    # The PowerShell that runs the Pester suites: pwsh (the .NET tool), or WindowsPowerShell (powershell.exe
    # 5.1, Windows only: the netstandard2.0 build on the .NET Framework runtime; used by the Windows CI job).
    [ValidateSet('pwsh', 'WindowsPowerShell')]
    [string] $PesterHost = 'pwsh',

    # Wall-clock limit per Pester leg in -Task Test; a leg that runs longer is stopped and counts as failed.
    [ValidateRange(1, 600)]
    [int] $LegTimeoutMinutes = 30,

    # Counted rounds per cold comparison and runs per warm scale case in -Task Bench (at least 10; 20 by
    # default, the alternating pairs the cold rows need to hold their order on a shared machine).
    [ValidateRange(10, 1000)]
    [int] $BenchRuns = 20,

    # The soak in -Task Bench: how long it runs, and whether each refresh is a fresh pwsh (PerRun, as a
    # scheduler starts it) or all run in one long-lived session (Session).
    [ValidateRange(1, 120)]
    [int] $BenchSoakMinutes = 10,
    [ValidateSet('PerRun', 'Session')]
    [string] $BenchSoakRefresh = 'PerRun',

    # -Task Bench: another build of the module (its staged .psd1, e.g. main's out/EcrAirflow/<version>/), measured
    # in the same alternating cold rounds as this one, for a change's before and after.
    [string] $BenchBefore,

    # -Task Bench: only the cold rows and the per-phase figures (a few minutes; the page keeps the last full run).
    [switch] $BenchColdOnly,

    # -Task Bench: only what is counted, not timed: the requests per run (rows 4, 4b, 4c) and the soak (row 7).
    [switch] $BenchCountsOnly
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
. (Join-Path $Root 'build/Manifest.ps1')
$Manifest = Read-ModuleManifest (Join-Path $Root 'EcrAirflow.psd1')
$Version = $Manifest.ModuleVersion
$ModuleDir = Join-Path $Out "EcrAirflow/$Version"
. (Join-Path $Root 'tests/peers/Peers.ps1')
. (Join-Path $Root 'build/Help.ps1')
. (Join-Path $Root 'build/Demo.ps1')
. (Join-Path $Root 'build/Peers.ps1')
. (Join-Path $Root 'build/Bench.ps1')
. (Join-Path $Root 'build/ReadyToRun.ps1')

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE" }
}

# The body of CHANGELOG.md's section for a version: the lines after its heading "## [<version>]" up to the
# next "## " heading, blank lines at either end trimmed. Throws when there is no such section or it is empty.
function Get-ChangelogSection([string] $Path, [string] $Version) {
    if (-not (Test-Path -LiteralPath $Path)) { throw "$Path is missing: the build writes its section for $Version into the manifest's ReleaseNotes." }
    $lines = [IO.File]::ReadAllLines($Path)
    $heading = '^## \[' + [regex]::Escape($Version) + '\](\s|$)'
    $start = -1
    for ($i = 0; $i -lt $lines.Count; $i++) { if ($lines[$i] -match $heading) { $start = $i; break } }
    if ($start -lt 0) { throw "CHANGELOG.md has no section '## [$Version] - <date>' for the manifest's ModuleVersion $Version; add it before building (build.ps1 copies it into the staged manifest's ReleaseNotes)." }
    $body = [Collections.Generic.List[string]]::new()
    for ($i = $start + 1; $i -lt $lines.Count -and $lines[$i] -notmatch '^## '; $i++) { $body.Add($lines[$i].TrimEnd()) }
    $text = ($body -join "`n").Trim()
    if (-not $text) { throw "CHANGELOG.md's section '## [$Version]' is empty; describe the release there before building." }
    $text
}

# Staged manifest: the source manifest with its one ReleaseNotes line replaced by the changelog section, as a
# single-quoted string (' doubled), written with a BOM so Windows PowerShell 5.1 reads it as UTF-8.
function Write-StagedManifest([string] $Source, [string] $Destination, [string] $ReleaseNotes) {
    $text = [IO.File]::ReadAllText($Source)
    $pattern = "(?m)^(?<indent>[ \t]*)ReleaseNotes[ \t]*=[ \t]*'(?:[^']|'')*'[ \t]*\r?$"
    $found = [regex]::Matches($text, $pattern)
    if ($found.Count -ne 1) { throw "$Source must have exactly one line ReleaseNotes = '...' in PrivateData.PSData (found $($found.Count)); build.ps1 replaces it with CHANGELOG.md's section." }
    $quoted = "'" + $ReleaseNotes.Replace("'", "''") + "'"
    $m = $found[0]
    $text = $text.Substring(0, $m.Index) + $m.Groups['indent'].Value + 'ReleaseNotes = ' + $quoted + $text.Substring($m.Index + $m.Length)
    [IO.File]::WriteAllText($Destination, $text, [Text.UTF8Encoding]::new($true))
    $staged = Read-ModuleManifest -Path $Destination
    if ($staged.PrivateData.PSData.ReleaseNotes -cne $ReleaseNotes) { throw "The staged manifest's ReleaseNotes do not read back as CHANGELOG.md's section." }
}

function Invoke-Build {
    Write-Host "Building EcrAirflow $Version ($Configuration)" -ForegroundColor Cyan
    Invoke-Dotnet build (Join-Path $Root 'EcrAirflow.sln') -c $Configuration -nologo -v quiet "-p:Version=$Version"

    if (Test-Path $ModuleDir) { Remove-Item $ModuleDir -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $ModuleDir -Force
    $notes = Get-ChangelogSection -Path (Join-Path $Root 'CHANGELOG.md') -Version $Version
    Write-StagedManifest -Source (Join-Path $Root 'EcrAirflow.psd1') -Destination (Join-Path $ModuleDir 'EcrAirflow.psd1') -ReleaseNotes $notes
    # Shipped beside the manifest (and so in the nupkg): the licence the manifest names, and the changelog.
    foreach ($doc in 'LICENSE', 'CHANGELOG.md') { Copy-Item (Join-Path $Root $doc) $ModuleDir }
    Get-ChildItem (Join-Path $Root 'module') -File | Copy-Item -Destination $ModuleDir
    foreach ($dir in Get-ChildItem (Join-Path $Root 'module') -Directory | Where-Object Name -ne 'help-src') {
        Copy-Item $dir.FullName -Destination $ModuleDir -Recurse
    }
    # bin/<tfm>/EcrAirflow.dll is the manifest's RootModule (the cmdlets as PowerShell sees them at import);
    # bin/<tfm>/EcrAirflow.Core.dll is what they do, loaded on first use; bin/<tfm>/deps/ holds EcrAirflow.Aws.dll
    # and AWSSDK.* (plus, on netstandard2.0, the BCL polyfills), loaded privately after that.
    $ours = @('EcrAirflow.dll', 'EcrAirflow.Core.dll', 'System.Management.Automation.dll')
    foreach ($tfm in 'net8.0', 'netstandard2.0') {
        $rootBin = Join-Path $Root "src/EcrAirflow/bin/$Configuration/$tfm"
        $core = Join-Path $Root "src/EcrAirflow.Core/bin/$Configuration/$tfm"
        $aws = Join-Path $Root "src/EcrAirflow.Aws/bin/$Configuration/$tfm"
        $to = Join-Path $ModuleDir "bin/$tfm"
        $deps = Join-Path $to 'deps'
        $null = New-Item -ItemType Directory -Path $deps -Force
        Copy-Item (Join-Path $rootBin 'EcrAirflow.dll') $to
        Copy-Item (Join-Path $core 'EcrAirflow.Core.dll') $to
        if ($tfm -eq 'netstandard2.0') {
            # System.Text.Json and friends for Windows PowerShell 5.1, beside EcrAirflow.Core.dll.
            Get-ChildItem $core -Filter *.dll | Where-Object Name -notin $ours | Copy-Item -Destination $to
        }
        Get-ChildItem $aws -Filter *.dll | Where-Object Name -notin $ours | Copy-Item -Destination $deps
    }
    # bin/net8.0/<rid>/: ReadyToRun images of what a cold Get | Sync loads, for win-x64, linux-x64, osx-arm64
    # (build/ReadyToRun.ps1); the portable IL above stays the fallback everywhere else.
    Add-ReadyToRunImages -Net8Directory (Join-Path $ModuleDir 'bin/net8.0') -WorkDirectory (Join-Path $Out 'r2r-tools')
    # MAML help generated from module/help-src and checked against the cmdlets' real parameters.
    $maml = Join-Path $ModuleDir 'en-US/EcrAirflow.dll-Help.xml'
    Build-MamlHelp -SourceDirectory (Join-Path $Root 'module/help-src') -ModuleManifest (Join-Path $ModuleDir 'EcrAirflow.psd1') -OutputFile $maml -CodeDirectory (Join-Path $Root 'src/EcrAirflow.Core')
    # One help topic per mode (about_EcrAirflow_<Mode>), from the About entry of the mode's help source.
    Build-ModeAboutTopics -ModuleManifest (Join-Path $ModuleDir 'EcrAirflow.psd1') -CodeDirectory (Join-Path $Root 'src/EcrAirflow.Core') `
        -CmdletHelpSource (Join-Path $Root 'module/help-src/Sync-AirflowEcrConnection.psd1') -OutputDirectory (Join-Path $ModuleDir 'en-US')
    # Beside each EcrAirflow.dll too (the MAML help file is named after the DLL that holds the cmdlets).
    foreach ($tfm in 'net8.0', 'netstandard2.0') {
        $null = New-Item -ItemType Directory (Join-Path $ModuleDir "bin/$tfm/en-US") -Force
        Copy-Item $maml (Join-Path $ModuleDir "bin/$tfm/en-US")
    }
    Write-Host "Staged $ModuleDir"
}

function Invoke-Package {
    $repo = Join-Path $Out 'repo'
    if (Test-Path $repo) { Remove-Item $repo -Recurse -Force }
    $null = New-Item -ItemType Directory $repo
    $name = 'EcrAirflowBuild-' + [guid]::NewGuid().ToString('n')
    Register-PSResourceRepository -Name $name -Uri $repo -Trusted
    try {
        Publish-PSResource -Path $ModuleDir -Repository $name -ErrorAction Stop
    }
    finally {
        Unregister-PSResourceRepository -Name $name
    }
    Write-Host "Packaged $(Get-ChildItem $repo -Filter *.nupkg | ForEach-Object FullName)"
}

# Runs a child process on this console (its output streams through) and stops it, with every process it
# started, when it runs longer than -Minutes: one hung test must not take the whole CI run past its limit.
# Returns the exit code, or $null when the child was stopped.
function Invoke-Bounded([string] $FileName, [string[]] $Arguments, [int] $Minutes, [string] $LogPath) {
    # With -LogPath: everything the child prints goes to that file, and only its lines that start with U+001E (what
    # tests/pester/Invoke-Tests.ps1 means for the reader) are shown, without the mark.
    $psi = [System.Diagnostics.ProcessStartInfo]::new($FileName)
    foreach ($a in $Arguments) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = [bool]$LogPath
    $psi.RedirectStandardError = [bool]$LogPath
    $deadline = [DateTime]::UtcNow.AddMinutes($Minutes)
    $p = [System.Diagnostics.Process]::Start($psi)
    try {
        if ($LogPath) {
            $log = [IO.StreamWriter]::new($LogPath)
            try {
                $errors = $p.StandardError.ReadToEndAsync()
                $next = $p.StandardOutput.ReadLineAsync()
                $exitedAt = $null
                while ([DateTime]::UtcNow -lt $deadline) {
                    if ($next.Wait(500)) {
                        $line = $next.Result
                        if ($null -eq $line) { break }
                        $log.WriteLine($line)
                        $at = $line.IndexOf([char]0x1E)
                        if ($at -ge 0) {
                            $text = $line.Substring($at + 1) -replace "`e\[[0-9;]*m", ''
                            $color = if ($text -match '^(\[-\]|FAILED )') { 'Red' } elseif ($text -match '^\[\+\]') { 'Green' } else { 'Gray' }
                            Write-Host $text -ForegroundColor $color
                        }
                        $next = $p.StandardOutput.ReadLineAsync()
                        continue
                    }
                    # A process the tests left behind may hold the pipe open after the runner has ended.
                    if ($p.HasExited) { if (-not $exitedAt) { $exitedAt = [DateTime]::UtcNow } elseif (([DateTime]::UtcNow - $exitedAt).TotalSeconds -gt 10) { break } }
                }
                if ($errors.Wait(5000)) { $log.Write($errors.Result) }
            }
            finally { $log.Dispose() }
        }
        $left = [int][Math]::Max(0, ($deadline - [DateTime]::UtcNow).TotalMilliseconds)
        if ($p.WaitForExit($left)) { $p.WaitForExit(); return $p.ExitCode }
        $p.Kill($true)
        $null = $p.WaitForExit(30000)
        return $null
    }
    finally { $p.Dispose() }
}

function Get-TrxCounts([string] $Path) {
    [xml] $trx = Get-Content -LiteralPath $Path -Raw
    $c = $trx.TestRun.ResultSummary.Counters
    # Skipped facts, each with the reason the test gave ([OnlyOnFact] and Skip = "…").
    $skips = foreach ($r in @($trx.TestRun.Results.UnitTestResult | Where-Object outcome -eq 'NotExecuted')) {
        $reason = if ($r.Output -and $r.Output.ErrorInfo -and $r.Output.ErrorInfo.Message) { [string]$r.Output.ErrorInfo.Message } else { 'skipped' }
        [pscustomobject]@{ Name = "xunit: $($r.testName)"; Reason = $reason.Trim() }
    }
    [pscustomobject]@{ Passed = [int]$c.passed; Failed = [int]$c.failed + [int]$c.error + [int]$c.timeout + [int]$c.aborted; Skipped = [math]::Max([int]$c.notExecuted, @($skips).Count); SkippedTests = @($skips) }
}

# The module the netstandard2.0 leg imports on PowerShell 7: a copy of the staged one whose manifest names the
# Desktop branch of RootModule (bin/netstandard2.0/EcrAirflow.dll) outright, which is what Windows PowerShell 5.1
# reads in the real manifest ($PSEdition is Desktop there, and nothing else may choose). Everything else is the
# staged files, so the leg runs the 5.1 build's root, its CoreLink and resolver, its core and its deps.
function New-DesktopLegModule([string] $Destination) {
    if (Test-Path -LiteralPath $Destination) { Remove-Item -LiteralPath $Destination -Recurse -Force }
    $null = New-Item -ItemType Directory -Path (Split-Path $Destination) -Force
    Copy-Item -LiteralPath $ModuleDir -Destination $Destination -Recurse
    $manifest = Join-Path $Destination 'EcrAirflow.psd1'
    $root = Get-ManifestRootModule $manifest
    $text = [IO.File]::ReadAllText($manifest)
    $text = $text.Substring(0, $root.Extent.StartOffset) + "'" + $root.Desktop + "'" + $text.Substring($root.Extent.EndOffset)
    [IO.File]::WriteAllText($manifest, $text, [Text.UTF8Encoding]::new($true))
    if ((Read-ModuleManifest $manifest).RootModule -ne $root.Desktop) { throw "The netstandard2.0 leg's manifest does not name $($root.Desktop)." }
    $manifest
}

function Invoke-Test {
    $results = Join-Path $Out 'test-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $results -Force
    Invoke-Dotnet restore (Join-Path $Root 'tests/tools/tools.csproj') -nologo -v quiet

    $moto = Start-MotoPeer -WorkDirectory $results
    $env:ECRAIRFLOW_TEST_MOTO = $moto.InfoPath
    $env:ECRAIRFLOW_TEST_MOTO_LOG = $moto.RequestLog
    $env:ECRAIRFLOW_TEST_MODULE = Join-Path $ModuleDir 'EcrAirflow.psd1'
    # The manifest as it ships, whichever leg runs (the netstandard2.0 leg imports a copy, see New-DesktopLegModule).
    $env:ECRAIRFLOW_TEST_STAGED = Join-Path $ModuleDir 'EcrAirflow.psd1'
    $env:ECRAIRFLOW_TEST_ROOT = $Root
    $env:ECRAIRFLOW_TEST_REPO = Join-Path $Out 'repo'
    $script:PesterLegs = @()
    $skippedTests = [System.Collections.Generic.List[object]]::new()
    $xunit = [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }
    $pester = [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }
    try {
        Write-Host 'Running xunit' -ForegroundColor Cyan
        $trx = Join-Path $results 'xunit.trx'
        & dotnet test (Join-Path $Root 'tests/EcrAirflow.Tests/EcrAirflow.Tests.csproj') -c $Configuration --no-build --nologo `
            --logger "trx;LogFileName=$trx" --logger 'console;verbosity=minimal' --results-directory $results
        if (Test-Path $trx) { $xunit = Get-TrxCounts $trx; foreach ($t in $xunit.SkippedTests) { $skippedTests.Add($t) } } else { Write-Warning 'xunit wrote no results.' }

        $legs = if ($PesterHost -eq 'WindowsPowerShell') { @('netstandard2.0') } elseif ($Framework -eq 'All') { 'net8.0', 'netstandard2.0' } else { @($Framework) }
        $pester = [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0 }
        $script:PesterLegs = @()
        foreach ($leg in $legs) {
            Write-Host "Running Pester in a fresh $PesterHost against the $leg build" -ForegroundColor Cyan
            $pesterJson = Join-Path $results "pester-$leg-$PesterHost.json"
            # ECRAIRFLOW_FRAMEWORK tells the suites which build this leg runs (for what only one build can do).
            $env:ECRAIRFLOW_FRAMEWORK = $leg
            $env:ECRAIRFLOW_TEST_MODULE = if ($leg -eq 'netstandard2.0' -and $PesterHost -eq 'pwsh') {
                New-DesktopLegModule (Join-Path $Out "test-legs/netstandard2.0/EcrAirflow/$Version")
            } else { Join-Path $ModuleDir 'EcrAirflow.psd1' }
            try {
                $runner = Join-Path $Root 'tests/pester/Invoke-Tests.ps1'
                # Windows PowerShell 5.1 loads the netstandard2.0 build by itself ($PSEdition Desktop).
                $exe, $pre = if ($PesterHost -eq 'WindowsPowerShell') { 'powershell.exe', @('-ExecutionPolicy', 'Bypass') } else { 'dotnet', @('pwsh') }
                $code = Invoke-Bounded -FileName $exe -Arguments ($pre + @('-NoProfile', '-NonInteractive', '-File', $runner, '-ResultPath', $pesterJson, '-Filter', "$PesterFilter")) -Minutes $LegTimeoutMinutes -LogPath (Join-Path $results "pester-$leg-$PesterHost.log")
                if ($code -eq $null) { Write-Warning "Pester ($leg) ran longer than $LegTimeoutMinutes minutes and was stopped; its results are lost and the leg counts as failed."; Remove-Item -LiteralPath $pesterJson -ErrorAction SilentlyContinue }
            }
            finally { Remove-Item Env:ECRAIRFLOW_FRAMEWORK -ErrorAction SilentlyContinue }
            $one = if (Test-Path $pesterJson) { Get-Content $pesterJson -Raw | ConvertFrom-Json } else { Write-Warning "Pester ($leg) wrote no results."; [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0; SkippedTests = @() } }
            foreach ($t in @($one.SkippedTests)) { if ($t) { $skippedTests.Add([pscustomobject]@{ Name = "Pester ($leg): $($t.Name)"; Reason = $t.Reason }) } }
            $script:PesterLegs += "Pester ($leg): $($one.Passed) passed, $($one.Failed) failed, $($one.Skipped) skipped"
            $pester = [pscustomobject]@{ Passed = $pester.Passed + $one.Passed; Failed = $pester.Failed + $one.Failed; Skipped = $pester.Skipped + $one.Skipped }
        }
    }
    finally {
        Stop-Peer $moto
        Remove-Item Env:ECRAIRFLOW_TEST_MOTO -ErrorAction SilentlyContinue
    }

    $passed = $xunit.Passed + $pester.Passed
    $failed = $xunit.Failed + $pester.Failed
    $skipped = $xunit.Skipped + $pester.Skipped
    if ($skippedTests.Count) {
        Write-Host ''
        Write-Host "Skipped ($($skippedTests.Count)), each with its reason:"
        foreach ($t in $skippedTests) { Write-Host "  $($t.Name) - $($t.Reason)" }
    }
    Write-Host ''
    foreach ($line in $script:PesterLegs) { Write-Host $line }
    Write-Host "Everything the Pester suites printed: $(Join-Path $results 'pester-*.log')"
    Write-Host ("xunit: {0} passed, {1} failed, {2} skipped; Pester: {3} passed, {4} failed, {5} skipped" -f $xunit.Passed, $xunit.Failed, $xunit.Skipped, $pester.Passed, $pester.Failed, $pester.Skipped)
    Write-Host "$passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0 -or $passed -eq 0) { exit 1 }
}

function Invoke-Clean {
    if (Test-Path $Out) { Remove-Item $Out -Recurse -Force }
    Get-ChildItem $Root -Directory -Recurse -Include bin, obj | Where-Object FullName -notmatch '[\\/]\.git[\\/]' |
        Remove-Item -Recurse -Force
}

foreach ($t in $Task) {
    switch ($t) {
        'Clean' { Invoke-Clean }
        'Build' { Invoke-Build }
        'Package' { Invoke-Build; Invoke-Package }
        'Peers' { Invoke-Build; Invoke-Peers -ModuleManifest (Join-Path $ModuleDir 'EcrAirflow.psd1') -WorkDirectory (Join-Path $Out 'peers') }
        'Demo' { Invoke-Build; Invoke-Demo -ModuleManifest (Join-Path $ModuleDir 'EcrAirflow.psd1') -WorkDirectory (Join-Path $Out 'demo') }
        'Test' { Invoke-Build; Invoke-Package; Invoke-Test }
        'Bench' { Invoke-Build; Invoke-Bench -ModuleManifest (Join-Path $ModuleDir 'EcrAirflow.psd1') -OutFile (Join-Path $Out 'bench.md') -DocsFile (Join-Path $Root 'docs/performance.md') -Configuration $Configuration -Runs $BenchRuns -SoakMinutes $BenchSoakMinutes -SoakRefresh $BenchSoakRefresh -BeforeModule $BenchBefore -ColdOnly:$BenchColdOnly -CountsOnly:$BenchCountsOnly }
    }
}
