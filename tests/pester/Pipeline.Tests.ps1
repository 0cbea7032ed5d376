# The real pipeline end to end: Get-EcrDockerCredential against moto (signatures checked) piped into
# Sync-AirflowEcrConnection against the Airflow emulator (Airflow 2 and 3), the stand-in CLI and the
# environment; plus the scheduling recipe's script in examples/, so the documented recipe cannot rot.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module $env:ECRAIRFLOW_TEST_MODULE -Force
    $script:Moto = Get-Content $env:ECRAIRFLOW_TEST_MOTO -Raw | ConvertFrom-Json
    $script:Aws = New-AwsKeyCredential $Moto.allowed
    # Every ECR token moto issues is new: the newest one a key got is what a -Force run (or a fresh process) stored.
    function Get-IssuedToken($Key = $Moto.allowed) { Get-MotoEcrPassword -Endpoint $Moto.endpoint -AccessKeyId $Key.accessKeyId }
    $script:Emulators = @{
        2 = Start-AirflowEmulator -AirflowVersion 2 -Password 'pipeline-Pa55'
        3 = Start-AirflowEmulator -AirflowVersion 3 -Password 'pipeline-Pa55'
    }
    $script:Airflow = [pscredential]::new('admin', (ConvertTo-SecureString 'pipeline-Pa55' -AsPlainText -Force))
    $script:Get = @{ Region = 'eu-west-1'; EndpointUrl = $Moto.endpoint; Credential = $Aws; Force = $true }
    $script:Registry = "$($Moto.accountId).dkr.ecr.eu-west-1.amazonaws.com"
}

AfterAll {
    foreach ($e in $Emulators.Values) { Stop-Peer $e }
}

Describe 'Get-EcrDockerCredential | Sync-AirflowEcrConnection -Mode Rest on Airflow <_>' -ForEach 2, 3 {
    BeforeAll { $script:Emu = $Emulators[$_] }

    It 'creates, then updates the connection with the token moto issued' {
        $first = Get-EcrDockerCredential @Get | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Rest -AirflowUrl $Emu.Url -AirflowCredential $Airflow
        $first.ConnectionId | Should -Be 'ecr'
        $first.Registry | Should -Be $Registry
        $first.ApiVersion | Should -Be $(if ($_ -eq 2) { 'V1' } else { 'V2' })
        $first.Action | Should -Be 'Created'
        $stored = Get-EmulatorConnections -Url $Emu.Url | Where-Object connection_id -eq 'ecr'
        $stored.conn_type | Should -Be 'docker'
        $stored.host | Should -Be $Registry
        $stored.login | Should -Be 'AWS'
        $stored.password | Should -BeExactly (Get-IssuedToken)

        $second = Get-EcrDockerCredential @Get | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Rest -AirflowUrl $Emu.Url -AirflowCredential $Airflow
        $second.Action | Should -Be 'Updated'
        @(Get-EmulatorConnections -Url $Emu.Url | Where-Object connection_id -eq 'ecr').Count | Should -Be 1
        # Never deleted on the way: no DELETE ever reached Airflow.
        Get-EmulatorRequests -Url $Emu.Url | Where-Object method -eq 'DELETE' | Should -BeNullOrEmpty
    }

    It 'one ECR request per refresh, and many registries in one Airflow 3 request' {
        Clear-EmulatorRequests $Emu
        $before = @(Get-MotoRequests -RequestLog $env:ECRAIRFLOW_TEST_MOTO_LOG).Count
        $results = Get-EcrDockerCredential @Get -RegistryId 111111111111, 222222222222, 333333333333 |
            Sync-AirflowEcrConnection -ConnectionId { "ecr_$($_.RegistryId)" } -Mode Rest -AirflowUrl $Emu.Url -AirflowCredential $Airflow
        $results | Should -HaveCount 3
        @(Get-MotoRequests -RequestLog $env:ECRAIRFLOW_TEST_MOTO_LOG).Count - $before | Should -Be 1
        $calls = @(Get-EmulatorRequests -Url $Emu.Url | Where-Object { $_.path -like '/api/*/connections*' })
        # Airflow 3: one list read and one bulk write for the three; Airflow 2: a read and a write for each.
        if ($_ -eq 3) { $calls.Count | Should -Be 2 } else { $calls.Count | Should -Be 6 }
    }
}

Describe 'Airflow <_> behind a reverse proxy at /airflow' -ForEach 2, 3 {
    BeforeAll { $script:Proxied = Start-AirflowEmulator -AirflowVersion $_ -Password 'pipeline-Pa55' -PathPrefix /airflow }
    AfterAll { Stop-Peer $Proxied }

    It 'writes through the prefixed base URL, -ApiVersion Auto included' {
        $r = Get-EcrDockerCredential @Get | Sync-AirflowEcrConnection -ConnectionId ecr_proxied -AirflowUrl "$($Proxied.Url)/airflow" -AirflowCredential $Airflow
        $r.Target | Should -Be "$($Proxied.Url)/airflow"
        (Get-EmulatorConnections -Url $Proxied.Url | Where-Object connection_id -eq 'ecr_proxied').password | Should -BeExactly (Get-IssuedToken)
        Get-EmulatorRequests -Url $Proxied.Url | ForEach-Object path | Should -Not -Contain '/api/v2/connections'
    }

    It 'says the REST API is not there when the prefix is missing from -AirflowUrl' {
        $api = if ($_ -eq 2) { 'V1' } else { 'V2' }
        $failure = $null
        try { Get-EcrDockerCredential @Get | Sync-AirflowEcrConnection -ConnectionId ecr_proxied -AirflowUrl $Proxied.Url -AirflowCredential $Airflow -ApiVersion $api -ErrorAction Stop }
        catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -BeLike 'AirflowApiNotFound,*'
        $failure.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failure.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }
}

Describe 'The other modes, fed by moto' {
    It 'EnvironmentVariable: AIRFLOW_CONN_ECR_PIPE holds a URI with the token, read back by Airflow''s rules' {
        try {
            $r = Get-EcrDockerCredential @Get | Sync-AirflowEcrConnection -ConnectionId ecr_pipe -Mode EnvironmentVariable -CiSystem None
            $r.VariableName | Should -Be 'AIRFLOW_CONN_ECR_PIPE'
            $env:AIRFLOW_CONN_ECR_PIPE | Should -Be "docker://AWS:$([uri]::EscapeDataString((Get-IssuedToken)))@$Registry"
        }
        finally { Remove-Item Env:AIRFLOW_CONN_ECR_PIPE -ErrorAction SilentlyContinue }
    }

    It 'Cli: one import through the stand-in airflow, and the token never on its command line' {
        $standIn = Join-Path $PSScriptRoot '../peers/airflow/airflow'
        $dir = New-TestFolder 'pipe'
        try {
            $r = Get-EcrDockerCredential @Get | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Cli -AirflowCommand env, "AIRFLOW_STANDIN_HOME=$dir", $standIn
            $r.Mode | Should -Be 'Cli'
            $calls = @(Get-Content (Join-Path $dir 'calls.jsonl') | ForEach-Object { $_ | ConvertFrom-Json })
            $calls | Should -HaveCount 2   # the read (connections get), then the one import
            $calls[1].argv[1] | Should -Be 'import'
            ($calls.argv -join ' ').Contains((Get-IssuedToken)) | Should -BeFalse
            $stored = (& env "AIRFLOW_STANDIN_HOME=$dir" $standIn connections get ecr -o json | ConvertFrom-Json)[0]
            $stored.password | Should -BeExactly (Get-IssuedToken)
        }
        finally {
            Remove-TestFolder $dir
        }
    }
}

Describe 'The scheduling recipe (examples/Update-AirflowEcrConnection.ps1)' {
    BeforeAll {
        $script:Example = Join-Path $PSScriptRoot '../../examples/Update-AirflowEcrConnection.ps1'
        $script:Pwsh = Get-PwshCommandLine
        function Invoke-Example([string[]] $Arguments, [hashtable] $Environment) {
            $saved = @{}
            foreach ($k in $Environment.Keys) { $saved[$k] = [Environment]::GetEnvironmentVariable($k); [Environment]::SetEnvironmentVariable($k, $Environment[$k]) }
            try {
                $out = & $Pwsh[0] @($Pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $Example @Arguments 2>&1
                [pscustomobject]@{ ExitCode = $LASTEXITCODE; Text = ($out | Out-String) }
            }
            finally { foreach ($k in $Environment.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) } }
        }
        $script:ExampleEnv = @{
            AWS_ACCESS_KEY_ID = $Moto.allowed.accessKeyId; AWS_SECRET_ACCESS_KEY = $Moto.allowed.secretAccessKey
            AIRFLOW_API_USER = 'admin'; AIRFLOW_API_PASSWORD = 'pipeline-Pa55'
        }
    }

    It 'refreshes the connection as a scheduled task would run it (exit 0, one line, no secret)' {
        $r = Invoke-Example @('-Region', 'eu-west-1', '-AirflowUrl', $Emulators[3].Url, '-ConnectionId', 'ecr_sched', '-EndpointUrl', $Moto.endpoint, '-ModulePath', $env:ECRAIRFLOW_TEST_MODULE) $ExampleEnv
        $r.ExitCode | Should -Be 0
        $r.Text | Should -Match 'ecr_sched'
        $r.Text.Contains((Get-IssuedToken)) | Should -BeFalse
        $r.Text | Should -Not -Match 'pipeline-Pa55'
        (Get-EmulatorConnections -Url $Emulators[3].Url | Where-Object connection_id -eq 'ecr_sched').password | Should -BeExactly (Get-IssuedToken)
    }

    It 'with -Mode SecretsManager writes the secret, with no Airflow URL or credential at all' {
        $smEnv = @{ AWS_ACCESS_KEY_ID = $Moto.writer.accessKeyId; AWS_SECRET_ACCESS_KEY = $Moto.writer.secretAccessKey
            AWS_ENDPOINT_URL_SECRETS_MANAGER = $Moto.endpoint; AIRFLOW_API_USER = $null; AIRFLOW_API_PASSWORD = $null }
        $r = Invoke-Example @('-Region', 'eu-west-1', '-Mode', 'SecretsManager', '-ConnectionId', 'ecr_sched_sm', '-EndpointUrl', $Moto.endpoint, '-ModulePath', $env:ECRAIRFLOW_TEST_MODULE) $smEnv
        $r.ExitCode | Should -Be 0 -Because $r.Text
        $r.Text | Should -Match '(Created|Updated) ecr_sched_sm .* secretsmanager:eu-west-1:airflow/connections/ecr_sched_sm'
        $r.Text.Contains((Get-IssuedToken $Moto.writer)) | Should -BeFalse
    }

    It 'with -SkipIfValidFor 1h writes when due, then prints one Skipped line per connection and sends no write (exit 0)' {
        $url = $Emulators[3].Url
        $arguments = @('-Region', 'eu-west-1', '-AirflowUrl', $url, '-ConnectionId', 'ecr_skip', '-SkipIfValidFor', '1h', '-EndpointUrl', $Moto.endpoint, '-ModulePath', $env:ECRAIRFLOW_TEST_MODULE)
        $first = Invoke-Example $arguments $ExampleEnv
        $first.ExitCode | Should -Be 0 -Because $first.Text
        $first.Text | Should -Match "Created ecr_skip $([regex]::Escape($Registry)) via Rest V2 "

        $null = Invoke-RestMethod -Method Delete -Uri "$url/_emulator/requests"
        $second = Invoke-Example $arguments $ExampleEnv
        $second.ExitCode | Should -Be 0 -Because $second.Text
        @($second.Text -split "`r?`n" | Where-Object { $_ }) | Should -HaveCount 1
        $second.Text | Should -Match "^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ Skipped ecr_skip $([regex]::Escape($Registry)) via Rest $([regex]::Escape($url)) \(connection ecr_skip\); token expires \d{4}-"
        foreach ($issued in @(Get-MotoEcrToken -Endpoint $Moto.endpoint | ForEach-Object password)) { $second.Text.Contains($issued) | Should -BeFalse }
        Get-EmulatorRequests -Url $url | Where-Object { $_.method -in 'POST', 'PATCH' -and $_.path -like '/api/v2/connections*' } | Should -BeNullOrEmpty
    }

    It 'takes -RegistryId as a comma list in one argument, as pwsh -File passes it: one connection per registry' {
        $url = $Emulators[3].Url
        $r = Invoke-Example @('-Region', 'eu-west-1', '-AirflowUrl', $url, '-RegistryId', '111111111111,222222222222', '-EndpointUrl', $Moto.endpoint, '-ModulePath', $env:ECRAIRFLOW_TEST_MODULE) $ExampleEnv
        $r.ExitCode | Should -Be 0 -Because $r.Text
        $r.Text | Should -Match ' ecr_111111111111 111111111111\.dkr\.ecr\.eu-west-1\.amazonaws\.com via '
        $r.Text | Should -Match ' ecr_222222222222 222222222222\.dkr\.ecr\.eu-west-1\.amazonaws\.com via '
        $stored = @(Get-EmulatorConnections -Url $url | Where-Object connection_id -in 'ecr_111111111111', 'ecr_222222222222')
        $stored | Should -HaveCount 2
    }

    It 'fails with exit code 1 and a one-line reason when Airflow refuses the credential' {
        $bad = $ExampleEnv.Clone(); $bad.AIRFLOW_API_PASSWORD = 'wrong-password-123'
        $r = Invoke-Example @('-Region', 'eu-west-1', '-AirflowUrl', $Emulators[2].Url, '-EndpointUrl', $Moto.endpoint, '-ModulePath', $env:ECRAIRFLOW_TEST_MODULE) $bad
        $r.ExitCode | Should -Be 1
        $r.Text | Should -Match 'EcrAirflow refresh failed'
        $r.Text | Should -Not -Match 'wrong-password-123'
    }
}
