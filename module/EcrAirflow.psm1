# Loads the build of EcrAirflow.dll that fits this PowerShell: bin/net8.0 on PowerShell 7.4+ (Core),
# bin/netstandard2.0 on Windows PowerShell 5.1 (Desktop). Kept tiny: import cost is paid on every
# scheduled refresh. AWSSDK is not loaded here; EcrAirflow.dll loads it privately on first use.
# No -PassThru / $module.ExportedCmdlets round trip: measured in build.ps1 -Task Bench, that added about
# 45 ms to a cold import; Export-ModuleMember -Cmdlet * exports the same two cmdlets (and no function).
# ECRAIRFLOW_FRAMEWORK=netstandard2.0 loads the Windows PowerShell 5.1 build on PowerShell 7 too: the same IL
# with its AssemblyResolve-based loading, which is how the test task runs every Pester suite against it.
function Get-EcrAirflowAssemblyPath {
    param([string] $Edition = $PSEdition)
    $framework = if ($Edition -eq 'Core' -and $env:ECRAIRFLOW_FRAMEWORK -ne 'netstandard2.0') { 'net8.0' } else { 'netstandard2.0' }
    [System.IO.Path]::Combine($PSScriptRoot, 'bin', $framework, 'EcrAirflow.dll')
}

Import-Module -Name (Get-EcrAirflowAssemblyPath) -ErrorAction Stop
Export-ModuleMember -Cmdlet *
