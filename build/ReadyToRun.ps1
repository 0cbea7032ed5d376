# ReadyToRun images for build.ps1 (issue 15): precompiled native code for the assemblies a cold
# Get-EcrDockerCredential | Sync-AirflowEcrConnection loads, so PowerShell 7.4+ JIT-compiles less of them.
# Dot-sourced by build.ps1.
#
# Layout of the staged module (bin/net8.0 is what PowerShell 7.4+ loads; the manifest names bin/net8.0/EcrAirflow.dll):
#   bin/net8.0/EcrAirflow.dll                             the root: portable IL, everywhere (the manifest can
#                                                         choose a file only by $PSEdition, not by platform)
#   bin/net8.0/EcrAirflow.Core.dll, bin/net8.0/deps/*     portable IL: every platform, every file
#   bin/net8.0/<rid>/EcrAirflow.Core.dll, bin/net8.0/<rid>/deps/EcrAirflow.Aws.dll, AWSSDK.Core.dll
#                                                         ReadyToRun for win-x64, linux-x64, osx-arm64 on
#                                                         .NET 10+ (the root's CoreLink picks the folder);
#                                                         any other file comes from the portable deps/
# An R2R image is the same assembly (name, version, public key token, IL and metadata) plus native code,
# so it loads by name exactly as the IL file does; a runtime that cannot use the native code (another OS
# or architecture, a method whose assumptions no longer hold) JIT-compiles that IL instead.
#
# Which runtime: an image's native code is used only by a runtime that accepts its ReadyToRun format
# version, and .NET 10 (PowerShell 7.6) ignores the 9.x images .NET 8's crossgen2 makes (measured: every
# method JIT-compiled, as with IL), while .NET 8 would ignore .NET 10's 16.x. One image set per platform is
# what the 3x package budget allows, so the images target .NET 10, the runtime of the current PowerShell
# (7.6, LTS); CoreLink (src/EcrAirflow/Internal/Loading/) picks them only there and PowerShell 7.4/7.5 (.NET 8/9)
# run the portable IL as before.
#
# crossgen2 comes from the SDK (Microsoft.NETCore.App.Crossgen2.<host rid>, restored at the version the
# SDK picks for net10.0) and runs on this Linux x64 host for all three targets, each against its own
# .NET 10 runtime pack (Microsoft.NETCore.App.Runtime.<rid>); where NuGet does not serve a target's pack,
# the linux-x64 pack stands in (the managed surface R2R code binds to is the same on every OS; only
# non-versionable framework methods are inlined across assemblies).

# The platforms that get ReadyToRun images; every other platform runs the portable IL.
$script:ReadyToRunRids = @('win-x64', 'linux-x64', 'osx-arm64')

# What is precompiled: the files every cold Get / Sync loads (build.ps1 -Task Bench, per-phase figures).
# AWSSDK.SecurityToken/SSO/SSOOIDC load only for profiles that use them: IL is enough there. EcrAirflow.dll, the
# root, is not: it holds the cmdlets' declarations and little code, and must load on every platform.
$script:ReadyToRunFiles = @('EcrAirflow.Core.dll', 'deps/EcrAirflow.Aws.dll', 'deps/AWSSDK.Core.dll')

$script:ReadyToRunToolProject = @'
<Project Sdk="Microsoft.NET.Sdk">
  <!-- Restores crossgen2 and the .NET 10 runtime packs at the versions the SDK picks; builds nothing. -->
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <PublishReadyToRun>true</PublishReadyToRun>
    <SelfContained>false</SelfContained>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="PowerShellStandard.Library" Version="5.1.1" PrivateAssets="all" ExcludeAssets="runtime" GeneratePathProperty="true" />
  </ItemGroup>
  <Target Name="ShowReadyToRunTools" DependsOnTargets="ResolveFrameworkReferences;ResolveReadyToRunCompilers">
    <Message Importance="high" Text="R2R-CROSSGEN2=@(Crossgen2Tool)" />
    <Message Importance="high" Text="R2R-DOTNETHOST=%(Crossgen2Tool.DotNetHostPath)" />
    <Message Importance="high" Text="R2R-RUNTIMEPACK=%(ResolvedRuntimePack.PackageDirectory)" Condition="'%(ResolvedRuntimePack.FrameworkName)' == 'Microsoft.NETCore.App'" />
    <Message Importance="high" Text="R2R-SMA=$(PkgPowerShellStandard_Library)/lib/netstandard2.0/System.Management.Automation.dll" />
  </Target>
</Project>
'@

function Get-ReadyToRunTools {
    # Restores the tool project and returns @{ Crossgen2; Sma; References = @{ <rid> = runtime pack lib folder } }.
    param([Parameter(Mandatory)] [string] $WorkDirectory)
    $null = New-Item -ItemType Directory -Path $WorkDirectory -Force
    $project = Join-Path $WorkDirectory 'ReadyToRunTools.csproj'
    Set-Content -LiteralPath $project -Value $ReadyToRunToolProject -Encoding utf8
    $tools = @{ References = @{} }
    foreach ($rid in $ReadyToRunRids) {
        # One platform at a time: a runtime pack that NuGet does not serve fails only its own restore, and
        # that platform is compiled against the linux-x64 pack.
        & dotnet restore $project -nologo -v quiet "-p:RuntimeIdentifier=$rid" *> $null
        if ($LASTEXITCODE -ne 0) { continue }
        $lines = & dotnet msbuild $project -nologo -v:m -t:ShowReadyToRunTools "-p:RuntimeIdentifier=$rid"
        if ($LASTEXITCODE -ne 0) { throw "Resolving crossgen2 for $rid failed: $lines" }
        foreach ($line in $lines) {
            $t = $line.Trim()
            if ($t.StartsWith('R2R-CROSSGEN2=')) { $tools.Crossgen2 = $t.Substring(14) }
            elseif ($t.StartsWith('R2R-DOTNETHOST=')) { $tools.DotNetHost = $t.Substring(15) }
            elseif ($t.StartsWith('R2R-SMA=')) { $tools.Sma = $t.Substring(8) }
            elseif ($t.StartsWith('R2R-RUNTIMEPACK=')) {
                $lib = Get-ChildItem -Path (Join-Path $t.Substring(16) 'runtimes') -Directory -Recurse -Filter 'net10.0' | Select-Object -First 1
                $tools.References[$rid] = $lib.FullName
            }
        }
    }
    if (-not $tools.References['linux-x64']) { throw 'Restoring crossgen2 and the linux-x64 .NET 10 runtime pack failed.' }
    foreach ($rid in $ReadyToRunRids) {
        if (-not $tools.References[$rid]) { $tools.References[$rid] = $tools.References['linux-x64'] }
    }
    if (-not $tools.Crossgen2 -or -not (Test-Path -LiteralPath $tools.Crossgen2)) { throw "crossgen2 not found ($($tools.Crossgen2))." }
    $tools
}

function New-ReadyToRunImage {
    # Compiles one IL assembly into a ReadyToRun image for one platform.
    param(
        [Parameter(Mandatory)] [hashtable] $Tools,
        [Parameter(Mandatory)] [string] $Rid,
        [Parameter(Mandatory)] [string] $InputPath,
        [Parameter(Mandatory)] [string] $OutputPath,
        # Other IL assemblies the input refers to (the module's own and AWSSDK's).
        [string[]] $ReferencePaths = @()
    )
    $os, $arch = switch ($Rid) {
        'win-x64' { 'windows', 'x64' }
        'linux-x64' { 'linux', 'x64' }
        'osx-arm64' { 'osx', 'arm64' }
        default { throw "No ReadyToRun target for '$Rid'." }
    }
    $null = New-Item -ItemType Directory -Path (Split-Path $OutputPath) -Force
    $name = [IO.Path]::GetFileName($InputPath)
    $rsp = [Collections.Generic.List[string]]::new()
    $rsp.Add($InputPath)
    $rsp.Add("--out:$OutputPath")
    $rsp.Add("--targetos:$os")
    $rsp.Add("--targetarch:$arch")
    $rsp.Add('-O')
    foreach ($r in @(Get-ChildItem -LiteralPath $Tools.References[$Rid] -Filter *.dll).FullName + $Tools.Sma + $ReferencePaths) {
        if ([IO.Path]::GetFileName($r) -ne $name) { $rsp.Add("-r:$r") }
    }
    $rspPath = "$OutputPath.rsp"
    Set-Content -LiteralPath $rspPath -Value $rsp -Encoding utf8
    $output = if ($Tools.DotNetHost) { & $Tools.DotNetHost $Tools.Crossgen2 "@$rspPath" 2>&1 } else { & $Tools.Crossgen2 "@$rspPath" 2>&1 }
    $code = $LASTEXITCODE
    Remove-Item -LiteralPath $rspPath
    if ($code -ne 0) { throw "crossgen2 $name for $Rid failed ($code): $($output -join "`n")" }
}

function Add-ReadyToRunImages {
    # Adds bin/net8.0/<rid>/ to a staged module whose bin/net8.0 holds the portable IL.
    param(
        [Parameter(Mandatory)] [string] $Net8Directory,
        [Parameter(Mandatory)] [string] $WorkDirectory
    )
    $tools = Get-ReadyToRunTools -WorkDirectory $WorkDirectory
    $il = @(Get-ChildItem -LiteralPath $Net8Directory -Filter *.dll).FullName + @(Get-ChildItem -LiteralPath (Join-Path $Net8Directory 'deps') -Filter *.dll).FullName
    foreach ($rid in $ReadyToRunRids) {
        foreach ($file in $ReadyToRunFiles) {
            New-ReadyToRunImage -Tools $tools -Rid $rid -InputPath (Join-Path $Net8Directory $file) -OutputPath (Join-Path $Net8Directory "$rid/$file") -ReferencePaths $il
        }
        $via = if ($tools.References[$rid] -eq $tools.References['linux-x64'] -and $rid -ne 'linux-x64') { ' (against the linux-x64 runtime pack)' } else { '' }
        Write-Host "ReadyToRun images for $rid$via"
    }
}
