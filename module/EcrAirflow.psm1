# Loads the build of EcrAirflow.dll that fits this PowerShell: bin/net8.0 on PowerShell 7.4+ (Core),
# bin/netstandard2.0 on Windows PowerShell 5.1 (Desktop). AWSSDK is not loaded here; EcrAirflow.dll loads it
# privately on first use. ECRAIRFLOW_FRAMEWORK=netstandard2.0 loads the Windows PowerShell 5.1 build on
# PowerShell 7 too: the same IL with its AssemblyResolve-based loading, which is how the test task runs every
# Pester suite against it.
# bin/net8.0/<rid>/ holds ReadyToRun images of the same assemblies, precompiled for win-x64, linux-x64 and
# osx-arm64 for the .NET 10 runtime of PowerShell 7.6+ (older runtimes ignore their native code); any other
# platform or runtime loads the portable IL in bin/net8.0.
# Import cost is paid on every scheduled refresh, so this does as little as it can (build.ps1 -Task Bench,
# issue 15): no function, no Export-ModuleMember (the binary module's cmdlets are exported by default and the
# manifest's CmdletsToExport names them), no file-system probe (the build makes exactly these folders), and
# only automatic variables plus two .NET property reads: each extra .NET call or cmdlet here was measured at
# several milliseconds of CPU in a cold process. A manifest whose RootModule is the DLL itself costs less
# still, but one manifest must serve both editions and cannot choose between two DLLs.
$bin = "$PSScriptRoot/bin/net8.0"
if ($PSEdition -ne 'Core' -or $env:ECRAIRFLOW_FRAMEWORK -eq 'netstandard2.0') { $bin = "$PSScriptRoot/bin/netstandard2.0" }
elseif ([System.Environment]::Version.Major -ge 10) {
    $arch = [System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture
    if ($arch -eq 'X64') { if ($IsWindows) { $bin += '/win-x64' } elseif ($IsLinux) { $bin += '/linux-x64' } }
    elseif ($arch -eq 'Arm64' -and $IsMacOS) { $bin += '/osx-arm64' }
}
Import-Module "$bin/EcrAirflow.dll" -ErrorAction Stop
