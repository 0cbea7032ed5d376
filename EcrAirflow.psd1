@{
    # The one place the version lives: build.ps1 reads it and passes it to dotnet.
    ModuleVersion        = '0.3.0'
    GUID                 = '6f0c4a52-3b1e-4f36-9d0a-2e8b1c7d5a41'
    Author               = 'EcrAirflow contributors'
    CompanyName          = 'EcrAirflow'
    Copyright            = '(c) EcrAirflow contributors. Apache-2.0.'
    Description          = 'Keeps Apache Airflow Docker connections supplied with fresh Amazon ECR credentials: Get-EcrDockerCredential | Sync-AirflowEcrConnection, through the Airflow REST API (2 and 3), the Airflow CLI, AIRFLOW_CONN_* variables, AWS Secrets Manager, SSM Parameter Store or Amazon MWAA.'
    # A binary module: PowerShell 7.4+ (Core) loads the net8.0 build, Windows PowerShell 5.1 (Desktop) the
    # netstandard2.0 one. A manifest may test $PSEdition (and nothing else about the platform), so the per-platform
    # ReadyToRun code lives in EcrAirflow.Core.dll, which this small portable assembly loads on first use.
    RootModule           = if ($PSEdition -eq 'Core') { 'bin/net8.0/EcrAirflow.dll' } else { 'bin/netstandard2.0/EcrAirflow.dll' }
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('EcrAirflow.Format.ps1xml')
    FunctionsToExport    = @()
    CmdletsToExport      = @('Get-EcrDockerCredential', 'Sync-AirflowEcrConnection', 'Test-AirflowEcrConnection')
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('AWS', 'ECR', 'Airflow', 'Docker', 'Credentials', 'MWAA', 'SecretsManager',
                             'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://www.apache.org/licenses/LICENSE-2.0'
            # build.ps1 replaces this line in the staged manifest with CHANGELOG.md's section of ModuleVersion.
            ReleaseNotes = 'See CHANGELOG.md.'
        }
    }
}
