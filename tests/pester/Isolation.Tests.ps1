# Dependency isolation: EcrAirflow's AWSSDK.Core 4.x lives in a private AssemblyLoadContext, so a session
# where another module (AWS Tools for PowerShell) already loaded AWSSDK.Core 3.x works, and vice versa.
# Each case runs in a fresh pwsh, as a user's session would.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Pwsh = Get-PwshCommandLine
    $nuget = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $script:OldCore = Join-Path $nuget 'awssdk.core/3.7.501.1/lib/net8.0/AWSSDK.Core.dll'
    $script:Moto = Get-Content $env:ECRAIRFLOW_TEST_MOTO -Raw | ConvertFrom-Json

    function Invoke-FreshPwsh([string] $Script) {
        Invoke-ChildPwsh -Script $Script -Environment @{ ECRAIRFLOW_ISO_KEY = $Moto.allowed.accessKeyId; ECRAIRFLOW_ISO_SECRET = $Moto.allowed.secretAccessKey }
    }

    $script:GetToken = @"
`$c = [pscredential]::new(`$env:ECRAIRFLOW_ISO_KEY, (ConvertTo-SecureString `$env:ECRAIRFLOW_ISO_SECRET -AsPlainText -Force))
`$t = Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl '$($Moto.endpoint)' -Credential `$c -ErrorAction Stop
'TOKEN-OK ' + `$t.Registry
"@
}

Describe 'Dependency isolation' {
    It 'the old AWSSDK.Core really is another assembly version' {
        Test-Path $OldCore | Should -BeTrue
        [Reflection.AssemblyName]::GetAssemblyName($OldCore).Version.ToString() | Should -Be '3.3.0.0'
    }

    It 'importing the module loads EcrAirflow.dll alone: no EcrAirflow.Core, no AWSSDK assembly (they load on first use)' {
        $r = Invoke-FreshPwsh "Import-Module '$env:ECRAIRFLOW_TEST_MODULE'; `$null = Get-Command -Module EcrAirflow; ([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -like 'AWSSDK*' -or `$_.GetName().Name -like 'EcrAirflow*' } | ForEach-Object { `$_.GetName().Name } | Sort-Object) -join ','"
        $r.Text.Trim() | Should -Be 'EcrAirflow'
    }

    It '[EcrAirflow.<_>] resolves right after import, as the format file and scripts name it' -ForEach 'EcrDockerCredential', 'AirflowConnectionSyncResult', 'AirflowConnectionStatus', 'SyncMode', 'ParameterTier', 'ConnectionStatus', 'EcrAirflowException' {
        $r = Invoke-FreshPwsh "Import-Module '$env:ECRAIRFLOW_TEST_MODULE'; [EcrAirflow.$_].FullName + ' ' + [EcrAirflow.$_].Assembly.GetName().Name"
        $r.Text.Trim() | Should -Be "EcrAirflow.$_ EcrAirflow"
    }

    # The netstandard2.0 build on PowerShell 7 shares the default load context (one AWSSDK.Core per process);
    # its isolation is Windows PowerShell's LoadFrom context, which only .NET Framework has (the Windows CI
    # job runs these in 5.1).
    Context 'beside another AWSSDK.Core' -Skip:($env:ECRAIRFLOW_FRAMEWORK -eq 'netstandard2.0' -and $PSEdition -eq 'Core') {
        It 'works after another module loaded AWSSDK.Core 3.x into the session' {
            $r = Invoke-FreshPwsh @"
Add-Type -Path '$OldCore'
Import-Module '$env:ECRAIRFLOW_TEST_MODULE'
$GetToken
'DEFAULT-CORE ' + [Amazon.Runtime.AWSCredentials].Assembly.GetName().Version
"@
            $r.Text | Should -Match 'TOKEN-OK \d{12}\.dkr\.ecr\.eu-west-1'
            $r.Text | Should -Match 'DEFAULT-CORE 3\.3\.0\.0'
            $r.ExitCode | Should -Be 0
        }

        It 'leaves AWSSDK.Core 3.x loadable after EcrAirflow already used its own' {
            $r = Invoke-FreshPwsh @"
Import-Module '$env:ECRAIRFLOW_TEST_MODULE'
$GetToken
Add-Type -Path '$OldCore'
'DEFAULT-CORE ' + [Amazon.Runtime.AWSCredentials].Assembly.GetName().Version
`$versions = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'AWSSDK.Core' } | ForEach-Object { `$_.GetName().Version.ToString() }
'LOADED ' + ((`$versions | Sort-Object) -join ',')
"@
            $r.Text | Should -Match 'TOKEN-OK'
            $r.Text | Should -Match 'DEFAULT-CORE 3\.3\.0\.0'
            $r.Text | Should -Match 'LOADED 3\.3\.0\.0,4\.0\.0\.0'
        }
    }

    It 'Import-Module -Force and Remove-Module behave' {
        $r = Invoke-FreshPwsh @"
Import-Module '$env:ECRAIRFLOW_TEST_MODULE'
$GetToken
Import-Module '$env:ECRAIRFLOW_TEST_MODULE' -Force
$GetToken
Remove-Module EcrAirflow
'AFTER-REMOVE ' + [bool](Get-Command Get-EcrDockerCredential -ErrorAction SilentlyContinue)
Import-Module '$env:ECRAIRFLOW_TEST_MODULE'
$GetToken
"@
        ([regex]::Matches($r.Text, 'TOKEN-OK')).Count | Should -Be 3
        $r.Text | Should -Match 'AFTER-REMOVE False'
    }

    It 'no parameter or output type of the cmdlets comes from a private dependency' {
        Import-Module $env:ECRAIRFLOW_TEST_MODULE -Force
        $types = foreach ($cmd in Get-Command -Module EcrAirflow) {
            $cmd.OutputType.Type
            $cmd.Parameters.Values.ParameterType
        }
        # EcrAirflow.dll holds every type a user can give or get; EcrAirflow.Core's are internal.
        $private = $types | Where-Object { $_ -and $_.Assembly.GetName().Name -notin 'EcrAirflow', 'System.Management.Automation' -and $_.Assembly.GetName().Name -notlike 'System*' }
        $private | Should -BeNullOrEmpty
    }
}
