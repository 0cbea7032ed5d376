# What the TestConnection suites share (dot-sourced; not a test file itself): one row per mode, each mode's peer
# started once per file, and per mode how to point the cmdlets at it, how to put a value in its store directly (as a
# user or another tool would, never through the module), what it holds, and what it was asked.
# Dot-sourced in BeforeDiscovery (for $TestConnectionModes) and in BeforeAll after Common.ps1 (for the rest).
#
# The peers: moto (shared through ECRAIRFLOW_TEST_MOTO, else one of the file's own) issues the ECR tokens and holds
# Secrets Manager and Parameter Store; the Airflow emulator as Airflow 2 and 3 (Rest mode, and behind the MWAA
# peer's environments af2 and af3); the stand-in airflow CLI with a store of its own; this process's environment
# and a dotenv file in the file's test folder. One AWS key (moto's "writer") signs everything: ECR, Secrets Manager,
# SSM and, once the MWAA peer allows it, MWAA; one region, eu-west-1.

# Readable: the target gives the stored password back, so ExpiresAt comes from the token itself (ExpirySource
# Token); otherwise from EcrAirflow's note in the description (Annotation). OneRead: one request reads any number
# of ids (Airflow 3's list, a dotenv file).
$script:TestConnectionModes = @(
    @{ Key = 'Rest2'; Name = 'Rest on Airflow 2'; Readable = $false; OneRead = $false }
    @{ Key = 'Rest3'; Name = 'Rest on Airflow 3'; Readable = $false; OneRead = $true }
    @{ Key = 'Cli'; Name = 'Cli (the stand-in airflow CLI)'; Readable = $true; OneRead = $false }
    @{ Key = 'EnvProcess'; Name = 'EnvironmentVariable (process scope)'; Readable = $true; OneRead = $false }
    @{ Key = 'EnvDotenv'; Name = 'EnvironmentVariable (a dotenv file)'; Readable = $true; OneRead = $true }
    @{ Key = 'SecretsManager'; Name = 'SecretsManager (moto)'; Readable = $true; OneRead = $false }
    @{ Key = 'ParameterStore'; Name = 'ParameterStore (moto)'; Readable = $true; OneRead = $false }
    @{ Key = 'Mwaa2'; Name = 'Mwaa on Airflow 2'; Readable = $false; OneRead = $false }
    @{ Key = 'Mwaa3'; Name = 'Mwaa on Airflow 3'; Readable = $false; OneRead = $true }
)

# ECR's own lifetime, which the moto peer is set back to after a test shortens it.
$script:EcrTokenLifetime = 43200

function Start-TestConnectionPeers {
    # -Airflow: also the emulators and the MWAA peer (the Rest and Mwaa rows). Sets $script:TC.
    param([Parameter(Mandatory)] [string] $Tag, [switch] $Airflow)
    $tc = [ordered]@{ OwnMoto = $null; Emulators = @{}; Mwaa = $null; SavedMoto = $env:ECRAIRFLOW_TEST_MOTO }
    $tc.Work = New-TestFolder $Tag
    if (-not $env:ECRAIRFLOW_TEST_MOTO -or -not (Test-Path $env:ECRAIRFLOW_TEST_MOTO)) {
        # Run alone (not from build.ps1): a moto of the file's own, its files in the file's folder.
        $tc.OwnMoto = Start-MotoPeer -WorkDirectory $tc.Work
        $env:ECRAIRFLOW_TEST_MOTO = $tc.OwnMoto.InfoPath
    }
    $tc.Moto = Get-Content $env:ECRAIRFLOW_TEST_MOTO -Raw | ConvertFrom-Json
    $tc.Region = 'eu-west-1'
    $tc.Key = New-AwsKeyCredential $tc.Moto.writer
    $tc.Registry = "$($tc.Moto.accountId).dkr.ecr.$($tc.Region).amazonaws.com"
    $tc.StandInHome = Join-Path $tc.Work 'standin'
    $null = New-Item -ItemType Directory -Path $tc.StandInHome
    $tc.Dotenv = Join-Path $tc.Work '.env'
    $tc.SavedStandInHome = $env:AIRFLOW_STANDIN_HOME
    $env:AIRFLOW_STANDIN_HOME = $tc.StandInHome
    # The AIRFLOW_CONN_* variables there before: the file removes only the ones it set.
    $tc.ConnVariablesBefore = @(Get-ChildItem Env: | Where-Object Name -like 'AIRFLOW_CONN_*' | ForEach-Object Name)
    if ($Airflow) {
        $tc.AirflowCredential = [pscredential]::new('admin', (ConvertTo-SecureString 'tc-Airflow-Pa55' -AsPlainText -Force))
        $tc.Emulators[2] = Start-AirflowEmulator -AirflowVersion 2 -Password 'tc-Airflow-Pa55'
        $tc.Emulators[3] = Start-AirflowEmulator -AirflowVersion 3 -Password 'tc-Airflow-Pa55'
        $tc.Mwaa = Start-MwaaPeer -WorkDirectory $tc.Work
        $null = Add-MwaaKey -Peer $tc.Mwaa -Key $tc.Moto.writer
        $null = Add-MwaaEnvironment -Peer $tc.Mwaa -Name 'af2' -AirflowVersion '2.10.3' -AirflowUrl $tc.Emulators[2].Url -AirflowPassword 'tc-Airflow-Pa55' -Region $tc.Region
        $null = Add-MwaaEnvironment -Peer $tc.Mwaa -Name 'af3' -AirflowVersion '3.0.6' -AirflowUrl $tc.Emulators[3].Url -AirflowPassword 'tc-Airflow-Pa55' -Region $tc.Region
    }
    $script:TC = [pscustomobject]$tc
}

function Stop-TestConnectionPeers {
    if (-not $script:TC) { return }
    Set-MotoEcrTokenLifetime -Endpoint $TC.Moto.endpoint -Seconds $EcrTokenLifetime
    Get-ChildItem Env: | Where-Object { $_.Name -like 'AIRFLOW_CONN_*' -and $TC.ConnVariablesBefore -notcontains $_.Name } |
        ForEach-Object { Set-TestEnv $_.Name $null }
    Set-TestEnv AIRFLOW_STANDIN_HOME $TC.SavedStandInHome
    if ($TC.Mwaa) { Stop-Peer $TC.Mwaa }
    foreach ($e in $TC.Emulators.Values) { Stop-Peer $e }
    if ($TC.OwnMoto) {
        Stop-Peer $TC.OwnMoto
        Set-TestEnv ECRAIRFLOW_TEST_MOTO $TC.SavedMoto
    }
    Remove-TestFolder $TC.Work
}

# The Sync-/Test-AirflowEcrConnection parameters that point at a row's peer (the mode and its own parameters).
function Get-ModeParameters([Parameter(Mandatory)] [string] $Key) {
    $aws = @{ Region = $TC.Region; AwsCredential = $TC.Key }
    switch ($Key) {
        'Rest2' { @{ Mode = 'Rest'; AirflowUrl = $TC.Emulators[2].Url; AirflowCredential = $TC.AirflowCredential } }
        'Rest3' { @{ Mode = 'Rest'; AirflowUrl = $TC.Emulators[3].Url; AirflowCredential = $TC.AirflowCredential } }
        'Cli' { @{ Mode = 'Cli'; AirflowCommand = (Get-StandInPath) } }
        'EnvProcess' { @{ Mode = 'EnvironmentVariable' } }
        'EnvDotenv' { @{ Mode = 'EnvironmentVariable'; Path = $TC.Dotenv } }
        'SecretsManager' { @{ Mode = 'SecretsManager'; EndpointUrl = $TC.Moto.endpoint } + $aws }
        'ParameterStore' { @{ Mode = 'ParameterStore'; EndpointUrl = $TC.Moto.endpoint } + $aws }
        'Mwaa2' { @{ Mode = 'Mwaa'; MwaaEnvironmentName = 'af2'; EndpointUrl = $TC.Mwaa.Endpoint } + $aws }
        'Mwaa3' { @{ Mode = 'Mwaa'; MwaaEnvironmentName = 'af3'; EndpointUrl = $TC.Mwaa.Endpoint } + $aws }
        default { throw "No mode row '$Key'." }
    }
}

# A real ECR token from moto: the credential as Get-EcrDockerCredential returns it, the password moto issued, and
# when it expires by its own word (the expiration in the JSON document the password is the base64 of).
function New-MotoCredential {
    $credential = Get-EcrDockerCredential -Region $TC.Region -EndpointUrl $TC.Moto.endpoint -AwsCredential $TC.Key -Force
    $password = Get-MotoEcrPassword -Endpoint $TC.Moto.endpoint -AccessKeyId $TC.Moto.writer.accessKeyId
    $document = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($password)) | ConvertFrom-Json
    [pscustomobject]@{ Credential = $credential; Password = $password; ExpiresAt = [DateTimeOffset]::FromUnixTimeSeconds($document.expiration) }
}

# The same, from a token that lives -Seconds only (the moto peer's lifetime is set back at once).
function New-ShortMotoCredential([int] $Seconds) {
    Set-MotoEcrTokenLifetime -Endpoint $TC.Moto.endpoint -Seconds $Seconds
    try { New-MotoCredential }
    finally { Set-MotoEcrTokenLifetime -Endpoint $TC.Moto.endpoint -Seconds $EcrTokenLifetime }
}

# Writes $Token (from New-MotoCredential) into every id with one Sync-AirflowEcrConnection (by property name, as
# a pipeline of credentials does) and returns its results. -Registry: another registry host for the connections.
function Sync-MotoCredential {
    param([Parameter(Mandatory)] [string] $Key, [Parameter(Mandatory)] [string[]] $ConnectionId, [Parameter(Mandatory)] $Token,
        [string] $Registry = $Token.Credential.Registry, [hashtable] $Extra = @{})
    $target = Get-ModeParameters $Key
    $ConnectionId | ForEach-Object {
        [pscustomobject]@{ ConnectionId = $_; Registry = $Registry; UserName = $Token.Credential.UserName; Password = $Token.Credential.Password; ExpiresAt = $Token.Credential.ExpiresAt }
    } | Sync-AirflowEcrConnection @target @Extra -WarningAction SilentlyContinue
}

# EcrAirflow's note of a token's expiry, as Sync-AirflowEcrConnection writes it in the description.
function Get-ExpiryNote([DateTimeOffset] $ExpiresAt) {
    'Managed by EcrAirflow; token expires ' + $ExpiresAt.UtcDateTime.ToString('yyyy-MM-dd HH:mm:ss', [Globalization.CultureInfo]::InvariantCulture) + ' UTC'
}

# The Airflow emulator behind a Rest or Mwaa row: the row's key ends in its Airflow version (Rest2, Mwaa3).
function Get-RowEmulator([string] $Key) { $TC.Emulators[[int]$Key.Substring($Key.Length - 1)] }

# Puts a connection at the id in the row's store directly, as a user or another tool would: $Fields holds conn_type,
# host, login, password and description (any may be left out).
function Set-StoredConnection([string] $Key, [string] $Id, [hashtable] $Fields) {
    $json = $Fields | ConvertTo-Json -Compress
    switch -Regex ($Key) {
        '^Rest|^Mwaa' {
            $null = Set-EmulatorConnection -Url (Get-RowEmulator $Key).Url -ConnectionId $Id -Connection (@{ connection_id = $Id } + $Fields)
        }
        '^Cli$' { Set-StandInConnections -Connections @{ $Id = $Fields } -StandInHome $TC.StandInHome }
        '^EnvProcess$' { Set-TestEnv "AIRFLOW_CONN_$($Id.ToUpperInvariant())" $json }
        '^EnvDotenv$' { [IO.File]::AppendAllText($TC.Dotenv, "AIRFLOW_CONN_$($Id.ToUpperInvariant())='$json'`n") }
        '^SecretsManager$' { $null = Set-MotoStore $TC.Moto secret @{ name = "airflow/connections/$Id"; string = $json } $TC.Region }
        '^ParameterStore$' { $null = Set-MotoStore $TC.Moto parameter @{ name = "/airflow/connections/$Id"; value = $json; type = 'SecureString' } $TC.Region }
    }
}

# A connection variable's value (JSON or URI) as Airflow reads its password.
function Get-PasswordOfValue([string] $Value) {
    if (-not $Value) { return $null }
    if ($Value.StartsWith('{')) { return ($Value | ConvertFrom-Json).password }
    if ($Value -match '^[\w-]+://[^:@/]*:([^@]*)@') { return [uri]::UnescapeDataString($Matches[1]) }
}

# The password the row's store holds for the id now (read at the peer, never through the module); $null when none.
function Get-StoredPassword([string] $Key, [string] $Id) {
    switch -Regex ($Key) {
        '^Rest|^Mwaa' {
            (Get-EmulatorConnections -Url (Get-RowEmulator $Key).Url | Where-Object connection_id -eq $Id).password
        }
        '^Cli$' { (Get-StandInConnection -ConnectionId $Id -StandInHome $TC.StandInHome).password }
        '^EnvProcess$' { Get-PasswordOfValue ([Environment]::GetEnvironmentVariable("AIRFLOW_CONN_$($Id.ToUpperInvariant())")) }
        '^EnvDotenv$' {
            $name = "AIRFLOW_CONN_$($Id.ToUpperInvariant())"
            $line = @(Get-Content -LiteralPath $TC.Dotenv | Where-Object { $_.StartsWith("$name=") })[-1]
            if ($line) { Get-PasswordOfValue $line.Substring($name.Length + 1).Trim("'", '"') }
        }
        '^SecretsManager$' { (Read-MotoStore $TC.Moto secretsmanager "airflow/connections/$Id" $TC.Region).connection.password }
        '^ParameterStore$' { (Read-MotoStore $TC.Moto ssm "/airflow/connections/$Id" $TC.Region).connection.password }
    }
}

# The reads a Rest or Mwaa row's peer was asked for the ids ($Asked from Get-PeerRequests): on Airflow 3 one list
# request for every id, on Airflow 2 one GET per id, in the order given.
function Assert-AirflowReads([string] $Key, [string[]] $Asked, [string[]] $Ids) {
    switch ($Key) {
        'Rest3' { $Asked | Should -Be @('GET /api/v2/connections') -Because 'one list request reads every id' }
        'Mwaa3' { @($Asked -like 'InvokeRestApi *') | Should -Be @('InvokeRestApi GET /connections') -Because 'one list request reads every id' }
        'Rest2' { $Asked | Should -Be @($Ids | ForEach-Object { "GET /api/v1/connections/$_" }) }
        'Mwaa2' { @($Asked -like 'InvokeRestApi *') | Should -Be @($Ids | ForEach-Object { "InvokeRestApi GET /connections/$_" }) }
        default { throw "Assert-AirflowReads: '$Key' is not a Rest or Mwaa row." }
    }
}

# What the row's peer was asked, oldest first, one line each: "GET /api/v2/connections" (the emulator's connection
# requests), "InvokeRestApi GET /connections" (MWAA), "connections get" (the stand-in), "secretsmanager.GetSecretValue"
# (moto). Nothing for the environment rows, which have no peer: their tests compare what is stored instead. Take
# the count before, and Select-Object -Skip it after.
function Get-PeerRequests([string] $Key) {
    switch -Regex ($Key) {
        '^Rest' {
            @(Get-EmulatorRequests -Url (Get-RowEmulator $Key).Url | Where-Object { $_.path -like '/api/v*/connections*' } | ForEach-Object { "$($_.method) $($_.path)" })
        }
        '^Mwaa' { @(Get-MwaaRequests -Peer $TC.Mwaa | ForEach-Object { if ($_.operation -eq 'InvokeRestApi') { "InvokeRestApi $($_.restApiMethod) $($_.restApiPath)" } else { $_.operation } }) }
        '^Cli$' { @(Get-StandInCalls -StandInHome $TC.StandInHome | ForEach-Object { ($_.argv | Select-Object -First 2) -join ' ' }) }
        '^SecretsManager$' { @(Get-MotoRequests -RequestLog $TC.Moto.log | Where-Object target -like 'secretsmanager.*' | ForEach-Object target) }
        '^ParameterStore$' { @(Get-MotoRequests -RequestLog $TC.Moto.log | Where-Object target -like 'AmazonSSM.*' | ForEach-Object target) }
        default { @() }
    }
}

# The requests of Get-PeerRequests that write.
function Select-WriteRequest([string] $Key, [string[]] $Requests) {
    $pattern = switch -Regex ($Key) {
        '^Rest' { '^(POST|PATCH|PUT|DELETE) ' }
        '^Mwaa' { '^InvokeRestApi (POST|PATCH|PUT|DELETE) ' }
        '^Cli$' { '^connections (import|add|delete)$' }
        '^SecretsManager$' { '\.(CreateSecret|PutSecretValue|UpdateSecret|DeleteSecret|TagResource|RestoreSecret)$' }
        '^ParameterStore$' { '\.(PutParameter|DeleteParameter|AddTagsToResource|LabelParameterVersion)$' }
        default { '^$' }
    }
    @($Requests | Where-Object { $_ -match $pattern })
}

# Everything the row's store holds that a write would change, as text to compare before and after: the stored values
# of the ids (the environment's variables; the dotenv file's bytes and time of last write).
function Get-StoredState([string] $Key, [string[]] $Id) {
    if ($Key -eq 'EnvDotenv') {
        if (-not (Test-Path -LiteralPath $TC.Dotenv)) { return '' }
        $item = Get-Item -LiteralPath $TC.Dotenv -Force
        return [Convert]::ToBase64String([IO.File]::ReadAllBytes($TC.Dotenv)) + '|' + $item.LastWriteTimeUtc.Ticks
    }
    if ($Key -eq 'EnvProcess') {
        return ($Id | ForEach-Object { "$_=" + [Environment]::GetEnvironmentVariable("AIRFLOW_CONN_$($_.ToUpperInvariant())") }) -join "`n"
    }
    ($Id | ForEach-Object { "$_=" + (Get-StoredPassword $Key $_) }) -join "`n"
}
