# build.ps1 -Task Demo: the module's main job on local peers. Starts moto (a real AWS emulator with SigV4
# checking), the MWAA peer (botocore checks its signatures) and the Airflow API emulator as Airflow 2 and 3 on
# free loopback ports, then runs Get-EcrDockerCredential | Sync-AirflowEcrConnection in every mode. Before each
# result it prints the command it runs, exactly as a user would type it (secrets only as variables such as
# $airflowCredential, never their values), shows what each peer now stores (passwords masked), stops
# everything, and ends with the command to run against your own Airflow. Dot-sourced by build.ps1.

function Format-Masked([string] $Secret) {
    if (-not $Secret) { return '' }
    if ($Secret.Length -le 4) { return '****' }
    $Secret.Substring(0, 2) + ('*' * 4) + $Secret.Substring($Secret.Length - 2)
}

# Prints "PS> <command>", runs exactly that text in the caller's scope (so it sees the caller's variables, e.g.
# $airflowCredential), and shows its output. With -AssignTo the line reads "PS> $<name> = <command>" and the
# output is stored in the caller's variable of that name.
function Invoke-DemoCommand {
    param([Parameter(Mandatory)] [string] $Command, [string] $AssignTo)
    $line = if ($AssignTo) { "`$$AssignTo = $Command" } else { $Command }
    Write-Host "PS> $line" -ForegroundColor Yellow
    $output = @(. ([scriptblock]::Create($Command)))
    if ($AssignTo) { Set-Variable -Name $AssignTo -Value $output -Scope 1 }
    elseif ($output.Count) { $output | Out-Host }
}

# A note between the commands: what the demo set up, or what a result shows.
function Write-DemoNote([string] $Text) { Write-Host "# $Text" -ForegroundColor DarkGray }

function Invoke-Demo {
    param(
        [Parameter(Mandatory)] [string] $ModuleManifest,
        [Parameter(Mandatory)] [string] $WorkDirectory,
        # A running moto peer to use (Start-MotoPeer) instead of starting one; the demo leaves it running.
        $Moto
    )

    $null = New-Item -ItemType Directory $WorkDirectory -Force
    Write-Host "`n== Starting the peers on 127.0.0.1 ==" -ForegroundColor Cyan
    $ownMoto = -not $Moto
    if ($ownMoto) { $Moto = Start-MotoPeer -WorkDirectory $WorkDirectory }
    $airflow2 = $null; $airflow3 = $null; $mwaa = $null
    # The stand-in airflow CLI keeps its store and call log here.
    $standInHome = Join-Path $WorkDirectory ('ecrairflow-demo-cli-' + [guid]::NewGuid().ToString('n'))
    $dotenv = Join-Path $WorkDirectory 'demo.env'
    $names = 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ENDPOINT_URL',
        'AWS_ENDPOINT_URL_ECR', 'AWS_ENDPOINT_URL_MWAA', 'AWS_ENDPOINT_URL_SECRETS_MANAGER', 'AWS_ENDPOINT_URL_SSM', 'AIRFLOW_CONN_ECR', 'AIRFLOW_STANDIN_HOME', 'PATH'
    $saved = @{}
    foreach ($name in $names) { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
    $gets = 0
    try {
        $airflowPassword = 'demo-airflow-pw'
        $airflow2 = Start-AirflowEmulator -AirflowVersion 2 -Password $airflowPassword
        $airflow3 = Start-AirflowEmulator -AirflowVersion 3 -Password $airflowPassword
        # Amazon MWAA: one environment named demo per region, us-east-1 on Airflow 2, eu-west-1 on Airflow 3.
        $mwaa = Start-MwaaPeer -WorkDirectory $WorkDirectory
        # One AWS identity for the whole demo: a moto IAM user that may get ECR tokens and write secrets and parameters.
        $identity = $Moto.Info.writer
        $null = Add-MwaaKey -Peer $mwaa -Key $identity
        $null = Add-MwaaEnvironment -Peer $mwaa -Name demo -Region us-east-1 -AirflowVersion '2.10.3' -AirflowUrl $airflow2.Url -AirflowPassword $airflowPassword
        $null = Add-MwaaEnvironment -Peer $mwaa -Name demo -Region eu-west-1 -AirflowVersion '3.0.6' -AirflowUrl $airflow3.Url -AirflowPassword $airflowPassword
        Write-Host "moto (AWS, signatures checked): $($Moto.Endpoint)"
        Write-Host "Airflow 2 emulator (API v1):    $($airflow2.Url)"
        Write-Host "Airflow 3 emulator (API v2):    $($airflow3.Url)"
        Write-Host "MWAA peer (botocore SigV4):     $($mwaa.Endpoint)"

        Import-Module $ModuleManifest -Force
        # The session as a user's would be: AWS keys in the environment, an Airflow credential in a variable.
        foreach ($name in $names | Where-Object { $_ -like 'AWS_*' }) { [Environment]::SetEnvironmentVariable($name, $null) }
        $env:AWS_ACCESS_KEY_ID = $identity.accessKeyId
        $env:AWS_SECRET_ACCESS_KEY = $identity.secretAccessKey
        $airflowCredential = [pscredential]::new('admin', (ConvertTo-SecureString $airflowPassword -AsPlainText -Force))

        Write-Host "`n== Your session, with the peers instead of AWS and Airflow ==" -ForegroundColor Cyan
        Write-DemoNote 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY hold the keys of a moto IAM user, as your environment holds yours.'
        Write-DemoNote '$airflowCredential holds the emulators'' Airflow user, as $airflowCredential = Get-Credential admin would.'
        Invoke-DemoCommand "`$env:AWS_ENDPOINT_URL = '$($Moto.Endpoint)'"
        Invoke-DemoCommand "`$env:AWS_ENDPOINT_URL_MWAA = '$($mwaa.Endpoint)'"

        Write-Host "`n== Get-EcrDockerCredential: one token per registry ==" -ForegroundColor Cyan
        Invoke-DemoCommand 'Get-EcrDockerCredential -Region eu-west-1 -RegistryId 123456789012, 210987654321' -AssignTo ecr
        $gets++
        Invoke-DemoCommand '$ecr'

        Write-Host "`n== Rest, Airflow 2 (API v1): PATCH, else POST, per connection ==" -ForegroundColor Cyan
        Invoke-DemoCommand ('$ecr | Sync-AirflowEcrConnection -ConnectionId { "ecr_$($_.RegistryId)" } -Mode Rest -AirflowUrl ' + $airflow2.Url + ' -AirflowCredential $airflowCredential')
        Write-Host "`n== Rest, Airflow 3 (API v2): one bulk request for both, run twice (create, then update) ==" -ForegroundColor Cyan
        foreach ($i in 1, 2) {
            Invoke-DemoCommand ('Get-EcrDockerCredential -Region eu-west-1 -RegistryId 123456789012, 210987654321 | Sync-AirflowEcrConnection -ConnectionId { "ecr_$($_.RegistryId)" } -AirflowUrl ' + $airflow3.Url + ' -AirflowCredential $airflowCredential')
            $gets++
        }
        foreach ($emu in $airflow2, $airflow3) {
            Write-DemoNote "What the Airflow $($emu.AirflowVersion) emulator stores now (read from its test API; password masked):"
            Get-EmulatorConnections -Url $emu.Url | Sort-Object connection_id |
                Select-Object connection_id, host, login, @{ n = 'password'; e = { Format-Masked $_.password } } |
                Format-Table -AutoSize | Out-Host
            Write-DemoNote "Requests it received: $((Get-EmulatorRequests -Url $emu.Url | ForEach-Object { "$($_.method) $($_.path) -> $($_.status)" }) -join '; ')"
        }

        Write-Host "`n== Mwaa: Amazon MWAA's InvokeRestApi, signed with the keys in the environment ==" -ForegroundColor Cyan
        foreach ($case in @(@{ Region = 'us-east-1'; Airflow = $airflow2 }, @{ Region = 'eu-west-1'; Airflow = $airflow3 })) {
            Write-DemoNote "The MWAA environment demo in $($case.Region) runs Airflow $($case.Airflow.AirflowVersion); run twice (create, then update)."
            Invoke-DemoCommand "`$env:AWS_REGION = '$($case.Region)'"
            foreach ($i in 1, 2) {
                Invoke-DemoCommand 'Get-EcrDockerCredential | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Mwaa -MwaaEnvironmentName demo'
                $gets++
            }
            $stored = Get-EmulatorConnections -Url $case.Airflow.Url | Where-Object connection_id -eq 'ecr'
            Write-DemoNote "Airflow $($case.Airflow.AirflowVersion) stores ecr: host $($stored.host), login $($stored.login), password $(Format-Masked $stored.password)"
        }
        Write-DemoNote 'Calls the MWAA peer answered (GetEnvironment once per environment; every signature checked by botocore):'
        Get-MwaaRequests -Peer $mwaa | ForEach-Object {
            $inner = if ($_.operation -eq 'InvokeRestApi') { " $($_.restApiMethod) $($_.restApiPath) -> Airflow $($_.restApiStatusCode)" } else { '' }
            "  $($_.operation)$inner (HTTP $($_.status))"
        } | Out-Host

        Write-Host "`n== Cli: 'airflow connections get' per connection, then one 'airflow connections import --overwrite' ==" -ForegroundColor Cyan
        if ($IsWindows) {
            Write-DemoNote 'Skipped on Windows: the project''s stand-in airflow CLI is a Python script that Windows cannot run by name.'
        }
        else {
            # The project's stand-in CLI answers as "airflow" from PATH, so the command reads as it would against a real one.
            $null = New-Item -ItemType Directory $standInHome -Force
            $env:AIRFLOW_STANDIN_HOME = $standInHome
            $env:PATH = (Join-Path $PSScriptRoot '../tests/peers/airflow') + [IO.Path]::PathSeparator + $env:PATH
            Write-DemoNote 'airflow is the project''s stand-in CLI here, first on PATH; yours might be docker, compose, exec, -T, airflow-scheduler, airflow.'
            Invoke-DemoCommand '$ecr | Sync-AirflowEcrConnection -ConnectionId { "ecr_$($_.RegistryId)" } -Mode Cli -AirflowCommand airflow'
            $call = Get-Content (Join-Path $standInHome 'calls.jsonl') | ForEach-Object { $_ | ConvertFrom-Json } | Where-Object { $_.argv -contains 'import' } | Select-Object -First 1
            Write-DemoNote "The CLI's command line (no token on it): airflow $($call.argv -join ' ')"
        }

        Write-Host "`n== EnvironmentVariable: AIRFLOW_CONN_* for this process and a .env file ==" -ForegroundColor Cyan
        New-DemoDotEnv -Path $dotenv -Content "# docker compose .env`nAIRFLOW_UID=50000`n"
        Write-DemoNote "$dotenv is a compose .env with one variable, mode 0600 (chmod 600 yours: it will hold a token)."
        Invoke-DemoCommand '$ecr | Select-Object -First 1 | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -CiSystem None'
        Invoke-DemoCommand ('$ecr | Select-Object -First 1 | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -CiSystem None -Path ''' + $dotenv.Replace("'", "''") + "'")
        $token = $ecr[0].GetNetworkCredentialPassword()
        Write-DemoNote "AIRFLOW_CONN_ECR = $($env:AIRFLOW_CONN_ECR.Replace($token, (Format-Masked $token)))"
        Write-DemoNote "$dotenv now reads (token masked):"
        Get-Content $dotenv | ForEach-Object { '  ' + $_.Replace($token, (Format-Masked $token)) } | Out-Host

        Write-Host "`n== SecretsManager and ParameterStore: where Airflow's AWS secrets backends read connections ==" -ForegroundColor Cyan
        Write-DemoNote 'Each run twice (create, then update); each store reports its own version.'
        Invoke-DemoCommand "`$env:AWS_REGION = 'eu-west-1'"
        foreach ($i in 1, 2) {
            Invoke-DemoCommand 'Get-EcrDockerCredential | Sync-AirflowEcrConnection -ConnectionId ecr -Mode SecretsManager | Format-Table ConnectionId, Action, Target, VersionId'
            $gets++
        }
        foreach ($i in 1, 2) {
            Invoke-DemoCommand 'Get-EcrDockerCredential | Sync-AirflowEcrConnection -ConnectionId ecr -Mode ParameterStore | Format-Table ConnectionId, Action, Target, Version, Tier'
            $gets++
        }
        $stores = @(Get-MotoRequests -RequestLog $Moto.RequestLog | Where-Object { $_.target -like 'secretsmanager.*' -or $_.target -like 'AmazonSSM.*' })
        Write-DemoNote "Secrets Manager and SSM requests moto received (signed and IAM-checked): $(($stores | ForEach-Object { "$($_.target) -> $($_.status)" }) -join '; ')"
        $ecrRequests = @(Get-MotoRequests -RequestLog $Moto.RequestLog | Where-Object target -like '*GetAuthorizationToken').Count
        Write-DemoNote "ECR requests moto received: $ecrRequests for $gets Get-EcrDockerCredential calls (a token is reused in the session until half its lifetime has passed)."
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        foreach ($peer in $mwaa, $airflow3, $airflow2) { Stop-Peer $peer }
        if ($ownMoto) { Stop-Peer $Moto }
        if ($mwaa) { Remove-Item -LiteralPath $mwaa.RequestLog -ErrorAction SilentlyContinue }
        if ((Split-Path $standInHome -Leaf) -like 'ecrairflow-demo-cli-*') { Remove-Item -LiteralPath $standInHome -Recurse -Force -ErrorAction SilentlyContinue }
        Write-Host "`nStopped the peers." -ForegroundColor Cyan
    }

    Write-Host "`n== Next: your own Airflow ==" -ForegroundColor Cyan
    Write-DemoNote 'In a new pwsh with your AWS credentials (a profile, SSO, a role or keys), your region and your Airflow''s URL;'
    Write-DemoNote 'Get-Credential asks for an Airflow user allowed to edit connections. Other modes: docs/modes/ in this repository.'
    Write-Host "PS> Import-Module '$($ModuleManifest.Replace("'", "''"))'" -ForegroundColor Yellow
    Write-Host 'PS> Get-EcrDockerCredential -Region eu-west-1 | Sync-AirflowEcrConnection -ConnectionId ecr -AirflowUrl https://airflow.example.com -AirflowCredential (Get-Credential)' -ForegroundColor Yellow
}

# The demo's compose .env: owner-only (0600) from the moment it exists, as a file that will hold a token should
# be, so the write that follows has nothing to warn about. A previous demo's file is replaced.
function New-DemoDotEnv([string] $Path, [string] $Content) {
    if (Test-Path -LiteralPath $Path) { Remove-Item -LiteralPath $Path }
    $options = [IO.FileStreamOptions]@{ Mode = [IO.FileMode]::CreateNew; Access = [IO.FileAccess]::Write }
    if (-not $IsWindows) { $options.UnixCreateMode = [IO.UnixFileMode]'UserRead, UserWrite' }
    $stream = [IO.File]::Open($Path, $options)
    try { $bytes = [Text.Encoding]::UTF8.GetBytes($Content); $stream.Write($bytes, 0, $bytes.Length) }
    finally { $stream.Dispose() }
}
