# Runs every Pester suite in this fresh pwsh and writes {Passed, Failed, Skipped} to -ResultPath.
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
$config = New-PesterConfiguration
# 'All' rather than '*': pwsh on Unix would glob a bare * passed to a native command.
$pattern = if ($Filter -eq 'All') { '*.Tests.ps1' } else { "$Filter*.Tests.ps1" }
$config.Run.Path = @(Get-ChildItem $PSScriptRoot -Filter $pattern | ForEach-Object FullName)
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Normal'
$result = Invoke-Pester -Configuration $config
[pscustomobject]@{ Passed = $result.PassedCount; Failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount; Skipped = $result.SkippedCount } |
    ConvertTo-Json | Set-Content -LiteralPath $ResultPath
