# Offline help, tab completion and the manifest's choice of build, as a user meets them.
BeforeDiscovery {
    # Every mode the module registers: each must have its own offline help topic.
    Import-Module $env:ECRAIRFLOW_TEST_MODULE -Force
    $script:Modes = @([Enum]::GetNames([EcrAirflow.SyncMode]))
}

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

    It 'Get-Help about_EcrAirflow_<_> shows the mode''s own topic, with its parameters and its error ids' -ForEach $Modes {
        $mode = $_
        $topic = Get-Help "about_EcrAirflow_$mode"
        $topic | Should -Not -BeNullOrEmpty -Because "the offline help topic of -Mode $mode is installed with the module"
        $text = $topic | Out-String
        $text | Should -Match "(?m)^TOPIC\s+about_EcrAirflow_$mode\s*$"
        foreach ($section in 'SHORT DESCRIPTION', 'LONG DESCRIPTION', 'PARAMETERS', 'ERRORS', 'SEE ALSO') { $text | Should -Match "(?m)^$section\s*$" }
        # Every parameter this mode takes, as Get-Help Sync-AirflowEcrConnection lists them for it, is described.
        $paragraph = @((Get-Help Sync-AirflowEcrConnection -Full).description.Text | Where-Object { $_ -like "-Mode ${mode}:*" })[0]
        $parameters = @([regex]::Matches($paragraph, '(?<=Parameters: .*\s)-(\w+)') | ForEach-Object { $_.Groups[1].Value })
        $parameters | Should -Not -BeNullOrEmpty
        foreach ($parameter in $parameters) { $text | Should -Match "(?m)^\s+-$parameter\s*$" -Because "-$parameter is a parameter of -Mode $mode" }
        # Its own error ids, under ERRORS: at least one row "  <Id>   T|N|T/N   <Category>".
        $text.Substring($text.IndexOf("`nERRORS")) | Should -Match '(?m)^\s+\w+\s+(T|N|T/N)\s+[A-Z]\w+\s'
        $text | Should -Match '(?m)^\s+about_EcrAirflow\s*$'
    }

    It 'about_EcrAirflow and Sync-AirflowEcrConnection''s related links name every mode''s topic' {
        $about = Get-Help about_EcrAirflow | Out-String
        $links = (Get-Help Sync-AirflowEcrConnection -Full).relatedLinks.navigationLink.linkText
        foreach ($mode in [Enum]::GetNames([EcrAirflow.SyncMode])) {
            $about | Should -Match "\babout_EcrAirflow_$mode\b"
            $links | Should -Contain "about_EcrAirflow_$mode"
        }
    }

    It 'documents every Action a result can carry, in the help''s Outputs and in about_EcrAirflow' {
        $outputs = ((Get-Help Sync-AirflowEcrConnection -Full).returnValues.returnValue.description.Text) -join ' '
        $about = Get-Help about_EcrAirflow | Out-String
        foreach ($action in [Enum]::GetNames([EcrAirflow.SyncAction])) {
            $outputs | Should -Match "\b$action \(" -Because "the help's Outputs says what Action $action means"
            $about | Should -Match "(?m)^\s+$action\s{2,}\S" -Because "about_EcrAirflow's RESULTS says what Action $action means"
        }
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

Describe 'The manifest''s choice of build' {
    It 'names the net8.0 build for PowerShell 7 and the netstandard2.0 build for Windows PowerShell 5.1, and this leg imports its own' {
        # The staged manifest (ECRAIRFLOW_TEST_STAGED) chooses by $PSEdition alone; the test task's netstandard2.0
        # leg imports a copy whose RootModule is that manifest's Desktop branch, as Windows PowerShell 5.1 reads it.
        $branches = Get-ManifestRootModule $env:ECRAIRFLOW_TEST_STAGED
        $base = Split-Path $env:ECRAIRFLOW_TEST_MODULE
        $core = Join-Path $base $branches.Core
        $desktop = Join-Path $base $branches.Desktop
        $core | Should -Match '[\\/]bin[\\/]net8\.0[\\/]EcrAirflow\.dll$'
        $desktop | Should -Match '[\\/]bin[\\/]netstandard2\.0[\\/]EcrAirflow\.dll$'
        Test-Path $core | Should -BeTrue
        Test-Path $desktop | Should -BeTrue
        [Reflection.AssemblyName]::GetAssemblyName($desktop).Version | Should -Be ([Reflection.AssemblyName]::GetAssemblyName($core).Version)
        $expected = if ($PSEdition -eq 'Desktop' -or $env:ECRAIRFLOW_FRAMEWORK -eq 'netstandard2.0') { $desktop } else { $core }
        (Read-ModuleManifest $env:ECRAIRFLOW_TEST_MODULE).RootModule | Should -Be $(if ($expected -eq $desktop) { $branches.Desktop } else { $branches.Core })
        [IO.Path]::GetFullPath((Get-Command Get-EcrDockerCredential).DLL) | Should -Be ([IO.Path]::GetFullPath($expected))
    }

    It 'ships the netstandard2.0 build against .NET Standard, with its private dependencies beside it' {
        $dir = Join-Path (Split-Path $env:ECRAIRFLOW_TEST_MODULE) 'bin/netstandard2.0'
        Test-Path (Join-Path $dir 'EcrAirflow.Core.dll') | Should -BeTrue
        Test-Path (Join-Path $dir 'deps/EcrAirflow.Aws.dll') | Should -BeTrue
        Test-Path (Join-Path $dir 'deps/AWSSDK.Core.dll') | Should -BeTrue
        Test-Path (Join-Path $dir 'System.Text.Json.dll') | Should -BeTrue
    }

    It 'declares both editions in the manifest, and only the three cmdlets' {
        $manifest = Read-ModuleManifest $env:ECRAIRFLOW_TEST_MODULE
        $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $manifest.CmdletsToExport | Should -Be @('Get-EcrDockerCredential', 'Sync-AirflowEcrConnection', 'Test-AirflowEcrConnection')
        $manifest.FunctionsToExport.Count | Should -Be 0
        Get-Command -Module EcrAirflow -CommandType Function | Should -BeNullOrEmpty
    }
}
