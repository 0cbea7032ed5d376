# Offline help, tab completion and the loader's choice of build, as a user meets them.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module $env:ECRAIRFLOW_TEST_MODULE -Force
    $script:Common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
}

Describe 'Get-Help' {
    It '<_> has a synopsis, a description and at least three examples' -ForEach 'Get-EcrDockerCredential', 'Sync-AirflowEcrConnection', 'Test-AirflowEcrConnection' {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -Match "^\s*$_ \[" # not the auto-generated syntax line
        ($help.description.Text -join ' ') | Should -Not -BeNullOrEmpty
        @($help.examples.example).Count | Should -BeGreaterOrEqual 3
        ($help.examples.example.code -join "`n") | Should -Match $_
    }

    It '<_> describes every parameter' -ForEach 'Get-EcrDockerCredential', 'Sync-AirflowEcrConnection', 'Test-AirflowEcrConnection' {
        $names = (Get-Command $_).Parameters.Keys | Where-Object { $_ -notin $Common }
        foreach ($name in $names) {
            $text = (Get-Help $_ -Parameter $name).description.Text -join ' '
            $text | Should -Not -BeNullOrEmpty -Because "-$name needs a description"
        }
    }

    It 'has examples for the Task Scheduler and CI' {
        $all = foreach ($c in 'Get-EcrDockerCredential', 'Sync-AirflowEcrConnection') { (Get-Help $c -Examples).examples.example.title }
        ($all -join "`n") | Should -Match 'Task Scheduler'
        ($all -join "`n") | Should -Match 'GitHub Actions'
    }

    It 'has the about_EcrAirflow topic with the concepts' {
        $about = Get-Help about_EcrAirflow | Out-String
        $about | Should -Match '12-HOUR TOKEN'
        $about | Should -Match 'THE MODES'
        $about | Should -Match 'SecretsManager'
        $about | Should -Match 'ParameterStore'
        $about | Should -Match 'SECURITY MODEL'
    }
}

Describe 'Tab completion' {
    It 'completes -Region names' {
        $line = 'Get-EcrDockerCredential -Region eu-we'
        $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $result.CompletionMatches.CompletionText | Should -Contain 'eu-west-1'
        $result.CompletionMatches.CompletionText | Should -Not -Contain 'us-east-1'
    }

    It 'completes -ProfileName from the AWS config and credentials files (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE) on <_>' -ForEach 'Get-EcrDockerCredential', 'Sync-AirflowEcrConnection -Mode SecretsManager', 'Test-AirflowEcrConnection ecr -Mode ParameterStore' {
        . (Join-Path $PSScriptRoot 'Common.ps1')
        $work = New-TestFolder 'profiles'
        $saved = $env:AWS_CONFIG_FILE, $env:AWS_SHARED_CREDENTIALS_FILE
        try {
            $env:AWS_CONFIG_FILE = Join-Path $work 'config'
            $env:AWS_SHARED_CREDENTIALS_FILE = Join-Path $work 'credentials'
            [IO.File]::WriteAllText($env:AWS_CONFIG_FILE, "[default]`nregion = eu-west-1`n[profile prod-eu]`nrole_arn = arn:aws:iam::123456789012:role/x`n[sso-session corp]`nsso_region = eu-west-1`n[profile with space]`n")
            [IO.File]::WriteAllText($env:AWS_SHARED_CREDENTIALS_FILE, "[prod-us]`naws_access_key_id = AKIAEXAMPLE`naws_secret_access_key = not-a-name`n")
            $line = "$_ -ProfileName "
            $all = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
            $all.ListItemText | Should -Be @('prod-us', 'default', 'prod-eu', 'with space')
            ($all | Where-Object ListItemText -eq 'with space').CompletionText | Should -Be "'with space'"
            $line = "$_ -ProfileName prod"
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('prod-us', 'prod-eu')
        }
        finally {
            $env:AWS_CONFIG_FILE, $env:AWS_SHARED_CREDENTIALS_FILE = $saved
            Remove-TestFolder $work
        }
    }

    It 'completes -Mode values' {
        $line = 'Sync-AirflowEcrConnection -Mode Env'
        $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $result.CompletionMatches.CompletionText | Should -Contain 'EnvironmentVariable'
    }
}

Describe 'The loader' {
    It 'picks the net8.0 build on PowerShell 7 and the netstandard2.0 build on Windows PowerShell 5.1' {
        # The loader's choice on PowerShell 7 (bin/net8.0/<rid>/ where the build made ReadyToRun images for
        # this platform and runtime, see ReadyToRun.Tests.ps1) and on Windows PowerShell 5.1.
        $base = Split-Path $env:ECRAIRFLOW_TEST_MODULE
        $core = & (Get-Module EcrAirflow) { "$bin/EcrAirflow.dll" }
        if ($PSEdition -eq 'Desktop' -or $env:ECRAIRFLOW_FRAMEWORK -eq 'netstandard2.0') { $core = Join-Path $base 'bin/net8.0/EcrAirflow.dll' }
        $desktop = Join-Path $base 'bin/netstandard2.0/EcrAirflow.dll'
        $core | Should -Match '[\\/]bin[\\/]net8\.0[\\/]((win|linux|osx)-(x64|arm64)[\\/])?EcrAirflow\.dll$'
        Test-Path $core | Should -BeTrue
        Test-Path $desktop | Should -BeTrue
        [Reflection.AssemblyName]::GetAssemblyName($desktop).Version | Should -Be ([Reflection.AssemblyName]::GetAssemblyName($core).Version)
        # ECRAIRFLOW_FRAMEWORK=netstandard2.0 (the test task's second leg) loads the 5.1 build on PowerShell 7.
        $expected = if ($PSEdition -eq 'Desktop' -or $env:ECRAIRFLOW_FRAMEWORK -eq 'netstandard2.0') { $desktop } else { $core }
        [IO.Path]::GetFullPath((Get-Command Get-EcrDockerCredential).DLL) | Should -Be ([IO.Path]::GetFullPath($expected))
    }

    It 'ships the netstandard2.0 build against .NET Standard, with its private dependencies beside it' {
        $dir = Join-Path (Split-Path $env:ECRAIRFLOW_TEST_MODULE) 'bin/netstandard2.0'
        Test-Path (Join-Path $dir 'deps/EcrAirflow.Aws.dll') | Should -BeTrue
        Test-Path (Join-Path $dir 'deps/AWSSDK.Core.dll') | Should -BeTrue
        Test-Path (Join-Path $dir 'System.Text.Json.dll') | Should -BeTrue
    }

    It 'declares both editions in the manifest, and only the three cmdlets' {
        $manifest = Import-PowerShellDataFile $env:ECRAIRFLOW_TEST_MODULE
        $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $manifest.CmdletsToExport | Should -Be @('Get-EcrDockerCredential', 'Sync-AirflowEcrConnection', 'Test-AirflowEcrConnection')
        $manifest.FunctionsToExport.Count | Should -Be 0
        Get-Command -Module EcrAirflow -CommandType Function | Should -BeNullOrEmpty
    }
}
