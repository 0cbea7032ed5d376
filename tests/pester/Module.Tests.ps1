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
        $expected = if ($env:ECRAIRFLOW_FRAMEWORK -eq 'netstandard2.0') { 'netstandard2.0' } else { 'net8.0' }
        # net8.0: bin/net8.0/<rid>/ where the build made ReadyToRun images for this platform (ReadyToRun.Tests.ps1).
        [EcrAirflow.EcrDockerCredential].Assembly.Location | Should -Match "[\\/]bin[\\/]$([regex]::Escape($expected))[\\/]((win|linux|osx)-(x64|arm64)[\\/])?EcrAirflow\.dll$"
    }

    It 'is imported from the staged out folder, never from src' {
        (Get-Module EcrAirflow).ModuleBase | Should -Match '[\\/]out[\\/]EcrAirflow[\\/]'
    }
}
