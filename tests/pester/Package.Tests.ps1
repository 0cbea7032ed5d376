# What ships is what is tested: the .nupkg made by build.ps1 -Task Package is installed from a local
# PSResourceGet repository into a temporary folder, and that copy is imported and used.
BeforeAll {
    . (Join-Path $PSScriptRoot '../peers/Peers.ps1')
    $script:Repo = $env:ECRAIRFLOW_TEST_REPO
    $script:Version = (Import-PowerShellDataFile $env:ECRAIRFLOW_TEST_MODULE).ModuleVersion
    $script:RepoName = 'EcrAirflowTest-' + [guid]::NewGuid().ToString('n')
    $script:Dest = Join-Path ([IO.Path]::GetTempPath()) ('ecrairflow-install-' + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory $Dest
    Register-PSResourceRepository -Name $RepoName -Uri $Repo -Trusted
    $script:Moto = Get-Content $env:ECRAIRFLOW_TEST_MOTO -Raw | ConvertFrom-Json
}

AfterAll {
    Unregister-PSResourceRepository -Name $RepoName -ErrorAction SilentlyContinue
    Remove-Module EcrAirflow -Force -ErrorAction SilentlyContinue
    if ($Dest -like '*ecrairflow-install-*') { Remove-Item -LiteralPath $Dest -Recurse -Force -ErrorAction SilentlyContinue }
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
        $pwsh = Get-PwshCommandLine
        $script = @"
`$m = Import-Module '$manifest' -PassThru -ErrorAction Stop
'BASE ' + `$m.ModuleBase
'DLL ' + (Get-Command Get-EcrDockerCredential).DLL
`$cred = [pscredential]::new('$($Moto.allowed.accessKeyId)', (ConvertTo-SecureString '$($Moto.allowed.secretAccessKey)' -AsPlainText -Force))
'REGISTRY ' + (Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl '$($Moto.endpoint)' -Credential `$cred -ErrorAction Stop).Registry
'EXAMPLES ' + (Get-Help Get-EcrDockerCredential).examples.example.Count
"@
        $out = (& $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $script 2>&1) -join "`n"
        $out | Should -Match ("BASE " + [regex]::Escape((Split-Path $manifest)))
        $out | Should -Match ("DLL " + [regex]::Escape($Dest))
        $out | Should -Match "REGISTRY $($Moto.accountId)\.dkr\.ecr\.eu-west-1\.amazonaws\.com"
        $out | Should -Match 'EXAMPLES [3-9]'
    }

    It 'contains no test or source files' {
        $files = Get-ChildItem (Join-Path $Dest 'EcrAirflow') -Recurse -File | ForEach-Object Name
        $files | Where-Object { $_ -match '\.(cs|pdb|Tests\.ps1)$' -or $_ -eq 'System.Management.Automation.dll' } | Should -BeNullOrEmpty
    }
}
