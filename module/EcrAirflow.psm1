# Loads the build of EcrAirflow.dll that fits this PowerShell: bin/net8.0 on PowerShell 7.4+ (Core),
# bin/netstandard2.0 on Windows PowerShell 5.1 (Desktop). Kept tiny: import cost is paid on every
# scheduled refresh. AWSSDK is not loaded here; EcrAirflow.dll loads it privately on first use.
# No -PassThru / $module.ExportedCmdlets round trip: measured in build.ps1 -Task Bench, that added about
# 45 ms to a cold import; Export-ModuleMember -Cmdlet * exports the same two cmdlets (and no function).
function Get-EcrAirflowAssemblyPath {
    param([string] $Edition = $PSEdition)
    $framework = if ($Edition -eq 'Core') { 'net8.0' } else { 'netstandard2.0' }
    [System.IO.Path]::Combine($PSScriptRoot, 'bin', $framework, 'EcrAirflow.dll')
}

Import-Module -Name (Get-EcrAirflowAssemblyPath) -ErrorAction Stop
Export-ModuleMember -Cmdlet *
