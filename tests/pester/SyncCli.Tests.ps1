# Sync-AirflowEcrConnection -Mode Cli against the stand-in airflow executable (tests/peers/airflow/airflow),
# which emulates `connections import FILE [--overwrite]` and `connections get ID -o json` with Airflow's
# messages and exit codes, and logs its argv and the import file's permissions at the moment it ran.
# The import file goes to the temp folder, here the suite's own (Enter-PrivateTemp), so that the tests that find
# none left there are not misled by another process writing ecrairflow-*.json files to the shared one.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module $env:ECRAIRFLOW_TEST_MODULE -Force
    $script:Root = if ($env:ECRAIRFLOW_TEST_ROOT) { $env:ECRAIRFLOW_TEST_ROOT } else { (Resolve-Path "$PSScriptRoot/../..").Path }
    $script:StandIn = Join-Path $Root 'tests/peers/airflow/airflow'
    $script:Token = 'tok+/=en'


    function Get-StandInCall {
        $log = Join-Path $env:AIRFLOW_STANDIN_HOME 'calls.jsonl'
        if (Test-Path $log) { Get-Content $log | ForEach-Object { $_ | ConvertFrom-Json } }
    }

    function Get-ImportCall { @(Get-StandInCall | Where-Object { $_.argv -contains 'import' }) }

    # EcrAirflow's reads (this suite's own Get-StoredConnection reads with -o, not --output).
    function Get-GetCall { @(Get-StandInCall | Where-Object { $_.argv -contains 'get' -and $_.argv -contains '--output' }) }

    # What Airflow's database holds, as the stand-in stored it (extra parsed from its JSON text).
    function Get-StoreEntry([string] $Id) {
        $store = Join-Path $env:AIRFLOW_STANDIN_HOME 'connections.json'
        if (-not (Test-Path $store)) { return $null }
        $entry = (Get-Content -LiteralPath $store -Raw | ConvertFrom-Json).$Id
        if ($entry -and $entry.extra) { $entry | Add-Member -NotePropertyName extraObject -NotePropertyValue ($entry.extra | ConvertFrom-Json) }
        $entry
    }

    # The entity the last import carried for an id, as the stand-in read the file.
    function Get-ImportedEntity([string] $Id) {
        $log = Join-Path $env:AIRFLOW_STANDIN_HOME 'imports.jsonl'
        ((Get-Content -LiteralPath $log | Select-Object -Last 1) | ConvertFrom-Json).content.$Id
    }

    # Stores connections through the stand-in's own import (as a user's earlier `airflow connections import`
    # would), then forgets that call so the test sees only what EcrAirflow asked.
    function Set-StoredConnections([string] $Json) {
        $file = Join-Path $env:AIRFLOW_STANDIN_HOME 'seed.json'
        [IO.File]::WriteAllText($file, $Json)
        $null = & $script:StandIn connections import $file --overwrite
        $LASTEXITCODE | Should -Be 0
        Remove-Item -LiteralPath $file, (Join-Path $env:AIRFLOW_STANDIN_HOME 'calls.jsonl'), (Join-Path $env:AIRFLOW_STANDIN_HOME 'imports.jsonl')
    }

    $script:Existing = '{"ecr": {"conn_type": "docker", "host": "old.example.com", "login": "old", "password": "old-token", "port": 5000, "schema": "team", ' +
        '"description": "Team registry; token expires 2020-01-01 00:00:00 UTC", "extra": {"reauth": false, "timeout": 30, "email": "old@example.com"}}, ' +
        '"pg": {"conn_type": "postgres", "host": "db.example.com", "login": "app", "password": "pg-secret", "schema": "app"}}'

    function Get-StoredConnection([string] $Id) {
        $json = & $script:StandIn connections get $Id -o json 2>$null
        if ($LASTEXITCODE -ne 0) { return $null }
        ($json | ConvertFrom-Json)[0]
    }


    $script:SavedEnv = @{}
    $script:EnvNames = 'AIRFLOW_STANDIN_HOME', 'AIRFLOW_STANDIN_VERSION', 'AIRFLOW_STANDIN_FAIL', 'AIRFLOW_STANDIN_SLEEP', 'AIRFLOW_STANDIN_SLEEP_COMMAND', 'AIRFLOW_STANDIN_GET_FAIL', 'AIRFLOW_CONN_ECR'

    # The import files in the temp folder, by name.
    $script:PrivateTemp = Enter-PrivateTemp 'cli-tmp'
}

AfterAll {
    Exit-PrivateTemp $PrivateTemp
}

Describe 'Sync-AirflowEcrConnection -Mode Cli' {
    BeforeEach {
        foreach ($name in $script:EnvNames) { $script:SavedEnv[$name] = [Environment]::GetEnvironmentVariable($name) }
        $script:StandInHome = New-TestFolder 'cli'
        $env:AIRFLOW_STANDIN_HOME = $script:StandInHome
        Remove-Item Env:AIRFLOW_STANDIN_VERSION, Env:AIRFLOW_STANDIN_FAIL, Env:AIRFLOW_STANDIN_SLEEP, Env:AIRFLOW_STANDIN_SLEEP_COMMAND, Env:AIRFLOW_STANDIN_GET_FAIL, Env:AIRFLOW_CONN_ECR -ErrorAction SilentlyContinue
    }

    AfterEach {
        foreach ($name in $script:EnvNames) {
            if ($null -eq $script:SavedEnv[$name]) { Remove-Item "Env:$name" -ErrorAction SilentlyContinue }
            else { Set-Item "Env:$name" $script:SavedEnv[$name] }
        }
        Remove-TestFolder $script:StandInHome
    }

    It 'creates the connection through one import with --overwrite, from an owner-only file that is gone afterwards' {
        if ((-not $IsWindows -and $env:ECRAIRFLOW_FRAMEWORK -eq 'netstandard2.0')) { Set-ItResult -Skipped -Because 'Unix owners, modes, links and signals are the net8.0 build''s (what PowerShell 7 loads on Linux and macOS); the netstandard2.0 build runs only in Windows PowerShell 5.1, on Windows, where these rules do not apply'; return }
        $result = New-FakeCredential | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Cli -AirflowCommand $StandIn -Email 'ops@example.com' -Reauth

        $result | Should -BeOfType 'EcrAirflow.AirflowConnectionSyncResult'
        $result.ConnectionId | Should -Be 'ecr'
        $result.Mode | Should -Be 'Cli'
        $result.Target | Should -Be (Format-CommandLineWord $StandIn)
        $result.Action | Should -Be 'Created' -Because 'the read before the import found no connection'
        $result.Registry | Should -Be '123456789012.dkr.ecr.eu-west-1.amazonaws.com'

        $stored = Get-StoredConnection ecr
        $stored.conn_type | Should -Be 'docker'
        $stored.host | Should -Be '123456789012.dkr.ecr.eu-west-1.amazonaws.com'
        $stored.login | Should -Be 'AWS'
        $stored.password | Should -BeExactly $Token
        $stored.description | Should -BeLike 'Managed by EcrAirflow; token expires * UTC'
        $stored.extra_dejson.email | Should -Be 'ops@example.com'
        $stored.extra_dejson.reauth | Should -BeTrue

        $call = Get-ImportCall
        $call.Count | Should -Be 1
        $call[0].argv[0..1] | Should -Be @('connections', 'import')
        $call[0].argv[-1] | Should -Be '--overwrite'
        $call[0].argv -join ' ' | Should -Not -BeLike "*$Token*"
        $file = $call[0].argv[2]
        $file | Should -BeLike '*.json'
        $call[0].files.$file.exists | Should -BeTrue
        if (-not $IsWindows) { $call[0].files.$file.mode | Should -Be '0600' }
        Test-Path -LiteralPath $file | Should -BeFalse
    }

    It 'writes three connections with one CLI start and updates them in place on the next run' {
        $creds = '111111111111', '222222222222', '333333333333' | ForEach-Object { New-FakeCredential -Account $_ }
        $results = $creds | Sync-AirflowEcrConnection -ConnectionId { "ecr_$($_.Registry.Substring(8, 12))" } -Mode Cli -AirflowCommand $StandIn
        $results.Count | Should -Be 3
        (Get-ImportCall).Count | Should -Be 1
        (Get-GetCall).Count | Should -Be 3   # a refresh of N connections: N reads, then one import
        (Get-StoredConnection ecr_222222222222).host | Should -Be '222222222222.dkr.ecr.eu-west-1.amazonaws.com'

        $fresh = '111111111111', '222222222222', '333333333333' | ForEach-Object { New-FakeCredential -Account $_ -Token 'fresh/token==' }
        $null = $fresh | Sync-AirflowEcrConnection -ConnectionId { "ecr_$($_.Registry.Substring(8, 12))" } -Mode Cli -AirflowCommand $StandIn
        (Get-ImportCall).Count | Should -Be 2
        (Get-GetCall).Count | Should -Be 6
        (Get-StoredConnection ecr_333333333333).password | Should -BeExactly 'fresh/token=='
        (Get-StoredConnection ecr_333333333333).id | Should -Be (Get-StoredConnection ecr_333333333333).id
    }

    It 'runs through a command prefix (env AIRFLOW_X=1 <airflow>)' -Skip:$IsWindows {
        $result = New-FakeCredential | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Cli -AirflowCommand 'env', 'AIRFLOW_X=1', $StandIn
        $result.Target | Should -Be "env AIRFLOW_X=1 $(Format-CommandLineWord $StandIn)"
        $call = Get-ImportCall
        $call[0].env.AIRFLOW_X | Should -Be '1'
        $call[0].argv -join ' ' | Should -Not -BeLike "*$Token*"
        (Get-StoredConnection ecr).password | Should -BeExactly $Token
    }

    It 'puts the file in -WorkingDirectory (relative to the current location) and removes it' {
        $work = Join-Path $script:StandInHome 'shared'
        $null = New-Item -ItemType Directory -Path $work
        Push-Location $script:StandInHome
        try {
            $null = New-FakeCredential | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Cli -AirflowCommand $StandIn -WorkingDirectory shared
        }
        finally { Pop-Location }
        $file = (Get-ImportCall)[0].argv[2]
        Split-Path $file -Parent | Should -Be $work
        @(Get-ChildItem -Force $work).Count | Should -Be 0
    }

    It 'reports a failing CLI with its message, redacted, and leaves no file' {
        if ((-not $IsWindows -and $env:ECRAIRFLOW_FRAMEWORK -eq 'netstandard2.0')) { Set-ItResult -Skipped -Because 'Unix owners, modes, links and signals are the net8.0 build''s (what PowerShell 7 loads on Linux and macOS); the netstandard2.0 build runs only in Windows PowerShell 5.1, on Windows, where these rules do not apply'; return }
        $env:AIRFLOW_STANDIN_FAIL = '1'
        $streams = $null
        $err = $null
        try {
            $streams = New-FakeCredential | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Cli -AirflowCommand $StandIn -Verbose -Debug -ErrorAction Stop 4>&1 5>&1
        }
        catch { $err = $_ }

        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'AirflowCliFailed,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidOperation'
        $err.Exception.Message | Should -BeLike '*exit code 1*OperationalError*'
        $err.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        ($err | Out-String) + $err.Exception.Message + $err.ErrorDetails.Message | Should -Not -BeLike "*$Token*"
        ($streams | Out-String) | Should -Not -BeLike "*$Token*"
        ($streams | Out-String) | Should -Not -BeLike '*tok%2B*'

        $call = Get-ImportCall
        $file = $call[0].argv[2]
        if (-not $IsWindows) { $call[0].files.$file.mode | Should -Be '0600' }
        Test-Path -LiteralPath $file | Should -BeFalse
        Get-StoredConnection ecr | Should -BeNullOrEmpty
    }

    It 'quotes the first lines a failing wrapper printed (docker compose exec -T on an old docker), in the error and in -Verbose' {
        if ($IsWindows -or $env:ECRAIRFLOW_FRAMEWORK -eq 'netstandard2.0') { Set-ItResult -Skipped -Because 'the wrapper here is a POSIX shell script'; return }
        # What an old docker prints for docker compose exec -T: the cause first, then where to read more.
        $wrapper = Join-Path $script:StandInHome 'old-docker'
        [IO.File]::WriteAllText($wrapper, "#!/bin/sh`necho `"unknown shorthand flag: 'T' in -T`" >&2`necho `"See 'docker exec --help'.`" >&2`nexit 1`n")
        [IO.File]::SetUnixFileMode($wrapper, [IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
        # The verbose records written before the terminating error, and the error itself.
        $all = @(& { try { New-FakeCredential | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Cli -AirflowCommand $wrapper, 'compose', 'exec', '-T', 'airflow', 'airflow' -Verbose -ErrorAction Stop 4>&1 } catch { $_ } })
        $err = $all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | Select-Object -First 1
        $verbose = $all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }

        $err.Exception.Message | Should -Match ([regex]::Escape("unknown shorthand flag: 'T' in -T"))
        ($verbose | Out-String) | Should -Match ([regex]::Escape("airflow (stderr): unknown shorthand flag: 'T' in -T"))
        Get-ImportCall | Should -BeNullOrEmpty -Because 'nothing is imported when the read already failed'
    }

    It 'stops a CLI that runs longer than -TimeoutSec, says so, and leaves no file' {
        # The import is the slow one (the read before it answers), so its file exists when the run is stopped.
        $env:AIRFLOW_STANDIN_SLEEP = '60'
        $env:AIRFLOW_STANDIN_SLEEP_COMMAND = 'import'
        $before = Get-TempImportFiles
        $err = $null
        try { New-FakeCredential | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Cli -AirflowCommand $StandIn -TimeoutSec 2 -ErrorAction Stop }
        catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'AirflowCliTimeout,*'
        $err.CategoryInfo.Category | Should -Be 'OperationTimeout'
        $err.ErrorDetails.RecommendedAction | Should -Match 'TimeoutSec'
        Get-TempImportFiles | Should -Be $before
        @(Get-ImportCall).Count | Should -Be 1 -Because 'the import did start, with its file'
        Test-Path -LiteralPath (Get-ImportCall)[0].argv[2] | Should -BeFalse
        Get-StoredConnection ecr | Should -BeNullOrEmpty
    }

    It 'names the minimum Airflow version when --overwrite is unknown (Airflow 2.5.3)' {
        $env:AIRFLOW_STANDIN_VERSION = '2.5.3'
        $err = $null
        try { New-FakeCredential | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Cli -AirflowCommand $StandIn -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'AirflowCliTooOld,*'
        $err.Exception.Message | Should -BeLike '*Airflow 2.6 or later*'
        Get-StoredConnection ecr | Should -BeNullOrEmpty
        $file = (Get-ImportCall)[0].argv[2]
        Test-Path -LiteralPath $file | Should -BeFalse
    }

    It 'reports a command that does not exist as ObjectNotFound' {
        $before = Get-TempImportFiles
        $err = $null
        $missing = Join-Path $script:StandInHome 'no-such-airflow'
        try { New-FakeCredential | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Cli -AirflowCommand $missing -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'AirflowCommandNotFound,*'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        Get-TempImportFiles | Should -Be $before
    }

    It 'reports a missing command behind a wrapper (exit 127) as ObjectNotFound' -Skip:$IsWindows {
        $err = $null
        try { New-FakeCredential | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Cli -AirflowCommand 'env', (Join-Path $script:StandInHome 'nope') -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'AirflowCommandNotFound,*'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'writes nothing with -WhatIf' {
        $result = New-FakeCredential | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Cli -AirflowCommand $StandIn -WhatIf
        $result | Should -BeNullOrEmpty
        Get-ImportCall | Should -BeNullOrEmpty
    }

    It 'refuses a missing -WorkingDirectory before running anything' {
        $err = $null
        try { New-FakeCredential | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Cli -AirflowCommand $StandIn -WorkingDirectory (Join-Path $script:StandInHome 'missing') -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'WorkingDirectoryNotFound,*'
        Get-ImportCall | Should -BeNullOrEmpty
    }

    Context 'a refresh over an existing connection' {
        It 'keeps port, schema and extra keys, renews only the note in the description, and -Email changes only email' {
            Set-StoredConnections $Existing
            $result = New-FakeCredential -Token $Token | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Cli -AirflowCommand $StandIn -Email 'new@example.com'
            $result.Action | Should -Be 'Updated' -Because 'the read before the import found it'

            $stored = Get-StoreEntry ecr
            $stored.host | Should -Be '123456789012.dkr.ecr.eu-west-1.amazonaws.com'
            $stored.login | Should -Be 'AWS'
            $stored.password | Should -BeExactly $Token
            $stored.port | Should -Be 5000
            $stored.schema | Should -Be 'team'
            $stored.description | Should -BeLike 'Team registry; token expires * UTC'
            $stored.description | Should -Not -BeLike '*2020-01-01*'
            $stored.extraObject.reauth | Should -BeOfType [bool]
            $stored.extraObject.reauth | Should -BeFalse
            $stored.extraObject.timeout | Should -Be 30
            $stored.extraObject.email | Should -Be 'new@example.com'
            @($stored.extraObject.PSObject.Properties.Name) | Should -Be @('reauth', 'timeout', 'email')
        }

        It 'imports each connection as a complete entity, after one read per id: N + 1 CLI starts' {
            Set-StoredConnections $Existing
            $creds = (New-FakeCredential -Token $Token -Account 111111111111), (New-FakeCredential -Token $Token -Account 222222222222)
            $null = $creds | Sync-AirflowEcrConnection -ConnectionId { if ($_.Registry -like '*1111*') { 'ecr' } else { 'ecr_new' } } -Mode Cli -AirflowCommand $StandIn

            $calls = @(Get-StandInCall)
            $calls.Count | Should -Be 3
            ($calls | ForEach-Object { $_.argv[1] }) -join ',' | Should -Be 'get,get,import'
            $calls[0].argv -join ' ' | Should -Be 'connections get ecr --output json'

            $entity = Get-ImportedEntity ecr
            @($entity.PSObject.Properties.Name) | Should -Be @('conn_type', 'host', 'login', 'password', 'description', 'port', 'schema', 'extra')
            $entity.port | Should -Be 5000
            $entity.schema | Should -Be 'team'
            $entity.extra.reauth | Should -BeFalse
            $entity.extra.timeout | Should -Be 30
            $entity.extra.email | Should -Be 'old@example.com'
            $entity.password | Should -BeExactly $Token
            # A connection that did not exist is written with what the refresh owns only.
            @((Get-ImportedEntity ecr_new).PSObject.Properties.Name) | Should -Be @('conn_type', 'host', 'login', 'password', 'description')
        }

        It 'refuses a connection of another type per id, leaves it as it was and writes the others' {
            Set-StoredConnections $Existing
            $err = $null
            $out = (New-FakeCredential -Token $Token -Account 111111111111), (New-FakeCredential -Token $Token -Account 222222222222) |
                Sync-AirflowEcrConnection -ConnectionId { if ($_.Registry -like '*1111*') { 'pg' } else { 'ecr' } } -Mode Cli -AirflowCommand $StandIn -ErrorVariable err -ErrorAction SilentlyContinue
            @($out).ConnectionId | Should -Be 'ecr'
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'NotDockerConnection,*'
            $err[0].TargetObject | Should -Be 'pg'
            $err[0].Exception.Message | Should -BeLike '*a postgres connection*'
            $err[0].Exception.Message | Should -Not -BeLike '*pg-secret*'
            $pg = Get-StoreEntry pg
            $pg.conn_type | Should -Be 'postgres'
            $pg.password | Should -Be 'pg-secret'
            (Get-ImportedEntity pg) | Should -BeNullOrEmpty

            $null = New-FakeCredential -Token $Token | Sync-AirflowEcrConnection -ConnectionId pg -Mode Cli -AirflowCommand $StandIn -ReplaceNonDocker
            (Get-StoreEntry pg).conn_type | Should -Be 'docker'
            (Get-StoreEntry pg).schema | Should -BeNullOrEmpty
        }

        It 'stops before the import when the CLI cannot read a connection, and changes nothing' {
            Set-StoredConnections $Existing
            $env:AIRFLOW_STANDIN_GET_FAIL = '1'
            $err = $null
            try { New-FakeCredential -Token $Token | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Cli -AirflowCommand $StandIn -ErrorAction Stop } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -BeLike 'AirflowCliReadFailed,*'
            $err.Exception.Message | Should -BeLike '*database is locked*'
            Get-ImportCall | Should -BeNullOrEmpty
            (Get-StoreEntry ecr).password | Should -Be 'old-token'
        }

        It 'warns when Airflow finds the connection outside its database (AIRFLOW_CONN_ECR), which it reads first' {
            $env:AIRFLOW_CONN_ECR = 'docker://AWS:env-token@env.example.com:5001'
            $warnings = $null
            $null = New-FakeCredential -Token $Token | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Cli -AirflowCommand $StandIn -WarningVariable warnings -WarningAction SilentlyContinue
            ($warnings -join ' ') | Should -BeLike '*outside its database*AIRFLOW_CONN_ECR*'
            ($warnings -join ' ') | Should -Not -BeLike '*env-token*'
            (Get-StoreEntry ecr).port | Should -Be 5001   # what Airflow read is what the refresh kept
        }

        It 'keeps what it printed out of every stream: the stored password never shows' {
            Set-StoredConnections $Existing
            $streams = New-FakeCredential -Token $Token | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Cli -AirflowCommand $StandIn -Verbose -Debug 4>&1 5>&1 | Out-String
            $streams | Should -Not -BeLike '*old-token*'
            $streams | Should -Not -BeLike "*$Token*"
        }
    }
}
