# Sync-AirflowEcrConnection -Mode EnvironmentVariable: process scope (read back by a child Python that
# parses it as Airflow does), dotenv files (read back by python-dotenv when installed), GitHub Actions
# and Azure Pipelines output, and the errors for what this system cannot do.

BeforeDiscovery {
    # -Skip is decided at discovery: is there a Python for the read-back peer, with python-dotenv?
    $Python = (Get-Command python3, python -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source
    $HasDotenv = $false
    if ($Python) { & $Python -c 'import dotenv' 2>$null; $HasDotenv = $LASTEXITCODE -eq 0 }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module $env:ECRAIRFLOW_TEST_MODULE -Force
    $script:Root = if ($env:ECRAIRFLOW_TEST_ROOT) { $env:ECRAIRFLOW_TEST_ROOT } else { (Resolve-Path "$PSScriptRoot/../..").Path }
    $script:Reader = Join-Path $Root 'tests/peers/airflow/read_conn_env.py'
    $script:Python = (Get-Command python3, python -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source
    $script:Token = 'tok+/=en'


    # Runs the cmdlet with Console.Out captured: the CI commands go there, not to the pipeline.
    function Invoke-WithConsole([scriptblock] $Script) {
        $writer = [IO.StringWriter]::new()
        $writer.NewLine = "`n"
        $original = [Console]::Out
        [Console]::SetOut($writer)
        try { $output = & $Script }
        finally { [Console]::SetOut($original) }
        [pscustomobject]@{ Output = $output; Console = $writer.ToString() }
    }


    $script:EnvNames = 'GITHUB_ENV', 'TF_BUILD', 'AIRFLOW_CONN_ECR', 'AIRFLOW_CONN_ECR_A', 'AIRFLOW_CONN_ECR_B'
    $script:SavedEnv = @{}
}

Describe 'Sync-AirflowEcrConnection -Mode EnvironmentVariable' {
    BeforeEach {
        foreach ($name in $script:EnvNames) {
            $script:SavedEnv[$name] = [Environment]::GetEnvironmentVariable($name)
            Remove-Item "Env:$name" -ErrorAction SilentlyContinue
        }
        $script:Work = New-TestFolder 'env'
    }

    AfterEach {
        foreach ($name in $script:EnvNames) {
            if ($null -eq $script:SavedEnv[$name]) { Remove-Item "Env:$name" -ErrorAction SilentlyContinue }
            else { Set-Item "Env:$name" $script:SavedEnv[$name] }
        }
        Remove-TestFolder $script:Work
    }

    Context 'process scope' -Skip:(-not $Python) {
        It 'sets AIRFLOW_CONN_ECR so that a child process parses it back as Airflow does' {
            $result = New-FakeCredential | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable

            $result | Should -BeOfType 'EcrAirflow.AirflowConnectionSyncResult'
            $result.Mode | Should -Be 'EnvironmentVariable'
            $result.Target | Should -Be 'Process'
            $result.VariableName | Should -Be 'AIRFLOW_CONN_ECR'
            $result.Action | Should -Be 'Created'
            $result.PSObject.Properties['Value'] | Should -BeNullOrEmpty
            ($result | Format-List * | Out-String) | Should -Not -BeLike "*$Token*"
            $env:AIRFLOW_CONN_ECR | Should -BeExactly 'docker://AWS:tok%2B%2F%3Den@123456789012.dkr.ecr.eu-west-1.amazonaws.com'

            $read = & $Python $Reader AIRFLOW_CONN_ECR | ConvertFrom-Json
            $read.connection.conn_type | Should -Be 'docker'
            $read.connection.host | Should -Be '123456789012.dkr.ecr.eu-west-1.amazonaws.com'
            $read.connection.login | Should -Be 'AWS'
            $read.connection.password | Should -BeExactly $Token
        }

        It 'reports Unchanged for the same value and Updated for a new token' {
            $null = New-FakeCredential | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable
            (New-FakeCredential | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable).Action | Should -Be 'Unchanged'
            (New-FakeCredential -Token 'new/token=' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable).Action | Should -Be 'Updated'
            $env:AIRFLOW_CONN_ECR | Should -BeLike '*new%2Ftoken%3D@*'
        }

        It 'writes JSON with description and extra for -Format Json, and shows the value only with -IncludeValue' {
            $result = New-FakeCredential | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -Format Json -Email 'ops@example.com' -Reauth:$false -IncludeValue
            $result.Value | Should -BeExactly $env:AIRFLOW_CONN_ECR
            $read = & $Python $Reader AIRFLOW_CONN_ECR | ConvertFrom-Json
            $read.connection.password | Should -BeExactly $Token
            $read.connection.description | Should -BeLike 'Managed by EcrAirflow; token expires * UTC'
            $read.connection.extra.email | Should -Be 'ops@example.com'
            $read.connection.extra.reauth | Should -BeFalse
        }

        It 'keeps the token out of -Verbose output' {
            $streams = New-FakeCredential | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -Verbose 4>&1
            ($streams | Out-String) | Should -Not -BeLike "*$Token*"
            ($streams | Out-String) | Should -Not -BeLike '*tok%2B*'
        }

        It 'writes nothing with -WhatIf' {
            $path = Join-Path $script:Work '.env'
            $run = Invoke-WithConsole { New-FakeCredential | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -WhatIf }
            $run.Output | Should -BeNullOrEmpty
            $env:AIRFLOW_CONN_ECR | Should -BeNullOrEmpty
            $null = New-FakeCredential | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -Path $path -WhatIf
            Test-Path $path | Should -BeFalse
        }
    }

    Context 'dotenv file' {
        It 'replaces the line in place and keeps CRLF endings, comments and other variables byte for byte' {
            $path = Join-Path $script:Work '.env'
            $before = "# docker compose settings`r`nAIRFLOW_UID=50000`r`n`r`n# refreshed by EcrAirflow`r`nAIRFLOW_CONN_ECR='docker://AWS:old@host'`r`n_PIP_ADDITIONAL_REQUIREMENTS=`"apache-airflow-providers-docker`"`r`n"
            [IO.File]::WriteAllText($path, $before)

            $result = New-FakeCredential | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -Path $path
            $result.Target | Should -Be $path
            $result.Action | Should -Be 'Updated'
            $env:AIRFLOW_CONN_ECR | Should -BeNullOrEmpty   # -Path writes the file, not the process

            $after = [IO.File]::ReadAllText($path)
            $after | Should -BeExactly ($before -replace "AIRFLOW_CONN_ECR='docker://AWS:old@host'", "AIRFLOW_CONN_ECR='docker://AWS:tok%2B%2F%3Den@123456789012.dkr.ecr.eu-west-1.amazonaws.com'")
            @(Get-ChildItem -Force $script:Work).Count | Should -Be 1   # no temporary file left behind
        }

        It 'appends new variables to a file it creates owner-only, and a relative -Path is relative to the current location' {
            if ((-not $IsWindows -and $env:ECRAIRFLOW_FRAMEWORK -eq 'netstandard2.0')) { Set-ItResult -Skipped -Because 'Unix owners, modes, links and signals are the net8.0 build''s (what PowerShell 7 loads on Linux and macOS); the netstandard2.0 build runs only in Windows PowerShell 5.1, on Windows, where these rules do not apply'; return }
            Push-Location $script:Work
            try {
                $creds = (New-FakeCredential -Account 111111111111), (New-FakeCredential -Account 222222222222)
                $results = $creds | Sync-AirflowEcrConnection -ConnectionId { if ($_.Registry -like '*1111*') { 'ecr_a' } else { 'ecr_b' } } -Mode EnvironmentVariable -Path 'airflow.env'
            }
            finally { Pop-Location }
            $path = Join-Path $script:Work 'airflow.env'
            $results.Action | Should -Be @('Created', 'Created')
            $lines = Get-Content $path
            $lines[0] | Should -BeLike "AIRFLOW_CONN_ECR_A='docker://AWS:*@111111111111.dkr.ecr.eu-west-1.amazonaws.com'"
            $lines[1] | Should -BeLike "AIRFLOW_CONN_ECR_B='docker://AWS:*@222222222222.dkr.ecr.eu-west-1.amazonaws.com'"
            if (-not $IsWindows) { (Get-Item -Force $path).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite') }
        }

        It 'keeps an existing file''s mode' -Skip:$IsWindows {
            if ((-not $IsWindows -and $env:ECRAIRFLOW_FRAMEWORK -eq 'netstandard2.0')) { Set-ItResult -Skipped -Because 'Unix owners, modes, links and signals are the net8.0 build''s (what PowerShell 7 loads on Linux and macOS); the netstandard2.0 build runs only in Windows PowerShell 5.1, on Windows, where these rules do not apply'; return }
            $path = Join-Path $script:Work '.env'
            [IO.File]::WriteAllText($path, "A=1`n")
            [IO.File]::SetUnixFileMode($path, [IO.UnixFileMode]'UserRead, UserWrite, GroupRead')
            $null = New-FakeCredential | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -Path $path
            (Get-Item -Force $path).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite, GroupRead')
        }

        It 'reads back unchanged with python-dotenv, in both formats' -Skip:(-not $HasDotenv) {
            $path = Join-Path $script:Work '.env'
            [IO.File]::WriteAllText($path, "OTHER=1`r`n")
            foreach ($format in 'Uri', 'Json') {
                $result = New-FakeCredential | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -Path $path -Format $format -Description "it's `$HOME and `"quoted`"" -IncludeValue
                $read = & $Python $Reader --dotenv $path AIRFLOW_CONN_ECR | ConvertFrom-Json
                $read.raw | Should -BeExactly $result.Value
                $read.connection.password | Should -BeExactly $Token
                $read.connection.host | Should -Be '123456789012.dkr.ecr.eu-west-1.amazonaws.com'
                # -Description is the user's text; EcrAirflow adds its note of the token's expiry after it.
                if ($format -eq 'Json') { $read.connection.description | Should -BeLike "it's `$HOME and `"quoted`"; token expires * UTC" }
            }
        }
    }

    Context 'CI systems' {
        It 'GitHub Actions: masks the token on stdout first, then appends NAME<<DELIMITER to $GITHUB_ENV' {
            $env:GITHUB_ENV = Join-Path $script:Work 'github_env'
            [IO.File]::WriteAllText($env:GITHUB_ENV, "EARLIER=1`n")
            $run = Invoke-WithConsole { New-FakeCredential | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable }

            $run.Console | Should -BeExactly "::add-mask::tok+/=en`n::add-mask::tok%252B%252F%253Den`n"
            $run.Output.Target | Should -Be 'Process + GitHubActions'
            ($run.Output | Out-String) | Should -Not -BeLike '*add-mask*'
            $content = [IO.File]::ReadAllText($env:GITHUB_ENV)
            $content | Should -Match "^EARLIER=1`nAIRFLOW_CONN_ECR<<(ghadelimiter_[0-9a-f-]{36})`ndocker://AWS:tok%2B%2F%3Den@123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com`n\1`n$"
            $env:AIRFLOW_CONN_ECR | Should -Not -BeNullOrEmpty   # and the process variable, in addition
        }

        It 'Azure Pipelines: registers the secret, then sets a secret variable' {
            $env:TF_BUILD = 'True'
            $run = Invoke-WithConsole { New-FakeCredential | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable }
            $run.Console | Should -BeExactly ("##vso[task.setsecret]tok+/=en`n##vso[task.setsecret]tok%2B%2F%3Den`n" +
                "##vso[task.setvariable variable=AIRFLOW_CONN_ECR;issecret=true]docker://AWS:tok%2B%2F%3Den@123456789012.dkr.ecr.eu-west-1.amazonaws.com`n")
            $run.Output.Target | Should -Be 'Process + AzurePipelines'
        }

        It '-CiSystem None writes no CI output even inside a CI job' {
            $env:TF_BUILD = 'True'
            $run = Invoke-WithConsole { New-FakeCredential | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -CiSystem None }
            $run.Console | Should -BeExactly ''
            $run.Output.Target | Should -Be 'Process'
        }

        It '-CiSystem GitHubActions outside Actions is a clear error' {
            $err = $null
            try { New-FakeCredential | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -CiSystem GitHubActions -ErrorAction Stop } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -BeLike 'GitHubEnvNotSet,*'
            $env:AIRFLOW_CONN_ECR | Should -BeNullOrEmpty
        }
    }

    Context 'errors' {
        It 'refuses -Scope User off Windows with ScopeNotSupportedOnPlatform' -Skip:$IsWindows {
            $err = $null
            try { New-FakeCredential | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -Scope User -ErrorAction Stop } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -BeLike 'ScopeNotSupportedOnPlatform,*'
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.ErrorDetails.RecommendedAction | Should -BeLike '*-Path*'
            $env:AIRFLOW_CONN_ECR | Should -BeNullOrEmpty
        }

        It 'refuses -Path together with -Scope' {
            $err = $null
            try { New-FakeCredential | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -Scope Process -Path (Join-Path $script:Work '.env') -ErrorAction Stop } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -BeLike 'PathAndScopeTogether,*'
        }

        It 'refuses -IncludeValue outside EnvironmentVariable mode' {
            $err = $null
            try { New-FakeCredential | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Cli -IncludeValue -ErrorAction Stop } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -BeLike 'ParameterNotValidForMode,*'
        }
    }

    Context 'a refresh over a stored value' {
        BeforeAll {
            $script:StoredUri = 'docker://old:old-token@old.example.com:5000/team?timeout=30&email=old%40example.com'
            $script:StoredJson = '{"conn_type": "docker", "host": "old.example.com", "login": "old", "password": "old-token", "port": 5000, "schema": "team", "description": "Team registry", "extra": {"reauth": false, "timeout": 30, "email": "old@example.com"}}'
            # What Airflow reads from a value (read_conn_env.py parses it as Airflow does).
            function Read-AsAirflow([string] $Value) {
                $env:AIRFLOW_CONN_ECR_B = $Value
                try { (& $script:Python $script:Reader AIRFLOW_CONN_ECR_B | ConvertFrom-Json).connection }
                finally { Remove-Item Env:AIRFLOW_CONN_ECR_B }
            }
        }

        It 'keeps port, schema and extra keys of a stored <Form> value in the process, in its own form' -Skip:(-not $Python) -ForEach @(@{ Form = 'URI' }, @{ Form = 'JSON' }) {
            $env:AIRFLOW_CONN_ECR = $(if ($Form -eq 'URI') { $StoredUri } else { $StoredJson })
            $result = New-FakeCredential -Token $Token | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -CiSystem None
            $result.Action | Should -Be 'Updated'
            $env:AIRFLOW_CONN_ECR.StartsWith('{') | Should -Be ($Form -eq 'JSON')

            $read = Read-AsAirflow $env:AIRFLOW_CONN_ECR
            $read.host | Should -Be '123456789012.dkr.ecr.eu-west-1.amazonaws.com'
            $read.login | Should -Be 'AWS'
            $read.password | Should -BeExactly $Token
            $read.port | Should -Be 5000
            $read.schema | Should -Be 'team'
            $read.extra.timeout | Should -Be 30
            $read.extra.email | Should -Be 'old@example.com'
            if ($Form -eq 'JSON') {
                $read.extra.reauth | Should -BeFalse
                $read.description | Should -BeLike 'Team registry; token expires * UTC'
            }
        }

        It '-Email changes only email, in both forms and in a dotenv file' -Skip:(-not $Python) -ForEach @(@{ Form = 'URI' }, @{ Form = 'JSON' }) {
            $path = Join-Path $script:Work '.env'
            $stored = $(if ($Form -eq 'URI') { $StoredUri } else { $StoredJson })
            [IO.File]::WriteAllText($path, "OTHER=1`nAIRFLOW_CONN_ECR='$stored'`n")
            $null = New-FakeCredential -Token $Token | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -Path $path -Email 'new@example.com'
            $lines = Get-Content -LiteralPath $path
            $lines[0] | Should -Be 'OTHER=1'
            $value = $lines[1].Substring('AIRFLOW_CONN_ECR='.Length).Trim("'")
            $read = Read-AsAirflow $value
            $read.extra.email | Should -Be 'new@example.com'
            $read.extra.timeout | Should -Be 30
            $read.port | Should -Be 5000
            $read.schema | Should -Be 'team'
            if ($Form -eq 'URI') { $value | Should -BeLike '*?timeout=30&email=new%40example.com' }
            else { $read.extra.reauth | Should -BeFalse; @($read.extra.PSObject.Properties.Name) | Should -Be @('reauth', 'timeout', 'email') }
        }

        It '-Format Json over a stored URI converts it and keeps what it had' -Skip:(-not $Python) {
            $env:AIRFLOW_CONN_ECR = $StoredUri
            $null = New-FakeCredential -Token $Token | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -CiSystem None -Format Json
            $env:AIRFLOW_CONN_ECR | Should -BeLike '{"conn_type":"docker",*'
            $read = Read-AsAirflow $env:AIRFLOW_CONN_ECR
            $read.port | Should -Be 5000
            $read.schema | Should -Be 'team'
            $read.extra.timeout | Should -Be '30'
            $read.extra.email | Should -Be 'old@example.com'
            $read.description | Should -BeLike 'Managed by EcrAirflow; token expires * UTC'
            $read.password | Should -BeExactly $Token
        }

        It 'sends the merged value to GitHub Actions, masking every form of the token in it' {
            $env:GITHUB_ENV = Join-Path $script:Work 'github_env'
            $env:AIRFLOW_CONN_ECR = $StoredJson
            $run = Invoke-WithConsole { New-FakeCredential -Token 'tok"+/=en' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable }
            $run.Output.Action | Should -Be 'Updated'
            $content = [IO.File]::ReadAllText($env:GITHUB_ENV)
            $content -match "^AIRFLOW_CONN_ECR<<(ghadelimiter_[0-9a-f-]{36})`n(?<value>.*)`n\1`n$" | Should -BeTrue
            $Matches.value | Should -BeExactly $env:AIRFLOW_CONN_ECR
            $Matches.value | Should -BeLike '*"port":5000*'
            # The token as it is, and as it is written inside the JSON value (its quote escaped).
            $run.Console | Should -BeExactly "::add-mask::tok`"+/=en`n::add-mask::tok\`"+/=en`n"
        }

        It 'leaves a variable that is not a Docker connection alone: NotDockerConnection, by its kind; -ReplaceNonDocker replaces it' {
            $env:AIRFLOW_CONN_ECR = 'mysql://app:db-secret@db.example.com/app'
            $err = $null
            $out = New-FakeCredential -Token $Token | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -CiSystem None -ErrorVariable err -ErrorAction SilentlyContinue
            $out | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -BeLike 'NotDockerConnection,*'
            $err[0].Exception.Message | Should -BeLike '*AIRFLOW_CONN_ECR (Process scope) holds a mysql connection*'
            $err[0].Exception.Message | Should -Not -BeLike '*db-secret*'
            $env:AIRFLOW_CONN_ECR | Should -BeExactly 'mysql://app:db-secret@db.example.com/app'

            $path = Join-Path $script:Work '.env'
            [IO.File]::WriteAllText($path, "AIRFLOW_CONN_ECR=just a note`n")
            $null = New-FakeCredential -Token $Token | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -Path $path -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].Exception.Message | Should -BeLike '*holds text that is not a connection URI*'
            [IO.File]::ReadAllText($path) | Should -BeExactly "AIRFLOW_CONN_ECR=just a note`n"

            $result = New-FakeCredential -Token $Token | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -CiSystem None -ReplaceNonDocker
            $result.Action | Should -Be 'Updated'
            $env:AIRFLOW_CONN_ECR | Should -BeExactly 'docker://AWS:tok%2B%2F%3Den@123456789012.dkr.ecr.eu-west-1.amazonaws.com'
        }
    }
}
