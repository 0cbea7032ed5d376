# Sync-AirflowEcrConnection -Mode SecretsManager and -Mode ParameterStore against moto with SigV4 and IAM
# checking on. What was written is read back with boto3 (signed too) and parsed the way Airflow's AWS
# secrets backends parse a value (tests/peers/airflow/read_backend_value.py): JSON through the Secrets
# Manager backend's key standardisation and Connection.from_json, URIs through Airflow's URI rules.

BeforeAll {
    Import-Module $env:ECRAIRFLOW_TEST_MODULE -Force
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Root = if ($env:ECRAIRFLOW_TEST_ROOT) { $env:ECRAIRFLOW_TEST_ROOT } else { (Resolve-Path "$PSScriptRoot/../..").Path }
    $script:OwnMoto = $null
    if (-not $env:ECRAIRFLOW_TEST_MOTO -or -not (Test-Path $env:ECRAIRFLOW_TEST_MOTO)) {
        $script:OwnMoto = Start-MotoPeer -WorkDirectory ([IO.Path]::GetTempPath())
        $env:ECRAIRFLOW_TEST_MOTO = $OwnMoto.InfoPath
    }
    $script:Moto = Get-Content $env:ECRAIRFLOW_TEST_MOTO -Raw | ConvertFrom-Json

    $script:Writer = New-AwsKeyCredential $Moto.writer
    $script:EcrOnly = New-AwsKeyCredential $Moto.ecrOnly
    $script:Registry = "$($Moto.accountId).dkr.ecr.eu-west-1.amazonaws.com"
    # Every ECR token moto issues is new: what the writer got last is what a -Force run stored.
    function Get-WriterEcrPassword { Get-MotoEcrPassword -Endpoint $Moto.endpoint -AccessKeyId $Moto.writer.accessKeyId }
    # The AWS side of every Sync below, as explicit parameters (the default-chain case has its own test).
    $script:Aws = @{ Region = 'eu-west-1'; EndpointUrl = $Moto.endpoint; AwsCredential = $Writer }


    # What Airflow's backend reads for a name, via boto3 as the admin user; $null when there is none.
    function Read-Backend([string] $Service, [string] $Name, [string] $Region = 'eu-west-1') { Read-MotoStore $Moto $Service $Name $Region }

    # Puts a value at a name as a user or another tool would (boto3 as the admin user).
    function Set-Backend([string] $Kind, [hashtable] $Spec, [string] $Region = 'eu-west-1') { Set-MotoStore $Moto $Kind $Spec $Region }

    # Runs a Sync and keeps its output and its errors (terminating or not) apart.
    function Invoke-Sync([scriptblock] $Command) {
        $errs = $null
        $thrown = $null
        $out = try { . $Command -ErrorVariable errs -ErrorAction SilentlyContinue -WarningVariable warns -WarningAction SilentlyContinue } catch { $thrown = $_ }
        $records = if ($thrown) { @($thrown) } else { @($errs | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) }
        [pscustomobject]@{ Output = @($out); Errors = $records; Warnings = @($warns) }
    }

    # A connection secret or parameter as a user set it up: a Docker connection with port, schema and extra.
    $script:UsersJson = '{"conn_type": "docker", "host": "old.example.com", "login": "olduser", "password": "old-Pa55", "port": 5000, "schema": "team", "extra": {"reauth": false, "email": "old@example.com", "timeout": 30}}'
    # The token of a refresh refused over what is not a Docker connection (in a variable: an error view quotes the command line).
    $script:NotMine = 'not-mine+/=tok'

    # moto's request log lines for one X-Amz-Target since a point (a line count taken before).
    function Get-MotoCalls([int] $Since, [string] $Like) {
        @(Get-MotoRequests -RequestLog $Moto.log | Select-Object -Skip $Since | Where-Object target -like $Like)
    }
    function Get-MotoLogCount { @(Get-MotoRequests -RequestLog $Moto.log).Count }
}

AfterAll {
    if ($OwnMoto) { Stop-Peer $OwnMoto }
}

Describe 'Sync-AirflowEcrConnection -Mode SecretsManager' {
    It 'creates the secret, then writes a new version, and Airflow''s backend reads the connection' {
        $id = New-TestId 'sm'
        $first = Get-EcrDockerCredential @Aws -Force | Sync-AirflowEcrConnection -ConnectionId $id -Mode SecretsManager @Aws
        $first.Action | Should -Be 'Created'
        $first.Mode | Should -Be 'SecretsManager'
        $first.Target | Should -Be "secretsmanager:eu-west-1:airflow/connections/$id"
        $first.VersionId | Should -Not -BeNullOrEmpty

        $second = Get-EcrDockerCredential @Aws -Force | Sync-AirflowEcrConnection -ConnectionId $id -Mode SecretsManager @Aws
        $second.Action | Should -Be 'Updated'
        $second.VersionId | Should -Not -Be $first.VersionId

        $read = Read-Backend secretsmanager "airflow/connections/$id"
        $read.connection.conn_type | Should -Be 'docker'
        $read.connection.host | Should -Be $Registry
        $read.connection.login | Should -Be 'AWS'
        $read.connection.password | Should -BeExactly (Get-WriterEcrPassword)
        $read.description | Should -Match 'EcrAirflow'
        # The old version stays as AWSPREVIOUS: a refresh never leaves Airflow without a value.
        @($read.versions).Count | Should -Be 2
        ($read.versions | Where-Object { $_.stages -contains 'AWSCURRENT' }).id | Should -Be $second.VersionId
        ($read.versions | Where-Object { $_.stages -contains 'AWSPREVIOUS' }).id | Should -Be $first.VersionId
    }

    It 'a refresh reads, then writes: GetSecretValue and PutSecretValue per connection; CreateSecret instead the first time' {
        $ids = (New-TestId 'a'), (New-TestId 'b'), (New-TestId 'c')
        $cred = New-FakeCredential -Token 'count-token+/='
        $before = Get-MotoLogCount
        $null = foreach ($i in $ids) { $cred | Sync-AirflowEcrConnection -ConnectionId $i -Mode SecretsManager @Aws }
        (Get-MotoCalls $before 'secretsmanager.*').target | Should -Be (@('secretsmanager.GetSecretValue', 'secretsmanager.CreateSecret') * 3)
        $before = Get-MotoLogCount
        $results = @($ids | ForEach-Object { $cred | Sync-AirflowEcrConnection -ConnectionId $_ -Mode SecretsManager @Aws })
        $results.Action | Should -Be @('Updated', 'Updated', 'Updated')
        (Get-MotoCalls $before 'secretsmanager.*').target | Should -Be (@('secretsmanager.GetSecretValue', 'secretsmanager.PutSecretValue') * 3)
    }

    It 'uses -ConnectionsPrefix and -Separator the way the backend builds names' {
        $id = New-TestId 'pfx'
        $out = New-FakeCredential -Token 'prefix-token' | Sync-AirflowEcrConnection -ConnectionId $id -Mode SecretsManager -ConnectionsPrefix 'team-a/conns' -Separator '-' @Aws
        $out.Target | Should -Be "secretsmanager:eu-west-1:team-a/conns-$id"
        (Read-Backend secretsmanager "team-a/conns-$id").connection.password | Should -BeExactly 'prefix-token'
        Read-Backend secretsmanager "airflow/connections/$id" | Should -BeNullOrEmpty
    }

    It '-Format Uri percent-encodes a token full of + / = so Airflow''s URI parser gets it back' {
        $id = New-TestId 'uri'
        $token = 'eyJ+/=tok/en+with==/plus+/'
        $null = New-FakeCredential -Token $token | Sync-AirflowEcrConnection -ConnectionId $id -Mode SecretsManager -Format Uri -Email 'ops+ecr@example.com' @Aws
        $read = Read-Backend secretsmanager "airflow/connections/$id"
        $read.raw | Should -BeLike 'docker://AWS:*@*'
        $read.raw.Substring('docker://'.Length).Split('@')[0] | Should -Not -Match '[+=/]' -Because 'the token''s + / and = are percent-encoded in the userinfo'
        $read.connection.password | Should -BeExactly $token
        $read.connection.host | Should -Be $Registry
        $read.connection.extra.email | Should -Be 'ops+ecr@example.com'
    }

    It 'tags and the customer key apply to a secret it creates' {
        $id = New-TestId 'tag'
        $null = New-FakeCredential -Token 'tag-token' | Sync-AirflowEcrConnection -ConnectionId $id -Mode SecretsManager -Tag @{ team = 'data'; 'managed-by' = 'ecrairflow' } -KmsKeyId 'alias/airflow' @Aws
        $read = Read-Backend secretsmanager "airflow/connections/$id"
        $read.tags.team | Should -Be 'data'
        $read.tags.'managed-by' | Should -Be 'ecrairflow'
        $read.kmsKeyId | Should -Be 'alias/airflow'
    }

    It 'an identity that may fetch the token but not write the secret gets the permission error, and nothing is written' {
        $id = New-TestId 'denied'
        $err = @(try { Get-EcrDockerCredential @Aws -AwsCredential $EcrOnly -Force | Sync-AirflowEcrConnection -ConnectionId $id -Mode SecretsManager @Aws -AwsCredential $EcrOnly } catch { $_ })
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SecretsManagerAccessDenied,*'
        $err[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $err[0].ErrorDetails.RecommendedAction | Should -Match 'secretsmanager:PutSecretValue'
        Read-Backend secretsmanager "airflow/connections/$id" | Should -BeNullOrEmpty
    }

    It 'a secret scheduled for deletion is reported, and left as it is (not restored, not replaced)' {
        $id = New-TestId 'deleted'
        $name = "airflow/connections/$id"
        $null = New-FakeCredential -Token 'before-deletion' | Sync-AirflowEcrConnection -ConnectionId $id -Mode SecretsManager @Aws
        $before = Get-MotoLogCount  # moto serves every leg of the run: count only from here
        $null = Read-Backend delete-secret $name

        $err = $null
        $out = New-FakeCredential -Token 'after-deletion' | Sync-AirflowEcrConnection -ConnectionId $id -Mode SecretsManager @Aws -ErrorVariable err -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SecretsManagerSecretPendingDeletion,*'
        $err[0].Exception.Message | Should -Match 'scheduled for deletion'
        $err[0].ErrorDetails.RecommendedAction | Should -Match 'restore-secret'
        $err[0].Exception.Message + $err[0].ErrorDetails.Message | Should -Not -Match 'after-deletion'
        $calls = Get-MotoRequests -RequestLog $Moto.log | Select-Object -Skip $before | Where-Object { $_.target -in 'secretsmanager.RestoreSecret', 'secretsmanager.DeleteSecret' -and $_.status -eq 200 }
        @($calls).Count | Should -Be 1 -Because 'only the test deleted it; the module neither restores nor deletes'
    }

    It 'refuses a name Secrets Manager cannot hold before any request' {
        $before = Get-MotoLogCount
        $err = $null
        $out = New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId 'ecr_café' -Mode SecretsManager @Aws -ErrorVariable err -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SecretsManagerInvalidName,*'
        (Get-MotoCalls $before 'secretsmanager.*').Count | Should -Be 0
    }

    It '-WhatIf names the secret and its region, and sends nothing' {
        $id = New-TestId 'whatif'
        $before = Get-MotoLogCount
        $pwsh = @(Get-PwshCommandLine)
        $script = "Import-Module '$env:ECRAIRFLOW_TEST_MODULE'; [pscustomobject]@{ Registry = '$Registry'; UserName = 'AWS'; Password = 'whatif-secret-token'; Region = 'eu-west-1' } | Sync-AirflowEcrConnection -ConnectionId $id -Mode SecretsManager -EndpointUrl $($Moto.endpoint) -WhatIf"
        $text = (& $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $script 2>&1) -join "`n"
        $text | Should -Match "What if: .*secret '$id' .*via SecretsManager: airflow/connections/$id in eu-west-1"
        $text | Should -Not -Match 'whatif-secret-token'
        (Get-MotoCalls $before 'secretsmanager.*').Count | Should -Be 0
    }
}

Describe 'Sync-AirflowEcrConnection -Mode ParameterStore' {
    It 'creates a SecureString parameter, then a new version, and Airflow''s backend reads the connection' {
        $id = New-TestId 'ssm'
        $first = Get-EcrDockerCredential @Aws -Force | Sync-AirflowEcrConnection -ConnectionId $id -Mode ParameterStore @Aws
        $first.Action | Should -Be 'Created'
        $first.Version | Should -Be 1
        $first.Tier | Should -Be 'Standard'
        $first.Target | Should -Be "ssm:eu-west-1:/airflow/connections/$id"
        $second = Get-EcrDockerCredential @Aws -Force | Sync-AirflowEcrConnection -ConnectionId $id -Mode ParameterStore @Aws
        $second.Action | Should -Be 'Updated'
        $second.Version | Should -Be 2

        $read = Read-Backend ssm "/airflow/connections/$id"
        $read.type | Should -Be 'SecureString'
        $read.version | Should -Be 2
        $read.history | Should -Be 2
        $read.connection.conn_type | Should -Be 'docker'
        $read.connection.host | Should -Be $Registry
        $read.connection.password | Should -BeExactly (Get-WriterEcrPassword)
        $read.connection.description | Should -Match 'EcrAirflow'
    }

    It 'a refresh reads the value and the parameter''s type, key, description and tier, then writes; a creation reads once and writes once' {
        $id = New-TestId 'count'
        $before = Get-MotoLogCount
        $null = New-FakeCredential -Token 'ssm-count' | Sync-AirflowEcrConnection -ConnectionId $id -Mode ParameterStore -Tag @{ team = 'data' } @Aws
        (Get-MotoCalls $before 'AmazonSSM.*').target | Should -Be @('AmazonSSM.GetParameter', 'AmazonSSM.PutParameter') -Because 'the tags go with the creating PutParameter'
        $before = Get-MotoLogCount
        $null = New-FakeCredential -Token 'ssm-count-2' | Sync-AirflowEcrConnection -ConnectionId $id -Mode ParameterStore @Aws
        (Get-MotoCalls $before 'AmazonSSM.*').target | Should -Be @('AmazonSSM.GetParameter', 'AmazonSSM.DescribeParameters', 'AmazonSSM.PutParameter')
    }

    It 'a 5 KB value becomes an Advanced parameter, says so, and warns that it costs money' {
        $id = New-TestId 'big'
        $warnings = $null
        $out = New-FakeCredential -Token ('x' * 5000) | Sync-AirflowEcrConnection -ConnectionId $id -Mode ParameterStore @Aws -WarningVariable warnings -WarningAction SilentlyContinue
        $out.Tier | Should -Be 'Advanced'
        ($warnings -join ' ') | Should -Match 'Advanced parameter, which AWS charges for'
        (Read-Backend ssm "/airflow/connections/$id").tier | Should -Be 'Advanced'
    }

    It '-Tier Standard with a 5 KB value is refused before any write' {
        $id = New-TestId 'tier'
        $before = Get-MotoLogCount
        $err = $null
        $out = New-FakeCredential -Token ('x' * 5000) | Sync-AirflowEcrConnection -ConnectionId $id -Mode ParameterStore -Tier Standard @Aws -ErrorVariable err -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ParameterStoreValueTooLargeForTier,*'
        $err[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
        (Get-MotoCalls $before 'AmazonSSM.*').target | Should -Be @('AmazonSSM.GetParameter') -Because 'the value is known once what the name holds is read (a refresh keeps it); nothing is written'
    }

    It 'tags a parameter it creates (SSM refuses tags with Overwrite), and the customer key is used' {
        $id = New-TestId 'tags'
        $out = New-FakeCredential -Token 'tag-me' | Sync-AirflowEcrConnection -ConnectionId $id -Mode ParameterStore -Tag @{ team = 'data' } -KmsKeyId 'alias/airflow' @Aws
        $out.Action | Should -Be 'Created'
        $read = Read-Backend ssm "/airflow/connections/$id"
        $read.tags.team | Should -Be 'data'
        $read.keyId | Should -Be 'alias/airflow'
    }

    It 'a prefix without the leading slash Airflow''s backend adds is refused before any request' {
        $err = @(try { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode ParameterStore -ConnectionsPrefix 'airflow/connections' @Aws } catch { $_ })
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ParameterStorePrefixNotRooted,*'
        $err[0].ErrorDetails.RecommendedAction | Should -Match '/airflow/connections'
    }

    It 'an identity without ssm:PutParameter gets the permission error naming it, and nothing is written' {
        $id = New-TestId 'ssmdenied'
        $err = @(try { New-FakeCredential -Token 't' | Sync-AirflowEcrConnection -ConnectionId $id -Mode ParameterStore @Aws -AwsCredential $EcrOnly } catch { $_ })
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ParameterStoreAccessDenied,*'
        $err[0].ErrorDetails.RecommendedAction | Should -Match 'ssm:PutParameter'
        Read-Backend ssm "/airflow/connections/$id" | Should -BeNullOrEmpty
    }

    It 'without -Region or AWS_REGION the piped credential''s Region decides where each connection goes' {
        $id = New-TestId 'region'
        $saved = @{ AWS_REGION = $env:AWS_REGION; AWS_DEFAULT_REGION = $env:AWS_DEFAULT_REGION; AWS_CONFIG_FILE = $env:AWS_CONFIG_FILE }
        try {
            Remove-Item Env:AWS_REGION, Env:AWS_DEFAULT_REGION -ErrorAction SilentlyContinue
            $env:AWS_CONFIG_FILE = [IO.Path]::Combine([IO.Path]::GetTempPath(), 'ecrairflow-no-such-aws-config')
            $out = New-FakeCredential -Region us-west-2 -Token 'west-token' |
                Sync-AirflowEcrConnection -ConnectionId $id -Mode ParameterStore -EndpointUrl $Moto.endpoint -AwsCredential $Writer
        }
        finally { foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) } }
        $out.Target | Should -Be "ssm:us-west-2:/airflow/connections/$id"
        (Read-Backend ssm "/airflow/connections/$id" -Region us-west-2).connection.password | Should -BeExactly 'west-token'
        Read-Backend ssm "/airflow/connections/$id" -Region eu-west-1 | Should -BeNullOrEmpty
    }
}

Describe 'SecretsManager: a refresh over what the secret already holds' {
    It 'an existing connection keeps its port, schema and extra; host, login and password are renewed; -Email changes only email' {
        $id = New-TestId 'smkeep'
        $name = "airflow/connections/$id"
        $seeded = Set-Backend secret @{ name = $name; string = $UsersJson }
        $out = New-FakeCredential -Token 'kept+/=tok' | Sync-AirflowEcrConnection -ConnectionId $id -Mode SecretsManager -Email 'new@example.com' @Aws
        $out.Action | Should -Be 'Updated'
        $read = Read-Backend secretsmanager $name
        $stored = $read.raw | ConvertFrom-Json
        $stored.conn_type | Should -Be 'docker'
        $stored.host | Should -Be $Registry
        $stored.login | Should -Be 'AWS'
        $stored.password | Should -BeExactly 'kept+/=tok'
        $stored.port | Should -Be 5000
        $stored.schema | Should -Be 'team'
        $stored.extra.reauth | Should -BeFalse
        $stored.extra.timeout | Should -Be 30
        $stored.extra.email | Should -Be 'new@example.com'
        $stored.PSObject.Properties.Name | Should -Not -Contain 'description' -Because 'the backend drops a description from a JSON secret, so none is written'
        # Airflow reads the same.
        $read.connection.port | Should -Be 5000
        $read.connection.schema | Should -Be 'team'
        @($read.versions).Count | Should -Be 2
        ($read.versions | Where-Object { $_.stages -contains 'AWSPREVIOUS' }).id | Should -Be $seeded.versionId
        ($read.versions | Where-Object { $_.stages -contains 'AWSCURRENT' }).id | Should -Be $out.VersionId
    }

    It 'a URI secret stays a URI with its port, path and query; -Format Json typed turns it into JSON keeping them' {
        $id = New-TestId 'smuri'
        $name = "airflow/connections/$id"
        $null = Set-Backend secret @{ name = $name; string = 'docker://olduser:old-Pa55@old.example.com:5000/team?reauth=false&timeout=30' }
        $null = New-FakeCredential -Token 'uri+/=tok' | Sync-AirflowEcrConnection -ConnectionId $id -Mode SecretsManager @Aws
        $read = Read-Backend secretsmanager $name
        $read.raw | Should -BeLike 'docker://AWS:*'
        $read.connection.password | Should -BeExactly 'uri+/=tok'
        $read.connection.host | Should -Be $Registry
        $read.connection.port | Should -Be 5000
        $read.connection.schema | Should -Be 'team'
        $read.connection.extra.reauth | Should -Be 'false'
        $read.connection.extra.timeout | Should -Be '30'

        $null = New-FakeCredential -Token 'json+/=tok' | Sync-AirflowEcrConnection -ConnectionId $id -Mode SecretsManager -Format Json @Aws
        $read = Read-Backend secretsmanager $name
        $read.raw | Should -BeLike '{*'
        $read.connection.password | Should -BeExactly 'json+/=tok'
        $read.connection.port | Should -Be 5000
        $read.connection.schema | Should -Be 'team'
        $read.connection.extra.timeout | Should -Be '30'
    }

    It 'refuses <Kind> unchanged, naming it and never its value; -ReplaceNonDocker replaces it' -ForEach @(
        @{ Kind = 'a JSON object without conn_type'; Spec = @{ string = '{"db_password": "NotDocker-db-Pa55", "db_user": "app"}' } }
        @{ Kind = 'a postgres connection'; Spec = @{ string = '{"conn_type": "postgres", "host": "db", "login": "app", "password": "NotDocker-db-Pa55"}' } }
        @{ Kind = 'a postgres connection'; Spec = @{ string = 'postgresql://app:NotDocker-db-Pa55@db:5432/app' } }
        @{ Kind = 'a SecretBinary'; Spec = @{ binary = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('NotDocker-db-Pa55')) } }
    ) {
        $id = New-TestId 'smnot'
        $name = "airflow/connections/$id"
        $null = Set-Backend secret ($Spec + @{ name = $name })
        $before = Read-Backend secretsmanager $name
        $r = Invoke-Sync { New-FakeCredential -Token $NotMine | Sync-AirflowEcrConnection -ConnectionId $id -Mode SecretsManager @Aws @args }
        $r.Output | Should -BeNullOrEmpty
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'NotDockerConnection,*'
        "$($r.Errors[0].CategoryInfo.Category)" | Should -Be 'InvalidOperation'
        $r.Errors[0].Exception.Message | Should -Match ([regex]::Escape("holds $Kind"))
        $r.Errors[0].ErrorDetails.RecommendedAction | Should -Match 'ReplaceNonDocker'
        foreach ($view in Get-ErrorViews $r.Errors[0]) { $view | Should -Not -Match "NotDocker-db-Pa55|$([regex]::Escape($NotMine))" }
        $after = Read-Backend secretsmanager $name
        $after.raw | Should -Be $before.raw
        $after.binary | Should -Be $before.binary
        ($after.versions | ConvertTo-Json -Depth 4) | Should -Be ($before.versions | ConvertTo-Json -Depth 4) -Because 'no version is added and no staging label moves'

        $replaced = New-FakeCredential -Token 'replaced+/=' | Sync-AirflowEcrConnection -ConnectionId $id -Mode SecretsManager -ReplaceNonDocker @Aws
        $replaced.Action | Should -Be 'Updated'
        $read = Read-Backend secretsmanager $name
        $read.connection.conn_type | Should -Be 'docker'
        $read.connection.password | Should -BeExactly 'replaced+/='
        ($read.versions | Where-Object { $_.stages -contains 'AWSPREVIOUS' }).id | Should -Be ($before.versions | Where-Object { $_.stages -contains 'AWSCURRENT' }).id -Because 'what was there stays as the previous version'
    }

    It 'a -KmsKeyId other than the existing secret''s key is SecretsManagerKmsKeyMismatch and writes nothing; the same key, or none, writes' {
        $id = New-TestId 'smkms'
        $name = "airflow/connections/$id"
        $created = New-FakeCredential -Token 'kms-1' | Sync-AirflowEcrConnection -ConnectionId $id -Mode SecretsManager -KmsKeyId 'alias/airflow' @Aws
        $created.Action | Should -Be 'Created'
        $start = Get-MotoLogCount
        $r = Invoke-Sync { New-FakeCredential -Token 'kms-2' | Sync-AirflowEcrConnection -ConnectionId $id -Mode SecretsManager -KmsKeyId 'alias/other' @Aws @args }
        $r.Output | Should -BeNullOrEmpty
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'SecretsManagerKmsKeyMismatch,*'
        $r.Errors[0].Exception.Message | Should -Match 'alias/airflow'
        $r.Errors[0].Exception.Message | Should -Match 'alias/other'
        $r.Errors[0].ErrorDetails.RecommendedAction | Should -Match "update-secret --secret-id $([regex]::Escape($name)) --kms-key-id alias/other"
        (Get-MotoCalls $start 'secretsmanager.*').target | Should -Be @('secretsmanager.GetSecretValue', 'secretsmanager.DescribeSecret')
        $read = Read-Backend secretsmanager $name
        $read.connection.password | Should -BeExactly 'kms-1'
        @($read.versions).Count | Should -Be 1

        (New-FakeCredential -Token 'kms-3' | Sync-AirflowEcrConnection -ConnectionId $id -Mode SecretsManager -KmsKeyId 'alias/airflow' @Aws).Action | Should -Be 'Updated'
        (New-FakeCredential -Token 'kms-4' | Sync-AirflowEcrConnection -ConnectionId $id -Mode SecretsManager @Aws).Action | Should -Be 'Updated'
        $read = Read-Backend secretsmanager $name
        $read.connection.password | Should -BeExactly 'kms-4'
        $read.kmsKeyId | Should -Be 'alias/airflow'
    }

    It 'a secret of another tool keeps its own Description and tags' {
        $id = New-TestId 'smdesc'
        $name = "airflow/connections/$id"
        $null = Set-Backend secret @{ name = $name; string = $UsersJson; description = 'Team A registry login'; tags = @{ owner = 'team-a' } }
        $null = New-FakeCredential -Token 'desc-tok' | Sync-AirflowEcrConnection -ConnectionId $id -Mode SecretsManager -Tag @{ team = 'data' } @Aws
        $read = Read-Backend secretsmanager $name
        $read.description | Should -Be 'Team A registry login'
        $read.tags.owner | Should -Be 'team-a'
        $read.tags.PSObject.Properties.Name | Should -Not -Contain 'team' -Because '-Tag applies to a secret this command creates'
    }
}

Describe 'ParameterStore: a refresh over what the parameter already holds' {
    It 'a <Type> parameter stays <Type>, keeps its Description and tags, and its connection keeps port, schema and extra' -ForEach @(
        @{ Type = 'String' }, @{ Type = 'StringList' }, @{ Type = 'SecureString' }
    ) {
        $id = New-TestId 'pskeep'
        $name = "/airflow/connections/$id"
        $null = Set-Backend parameter @{ name = $name; value = $UsersJson; type = $Type; description = 'Team A registry login'; tags = @{ owner = 'team-a' } }
        $out = New-FakeCredential -Token 'ps-kept+/=' | Sync-AirflowEcrConnection -ConnectionId $id -Mode ParameterStore -Tag @{ team = 'data' } @Aws
        $out.Action | Should -Be 'Updated'
        $out.Version | Should -Be 2
        $read = Read-Backend ssm $name
        $read.type | Should -Be $Type -Because 'a String parameter never becomes SecureString (an Airflow role without kms:Decrypt could no longer read it)'
        $read.description | Should -Be 'Team A registry login'
        $read.tags.owner | Should -Be 'team-a'
        $read.tags.PSObject.Properties.Name | Should -Not -Contain 'team'
        $read.connection.password | Should -BeExactly 'ps-kept+/='
        $read.connection.host | Should -Be $Registry
        $read.connection.login | Should -Be 'AWS'
        $read.connection.port | Should -Be 5000
        $read.connection.schema | Should -Be 'team'
        $read.connection.extra.reauth | Should -BeFalse
        $read.connection.extra.timeout | Should -Be 30
        $read.connection.description | Should -Match '^Managed by EcrAirflow; token expires \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$'
    }

    It 'a SecureString keeps its customer key, and an Advanced one stays Advanced for a small value' {
        $id = New-TestId 'pskey'
        $name = "/airflow/connections/$id"
        $null = Set-Backend parameter @{ name = $name; value = $UsersJson; type = 'SecureString'; keyId = 'alias/team-key'; tier = 'Advanced' }
        $out = New-FakeCredential -Token 'small' | Sync-AirflowEcrConnection -ConnectionId $id -Mode ParameterStore @Aws
        $out.Tier | Should -Be 'Advanced'
        $read = Read-Backend ssm $name
        $read.keyId | Should -Be 'alias/team-key'
        $read.tier | Should -Be 'Advanced'
        $read.connection.password | Should -BeExactly 'small'
    }

    It 'a Standard parameter becomes Advanced only when the value needs it, and says so' {
        $id = New-TestId 'pstier'
        $name = "/airflow/connections/$id"
        $null = Set-Backend parameter @{ name = $name; value = $UsersJson; type = 'SecureString'; tier = 'Standard' }
        (New-FakeCredential -Token 'small' | Sync-AirflowEcrConnection -ConnectionId $id -Mode ParameterStore @Aws).Tier | Should -Be 'Standard'
        $r = Invoke-Sync { New-FakeCredential -Token ('x' * 5000) | Sync-AirflowEcrConnection -ConnectionId $id -Mode ParameterStore @Aws @args }
        $r.Output[0].Tier | Should -Be 'Advanced'
        ($r.Warnings -join ' ') | Should -Match 'Advanced parameter, which AWS charges for'
        (Read-Backend ssm $name).tier | Should -Be 'Advanced'
    }

    It 'refuses <Kind> unchanged, naming it and never its value; -ReplaceNonDocker replaces it and keeps the type' -ForEach @(
        @{ Kind = 'a JSON object without conn_type'; Value = '{"db_password": "NotDocker-db-Pa55"}'; Type = 'SecureString' }
        @{ Kind = 'text that is not a connection URI'; Value = 'NotDocker-db-Pa55'; Type = 'String' }
        @{ Kind = 'a postgres connection'; Value = 'postgres://app:NotDocker-db-Pa55@db/app'; Type = 'String' }
    ) {
        $id = New-TestId 'psnot'
        $name = "/airflow/connections/$id"
        $null = Set-Backend parameter @{ name = $name; value = $Value; type = $Type }
        $start = Get-MotoLogCount
        $r = Invoke-Sync { New-FakeCredential -Token $NotMine | Sync-AirflowEcrConnection -ConnectionId $id -Mode ParameterStore @Aws @args }
        $r.Output | Should -BeNullOrEmpty
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'NotDockerConnection,*'
        $r.Errors[0].Exception.Message | Should -Match ([regex]::Escape("holds $Kind"))
        foreach ($view in Get-ErrorViews $r.Errors[0]) { $view | Should -Not -Match "NotDocker-db-Pa55|$([regex]::Escape($NotMine))" }
        (Get-MotoCalls $start 'AmazonSSM.*').target | Should -Be @('AmazonSSM.GetParameter')
        $read = Read-Backend ssm $name
        $read.raw | Should -BeExactly $Value
        $read.history | Should -Be 1

        $replaced = New-FakeCredential -Token 'replaced+/=' | Sync-AirflowEcrConnection -ConnectionId $id -Mode ParameterStore -ReplaceNonDocker @Aws
        $replaced.Version | Should -Be 2
        $read = Read-Backend ssm $name
        $read.type | Should -Be $Type
        $read.connection.conn_type | Should -Be 'docker'
        $read.connection.password | Should -BeExactly 'replaced+/='
    }

    It 'a -KmsKeyId the parameter is not encrypted with is ParameterStoreKmsKeyMismatch and writes nothing: <Case>' -ForEach @(
        @{ Case = 'a String parameter'; Spec = @{ type = 'String' }; Stored = 'String' }
        @{ Case = 'another key'; Spec = @{ type = 'SecureString'; keyId = 'alias/team-key' }; Stored = 'alias/team-key' }
    ) {
        $id = New-TestId 'pskms'
        $name = "/airflow/connections/$id"
        $null = Set-Backend parameter ($Spec + @{ name = $name; value = $UsersJson })
        $r = Invoke-Sync { New-FakeCredential -Token 'kms-x' | Sync-AirflowEcrConnection -ConnectionId $id -Mode ParameterStore -KmsKeyId 'alias/airflow' @Aws @args }
        $r.Output | Should -BeNullOrEmpty
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ParameterStoreKmsKeyMismatch,*'
        $r.Errors[0].Exception.Message | Should -Match ([regex]::Escape($Stored))
        $r.Errors[0].Exception.Message | Should -Match 'alias/airflow'
        $read = Read-Backend ssm $name
        $read.history | Should -Be 1
        $read.connection.password | Should -BeExactly 'old-Pa55'
    }

    It 'the same -KmsKeyId as the parameter''s writes' {
        $id = New-TestId 'pskmsok'
        $name = "/airflow/connections/$id"
        $null = New-FakeCredential -Token 'kms-1' | Sync-AirflowEcrConnection -ConnectionId $id -Mode ParameterStore -KmsKeyId 'alias/airflow' @Aws
        (New-FakeCredential -Token 'kms-2' | Sync-AirflowEcrConnection -ConnectionId $id -Mode ParameterStore -KmsKeyId 'alias/airflow' @Aws).Action | Should -Be 'Updated'
        $read = Read-Backend ssm $name
        $read.keyId | Should -Be 'alias/airflow'
        $read.connection.password | Should -BeExactly 'kms-2'
    }
}

Describe '-Verbose says where the region came from, once, before the first request: <Mode> from <Source>' -ForEach @(
    foreach ($mode in 'SecretsManager', 'ParameterStore') {
        @{ Mode = $mode; Source = '-Region'; Expected = 'Region eu-west-1 (from -Region).' }
        @{ Mode = $mode; Source = 'AWS_REGION'; Expected = 'Region eu-west-1 (from AWS_REGION).' }
        @{ Mode = $mode; Source = 'the piped credential'; Expected = "Region eu-west-1 (from the piped credential's Region)." }
    }
) {
    It 'says it' {
        $id = New-TestId 'verbose'
        $names = 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_CONFIG_FILE', 'AWS_PROFILE'
        $saved = @{}
        foreach ($n in $names) { $saved[$n] = [Environment]::GetEnvironmentVariable($n) }
        try {
            Remove-Item Env:AWS_REGION, Env:AWS_DEFAULT_REGION, Env:AWS_PROFILE -ErrorAction SilentlyContinue
            $env:AWS_CONFIG_FILE = [IO.Path]::Combine([IO.Path]::GetTempPath(), 'ecrairflow-no-such-aws-config')
            $region = @{}
            if ($Source -eq '-Region') { $region.Region = 'eu-west-1' }
            if ($Source -eq 'AWS_REGION') { $env:AWS_REGION = 'eu-west-1' }
            $lines = @(New-FakeCredential -Region eu-west-1 -Token 'verbose-tok' |
                    Sync-AirflowEcrConnection -ConnectionId $id -Mode $Mode -EndpointUrl $Moto.endpoint -AwsCredential $Writer @region -Verbose 4>&1 |
                    Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        }
        finally { foreach ($n in $names) { [Environment]::SetEnvironmentVariable($n, $saved[$n]) } }
        @($lines | Where-Object { $_ -like 'Region *' }) | Should -Be @($Expected)
        $firstRequest = @(for ($i = 0; $i -lt $lines.Count; $i++) { if ($lines[$i] -like 'POST *') { $i } })[0]
        [array]::IndexOf([string[]] $lines, $Expected) | Should -BeLessThan $firstRequest -Because 'it is said before the first request'
        $lines -join "`n" | Should -Not -Match 'verbose-tok'
    }
}

Describe 'The documented pipeline with only AWS_REGION, the endpoint variable and the default chain' {
    It '<_> creates, then updates, airflow/connections/ecr' -ForEach 'SecretsManager', 'ParameterStore' {
        $variable = if ($_ -eq 'SecretsManager') { 'AWS_ENDPOINT_URL_SECRETS_MANAGER' } else { 'AWS_ENDPOINT_URL_SSM' }
        $service = if ($_ -eq 'SecretsManager') { 'secretsmanager' } else { 'ssm' }
        $name = if ($_ -eq 'SecretsManager') { 'airflow/connections/ecr' } else { '/airflow/connections/ecr' }
        $pwsh = @(Get-PwshCommandLine)
        $script = "Import-Module '$env:ECRAIRFLOW_TEST_MODULE'; 1..2 | ForEach-Object { Get-EcrDockerCredential -EndpointUrl $($Moto.endpoint) -Force | Sync-AirflowEcrConnection -Mode $_ -ConnectionId ecr | ForEach-Object { `"`$(`$_.Action) `$(`$_.Target)`" } }"
        $names = 'AWS_REGION', $variable, 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_EC2_METADATA_DISABLED',
            'AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_DEFAULT_REGION', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_ECR', 'AWS_ENDPOINT_URL_SECRETS_MANAGER', 'AWS_ENDPOINT_URL_SSM'
        $saved = @{}
        foreach ($n in $names) { $saved[$n] = [Environment]::GetEnvironmentVariable($n) }
        try {
            foreach ($n in $names) { [Environment]::SetEnvironmentVariable($n, $null) }
            $env:AWS_REGION = 'eu-west-1'
            [Environment]::SetEnvironmentVariable($variable, $Moto.endpoint)
            $env:AWS_ACCESS_KEY_ID = $Moto.writer.accessKeyId
            $env:AWS_SECRET_ACCESS_KEY = $Moto.writer.secretAccessKey
            $env:AWS_CONFIG_FILE = [IO.Path]::Combine([IO.Path]::GetTempPath(), 'ecrairflow-no-such-aws-config')
            $env:AWS_SHARED_CREDENTIALS_FILE = $env:AWS_CONFIG_FILE
            $env:AWS_EC2_METADATA_DISABLED = 'true'
            $lines = @(& $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $script 2>&1 | ForEach-Object { "$_" })
        }
        finally { foreach ($n in $names) { [Environment]::SetEnvironmentVariable($n, $saved[$n]) } }
        $prefix = if ($_ -eq 'SecretsManager') { 'secretsmanager' } else { 'ssm' }
        $lines[0] | Should -Match "^(Created|Updated) ${prefix}:eu-west-1:$([regex]::Escape($name))$"
        $lines[1] | Should -Be "Updated ${prefix}:eu-west-1:$name"
        (Read-Backend $service $name).connection.password | Should -BeExactly (Get-WriterEcrPassword)
    }
}

Describe 'Secret-leak audit of the AWS secret stores: <Name>' -ForEach @(
    @{ Name = 'SecretsManager success'; ExpectedError = $null
        Script = { New-FakeCredential -Token $LeakToken | Sync-AirflowEcrConnection -ConnectionId $LeakId -Mode SecretsManager @Aws @Audit } }
    @{ Name = 'SecretsManager -Format Uri'; ExpectedError = $null
        Script = { New-FakeCredential -Token $LeakToken | Sync-AirflowEcrConnection -ConnectionId $LeakId -Mode SecretsManager -Format Uri @Aws @Audit } }
    @{ Name = 'SecretsManager access denied'; ExpectedError = 'SecretsManagerAccessDenied'
        Script = { New-FakeCredential -Token $LeakToken | Sync-AirflowEcrConnection -ConnectionId $LeakId -Mode SecretsManager @Aws -AwsCredential $EcrOnly @Audit } }
    @{ Name = 'SecretsManager with a wrong secret key'; ExpectedError = 'SecretsManagerInvalidSignature'
        Script = { New-FakeCredential -Token $LeakToken | Sync-AirflowEcrConnection -ConnectionId $LeakId -Mode SecretsManager @Aws -AwsCredential $WrongWriter @Audit } }
    @{ Name = 'SecretsManager -WhatIf'; ExpectedError = $null
        Script = { New-FakeCredential -Token $LeakToken | Sync-AirflowEcrConnection -ConnectionId $LeakId -Mode SecretsManager @Aws -WhatIf @Audit } }
    @{ Name = 'ParameterStore success'; ExpectedError = $null
        Script = { New-FakeCredential -Token $LeakToken | Sync-AirflowEcrConnection -ConnectionId $LeakId -Mode ParameterStore @Aws @Audit } }
    @{ Name = 'ParameterStore too large for -Tier Standard'; ExpectedError = 'ParameterStoreValueTooLargeForTier'
        Script = { New-FakeCredential -Token ($LeakToken * 100) | Sync-AirflowEcrConnection -ConnectionId $LeakId -Mode ParameterStore -Tier Standard @Aws @Audit } }
    @{ Name = 'ParameterStore access denied'; ExpectedError = 'ParameterStoreAccessDenied'
        Script = { New-FakeCredential -Token $LeakToken | Sync-AirflowEcrConnection -ConnectionId $LeakId -Mode ParameterStore @Aws -AwsCredential $EcrOnly @Audit } }
    # Over what is there: the stored value (with its own secret) is read, merged or refused, and never shown.
    @{ Name = 'SecretsManager over an existing connection'; ExpectedError = $null; Seed = 'secret'; Stored = 'connection'
        Script = { New-FakeCredential -Token $LeakToken | Sync-AirflowEcrConnection -ConnectionId $LeakId -Mode SecretsManager @Aws @Audit } }
    @{ Name = 'SecretsManager refusing a secret that is not a Docker connection'; ExpectedError = 'NotDockerConnection'; Seed = 'secret'; Stored = 'other'
        Script = { New-FakeCredential -Token $LeakToken | Sync-AirflowEcrConnection -ConnectionId $LeakId -Mode SecretsManager @Aws @Audit } }
    @{ Name = 'SecretsManager -KmsKeyId other than the secret''s'; ExpectedError = 'SecretsManagerKmsKeyMismatch'; Seed = 'secret'; Stored = 'connection'
        Script = { New-FakeCredential -Token $LeakToken | Sync-AirflowEcrConnection -ConnectionId $LeakId -Mode SecretsManager -KmsKeyId 'alias/leak' @Aws @Audit } }
    @{ Name = 'ParameterStore over an existing String connection'; ExpectedError = $null; Seed = 'parameter'; Stored = 'connection'
        Script = { New-FakeCredential -Token $LeakToken | Sync-AirflowEcrConnection -ConnectionId $LeakId -Mode ParameterStore @Aws @Audit } }
    @{ Name = 'ParameterStore refusing a parameter that is not a Docker connection'; ExpectedError = 'NotDockerConnection'; Seed = 'parameter'; Stored = 'other'
        Script = { New-FakeCredential -Token $LeakToken | Sync-AirflowEcrConnection -ConnectionId $LeakId -Mode ParameterStore @Aws @Audit } }
) {
    BeforeAll {
        $script:LeakToken = 'SmLeak+/=tok:' + [guid]::NewGuid().ToString('n')
        $script:WrongWriter = [pscredential]::new($Moto.writer.accessKeyId, (ConvertTo-SecureString $Moto.ecrOnly.secretAccessKey -AsPlainText -Force))
        $script:StoredSecret = 'StoredLeak+/=pw:' + [guid]::NewGuid().ToString('n')
        $script:Secrets = @($LeakToken, $StoredSecret, $Moto.writer.secretAccessKey, $Moto.ecrOnly.secretAccessKey)
    }
    BeforeEach {
        $script:LeakId = New-TestId 'leak'
        if ($Seed) {
            $value = if ($Stored -eq 'connection') { ($UsersJson | ConvertFrom-Json | ForEach-Object { $_.password = $StoredSecret; $_ } | ConvertTo-Json -Compress -Depth 5) }
            else { '{"db_password": "' + $StoredSecret + '"}' }
            if ($Seed -eq 'secret') { $null = Set-Backend secret @{ name = "airflow/connections/$LeakId"; string = $value } }
            else { $null = Set-Backend parameter @{ name = "/airflow/connections/$LeakId"; value = $value; type = 'String' } }
        }
        $script:MotoLogLength = (Get-Item $Moto.log).Length
    }

    It 'never shows the token or an AWS secret key' {
        $tempBefore = Get-TempSnapshot
        $run = Invoke-Audited $Script
        if ($ExpectedError) { $run.Errors[0].FullyQualifiedErrorId | Should -BeLike "$ExpectedError,*" }
        else { $run.Errors | Should -BeNullOrEmpty }
        $stream = [IO.File]::Open($Moto.log, 'Open', 'Read', 'ReadWrite')
        try { $null = $stream.Seek($MotoLogLength, 'Begin'); $motoLog = [IO.StreamReader]::new($stream).ReadToEnd() }
        finally { $stream.Dispose() }
        $places = [ordered]@{
            'the six streams, -ErrorVariable and $Error' = $run.Text
            'the console'                                = $run.Console
            'the transcript'                             = $run.Transcript
            "moto's request log"                         = $motoLog
        }
        foreach ($change in Get-TempChanges $tempBefore) { $places["the temp file $($change.Path)"] = $change.Text }
        foreach ($place in $places.GetEnumerator()) { Assert-NoSecret -Text $place.Value -Secrets $Secrets -Where $place.Key }
        if (-not $ExpectedError -and $Name -notlike '*WhatIf*') {
            $service = if ($Name -like 'SecretsManager*') { 'secretsmanager' } else { 'ssm' }
            $name = if ($service -eq 'ssm') { "/airflow/connections/$LeakId" } else { "airflow/connections/$LeakId" }
            (Read-Backend $service $name).connection.password | Should -BeExactly $LeakToken -Because 'the store is the one place the token belongs'
        }
    }
}
