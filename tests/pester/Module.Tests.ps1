BeforeAll {
    $ModulePath = $env:ECRAIRFLOW_TEST_MODULE
    Import-Module $ModulePath -Force
}

Describe 'The built module' {
    It 'exports exactly the two cmdlets' {
        (Get-Module EcrAirflow).ExportedCmdlets.Keys | Sort-Object | Should -Be @('Get-EcrDockerCredential', 'Sync-AirflowEcrConnection')
    }

    It 'is imported from the staged out folder, never from src' {
        (Get-Module EcrAirflow).ModuleBase | Should -Match '[\\/]out[\\/]EcrAirflow[\\/]'
    }
}
