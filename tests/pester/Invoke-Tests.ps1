# Runs every Pester suite in this fresh pwsh, one file at a time, and writes {Passed, Failed, Skipped, Failures,
# SkippedTests} to -ResultPath. What a person reads: one line per suite while it runs; then each failure whole, with
# the file and line of its assertion; then every skipped test with its reason. What passing tests print (verbose and
# debug text, errors they provoke on purpose, Write-Host, -WhatIf lines) is not shown: it is the tests' business, not
# the reader's. The host writes some of it straight to the console, past any stream redirection, so each line meant
# for the reader starts with an ASCII record separator (U+001E): build.ps1 shows only those lines and keeps the rest
# in out/test-results/pester-<leg>-<host>.log.
param(
    [Parameter(Mandatory)] [string] $ResultPath,
    [string] $Filter = 'All'
)
$ErrorActionPreference = 'Stop'
# Windows PowerShell 5.1 has no $IsWindows/$IsLinux/$IsMacOS (PowerShell 6+ defines them, read-only): the
# suites test them to skip Unix-only cases, so give 5.1, which runs only on Windows, what they would say.
# Never set on PowerShell 7, where they are automatic variables.
if ($PSVersionTable.PSEdition -eq 'Desktop') {
    $global:IsWindows = $true; $global:IsLinux = $false; $global:IsMacOS = $false; $global:IsCoreCLR = $false
}
$pester = Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages/pester/6.2.0/tools/Pester.psd1'
if ($env:NUGET_PACKAGES) { $pester = Join-Path $env:NUGET_PACKAGES 'pester/6.2.0/tools/Pester.psd1' }
Import-Module $pester -Force
$ReaderMark = [string][char]0x1E
function Write-Reader([string] $Text, [ConsoleColor] $Color = [ConsoleColor]::Gray) { Write-Host ($ReaderMark + $Text) -ForegroundColor $Color }
$leg = if ($env:ECRAIRFLOW_FRAMEWORK) { " [$($env:ECRAIRFLOW_FRAMEWORK)]" } else { '' }

# Where an error points in the tests: an assertion's file and line, else the first frame outside Pester.
function Get-TestLocation($ErrorRecord) {
    $target = $ErrorRecord.TargetObject
    if ($target -and $target.PSObject.Properties['File'] -and $target.File) { return "$($target.File):$($target.Line)" }
    foreach ($frame in ("$($ErrorRecord.ScriptStackTrace)" -split "`n")) {
        if ($frame -match ', (?<file>.+): line (?<line>\d+)' -and $Matches.file -notmatch '[\\/]Pester\.[\w.]+$') { return "$($Matches.file):$($Matches.line)" }
    }
    if ($ErrorRecord.InvocationInfo -and $ErrorRecord.InvocationInfo.ScriptName) { return "$($ErrorRecord.InvocationInfo.ScriptName):$($ErrorRecord.InvocationInfo.ScriptLineNumber)" }
    '(location unknown)'
}

function Get-FullMessage($ErrorRecord) {
    $target = $ErrorRecord.TargetObject
    if ($target -and $target.PSObject.Properties['Message'] -and $target.Message) { return [string]$target.Message }
    [string]$ErrorRecord.Exception.Message
}

# 'All' rather than '*': pwsh on Unix would glob a bare * passed to a native command. Several prefixes: comma-separated.
$patterns = if ($Filter -eq 'All') { @('*.Tests.ps1') } else { @($Filter -split ',' | ForEach-Object { "$($_.Trim())*.Tests.ps1" }) }
$files = @($patterns | ForEach-Object { Get-ChildItem $PSScriptRoot -Filter $_ } | Sort-Object FullName -Unique)
$passed = 0; $failed = 0; $skipped = 0
$failures = [System.Collections.Generic.List[object]]::new()
$skips = [System.Collections.Generic.List[object]]::new()
foreach ($file in $files) {
    $config = New-PesterConfiguration
    $config.Run.Path = $file.FullName
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'None'
    $clock = [Diagnostics.Stopwatch]::StartNew()
    # Every stream but the result is dropped: what passing tests print is not the reader's.
    $result = Invoke-Pester -Configuration $config 2>$null 3>$null 4>$null 5>$null 6>$null
    $clock.Stop()
    $fileFailed = @($result.Tests | Where-Object Result -eq 'Failed').Count + $result.FailedBlocksCount + $result.FailedContainersCount
    $passed += $result.PassedCount; $failed += $fileFailed; $skipped += $result.SkippedCount
    foreach ($test in @($result.Tests | Where-Object Result -eq 'Failed')) {
        foreach ($e in @($test.ErrorRecord)) { $failures.Add([pscustomobject]@{ Name = "$($file.Name): $($test.ExpandedPath)"; Message = Get-FullMessage $e; At = Get-TestLocation $e }) }
    }
    foreach ($block in @($result.FailedBlocks) + @($result.FailedContainers)) {
        if (-not $block) { continue }
        foreach ($e in @($block.ErrorRecord)) { $failures.Add([pscustomobject]@{ Name = "$($file.Name): $(if ($block.PSObject.Properties['ExpandedPath']) { $block.ExpandedPath } else { 'the file itself' }) (setup)"; Message = Get-FullMessage $e; At = Get-TestLocation $e }) }
    }
    foreach ($test in @($result.Tests | Where-Object Result -eq 'Skipped')) {
        $because = @($test.ErrorRecord | ForEach-Object { [string]$_.Exception.Message -replace '^is skipped, because ', '' }) -join '; '
        if (-not $because) { $because = '-Skip: its condition does not hold on this system' }
        $skips.Add([pscustomobject]@{ Name = "$($file.Name): $($test.ExpandedPath)"; Reason = $because })
    }
    $mark, $color = if ($fileFailed -gt 0) { '[-]', 'Red' } else { '[+]', 'Green' }
    $counts = "$($result.PassedCount) passed" + $(if ($fileFailed) { ", $fileFailed failed" } else { '' }) + $(if ($result.SkippedCount) { ", $($result.SkippedCount) skipped" } else { '' })
    Write-Reader ("{0} {1}{2}: {3} ({4:0.0} s)" -f $mark, $file.Name, $leg, $counts, $clock.Elapsed.TotalSeconds) $color
}

foreach ($f in $failures) {
    Write-Reader ''
    Write-Reader "FAILED $($f.Name)" Red
    Write-Reader "  at $($f.At)"
    foreach ($line in ($f.Message -split "`r?`n")) { Write-Reader "  $line" }
}

[pscustomobject]@{ Passed = $passed; Failed = $failed; Skipped = $skipped; Failures = @($failures); SkippedTests = @($skips) } |
    ConvertTo-Json -Depth 4 | Set-Content -LiteralPath $ResultPath
