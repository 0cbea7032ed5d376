# What ships is what is tested: the .nupkg made by build.ps1 -Task Package is installed from a local
# PSResourceGet repository into a temporary folder, and that copy is imported and used; and, as a user would,
# with Install-PSResource from a repository registered in a throw-away PSResourceGet scope.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Repo = $env:ECRAIRFLOW_TEST_REPO
    $script:Version = (Read-ModuleManifest $env:ECRAIRFLOW_TEST_MODULE).ModuleVersion
    $script:RepoName = 'EcrAirflowTest-' + [guid]::NewGuid().ToString('n')
    $script:Dest = New-TestFolder 'install'
    Register-PSResourceRepository -Name $RepoName -Uri $Repo -Trusted
    $script:Moto = Get-Content $env:ECRAIRFLOW_TEST_MOTO -Raw | ConvertFrom-Json
}

AfterAll {
    Unregister-PSResourceRepository -Name $RepoName -ErrorAction SilentlyContinue
    Remove-Module EcrAirflow -Force -ErrorAction SilentlyContinue
    Remove-TestFolder $Dest
}

Describe 'The package' {
    It 'is in the repository under the manifest version' {
        Get-ChildItem $Repo -Filter "EcrAirflow.$Version.nupkg" | Should -HaveCount 1
        (Find-PSResource -Name EcrAirflow -Repository $RepoName).Version.ToString() | Should -Be $Version
    }

    It 'installs into a temporary path, imports from there (in a fresh pwsh) and gets a token' {
        Save-PSResource -Name EcrAirflow -Repository $RepoName -Path $Dest -TrustRepository -ErrorAction Stop
        $manifest = Join-Path $Dest "EcrAirflow/$Version/EcrAirflow.psd1"
        Test-Path $manifest | Should -BeTrue
        $script = @"
`$m = Import-Module '$manifest' -PassThru -ErrorAction Stop
'BASE ' + `$m.ModuleBase
'DLL ' + (Get-Command Get-EcrDockerCredential).DLL
`$cred = [pscredential]::new('$($Moto.allowed.accessKeyId)', (ConvertTo-SecureString `$env:TEST_AWS_SECRET -AsPlainText -Force))
'REGISTRY ' + (Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl '$($Moto.endpoint)' -Credential `$cred -ErrorAction Stop).Registry
'EXAMPLES ' + (Get-Help Get-EcrDockerCredential).examples.example.Count
"@
        $out = (Invoke-ChildPwsh $script @{ TEST_AWS_SECRET = $Moto.allowed.secretAccessKey }).Text  # the secret by environment, never on the command line
        $out | Should -Match ("BASE " + [regex]::Escape((Split-Path $manifest)))
        $out | Should -Match ("DLL " + [regex]::Escape($Dest))
        $out | Should -Match "REGISTRY $($Moto.accountId)\.dkr\.ecr\.eu-west-1\.amazonaws\.com"
        $out | Should -Match 'EXAMPLES [3-9]'
    }

    It 'contains no test or source files' {
        $files = Get-ChildItem (Join-Path $Dest 'EcrAirflow') -Recurse -File | ForEach-Object Name
        $files | Where-Object { $_ -match '\.(cs|pdb|Tests\.ps1)$' -or $_ -eq 'System.Management.Automation.dll' } | Should -BeNullOrEmpty
    }

    It 'installs with Install-PSResource from a repository registered in a throw-away scope, and works from a module path of its own' {
        if ([Environment]::OSVersion.Platform -eq 'Win32NT') {
            Set-ItResult -Skipped -Because 'on Windows PSResourceGet''s repository list and CurrentUser scope are known folders (LocalApplicationData, Documents) that no environment variable redirects, so a test there would change the real user''s list; Linux and macOS follow HOME'
            return
        }
        $work = New-TestFolder 'install'
        $isolatedName = 'EcrAirflowInstall-' + [guid]::NewGuid().ToString('n')
        try {
            $home2 = Join-Path $work 'home'
            $null = New-Item -ItemType Directory -Path $home2
            # Everything a pwsh and PSResourceGet keep per user lands under $home2: LocalApplicationData
            # ($HOME/.local/share, holding PSResourceGet/PSResourceRepository.xml and powershell/Modules).
            $scope = @{
                HOME = $home2; XDG_DATA_HOME = $null; XDG_CONFIG_HOME = $null; XDG_CACHE_HOME = $null
                LOCALAPPDATA = (Join-Path $home2 'AppData/Local'); PSModulePath = $null
                ECRAIRFLOW_TEST_SCOPE = $work; ECRAIRFLOW_TEST_REPO_NAME = $isolatedName
            }
            $install = @'
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'   # progress records would reach stderr as CLIXML
$data = [Environment]::GetFolderPath('LocalApplicationData')
'DATA ' + $data
if (-not $data.StartsWith($env:ECRAIRFLOW_TEST_SCOPE)) { 'NOT ISOLATED'; exit 3 }
Register-PSResourceRepository -Name $env:ECRAIRFLOW_TEST_REPO_NAME -Uri $env:ECRAIRFLOW_TEST_REPO -Trusted
'REPOS ' + ((Get-PSResourceRepository).Name -join ',')
Install-PSResource -Name EcrAirflow -Repository $env:ECRAIRFLOW_TEST_REPO_NAME -TrustRepository -Scope CurrentUser -ErrorAction Stop
$r = Get-InstalledPSResource -Name EcrAirflow -Scope CurrentUser
'INSTALLED ' + $r.Version + ' ' + $r.InstalledLocation
'@
            $one = Invoke-ChildPwsh -Script $install -Environment $scope
            $one.ExitCode | Should -Be 0 -Because "the install child said: $($one.Out) $($one.Err)"
            $one.Out | Should -Match ('DATA ' + [regex]::Escape($home2))
            $one.Out | Should -Match ('REPOS .*' + [regex]::Escape($isolatedName))
            Test-Path (Join-Path $home2 '.local/share/PSResourceGet/PSResourceRepository.xml') | Should -BeTrue -Because 'the repository list of the throw-away scope is the one written'
            $modules = Join-Path $home2 '.local/share/powershell/Modules'
            $one.Out | Should -Match ("INSTALLED $([regex]::Escape($Version)) " + [regex]::Escape($modules))
            Test-Path (Join-Path $modules "EcrAirflow/$Version/EcrAirflow.psd1") | Should -BeTrue
            Test-Path (Join-Path $modules "EcrAirflow/$Version/LICENSE") | Should -BeTrue

            # A fresh pwsh whose module path is only the install location and PowerShell's own modules.
            $use = @'
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
'MODULEPATH ' + $env:PSModulePath
Import-Module EcrAirflow
$m = Get-Module EcrAirflow
'BASE ' + $m.ModuleBase
'VERSION ' + $m.Version
'CMDLETS ' + ((Get-Command -Module EcrAirflow | Sort-Object Name | ForEach-Object Name) -join ',')
$help = Get-Help Sync-AirflowEcrConnection -Full
'EXAMPLES ' + @($help.examples.example).Count
'HELPTEXT ' + (($help | Out-String -Width 200) -match 'EXAMPLE 1')
$cred = New-Object System.Management.Automation.PSCredential ($env:ECRAIRFLOW_TEST_KEY, (ConvertTo-SecureString $env:ECRAIRFLOW_TEST_SECRET -AsPlainText -Force))
'REGISTRY ' + (Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $env:ECRAIRFLOW_TEST_ENDPOINT -Credential $cred).Registry
'@
            $scope['PSModulePath'] = $modules + [IO.Path]::PathSeparator + (Join-Path $PSHOME 'Modules')
            $scope['ECRAIRFLOW_TEST_KEY'] = $Moto.allowed.accessKeyId
            $scope['ECRAIRFLOW_TEST_SECRET'] = $Moto.allowed.secretAccessKey
            $scope['ECRAIRFLOW_TEST_ENDPOINT'] = $Moto.endpoint
            $two = Invoke-ChildPwsh -Script $use -Environment $scope
            $two.ExitCode | Should -Be 0 -Because "the import child said: $($two.Out) $($two.Err)"
            $two.Out | Should -Match ('BASE ' + [regex]::Escape((Join-Path $modules "EcrAirflow/$Version")))
            $two.Out | Should -Match ('VERSION ' + [regex]::Escape($Version))
            $two.Out | Should -Match 'CMDLETS Get-EcrDockerCredential,Sync-AirflowEcrConnection'
            $two.Out | Should -Match 'EXAMPLES ([3-9]|\d\d)'
            $two.Out | Should -Match 'HELPTEXT True'
            $two.Out | Should -Match "REGISTRY $($Moto.accountId)\.dkr\.ecr\.eu-west-1\.amazonaws\.com"
            $two.Err | Should -BeNullOrEmpty
        }
        finally {
            Remove-TestFolder $work
        }
        # The real user's repository list never saw the throw-away repository.
        @(Get-PSResourceRepository | Where-Object Name -eq $isolatedName) | Should -BeNullOrEmpty
        @(Get-PSResourceRepository | Where-Object Name -like 'EcrAirflowInstall-*') | Should -BeNullOrEmpty
    }
}
