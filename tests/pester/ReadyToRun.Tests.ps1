# The staged module's ReadyToRun images (build/ReadyToRun.ps1, issues 15 and 23): precompiled where the bench
# shows they pay (the files a cold Get | Sync loads, for win-x64, linux-x64 and osx-arm64 on .NET 10), portable IL
# everywhere else (the root EcrAirflow.dll always), the same assembly identities, and the root's CoreLink picking
# the right files. Not a timing: build.ps1 -Task Bench measures what the images save.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Pwsh = Get-PwshCommandLine
    $script:Moto = Get-Content $env:ECRAIRFLOW_TEST_MOTO -Raw | ConvertFrom-Json
    $script:Bin = Join-Path (Split-Path $env:ECRAIRFLOW_TEST_MODULE) 'bin'
    $script:Precompiled = @('EcrAirflow.Core.dll', 'deps/EcrAirflow.Aws.dll', 'deps/AWSSDK.Core.dll')
    # COFF machine of an R2R image: the architecture's, XOR-ed with the target OS's constant (none on Windows).
    $script:Machine = @{ 'win-x64' = 0x8664; 'linux-x64' = 0x8664 -bxor 0x7B79; 'osx-arm64' = 0xAA64 -bxor 0x4644 }

    function Get-PeFacts([string] $Path) {
        $stream = [IO.File]::OpenRead($Path)
        try {
            $pe = [Reflection.PortableExecutable.PEReader]::new($stream)
            try {
                [pscustomobject]@{
                    ReadyToRun = $pe.PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size -gt 0
                    Machine    = [int]$pe.PEHeaders.CoffHeader.Machine
                    Identity   = [Reflection.AssemblyName]::GetAssemblyName($Path).FullName
                }
            }
            finally { $pe.Dispose() }
        }
        finally { $stream.Dispose() }
    }

    function Invoke-FreshPwsh([string] $Script) {
        # Keys in the environment, STS at moto (never AWS itself), no config file or instance metadata of this machine.
        $none = Join-Path ([IO.Path]::GetTempPath()) ('ecrairflow-none-' + [guid]::NewGuid().ToString('n'))
        Invoke-ChildPwsh -Script $Script -Environment @{
            AWS_ACCESS_KEY_ID = $Moto.allowed.accessKeyId; AWS_SECRET_ACCESS_KEY = $Moto.allowed.secretAccessKey; AWS_SESSION_TOKEN = $null
            AWS_PROFILE = $null; AWS_REGION = 'eu-west-1'; AWS_ENDPOINT_URL_STS = $Moto.endpoint; AWS_EC2_METADATA_DISABLED = 'true'
            AWS_CONFIG_FILE = "$none-config"; AWS_SHARED_CREDENTIALS_FILE = "$none-credentials"
        }
    }
}

Describe 'ReadyToRun images' {
    It 'precompiles <File> for <Rid>, with the portable file''s identity' -ForEach @(
        foreach ($rid in 'win-x64', 'linux-x64', 'osx-arm64') { foreach ($file in 'EcrAirflow.Core.dll', 'deps/EcrAirflow.Aws.dll', 'deps/AWSSDK.Core.dll') { @{ Rid = $rid; File = $file } } }
    ) {
        $image = Join-Path $Bin "net8.0/$Rid/$File"
        $portable = Join-Path $Bin "net8.0/$File"
        Test-Path -LiteralPath $image | Should -BeTrue
        $facts = Get-PeFacts $image
        $facts.ReadyToRun | Should -BeTrue
        $facts.Machine | Should -Be $Machine[$Rid]
        # Same name, version, culture and public key token: it loads by name exactly as the IL file does.
        $facts.Identity | Should -Be (Get-PeFacts $portable).Identity
    }

    It 'keeps every platform folder to the precompiled files (everything else comes from the portable deps/)' {
        foreach ($rid in 'win-x64', 'linux-x64', 'osx-arm64') {
            $dir = Join-Path $Bin "net8.0/$rid"
            $dlls = @(Get-ChildItem -LiteralPath $dir -Recurse -Filter *.dll | ForEach-Object { $_.FullName.Substring($dir.Length + 1) -replace '\\', '/' } | Sort-Object)
            $dlls | Should -Be @($Precompiled | Sort-Object)
        }
    }

    It 'ships portable IL as the fallback: every file in bin/net8.0, bin/net8.0/deps and bin/netstandard2.0' {
        $portable = @(Get-ChildItem -LiteralPath (Join-Path $Bin 'net8.0'), (Join-Path $Bin 'net8.0/deps'), (Join-Path $Bin 'netstandard2.0'), (Join-Path $Bin 'netstandard2.0/deps') -Filter *.dll)
        $portable.Count | Should -BeGreaterThan 10
        foreach ($dll in $portable) {
            $facts = Get-PeFacts $dll.FullName
            $facts.ReadyToRun | Should -BeFalse -Because "$($dll.FullName) is the fallback for every platform"
            $facts.Machine | Should -Be 0x14C -Because 'portable IL (AnyCPU) has the I386 machine'
        }
        foreach ($file in $Precompiled) { Test-Path -LiteralPath (Join-Path $Bin "net8.0/$file") | Should -BeTrue }
        # The root, which the manifest names for every platform, is never an image (one would not load elsewhere).
        foreach ($tfm in 'net8.0', 'netstandard2.0') { (Get-PeFacts (Join-Path $Bin "$tfm/EcrAirflow.dll")).ReadyToRun | Should -BeFalse }
    }

    It 'loads the files that fit this PowerShell, and nothing a plain Get does not need' {
        $r = Invoke-FreshPwsh @"
Import-Module '$env:ECRAIRFLOW_TEST_MODULE'
`$null = Get-EcrDockerCredential -EndpointUrl '$($Moto.endpoint)' -ErrorAction Stop
foreach (`$a in [AppDomain]::CurrentDomain.GetAssemblies()) {
    `$n = `$a.GetName().Name
    if (`$n -like 'EcrAirflow*' -or `$n -like 'AWSSDK*') { 'LOADED ' + `$n + ' ' + `$a.Location }
}
'RUNTIME ' + [Environment]::Version.Major
"@
        $r.ExitCode | Should -Be 0 -Because $r.Text
        $loaded = @{}
        foreach ($m in [regex]::Matches($r.Text, '(?m)^LOADED (\S+) (.+?)\s*$')) { $loaded[$m.Groups[1].Value] = $m.Groups[2].Value }
        # Keys in the environment: no STS, SSO or SSOOIDC client is needed, so none of their assemblies loads.
        @($loaded.Keys | Sort-Object) | Should -Be @('AWSSDK.Core', 'EcrAirflow', 'EcrAirflow.Aws', 'EcrAirflow.Core')
        # Where it must load from: a literal per platform, never CoreLink's rule worked out again. The images
        # are for the .NET 10 runtime (PowerShell 7.6+); the runtime is the one the child reported.
        $runtime = [int]([regex]::Match($r.Text, 'RUNTIME (\d+)').Groups[1].Value)
        $os = if ($IsWindows) { 'Windows' } elseif ($IsMacOS) { 'macOS' } else { 'Linux' }
        $platform = "$os $([Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture)"
        $withImages = @{ 'Windows X64' = 'net8.0/win-x64'; 'Linux X64' = 'net8.0/linux-x64'; 'macOS Arm64' = 'net8.0/osx-arm64' }
        $desktop = $env:ECRAIRFLOW_FRAMEWORK -eq 'netstandard2.0' -or $PSEdition -eq 'Desktop'
        $rootFolder = if ($desktop) { 'netstandard2.0' } else { 'net8.0' }
        $expected = if ($desktop) { 'netstandard2.0' }
        elseif ($runtime -ge 10 -and $withImages.ContainsKey($platform)) { $withImages[$platform] }
        else { 'net8.0' }
        $folder = Join-Path $Bin $expected
        Test-Path -LiteralPath $folder -PathType Container | Should -BeTrue -Because "the staged module ships bin/$expected for $platform"
        [IO.Path]::GetFullPath($loaded['EcrAirflow']) | Should -Be ([IO.Path]::GetFullPath((Join-Path $Bin "$rootFolder/EcrAirflow.dll"))) -Because 'the manifest names the portable root'
        foreach ($pair in @(@('EcrAirflow.Core', 'EcrAirflow.Core.dll'), @('EcrAirflow.Aws', 'deps/EcrAirflow.Aws.dll'), @('AWSSDK.Core', 'deps/AWSSDK.Core.dll'))) {
            $file = Join-Path $folder $pair[1]
            Test-Path -LiteralPath $file -PathType Leaf | Should -BeTrue -Because "bin/$expected holds $($pair[1])"
            [IO.Path]::GetFullPath($loaded[$pair[0]]) | Should -Be ([IO.Path]::GetFullPath($file)) -Because "$($pair[0]) loads from bin/$expected on $platform (.NET $runtime)"
        }
    }

    It 'falls back to the portable IL when this platform''s folder holds <Case> (never BadImageFormatException)' -ForEach @(
        @{ Case = 'another platform''s image'; Kind = 'other' }
        @{ Case = 'a damaged image (its header fits, its body is cut off)'; Kind = 'damaged' }
    ) {
        if ($env:ECRAIRFLOW_FRAMEWORK -eq 'netstandard2.0' -or $PSEdition -eq 'Desktop') {
            Set-ItResult -Skipped -Because 'the netstandard2.0 build has no platform folders'
            return
        }
        $os = if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
        $arch = "$([Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture)".ToLowerInvariant()
        $mine = "$os-$arch"
        if ($mine -notin 'win-x64', 'linux-x64', 'osx-arm64' -or [Environment]::Version.Major -lt 10) {
            Set-ItResult -Skipped -Because "$mine on .NET $([Environment]::Version.Major) has no image to replace: it runs the portable IL anyway (the test above)"
            return
        }
        # A copy of the module whose folder for this platform holds another platform's image (a hand-copied install):
        # CoreLink reads its header and takes the IL. Or this platform's image cut short (a damaged install): the
        # header fits, the load fails with BadImageFormatException, and CoreLink takes the IL all the same.
        $work = New-TestFolder 'r2r-fallback'
        try {
            $copy = Join-Path $work 'EcrAirflow'
            Copy-Item -LiteralPath (Split-Path $env:ECRAIRFLOW_TEST_MODULE) -Destination $copy -Recurse
            $image = Join-Path $copy "bin/net8.0/$mine/EcrAirflow.Core.dll"
            if ($Kind -eq 'other') {
                $other = @('win-x64', 'linux-x64', 'osx-arm64' | Where-Object { $_ -ne $mine })[0]
                Copy-Item -LiteralPath (Join-Path $copy "bin/net8.0/$other/EcrAirflow.Core.dll") -Destination $image -Force
            }
            else {
                $bytes = [IO.File]::ReadAllBytes($image)
                (Get-PeFacts $image).Machine | Should -Be $Machine[$mine] -Because 'the cut-off copy keeps a header that names this platform'
                [IO.File]::WriteAllBytes($image, [byte[]]$bytes[0..4095])
            }
            $manifest = Join-Path $copy 'EcrAirflow.psd1'
            $r = Invoke-FreshPwsh @"
Import-Module '$manifest'
`$null = Get-EcrDockerCredential -EndpointUrl '$($Moto.endpoint)' -ErrorAction Stop
foreach (`$a in [AppDomain]::CurrentDomain.GetAssemblies()) { if (`$a.GetName().Name -eq 'EcrAirflow.Core') { 'CORE ' + `$a.Location } }
"@
            $r.ExitCode | Should -Be 0 -Because $r.Text
            $core = [regex]::Match($r.Text, '(?m)^CORE (.+?)\s*$').Groups[1].Value
            [IO.Path]::GetFullPath($core) | Should -Be ([IO.Path]::GetFullPath((Join-Path $copy 'bin/net8.0/EcrAirflow.Core.dll')))
        }
        finally { Remove-TestFolder $work }
    }

    It 'takes a dependency that has no ReadyToRun image from the portable deps/ (assume-role loads AWSSDK.SecurityToken)' {
        if ($env:ECRAIRFLOW_FRAMEWORK -eq 'netstandard2.0' -or $PSEdition -eq 'Desktop') {
            Set-ItResult -Skipped -Because 'the netstandard2.0 build has no platform folders'
            return
        }
        $r = Invoke-FreshPwsh @"
Import-Module '$env:ECRAIRFLOW_TEST_MODULE'
try { `$null = Get-EcrDockerCredential -EndpointUrl '$($Moto.endpoint)' -RoleArn 'arn:aws:iam::123456789012:role/ecrairflow-none' -MaximumRetryCount 0 -ErrorAction Stop } catch { 'FAILED ' + `$_.FullyQualifiedErrorId }
foreach (`$a in [AppDomain]::CurrentDomain.GetAssemblies()) { if (`$a.GetName().Name -eq 'AWSSDK.SecurityToken') { 'STS ' + `$a.Location } }
"@
        $sts = [regex]::Match($r.Text, '(?m)^STS (.+?)\s*$').Groups[1].Value
        $sts | Should -Not -BeNullOrEmpty -Because $r.Text
        [IO.Path]::GetFullPath($sts) | Should -Be ([IO.Path]::GetFullPath((Join-Path $Bin 'net8.0/deps/AWSSDK.SecurityToken.dll')))
    }
}
