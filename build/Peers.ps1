# build.ps1 -Task Peers: the local peers, for trying the module by hand. Starts on 127.0.0.1 moto (AWS with
# SigV4 and IAM checking, ECR tokens in ECR's format with a 12-hour lifetime), the Airflow API emulator as
# Airflow 2 and as Airflow 3, and the MWAA peer with an environment on each; prints the environment variables and
# parameters that point the module at them; and stops everything on Ctrl+C. Dot-sourced by build.ps1; the demo
# starts the same set with Start-LocalPeers.

# Starts every peer; returns what Show-LocalPeers prints and Stop-LocalPeers stops.
function Start-LocalPeers {
    param([Parameter(Mandatory)] [string] $WorkDirectory, [string] $AirflowPassword = 'admin')
    $null = New-Item -ItemType Directory $WorkDirectory -Force
    $peers = [pscustomobject]@{ Moto = $null; Airflow2 = $null; Airflow3 = $null; Mwaa = $null; AirflowPassword = $AirflowPassword }
    try {
        $peers.Moto = Start-MotoPeer -WorkDirectory $WorkDirectory
        $peers.Airflow2 = Start-AirflowEmulator -AirflowVersion 2 -Password $AirflowPassword
        $peers.Airflow3 = Start-AirflowEmulator -AirflowVersion 3 -Password $AirflowPassword
        # Amazon MWAA: one environment named demo per region, us-east-1 on Airflow 2, eu-west-1 on Airflow 3.
        $peers.Mwaa = Start-MwaaPeer -WorkDirectory $WorkDirectory
        foreach ($user in 'writer', 'allowed') { $null = Add-MwaaKey -Peer $peers.Mwaa -Key $peers.Moto.Info.$user }
        $null = Add-MwaaEnvironment -Peer $peers.Mwaa -Name demo -Region us-east-1 -AirflowVersion '2.10.3' -AirflowUrl $peers.Airflow2.Url -AirflowPassword $AirflowPassword
        $null = Add-MwaaEnvironment -Peer $peers.Mwaa -Name demo -Region eu-west-1 -AirflowVersion '3.0.6' -AirflowUrl $peers.Airflow3.Url -AirflowPassword $AirflowPassword
        $peers
    }
    catch {
        Stop-LocalPeers $peers
        throw
    }
}

function Stop-LocalPeers($Peers) {
    if (-not $Peers) { return }
    foreach ($peer in $Peers.Mwaa, $Peers.Airflow3, $Peers.Airflow2, $Peers.Moto) { if ($peer) { Stop-Peer $peer } }
}

# The environment a shell needs to use the peers: the moto user that may get ECR tokens and read and write the
# secret stores, the region, and every service's endpoint. These are the emulator's own keys, not secrets.
function Get-LocalPeersEnvironment($Peers) {
    [ordered]@{
        AWS_ACCESS_KEY_ID                = $Peers.Moto.Info.writer.accessKeyId
        AWS_SECRET_ACCESS_KEY            = $Peers.Moto.Info.writer.secretAccessKey
        AWS_REGION                       = 'eu-west-1'
        AWS_ENDPOINT_URL_ECR             = $Peers.Moto.Endpoint
        AWS_ENDPOINT_URL_STS             = $Peers.Moto.Endpoint
        AWS_ENDPOINT_URL_SECRETS_MANAGER = $Peers.Moto.Endpoint
        AWS_ENDPOINT_URL_SSM             = $Peers.Moto.Endpoint
        AWS_ENDPOINT_URL_MWAA            = $Peers.Mwaa.Endpoint
    }
}

function Show-LocalPeers($Peers, [string] $ModuleManifest) {
    Write-Host "`nPeers on 127.0.0.1:" -ForegroundColor Cyan
    Write-Host "  moto (AWS, signatures checked)  $($Peers.Moto.Endpoint)"
    Write-Host "  Airflow 2 emulator (API v1)     $($Peers.Airflow2.Url)   user admin, password $($Peers.AirflowPassword)"
    Write-Host "  Airflow 3 emulator (API v2)     $($Peers.Airflow3.Url)   user admin, password $($Peers.AirflowPassword)"
    Write-Host "  MWAA peer (botocore SigV4)      $($Peers.Mwaa.Endpoint)   environment demo: us-east-1 on Airflow 2, eu-west-1 on Airflow 3"
    Write-Host "`nIn another PowerShell, paste:" -ForegroundColor Cyan
    foreach ($pair in (Get-LocalPeersEnvironment $Peers).GetEnumerator()) { Write-Host ("  `$env:{0} = '{1}'" -f $pair.Key, $pair.Value) }
    Write-Host "  Import-Module '$ModuleManifest'"
    Write-Host "  `$airflowCredential = [pscredential]::new('admin', (ConvertTo-SecureString '$($Peers.AirflowPassword)' -AsPlainText -Force))"
    Write-Host "`nThen, for example:" -ForegroundColor Cyan
    Write-Host "  Get-EcrDockerCredential | Sync-AirflowEcrConnection ecr -AirflowUrl $($Peers.Airflow3.Url) -AirflowCredential `$airflowCredential"
    Write-Host "  Test-AirflowEcrConnection ecr -AirflowUrl $($Peers.Airflow3.Url) -AirflowCredential `$airflowCredential"
    Write-Host "  Get-EcrDockerCredential | Sync-AirflowEcrConnection ecr -AirflowUrl $($Peers.Airflow2.Url) -AirflowCredential `$airflowCredential"
    Write-Host "  Get-EcrDockerCredential | Sync-AirflowEcrConnection ecr -Mode SecretsManager"
    Write-Host "  Get-EcrDockerCredential | Sync-AirflowEcrConnection ecr -Mode ParameterStore"
    Write-Host "  Get-EcrDockerCredential | Sync-AirflowEcrConnection ecr -Mode Mwaa -MwaaEnvironmentName demo"
    Write-Host "  Get-EcrDockerCredential | Sync-AirflowEcrConnection ecr -Mode EnvironmentVariable -Path ./peers.env"
}

function Invoke-Peers {
    param([Parameter(Mandatory)] [string] $ModuleManifest, [Parameter(Mandatory)] [string] $WorkDirectory)
    Write-Host 'Starting the peers...' -ForegroundColor Cyan
    $peers = Start-LocalPeers -WorkDirectory $WorkDirectory
    try {
        Show-LocalPeers $peers $ModuleManifest
        Write-Host "`nPEERS READY. Press Ctrl+C to stop them." -ForegroundColor Green
        # Until Ctrl+C (or the end of stdin, when a program started this one with a pipe and closed it).
        $stdinClosed = if ([Console]::IsInputRedirected) { [Console]::In.ReadToEndAsync() } else { $null }
        while ($true) {
            if ($stdinClosed -and $stdinClosed.IsCompleted) { break }
            Start-Sleep -Milliseconds 500
            foreach ($peer in $peers.Moto, $peers.Airflow2, $peers.Airflow3, $peers.Mwaa) {
                if ($peer.Process.HasExited) { throw "A peer stopped by itself (exit code $($peer.Process.ExitCode)); stopping the others." }
            }
        }
    }
    finally {
        Write-Host 'Stopping the peers.' -ForegroundColor Cyan
        Stop-LocalPeers $peers
    }
}
