# Loads the build of EcrAirflow.dll that fits this PowerShell: bin/net8.0 on PowerShell 7.4+ (Core),
# bin/netstandard2.0 on Windows PowerShell 5.1 (Desktop). Kept tiny: import cost is paid on every
# scheduled refresh. AWSSDK is not loaded here; EcrAirflow.dll loads it privately on first use.
function Get-EcrAirflowAssemblyPath {
    param([string] $Edition = $PSVersionTable.PSEdition)
    $framework = if ($Edition -eq 'Core') { 'net8.0' } else { 'netstandard2.0' }
    [System.IO.Path]::Combine($PSScriptRoot, 'bin', $framework, 'EcrAirflow.dll')
}

$module = Import-Module -Name (Get-EcrAirflowAssemblyPath) -PassThru -ErrorAction Stop
Export-ModuleMember -Cmdlet ([string[]] $module.ExportedCmdlets.Keys)
