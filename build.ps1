<#
.SYNOPSIS
    Builds, tests and stages the EcrAirflow module.
.DESCRIPTION
    Tasks:
      Build  - compiles the module (net8.0 for PowerShell 7.4+, netstandard2.0 for Windows PowerShell 5.1)
               and stages it as an installed module under out/EcrAirflow/<version>/; builds the test peers.
      Test   - Build, then runs xunit and Pester against real peers (moto with SigV4 checking, the Airflow
               API emulator, the stand-in airflow CLI) and ends with one line "N passed, N failed".
      Clean  - removes out/ and every bin/ and obj/ folder.
    The version comes from EcrAirflow.psd1 and nowhere else.
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Clean')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Run only Pester files whose name matches this (development convenience).
    [string] $PesterFilter = '*'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$Manifest = Import-PowerShellDataFile (Join-Path $Root 'EcrAirflow.psd1')
$Version = $Manifest.ModuleVersion
$ModuleDir = Join-Path $Out "EcrAirflow/$Version"
. (Join-Path $Root 'tests/peers/Peers.ps1')

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE" }
}

function Invoke-Build {
    Write-Host "Building EcrAirflow $Version ($Configuration)" -ForegroundColor Cyan
    Invoke-Dotnet build (Join-Path $Root 'EcrAirflow.sln') -c $Configuration -nologo -v quiet "-p:Version=$Version"

    if (Test-Path $ModuleDir) { Remove-Item $ModuleDir -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $ModuleDir -Force
    Copy-Item (Join-Path $Root 'EcrAirflow.psd1') $ModuleDir
    Get-ChildItem (Join-Path $Root 'module') -File | Copy-Item -Destination $ModuleDir
    foreach ($dir in Get-ChildItem (Join-Path $Root 'module') -Directory) {
        Copy-Item $dir.FullName -Destination $ModuleDir -Recurse
    }
    foreach ($tfm in 'net8.0', 'netstandard2.0') {
        $from = Join-Path $Root "src/EcrAirflow/bin/$Configuration/$tfm"
        $to = Join-Path $ModuleDir "bin/$tfm"
        $null = New-Item -ItemType Directory -Path $to -Force
        # Ship the assemblies only: no pdb/deps.json noise, and never PowerShell's own reference assembly.
        Get-ChildItem $from -Filter *.dll | Where-Object Name -ne 'System.Management.Automation.dll' |
            Copy-Item -Destination $to
    }
    Write-Host "Staged $ModuleDir"
}

function Get-TrxCounts([string] $Path) {
    [xml] $trx = Get-Content -LiteralPath $Path -Raw
    $c = $trx.TestRun.ResultSummary.Counters
    [pscustomobject]@{ Passed = [int]$c.passed; Failed = [int]$c.failed + [int]$c.error + [int]$c.timeout + [int]$c.aborted; Skipped = [int]$c.notExecuted }
}

function Invoke-Test {
    $results = Join-Path $Out 'test-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $results -Force
    Invoke-Dotnet restore (Join-Path $Root 'tests/tools/tools.csproj') -nologo -v quiet

    $moto = Start-MotoPeer -WorkDirectory $results
    $env:ECRAIRFLOW_TEST_MOTO = $moto.InfoPath
    $env:ECRAIRFLOW_TEST_MODULE = Join-Path $ModuleDir 'EcrAirflow.psd1'
    $env:ECRAIRFLOW_TEST_ROOT = $Root
    $xunit = [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }
    $pester = [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }
    try {
        Write-Host 'Running xunit' -ForegroundColor Cyan
        $trx = Join-Path $results 'xunit.trx'
        & dotnet test (Join-Path $Root 'tests/EcrAirflow.Tests/EcrAirflow.Tests.csproj') -c $Configuration --no-build --nologo `
            --logger "trx;LogFileName=$trx" --logger 'console;verbosity=minimal' --results-directory $results
        if (Test-Path $trx) { $xunit = Get-TrxCounts $trx } else { Write-Warning 'xunit wrote no results.' }

        Write-Host 'Running Pester in a fresh pwsh' -ForegroundColor Cyan
        $pesterJson = Join-Path $results 'pester.json'
        & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tests/pester/Invoke-Tests.ps1') -ResultPath $pesterJson -Filter "$PesterFilter" # quoted: pwsh on Unix globs a bare * for native commands
        if (Test-Path $pesterJson) { $pester = Get-Content $pesterJson -Raw | ConvertFrom-Json } else { Write-Warning 'Pester wrote no results.' }
    }
    finally {
        Stop-Peer $moto
        Remove-Item Env:ECRAIRFLOW_TEST_MOTO -ErrorAction SilentlyContinue
    }

    $passed = $xunit.Passed + $pester.Passed
    $failed = $xunit.Failed + $pester.Failed
    Write-Host ("xunit: {0} passed, {1} failed; Pester: {2} passed, {3} failed" -f $xunit.Passed, $xunit.Failed, $pester.Passed, $pester.Failed)
    Write-Host "$passed passed, $failed failed"
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
        'Test' { Invoke-Build; Invoke-Test }
    }
}
