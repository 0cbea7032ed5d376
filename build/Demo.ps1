# build.ps1 -Task Demo: the module's main job on local emulators. Starts moto (a real AWS emulator with
# SigV4 checking), the MWAA peer (botocore checks its signatures) and the Airflow API emulator as Airflow 2 and 3
# on free loopback ports, runs Get-EcrDockerCredential | Sync-AirflowEcrConnection in every mode, shows the typed results and what
# each Airflow now stores (passwords masked), then stops everything. Dot-sourced by build.ps1.

function Format-Masked([string] $Secret) {
    if (-not $Secret) { return '' }
    if ($Secret.Length -le 4) { return '****' }
    $Secret.Substring(0, 2) + ('*' * 4) + $Secret.Substring($Secret.Length - 2)
}

function Invoke-Demo {
    param([Parameter(Mandatory)] [string] $ModuleManifest, [Parameter(Mandatory)] [string] $WorkDirectory)

    $null = New-Item -ItemType Directory $WorkDirectory -Force
    Write-Host "`n== Starting the peers on 127.0.0.1 ==" -ForegroundColor Cyan
    $moto = Start-MotoPeer -WorkDirectory $WorkDirectory
    $airflow2 = $null; $airflow3 = $null; $mwaa = $null
    $standInHome = Join-Path $WorkDirectory ('ecrairflow-demo-cli-' + [guid]::NewGuid().ToString('n'))
    try {
        $airflow2 = Start-AirflowEmulator -AirflowVersion 2 -Password 'demo-airflow-pw'
        $airflow3 = Start-AirflowEmulator -AirflowVersion 3 -Password 'demo-airflow-pw'
        Write-Host "moto (AWS, signatures checked): $($moto.Endpoint)"
        Write-Host "Airflow 2 emulator (API v1):    $($airflow2.Url)"
        Write-Host "Airflow 3 emulator (API v2):    $($airflow3.Url)"
        # Amazon MWAA: one environment named demo per region, us-east-1 on Airflow 2, eu-west-1 on Airflow 3.
        $mwaa = Start-MwaaPeer -WorkDirectory $WorkDirectory
        $null = Add-MwaaKey -Peer $mwaa -Key $moto.Info.allowed
        $null = Add-MwaaEnvironment -Peer $mwaa -Name demo -Region us-east-1 -AirflowVersion '2.10.3' -AirflowUrl $airflow2.Url -AirflowPassword 'demo-airflow-pw'
        $null = Add-MwaaEnvironment -Peer $mwaa -Name demo -Region eu-west-1 -AirflowVersion '3.0.6' -AirflowUrl $airflow3.Url -AirflowPassword 'demo-airflow-pw'
        Write-Host "MWAA peer (botocore SigV4):     $($mwaa.Endpoint)"

        Import-Module $ModuleManifest -Force
        # The AWS side as a user would have it: keys in the environment (here: a moto IAM user allowed
        # ecr:GetAuthorizationToken), region on the command line.
        $saved = @{ AWS_ACCESS_KEY_ID = $env:AWS_ACCESS_KEY_ID; AWS_SECRET_ACCESS_KEY = $env:AWS_SECRET_ACCESS_KEY
            AWS_REGION = $env:AWS_REGION; AWS_ENDPOINT_URL_MWAA = $env:AWS_ENDPOINT_URL_MWAA }
        $env:AWS_ACCESS_KEY_ID = $moto.Info.allowed.accessKeyId
        $env:AWS_SECRET_ACCESS_KEY = $moto.Info.allowed.secretAccessKey
        $airflowCredential = [pscredential]::new('admin', (ConvertTo-SecureString 'demo-airflow-pw' -AsPlainText -Force))
        try {
            Write-Host "`n== Get-EcrDockerCredential -Region eu-west-1 -RegistryId 123456789012, 210987654321 ==" -ForegroundColor Cyan
            $ecr = Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $moto.Endpoint -RegistryId 123456789012, 210987654321
            $ecr | Format-Table | Out-Host

            Write-Host "== Rest, Airflow 2 (API v1): PATCH, else POST, per connection ==" -ForegroundColor Cyan
            $ecr | Sync-AirflowEcrConnection -ConnectionId { "ecr_$($_.RegistryId)" } -Mode Rest -AirflowUrl $airflow2.Url -AirflowCredential $airflowCredential |
                Format-Table | Out-Host
            Write-Host "== Rest, Airflow 3 (API v2): one bulk request for both, run twice (create, then update) ==" -ForegroundColor Cyan
            foreach ($i in 1, 2) {
                Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $moto.Endpoint -RegistryId 123456789012, 210987654321 |
                    Sync-AirflowEcrConnection -ConnectionId { "ecr_$($_.RegistryId)" } -Mode Rest -AirflowUrl $airflow3.Url -AirflowCredential $airflowCredential |
                    Format-Table | Out-Host
            }

            foreach ($emu in $airflow2, $airflow3) {
                Write-Host "What Airflow $($emu.AirflowVersion) stores now (password masked):" -ForegroundColor Cyan
                Get-EmulatorConnections -Url $emu.Url | Sort-Object connection_id |
                    Select-Object connection_id, host, login, @{ n = 'password'; e = { Format-Masked $_.password } } |
                    Format-Table -AutoSize | Out-Host
                Write-Host "Requests Airflow $($emu.AirflowVersion) received:"
                Get-EmulatorRequests -Url $emu.Url | ForEach-Object { "  $($_.method) $($_.path) -> $($_.status)" } | Out-Host
            }

            Write-Host "`n== Mwaa: Amazon MWAA's InvokeRestApi, signed with the default credential chain ==" -ForegroundColor Cyan
            # All a refresh job configures: the region and MWAA's endpoint (here the peer); the keys are the chain's.
            $env:AWS_ENDPOINT_URL_MWAA = $mwaa.Endpoint
            foreach ($case in @(@{ Region = 'us-east-1'; Airflow = $airflow2 }, @{ Region = 'eu-west-1'; Airflow = $airflow3 })) {
                $env:AWS_REGION = $case.Region
                Write-Host "AWS_REGION=$($case.Region): MWAA environment demo on Airflow $($case.Airflow.AirflowVersion), run twice (create, then update)"
                foreach ($i in 1, 2) {
                    Get-EcrDockerCredential -EndpointUrl $moto.Endpoint -Force |
                        Sync-AirflowEcrConnection -ConnectionId ecr -Mode Mwaa -MwaaEnvironmentName demo | Format-Table | Out-Host
                }
                $stored = Get-EmulatorConnections -Url $case.Airflow.Url | Where-Object connection_id -eq 'ecr'
                Write-Host "Airflow $($case.Airflow.AirflowVersion) stores ecr: host $($stored.host), login $($stored.login), password $(Format-Masked $stored.password)"
            }
            Write-Host 'Calls the MWAA peer answered (GetEnvironment once per environment; every signature checked by botocore):'
            Get-MwaaRequests -Peer $mwaa | ForEach-Object {
                $inner = if ($_.operation -eq 'InvokeRestApi') { " $($_.restApiMethod) $($_.restApiPath) -> Airflow $($_.restApiStatusCode)" } else { '' }
                "  $($_.operation)$inner (HTTP $($_.status), key $($_.accessKeyId))"
            } | Out-Host
            $env:AWS_REGION = $saved.AWS_REGION
            $env:AWS_ENDPOINT_URL_MWAA = $saved.AWS_ENDPOINT_URL_MWAA

            Write-Host "`n== Cli: 'airflow connections get' per connection, then one 'airflow connections import --overwrite' (the stand-in airflow CLI) ==" -ForegroundColor Cyan
            $null = New-Item -ItemType Directory $standInHome -Force
            $standIn = Join-Path $Root 'tests/peers/airflow/airflow'
            $ecr | Sync-AirflowEcrConnection -ConnectionId { "ecr_$($_.RegistryId)" } -Mode Cli -AirflowCommand env, "AIRFLOW_STANDIN_HOME=$standInHome", $standIn |
                Format-Table | Out-Host
            $call = Get-Content (Join-Path $standInHome 'calls.jsonl') | ForEach-Object { $_ | ConvertFrom-Json } | Where-Object { $_.argv -contains 'import' } | Select-Object -First 1
            Write-Host "The CLI's command line (no token on it): airflow $($call.argv -join ' ')"

            Write-Host "`n== EnvironmentVariable: AIRFLOW_CONN_* for this process and a .env file ==" -ForegroundColor Cyan
            $dotenv = Join-Path $WorkDirectory 'demo.env'
            Set-Content $dotenv "# docker compose .env`nAIRFLOW_UID=50000`n"
            $ecr | Select-Object -First 1 | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -CiSystem None | Format-Table | Out-Host
            $ecr | Select-Object -First 1 | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -Path $dotenv -CiSystem None | Format-Table | Out-Host
            $token = $ecr[0].GetNetworkCredentialPassword()
            Write-Host "AIRFLOW_CONN_ECR = $($env:AIRFLOW_CONN_ECR.Replace($token, (Format-Masked $token)))"
            Write-Host "$dotenv now reads:"
            Get-Content $dotenv | ForEach-Object { '  ' + $_.Replace($token, (Format-Masked $token)) } | Out-Host
            Remove-Item Env:AIRFLOW_CONN_ECR -ErrorAction SilentlyContinue

            Write-Host "`n== SecretsManager and ParameterStore: where Airflow's AWS secrets backends read connections ==" -ForegroundColor Cyan
            Write-Host "Only AWS_REGION, AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL_SSM and the default credential chain (keys of a moto user allowed to write them)."
            $awsSaved = @{ AWS_REGION = $env:AWS_REGION; AWS_ENDPOINT_URL_SECRETS_MANAGER = $env:AWS_ENDPOINT_URL_SECRETS_MANAGER; AWS_ENDPOINT_URL_SSM = $env:AWS_ENDPOINT_URL_SSM }
            try {
                $env:AWS_REGION = 'eu-west-1'
                $env:AWS_ENDPOINT_URL_SECRETS_MANAGER = $moto.Endpoint
                $env:AWS_ENDPOINT_URL_SSM = $moto.Endpoint
                $env:AWS_ACCESS_KEY_ID = $moto.Info.writer.accessKeyId
                $env:AWS_SECRET_ACCESS_KEY = $moto.Info.writer.secretAccessKey
                # What each store reports: Secrets Manager the new version's id, SSM the version and the tier used.
                $shown = @{ SecretsManager = 'ConnectionId', 'Action', 'Target', 'VersionId'; ParameterStore = 'ConnectionId', 'Action', 'Target', 'Version', 'Tier' }
                foreach ($mode in 'SecretsManager', 'ParameterStore') {
                    foreach ($i in 1, 2) {
                        Get-EcrDockerCredential -EndpointUrl $moto.Endpoint -Force | Sync-AirflowEcrConnection -ConnectionId ecr -Mode $mode |
                            Format-Table -Property $shown[$mode] -AutoSize | Out-Host
                    }
                }
                $stores = @(Get-MotoRequests -RequestLog $moto.RequestLog | Where-Object { $_.target -like 'secretsmanager.*' -or $_.target -like 'AmazonSSM.*' })
                Write-Host "Secrets Manager and SSM requests moto received (signed and IAM-checked):"
                $stores | ForEach-Object { "  $($_.target) -> $($_.status)" } | Out-Host
            }
            finally {
                foreach ($k in $awsSaved.Keys) { [Environment]::SetEnvironmentVariable($k, $awsSaved[$k]) }
            }
        }
        finally {
            foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) }
        }
        Write-Host "ECR requests moto received: $(@(Get-MotoRequests -RequestLog $moto.RequestLog | Where-Object target -like '*GetAuthorizationToken').Count) (one per Get-EcrDockerCredential call)"
    }
    finally {
        foreach ($peer in $mwaa, $airflow3, $airflow2, $moto) { Stop-Peer $peer }
        if ($mwaa) { Remove-Item -LiteralPath $mwaa.RequestLog -ErrorAction SilentlyContinue }
        if ((Split-Path $standInHome -Leaf) -like 'ecrairflow-demo-cli-*') { Remove-Item -LiteralPath $standInHome -Recurse -Force -ErrorAction SilentlyContinue }
        Write-Host "`nStopped moto, the MWAA peer and the Airflow emulators." -ForegroundColor Cyan
    }
}
