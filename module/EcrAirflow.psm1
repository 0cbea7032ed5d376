# Loads the build of EcrAirflow.dll that fits this PowerShell: bin/net8.0 on PowerShell 7.4+ (Core),
# bin/netstandard2.0 on Windows PowerShell 5.1 (Desktop). Kept tiny: import cost is paid on every
# scheduled refresh.
$edition = if ($PSVersionTable.PSEdition -eq 'Core') { 'net8.0' } else { 'netstandard2.0' }
$assembly = [System.IO.Path]::Combine($PSScriptRoot, 'bin', $edition, 'EcrAirflow.dll')
$module = Import-Module -Name $assembly -PassThru -ErrorAction Stop
Export-ModuleMember -Cmdlet ([string[]] $module.ExportedCmdlets.Keys)
