<#
.SYNOPSIS
    Checks the Airflow Docker connection(s) for Amazon ECR for a scheduler or a Nagios-style monitor: exit code 0
    when every connection is fresh, 1 when one expires soon, 2 when one is expired, missing, not a Docker
    connection, of unknown expiry, or its login failed at the registry.
.DESCRIPTION
    Runs Test-AirflowEcrConnection against the target Update-AirflowEcrConnection.ps1 writes, with the same
    parameters, and prints one line per connection in Nagios' words, worst first (a monitor that keeps only the
    first line keeps the worst):

        ECR CRITICAL: ecr_us Expired; registry 111111111111.dkr.ecr.us-east-1.amazonaws.com; expired 2h 05m ago (2026-05-01 04:00:00Z); Rest http://airflow:8080 (connection ecr_us) - The token of 'ecr_us' expired at ...
        ECR OK: ecr Fresh; registry 123456789012.dkr.ecr.eu-west-1.amazonaws.com; expires in 10h 31m (2026-05-01 16:36:00Z); Rest http://airflow:8080 (connection ecr)

    Exit codes are Nagios plugins' OK (0), WARNING (1) and CRITICAL (2). Where a Nagios plugin says UNKNOWN (3)
    for a check that could not run, this script says CRITICAL (2): a connection nobody could read is not one to
    trust at 3 a.m. It exits 0 exactly when Test-AirflowEcrConnection -Quiet would return $true.

    -MinimumRemaining (default 30m) is the line between OK and WARNING. Keep it below what the refresh job
    lets a token reach: a job that runs every 15 minutes with -SkipIfValidFor 1h renews each token when it has
    between 45 and 60 minutes left, so with 30m a WARNING means the job has missed its last runs, not that it
    is about to run.
    -Login also tries the stored login at the registry (as docker login does); a refused login is CRITICAL, and
    so is a login that could not be tried (e.g. through Airflow's REST API, which never returns the password).

    No secret is printed: the statuses hold no password, and errors name the failure, never a credential.
.EXAMPLE
    pwsh -NoProfile -NonInteractive -File /opt/ecrairflow/Test-AirflowEcrLogin.ps1 -AirflowUrl https://airflow.example.com -ConnectionId ecr,ecr_us -MinimumRemaining 30m
.EXAMPLE
    pwsh -NoProfile -NonInteractive -File /opt/ecrairflow/Test-AirflowEcrLogin.ps1 -Mode SecretsManager -Region eu-west-1 -Login
#>
[CmdletBinding()]
param(
    [ValidateSet('Rest', 'SecretsManager', 'ParameterStore')] [string] $Mode = 'Rest',
    # Rest mode: the Airflow webserver / API server.
    [string] $AirflowUrl,
    # SecretsManager / ParameterStore: the backend's connections_prefix (default: the backend's own).
    [string] $ConnectionsPrefix,
    [string] $Region,
    # One or many (a, b or "a,b": pwsh -File passes a comma list as one string).
    [string[]] $ConnectionId = 'ecr',
    [string] $ProfileName,
    [string] $AirflowCredentialPath,
    [ValidateSet('Auto', 'V1', 'V2')] [string] $ApiVersion = 'Auto',
    # The line between OK and WARNING: 1h, 90m, 01:30:00.
    [string] $MinimumRemaining = '30m',
    # Also try the stored login at the registry.
    [switch] $Login,
    # Where EcrAirflow is, when it is not installed in a PSModulePath folder.
    [string] $ModulePath = 'EcrAirflow'
)

# The Airflow credential saved once with Get-Credential | Export-Clixml. On Windows the password in the file
# is encrypted with DPAPI for the user who saved it, on that machine: no other account can read it.
# (The same function is in Update-AirflowEcrConnection.ps1, so each script can be copied alone; a test keeps them equal.)
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

# The -Mode parameters of Sync-/Test-AirflowEcrConnection for the job's target (also in Update-AirflowEcrConnection.ps1).
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

# Nagios' level for one status: 0 OK, 1 WARNING, 2 CRITICAL. The same rule as -Quiet: only Fresh with a login
# that was not asked for or Succeeded is OK.
function Get-EcrCheckLevel {
    param([Parameter(Mandatory)] $Status)
    $loginOk = "$($Status.Login)" -eq 'NotTested' -or "$($Status.Login)" -eq 'Succeeded'
    if ("$($Status.Status)" -eq 'Fresh' -and $loginOk) { return 0 }
    if ("$($Status.Status)" -eq 'ExpiringSoon' -and $loginOk) { return 1 }
    2
}

function Format-EcrRemaining {
    param([timespan] $Span)
    $abs = $Span.Duration()
    $text = if ($abs.TotalHours -ge 1) { '{0}h {1:00}m' -f [int][math]::Floor($abs.TotalHours), $abs.Minutes } else { '{0}m {1:00}s' -f $abs.Minutes, $abs.Seconds }
    if ($Span -lt [timespan]::Zero) { "expired $text ago" } else { "expires in $text" }
}

# One line: level, id, status (and login when tested), registry, expiry, where, and the reason to act on.
function Format-EcrCheckLine {
    param([Parameter(Mandatory)] $Status, [Parameter(Mandatory)] [int] $Level)
    $word = @('OK', 'WARNING', 'CRITICAL')[$Level]
    $state = "$($Status.Status)"
    if ("$($Status.Login)" -ne 'NotTested') { $state += ", login $($Status.Login)" }
    $registry = if ($Status.Registry) { $Status.Registry } else { '-' }
    $expiry = if ($null -ne $Status.ExpiresAt -and $null -ne $Status.Remaining) {
        '{0} ({1:yyyy-MM-dd HH:mm:ss}Z)' -f (Format-EcrRemaining $Status.Remaining), $Status.ExpiresAt.UtcDateTime
    }
    else { 'expiry unknown' }
    $line = "ECR ${word}: $($Status.ConnectionId) $state; registry $registry; $expiry; $($Status.Mode) $($Status.Target)"
    if ($Status.Reason) { $line += " - $($Status.Reason)" }
    # One line per connection, whatever a reason holds.
    $line -replace '[\r\n]+', ' '
}

# Dot-sourced (as the tests do), the script only defines its functions.
if ($MyInvocation.InvocationName -eq '.') { return }

$ErrorActionPreference = 'Stop'
try {
    Import-Module $ModulePath

    $test = Get-AirflowTargetParameters -Mode $Mode -AirflowUrl $AirflowUrl -AirflowCredentialPath $AirflowCredentialPath -ApiVersion $ApiVersion `
        -Region $Region -ProfileName $ProfileName -ConnectionsPrefix $ConnectionsPrefix
    $test.ConnectionId = @($ConnectionId -split ',' | ForEach-Object { $_.Trim() } | Where-Object { $_ })
    $test.MinimumRemaining = $MinimumRemaining
    if ($Login) { $test.Login = $true }

    # An id that could not be read comes back as Unknown with the reason, and as a non-terminating error.
    $readErrors = @()
    $statuses = @(Test-AirflowEcrConnection @test -ErrorAction SilentlyContinue -ErrorVariable readErrors)
    if ($statuses.Count -eq 0) { throw 'Test-AirflowEcrConnection returned no status.' }

    $rated = for ($i = 0; $i -lt $statuses.Count; $i++) { [pscustomobject]@{ Level = (Get-EcrCheckLevel $statuses[$i]); Index = $i; Status = $statuses[$i] } }
    # Worst first; connections of one level in the order asked for.
    $rated = @($rated | Sort-Object -Property @{ Expression = 'Level'; Descending = $true }, @{ Expression = 'Index'; Descending = $false })
    foreach ($r in $rated) { Format-EcrCheckLine -Status $r.Status -Level $r.Level }
    foreach ($e in $readErrors) {
        if ($e.ErrorDetails -and $e.ErrorDetails.RecommendedAction) { [Console]::Error.WriteLine("Hint: $($e.ErrorDetails.RecommendedAction) [$($e.FullyQualifiedErrorId)]") }
    }
    exit [int]$rated[0].Level
}
catch {
    # The check could not run (no credential, Airflow refused it, AWS denied the read): CRITICAL, on one line.
    $err = $_
    $id = $err.FullyQualifiedErrorId
    $message = if ($err.ErrorDetails -and $err.ErrorDetails.Message) { $err.ErrorDetails.Message } else { $err.Exception.Message }
    "ECR CRITICAL: the check could not run: $($message -replace '[\r\n]+', ' ') [$id]"
    if ($err.ErrorDetails -and $err.ErrorDetails.RecommendedAction) { [Console]::Error.WriteLine("Hint: $($err.ErrorDetails.RecommendedAction)") }
    exit 2
}
