# What ships is what is tested: the .nupkg made by build.ps1 -Task Package is installed from a local
# PSResourceGet repository into a temporary folder, and that copy is imported and used.
BeforeAll {
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

    It 'installs into a temporary path, imports from there and gets a token' {
        Save-PSResource -Name EcrAirflow -Repository $RepoName -Path $Dest -TrustRepository -ErrorAction Stop
        $manifest = Join-Path $Dest "EcrAirflow/$Version/EcrAirflow.psd1"
        Test-Path $manifest | Should -BeTrue
        Remove-Module EcrAirflow -Force -ErrorAction SilentlyContinue
        $module = Import-Module $manifest -PassThru -Force
        $module.ModuleBase | Should -Be (Split-Path $manifest)
        (Get-Command Get-EcrDockerCredential).DLL | Should -BeLike "$Dest*"
        $cred = [pscredential]::new($Moto.allowed.accessKeyId, (ConvertTo-SecureString $Moto.allowed.secretAccessKey -AsPlainText -Force))
        $c = Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $Moto.endpoint -Credential $cred -Force
        $c.Registry | Should -Be "$($Moto.accountId).dkr.ecr.eu-west-1.amazonaws.com"
        (Get-Help Get-EcrDockerCredential).examples.example.Count | Should -BeGreaterOrEqual 3
    }

    It 'contains no test or source files' {
        $files = Get-ChildItem (Join-Path $Dest 'EcrAirflow') -Recurse -File | ForEach-Object Name
        $files | Where-Object { $_ -match '\.(cs|pdb|Tests\.ps1)$' -or $_ -eq 'System.Management.Automation.dll' } | Should -BeNullOrEmpty
    }
}
