<#
.SYNOPSIS
    Refreshes the Airflow Docker connection(s) for Amazon ECR. Meant for Windows Task Scheduler, cron, a systemd
    timer or an Airflow task right before the DockerOperator task: with -SkipIfValidFor 1h it can run every 15
    minutes, or before every pull, and write only when the stored token has less than an hour left.
.DESCRIPTION
    Gets an ECR login with the AWS credentials of the account the job runs as (its profile, environment,
    instance or container role) and writes it into Airflow through the REST API (-Mode Rest), or, for an
    Airflow that reads connections from an AWS secrets backend, into AWS Secrets Manager (-Mode
    SecretsManager) or SSM Parameter Store (-Mode ParameterStore) with the same AWS identity; those two
    need no Airflow URL or credential at all.

    With -SkipIfValidFor (a duration: 1h, 30m, 01:00:00) it reads what the target holds first and writes only the
    connections whose stored token is for another registry or login, or stays valid for less than that; the others
    are reported as Skipped and get no write request. Run it more often than the margin you give: every 15 minutes
    with -SkipIfValidFor 1h rewrites each connection about once per 12-hour token.

    Exits 0 when every connection was written or skipped and 1 otherwise, so the scheduler records a failure.
    Prints one line per connection (Created, Updated or Skipped), never a secret.

    Rest mode's Airflow credential comes from -AirflowCredentialPath (a file made once with
    Get-Credential | Export-Clixml, protected by DPAPI on Windows) or from the environment variables
    AIRFLOW_API_USER and AIRFLOW_API_PASSWORD (e.g. a systemd EnvironmentFile readable only by the job's user).
    Test-AirflowEcrLogin.ps1 beside this script takes the same parameters and tells a monitor how fresh the
    connections are.
.EXAMPLE
    pwsh -NoProfile -NonInteractive -File C:\jobs\Update-AirflowEcrConnection.ps1 -Region eu-west-1 -AirflowUrl https://airflow.example.com -AirflowCredentialPath C:\jobs\airflow.cred.xml -SkipIfValidFor 1h
.EXAMPLE
    pwsh -NoProfile -NonInteractive -File /opt/ecrairflow/Update-AirflowEcrConnection.ps1 -Region eu-west-1 -Mode SecretsManager -SkipIfValidFor 1h
.EXAMPLE
    pwsh -NoProfile -NonInteractive -File /opt/ecrairflow/Update-AirflowEcrConnection.ps1 -Region eu-west-1 -AirflowUrl https://airflow.example.com -RegistryId 111111111111,222222222222
    One connection per registry: ecr_111111111111 and ecr_222222222222.
#>
[CmdletBinding()]
param(
    [ValidateSet('Rest', 'SecretsManager', 'ParameterStore')] [string] $Mode = 'Rest',
    # Rest mode: the Airflow webserver / API server.
    [string] $AirflowUrl,
    # SecretsManager / ParameterStore: the backend's connections_prefix (default: the backend's own).
    [string] $ConnectionsPrefix,
    [string] $Region,
    [string] $ConnectionId = 'ecr',
    # One or many (a, b or "a,b": pwsh -File passes a comma list as one string).
    [string[]] $RegistryId,
    [string] $ProfileName,
    [string] $AirflowCredentialPath,
    [ValidateSet('Auto', 'V1', 'V2')] [string] $ApiVersion = 'Auto',
    # Write only what is due: a connection whose stored token stays valid this long is Skipped. 1h, 30m, 01:00:00.
    [string] $SkipIfValidFor,
    # For VPC endpoints (and the project's tests, which point it at a local AWS emulator).
    [string] $EndpointUrl,
    # Where EcrAirflow is, when it is not installed in a PSModulePath folder.
    [string] $ModulePath = 'EcrAirflow'
)

# The Airflow credential saved once with Get-Credential | Export-Clixml. On Windows the password in the file
# is encrypted with DPAPI for the user who saved it, on that machine: no other account can read it.
# (The same function is in Test-AirflowEcrLogin.ps1, so each script can be copied alone; a test keeps them equal.)
function Import-AirflowCredential {
    param([Parameter(Mandatory)] [string] $Path)
    $make = "Make it once, as the user the job runs as: Get-Credential | Export-Clixml '$Path'"
    if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) { throw "The Airflow credential file '$Path' does not exist. $make" }
    try { $loaded = Import-Clixml -LiteralPath $Path }
    catch {
        throw "The Airflow credential file '$Path' cannot be read ($($_.Exception.Message)). On Windows such a file opens only for the user who made it, on the machine where it was made. $make"
    }
    $items = @($loaded)
    if ($items.Count -ne 1 -or $items[0] -isnot [pscredential]) {
        # Named by type only: what is in the file may be a password.
        $what = if ($items.Count -eq 0) { 'nothing' } elseif ($items.Count -gt 1) { "$($items.Count) objects" } else { "a $($items[0].pstypenames[0])" }
        throw "The Airflow credential file '$Path' holds $what, not a PSCredential. $make"
    }
    $items[0]
}

# The -Mode parameters of Sync-/Test-AirflowEcrConnection for the job's target (also in Test-AirflowEcrLogin.ps1).
function Get-AirflowTargetParameters {
    param(
        [string] $Mode, [string] $AirflowUrl, [string] $AirflowCredentialPath, [string] $ApiVersion,
        [string] $Region, [string] $ProfileName, [string] $ConnectionsPrefix
    )
    $target = @{ Mode = $Mode }
    if ($Mode -eq 'Rest') {
        if (-not $AirflowUrl) { throw '-Mode Rest needs -AirflowUrl.' }
        $target.AirflowCredential = if ($AirflowCredentialPath) {
            Import-AirflowCredential -Path $AirflowCredentialPath
        }
        elseif ($env:AIRFLOW_API_USER -and $env:AIRFLOW_API_PASSWORD) {
            New-Object System.Management.Automation.PSCredential($env:AIRFLOW_API_USER, (ConvertTo-SecureString $env:AIRFLOW_API_PASSWORD -AsPlainText -Force))
        }
        else {
            throw 'No Airflow credential: give -AirflowCredentialPath or set AIRFLOW_API_USER and AIRFLOW_API_PASSWORD.'
        }
        $target.AirflowUrl = $AirflowUrl
        $target.ApiVersion = $ApiVersion
    }
    else {
        # The secret stores are read and written with the same AWS identity, in the same region, through the same endpoint rules.
        if ($Region) { $target.Region = $Region }
        if ($ProfileName) { $target.ProfileName = $ProfileName }
        if ($ConnectionsPrefix) { $target.ConnectionsPrefix = $ConnectionsPrefix }
    }
    $target
}

# Dot-sourced (as the tests do), the script only defines its functions.
if ($MyInvocation.InvocationName -eq '.') { return }

$ErrorActionPreference = 'Stop'
try {
    Import-Module $ModulePath

    $sync = Get-AirflowTargetParameters -Mode $Mode -AirflowUrl $AirflowUrl -AirflowCredentialPath $AirflowCredentialPath -ApiVersion $ApiVersion `
        -Region $Region -ProfileName $ProfileName -ConnectionsPrefix $ConnectionsPrefix
    if ($SkipIfValidFor) { $sync.SkipIfValidFor = $SkipIfValidFor }

    $RegistryId = @($RegistryId -split ',' | ForEach-Object { $_.Trim() } | Where-Object { $_ })
    $get = @{ Force = $true }
    if ($Region) { $get.Region = $Region }
    if ($RegistryId) { $get.RegistryId = $RegistryId }
    if ($ProfileName) { $get.ProfileName = $ProfileName }
    if ($EndpointUrl) { $get.EndpointUrl = $EndpointUrl }

    # One connection per registry when several are asked for: ecr_<account id>.
    $sync.ConnectionId = if ($RegistryId.Count -gt 1) { { "$($ConnectionId)_$($_.RegistryId)" } } else { $ConnectionId }

    $results = Get-EcrDockerCredential @get | Sync-AirflowEcrConnection @sync
    foreach ($r in $results) {
        # A skipped connection was not written: it has no API version to name.
        $via = @($r.Mode, $r.ApiVersion, $r.Target) | Where-Object { $_ }
        '{0:u} {1} {2} {3} via {4}; token expires {5:u}' -f (Get-Date).ToUniversalTime(), $r.Action, $r.ConnectionId, $r.Registry, ($via -join ' '), $r.ExpiresAt
    }
    if (-not $results) { throw 'No connection was written.' }
    exit 0
}
catch {
    # One line for the scheduler's history / journald; the ErrorRecord holds no secret.
    $err = $_
    $id = $err.FullyQualifiedErrorId
    $message = if ($err.ErrorDetails -and $err.ErrorDetails.Message) { $err.ErrorDetails.Message } else { $err.Exception.Message }
    [Console]::Error.WriteLine("EcrAirflow refresh failed: $message [$id]")
    if ($err.ErrorDetails -and $err.ErrorDetails.RecommendedAction) { [Console]::Error.WriteLine("Hint: $($err.ErrorDetails.RecommendedAction)") }
    exit 1
}
