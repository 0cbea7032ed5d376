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
    $script:Python = Get-PythonCommand
    $script:Reader = Join-Path $Root 'tests/peers/airflow/read_backend_value.py'

    $script:Writer = New-AwsKeyCredential $Moto.writer
    $script:EcrOnly = New-AwsKeyCredential $Moto.ecrOnly
    $script:Registry = "$($Moto.accountId).dkr.ecr.eu-west-1.amazonaws.com"
    # Every ECR token moto issues is new: what the writer got last is what a -Force run stored.
    function Get-WriterEcrPassword { Get-MotoEcrPassword -Endpoint $Moto.endpoint -AccessKeyId $Moto.writer.accessKeyId }
    # The AWS side of every Sync below, as explicit parameters (the default-chain case has its own test).
    $script:Aws = @{ Region = 'eu-west-1'; EndpointUrl = $Moto.endpoint; AwsCredential = $Writer }


    # What Airflow's backend reads for a name, via boto3 as the admin user; $null when there is none.
    function Read-Backend([ValidateSet('secretsmanager', 'ssm', 'delete-secret')] [string] $Service, [string] $Name, [string] $Region = 'eu-west-1') {
        $saved = @{}
        $vars = @{ READER_ENDPOINT = $Moto.endpoint; READER_REGION = $Region; READER_KEY_ID = $Moto.admin.accessKeyId; READER_SECRET = $Moto.admin.secretAccessKey }
        foreach ($k in $vars.Keys) { $saved[$k] = [Environment]::GetEnvironmentVariable($k); [Environment]::SetEnvironmentVariable($k, $vars[$k]) }
        try {
            $json = & $Python $Reader $Service $Name
            if ($LASTEXITCODE -eq 4) { return $null }
            if ($LASTEXITCODE -ne 0) { throw "read_backend_value.py failed with exit code $LASTEXITCODE" }
            $json | ConvertFrom-Json
        }
        finally { foreach ($k in $vars.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) } }
    }

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

    It 'steady state is one PutSecretValue per connection, and the first run adds one CreateSecret' {
        $ids = (New-TestId 'a'), (New-TestId 'b'), (New-TestId 'c')
        $cred = New-FakeCredential -Token 'count-token+/='
        $before = Get-MotoLogCount
        $null = foreach ($i in $ids) { $cred | Sync-AirflowEcrConnection -ConnectionId $i -Mode SecretsManager @Aws }
        (Get-MotoCalls $before 'secretsmanager.*').target | Should -Be (@('secretsmanager.PutSecretValue', 'secretsmanager.CreateSecret') * 3)
        $before = Get-MotoLogCount
        $results = @($ids | ForEach-Object { $cred | Sync-AirflowEcrConnection -ConnectionId $_ -Mode SecretsManager @Aws })
        $results.Action | Should -Be @('Updated', 'Updated', 'Updated')
        (Get-MotoCalls $before 'secretsmanager.*').target | Should -Be (@('secretsmanager.PutSecretValue') * 3)
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

    It 'steady state is one PutParameter per connection' {
        $id = New-TestId 'count'
        $null = New-FakeCredential -Token 'ssm-count' | Sync-AirflowEcrConnection -ConnectionId $id -Mode ParameterStore @Aws
        $before = Get-MotoLogCount
        $null = New-FakeCredential -Token 'ssm-count-2' | Sync-AirflowEcrConnection -ConnectionId $id -Mode ParameterStore @Aws
        (Get-MotoCalls $before 'AmazonSSM.*').target | Should -Be @('AmazonSSM.PutParameter')
    }

    It 'a 5 KB value becomes an Advanced parameter, says so, and warns that it costs money' {
        $id = New-TestId 'big'
        $warnings = $null
        $out = New-FakeCredential -Token ('x' * 5000) | Sync-AirflowEcrConnection -ConnectionId $id -Mode ParameterStore @Aws -WarningVariable warnings -WarningAction SilentlyContinue
        $out.Tier | Should -Be 'Advanced'
        ($warnings -join ' ') | Should -Match 'Advanced parameter, which AWS charges for'
        (Read-Backend ssm "/airflow/connections/$id").tier | Should -Be 'Advanced'
    }

    It '-Tier Standard with a 5 KB value is refused before any request' {
        $id = New-TestId 'tier'
        $before = Get-MotoLogCount
        $err = $null
        $out = New-FakeCredential -Token ('x' * 5000) | Sync-AirflowEcrConnection -ConnectionId $id -Mode ParameterStore -Tier Standard @Aws -ErrorVariable err -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ParameterStoreValueTooLargeForTier,*'
        $err[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
        (Get-MotoCalls $before 'AmazonSSM.*').Count | Should -Be 0
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
) {
    BeforeAll {
        $script:LeakToken = 'SmLeak+/=tok:' + [guid]::NewGuid().ToString('n')
        $script:WrongWriter = New-AwsKeyCredential $Moto.writer -SecretAccessKey $Moto.ecrOnly.secretAccessKey
        $script:Secrets = @($LeakToken, $Moto.writer.secretAccessKey, $Moto.ecrOnly.secretAccessKey)
    }
    BeforeEach {
        $script:LeakId = New-TestId 'leak'
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
