# Starting the local Amazon MWAA peer (tests/peers/mwaa_peer.py) and driving its control API (/_peer/).
# Dot-sourced by Peers.ps1 (it uses Get-PythonCommand and Install-MotoIfMissing from there); stop the peer
# with Stop-Peer. Clients must not add MWAA's host prefixes (api./env.) to 127.0.0.1: botocore does so even
# with a custom endpoint unless AWS_DISABLE_HOST_PREFIX_INJECTION=true (or Config(inject_host_prefix=False)).

function Start-MwaaPeer {
    <#
    .SYNOPSIS
        Starts the MWAA peer on a free 127.0.0.1 port; returns [pscustomobject]@{ Process; InfoPath; Info;
        Endpoint; RequestLog } like Start-MotoPeer. -ConfigPath: a JSON file with keys and environments
        (see mwaa_peer.py); more can be added later with Add-MwaaKey / Add-MwaaEnvironment.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $WorkDirectory,
        [string] $ConfigPath
    )
    $python = Get-PythonCommand
    # The peer needs only botocore; moto's installer finds it (or installs it) the same way moto gets it.
    $pythonPath = ''
    & $python -c 'import botocore' 2>$null
    if ($LASTEXITCODE -ne 0) { $pythonPath = Install-MotoIfMissing }
    $stem = Join-Path $WorkDirectory ("mwaa-{0}" -f [guid]::NewGuid().ToString('n'))
    $info = "$stem.json"
    $log = "$stem.requests.jsonl"
    $psi = [System.Diagnostics.ProcessStartInfo]::new($python)
    $arguments = @((Join-Path $PSScriptRoot 'mwaa_peer.py'), '--info', $info, '--log', $log)
    if ($ConfigPath) { $arguments += @('--config', $ConfigPath) }
    Add-ProcessArgument $psi ($arguments)
    $psi.RedirectStandardInput = $true   # the peer stops when this pipe closes, even if we die
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    if ($pythonPath) { $psi.Environment['PYTHONPATH'] = $pythonPath }
    $process = [System.Diagnostics.Process]::Start($psi)
    $null = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    while (-not (Test-Path $info)) {
        if ($process.HasExited) { throw "The MWAA peer exited early: $($stderr.Result)" }
        if ([DateTime]::UtcNow -gt $deadline) { $process.Kill(); throw 'The MWAA peer did not start within 30 s.' }
        Start-Sleep -Milliseconds 50
    }
    $data = Get-Content $info -Raw | ConvertFrom-Json
    [pscustomobject]@{ Process = $process; InfoPath = $info; Info = $data; Endpoint = $data.endpoint; RequestLog = $log }
}

function Invoke-MwaaControl([Parameter(Mandatory)] $Peer, [string] $Method, [string] $Path, $Body) {
    $params = @{ Method = $Method; Uri = "$($Peer.Endpoint)/_peer/$Path" }
    if ($null -ne $Body) { $params.Body = $Body | ConvertTo-Json -Depth 10 -Compress; $params.ContentType = 'application/json' }
    Invoke-RestMethod @params
}

function Add-MwaaEnvironment {
    <#
    .SYNOPSIS
        Adds (or replaces) an MWAA environment backed by an Airflow (e.g. the Airflow API emulator's Url).
        Airflow 2.x versions forward to /api/v1 with Basic auth, 3.x to /api/v2 with a JWT from /auth/token.
        -AirflowRole names the Airflow role in InvokeRestApi's resource ARN (role/<env>/<AirflowRole>).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Peer,
        [Parameter(Mandatory)] [string] $Name,
        [Parameter(Mandatory)] [string] $AirflowVersion,
        [Parameter(Mandatory)] [string] $AirflowUrl,
        [string] $AirflowUser = 'admin',
        [string] $AirflowPassword = 'admin',
        [string] $Region = 'us-east-1',
        [string] $AirflowRole = 'Admin',
        [string] $Status = 'AVAILABLE',
        [string] $AccountId = '123456789012'
    )
    Invoke-MwaaControl $Peer Post 'environments' @{
        name = $Name; region = $Region; airflowVersion = $AirflowVersion; airflowUrl = $AirflowUrl
        airflowUser = $AirflowUser; airflowPassword = $AirflowPassword; airflowRole = $AirflowRole
        status = $Status; accountId = $AccountId
    }
}

function Add-MwaaKey {
    <#
    .SYNOPSIS
        Allows an access key: Add-MwaaKey -Peer $p -AccessKeyId AKIA... -SecretAccessKey ... -Actions airflow:GetEnvironment,
        or -Key $moto.Info.allowed (an object with accessKeyId/secretAccessKey, e.g. from the moto peer's info).
        -Resources: ARN globs the key may act on (default *).
    #>
    [CmdletBinding(DefaultParameterSetName = 'Explicit')]
    param(
        [Parameter(Mandatory)] $Peer,
        [Parameter(Mandatory, ParameterSetName = 'Explicit')] [string] $AccessKeyId,
        [Parameter(Mandatory, ParameterSetName = 'Explicit')] [string] $SecretAccessKey,
        [Parameter(Mandatory, ParameterSetName = 'Key')] $Key,
        [string] $SessionToken,
        [string[]] $Actions = @('airflow:GetEnvironment', 'airflow:InvokeRestApi'),
        [string[]] $Resources = @('*'),
        [string] $AccountId = '123456789012',
        [string] $UserName
    )
    if ($Key) { $AccessKeyId = $Key.accessKeyId; $SecretAccessKey = $Key.secretAccessKey }
    $body = @{ accessKeyId = $AccessKeyId; secretAccessKey = $SecretAccessKey; actions = @($Actions); resources = @($Resources); accountId = $AccountId }
    if ($SessionToken) { $body.sessionToken = $SessionToken }
    if ($UserName) { $body.userName = $UserName }
    Invoke-MwaaControl $Peer Post 'keys' $body
}

function Get-MwaaRequests {
    # The API requests the peer answered, oldest first: method, path, operation, accessKeyId, status,
    # errorType and, for InvokeRestApi, restApiMethod, restApiPath, restApiStatusCode.
    param([Parameter(Mandatory)] $Peer)
    @(Invoke-MwaaControl $Peer Get 'requests' | ForEach-Object { $_ })
}

function Clear-MwaaRequests {
    param([Parameter(Mandatory)] $Peer)
    $null = Invoke-MwaaControl $Peer Delete 'requests'
}

function Reset-MwaaPeer {
    # Back to the -ConfigPath file's keys and environments, with an empty request log.
    param([Parameter(Mandatory)] $Peer)
    $null = Invoke-MwaaControl $Peer Post 'reset'
}
