# Loads the build of EcrAirflow.dll that fits this PowerShell: bin/net8.0 on PowerShell 7.4+ (Core),
# bin/netstandard2.0 on Windows PowerShell 5.1 (Desktop). Kept tiny: import cost is paid on every
# scheduled refresh. AWSSDK is not loaded here; EcrAirflow.dll loads it privately on first use.
# No -PassThru / $module.ExportedCmdlets round trip: measured in build.ps1 -Task Bench, that added about
# 45 ms to a cold import; Export-ModuleMember -Cmdlet * exports the same two cmdlets (and no function).
# ECRAIRFLOW_FRAMEWORK=netstandard2.0 loads the Windows PowerShell 5.1 build on PowerShell 7 too: the same IL
# with its AssemblyResolve-based loading, which is how the test task runs every Pester suite against it.
# bin/net8.0/<rid>/ holds ReadyToRun images of the same assemblies (precompiled for win-x64, linux-x64 and
# osx-arm64, for the .NET 10 runtime of PowerShell 7.6+; older runtimes ignore their native code); any other
# platform or runtime loads the portable IL in bin/net8.0.
function Get-EcrAirflowAssemblyPath {
    param([string] $Edition = $PSEdition)
    if ($Edition -ne 'Core' -or $env:ECRAIRFLOW_FRAMEWORK -eq 'netstandard2.0') {
        return [System.IO.Path]::Combine($PSScriptRoot, 'bin', 'netstandard2.0', 'EcrAirflow.dll')
    }
    if ([System.Environment]::Version.Major -lt 10) { return [System.IO.Path]::Combine($PSScriptRoot, 'bin', 'net8.0', 'EcrAirflow.dll') }
    $os = if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
    $rid = $os + '-' + [System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture.ToString().ToLowerInvariant()
    $native = [System.IO.Path]::Combine($PSScriptRoot, 'bin', 'net8.0', $rid, 'EcrAirflow.dll')
    if ([System.IO.File]::Exists($native)) { return $native }
    [System.IO.Path]::Combine($PSScriptRoot, 'bin', 'net8.0', 'EcrAirflow.dll')
}

Import-Module -Name (Get-EcrAirflowAssemblyPath) -ErrorAction Stop
Export-ModuleMember -Cmdlet *
