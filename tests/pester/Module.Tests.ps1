BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $ModulePath = $env:ECRAIRFLOW_TEST_MODULE
    Import-Module $ModulePath -Force
}

Describe 'The built module' {
    It 'exports exactly the three cmdlets' {
        (Get-Module EcrAirflow).ExportedCmdlets.Keys | Sort-Object | Should -Be @('Get-EcrDockerCredential', 'Sync-AirflowEcrConnection', 'Test-AirflowEcrConnection')
    }

    It 'runs the build this leg of the test task asked for (ECRAIRFLOW_FRAMEWORK), net8.0 otherwise' {
        $expected = if ($env:ECRAIRFLOW_FRAMEWORK -eq 'netstandard2.0' -or $PSEdition -eq 'Desktop') { 'netstandard2.0' } else { 'net8.0' }
        # The root is portable IL in bin/<tfm>/; its core (bin/net8.0/<rid>/ where the build made a ReadyToRun image
        # for this platform, see ReadyToRun.Tests.ps1) loads on first use.
        [EcrAirflow.EcrDockerCredential].Assembly.Location | Should -Match "[\\/]bin[\\/]$([regex]::Escape($expected))[\\/]EcrAirflow\.dll$"
        $null = Get-Command Sync-AirflowEcrConnection -Syntax   # its dynamic parameters come from the core
        $core = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'EcrAirflow.Core' })
        $core.Count | Should -Be 1
        $core[0].Location | Should -Match "[\\/]bin[\\/]$([regex]::Escape($expected))[\\/]((win|linux|osx)-(x64|arm64)[\\/])?EcrAirflow\.Core\.dll$"
    }

    It 'is imported from the staged out folder, never from src' {
        (Get-Module EcrAirflow).ModuleBase | Should -Match '[\\/]out[\\/](.+[\\/])?EcrAirflow[\\/]'
        (Get-Module EcrAirflow).ModuleBase | Should -Not -Match '[\\/]src[\\/]'
    }

    It 'is a binary module: its RootModule is EcrAirflow.dll, with no script around it' {
        $module = Get-Module EcrAirflow
        $module.ModuleType | Should -Be 'Binary'
        Get-ChildItem -LiteralPath $module.ModuleBase -Recurse -Include *.psm1, *.ps1 | Should -BeNullOrEmpty
    }
}
