# Starting and stopping the test peers (moto, the Airflow API emulator) on free loopback ports.
# Dot-sourced by build.ps1 and by the Pester suites, so tests and the demo start them the same way.

function Get-PythonCommand {
    foreach ($name in 'python3', 'python') {
        $cmd = Get-Command $name -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        if ($cmd) { return $cmd.Source }
    }
    throw 'Python 3 is needed for the moto peer (https://www.python.org/).'
}

function Install-MotoIfMissing {
    $python = Get-PythonCommand
    & $python -c 'import moto.server, boto3' 2>$null
    if ($LASTEXITCODE -ne 0) {
        Write-Host 'Installing moto[server] with pip (only because it is missing).'
        & $python -m pip install --quiet 'moto[server]' boto3
        if ($LASTEXITCODE -ne 0) { throw 'pip install "moto[server]" failed.' }
    }
}

function Start-MotoPeer {
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $WorkDirectory)
    Install-MotoIfMissing
    $python = Get-PythonCommand
    $info = Join-Path $WorkDirectory ("moto-{0}.json" -f [guid]::NewGuid().ToString('n'))
    $script = Join-Path $PSScriptRoot 'moto_peer.py'
    $psi = [System.Diagnostics.ProcessStartInfo]::new($python)
    foreach ($a in @($script, '--info', $info)) { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardInput = $true   # the peer stops when this pipe closes, even if we die
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($psi)
    # Drain its output so it never blocks on a full pipe.
    $null = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while (-not (Test-Path $info)) {
        if ($process.HasExited) { throw "moto exited early: $($stderr.Result)" }
        if ([DateTime]::UtcNow -gt $deadline) { $process.Kill(); throw 'moto did not start within 60 s.' }
        Start-Sleep -Milliseconds 100
    }
    $data = Get-Content $info -Raw | ConvertFrom-Json
    [pscustomobject]@{ Process = $process; InfoPath = $info; Info = $data; Endpoint = $data.endpoint }
}

function Stop-Peer {
    param($Peer)
    if (-not $Peer -or -not $Peer.Process) { return }
    try {
        if (-not $Peer.Process.HasExited) {
            $Peer.Process.StandardInput.Close()
            if (-not $Peer.Process.WaitForExit(5000)) { $Peer.Process.Kill($true) }
        }
    }
    catch { }
    if ($Peer.PSObject.Properties['InfoPath'] -and $Peer.InfoPath) { Remove-Item $Peer.InfoPath -ErrorAction SilentlyContinue }
}

# ---- Airflow API emulator (tests/AirflowEmulator; see its README.md for the contract) ----

function Start-AirflowEmulator {
    <#
    .SYNOPSIS
        Starts the Airflow API emulator on a free 127.0.0.1 port and returns
        [pscustomobject]@{ Process; Url; AirflowVersion; UserName; Password }. Stop it with Stop-Peer.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [ValidateSet(2, 3)] [int] $AirflowVersion,
        [string] $UserName = 'admin',
        [string] $Password = 'admin',
        [ValidateSet('Debug', 'Release')] [string] $Configuration = 'Release',
        # Lifetime of the JWTs an Airflow 3 emulator issues (Airflow's default: 86400 s).
        [int] $TokenLifetimeSeconds = 0
    )
    $root = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    $dll = Join-Path $root "tests/AirflowEmulator/bin/$Configuration/net10.0/AirflowEmulator.dll"
    if (-not $PSBoundParameters.ContainsKey('Configuration') -and -not (Test-Path -LiteralPath $dll)) {
        # Not asked for a configuration and no Release build (e.g. build.ps1 -Configuration Debug): use Debug.
        $dll = Join-Path $root 'tests/AirflowEmulator/bin/Debug/net10.0/AirflowEmulator.dll'
    }
    if (-not (Test-Path -LiteralPath $dll)) {
        throw "The Airflow emulator is not built ($dll); run: dotnet build tests/AirflowEmulator/AirflowEmulator.csproj -c $Configuration"
    }
    $psi = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in @($dll, '--urls', 'http://127.0.0.1:0', '--airflow-version', "$AirflowVersion", '--user', $UserName, '--password', $Password)) {
        $psi.ArgumentList.Add($a)
    }
    if ($TokenLifetimeSeconds -gt 0) { $psi.ArgumentList.Add('--token-lifetime-seconds'); $psi.ArgumentList.Add("$TokenLifetimeSeconds") }
    $psi.RedirectStandardInput = $true   # the emulator stops when this pipe closes, even if we die
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($psi)
    $stderr = $process.StandardError.ReadToEndAsync()
    $url = $null
    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    $pending = $process.StandardOutput.ReadLineAsync()
    while (-not $url) {
        $left = $deadline - [DateTime]::UtcNow
        if ($left -le [TimeSpan]::Zero -or -not $pending.Wait($left)) {
            try { $process.Kill($true) } catch { }
            throw "The Airflow emulator did not report EMULATOR_LISTENING within 30 s. $($stderr.Result)"
        }
        $line = $pending.Result
        if ($null -eq $line) {
            $process.WaitForExit(5000) | Out-Null
            throw "The Airflow emulator exited early: $($stderr.Result)"
        }
        if ($line.StartsWith('EMULATOR_LISTENING ')) { $url = $line.Substring('EMULATOR_LISTENING '.Length).Trim() }
        else { $pending = $process.StandardOutput.ReadLineAsync() }
    }
    # Drain the rest of stdout so the emulator never blocks on a full pipe.
    $null = $process.StandardOutput.ReadToEndAsync()
    [pscustomobject]@{ Process = $process; Url = $url; AirflowVersion = $AirflowVersion; UserName = $UserName; Password = $Password }
}

# The helpers below take the emulator's base URL (-Url) or the object Start-AirflowEmulator returned (-Emulator).
function Resolve-EmulatorUrl($Url, $Emulator) {
    if ($Emulator) { $Url = $Emulator.Url }
    if (-not $Url) { throw 'Give -Url or -Emulator.' }
    $Url.TrimEnd('/')
}

function Get-EmulatorRequests {
    # Every Airflow API request the emulator received: method, path, query, status, auth, connectionIds.
    [CmdletBinding(DefaultParameterSetName = 'Url')]
    param(
        [Parameter(Mandatory, ParameterSetName = 'Url', Position = 0)] [string] $Url,
        [Parameter(Mandatory, ParameterSetName = 'Emulator')] $Emulator
    )
    $base = Resolve-EmulatorUrl $Url $Emulator
    # ForEach-Object unrolls the JSON array whether or not Invoke-RestMethod enumerated it.
    @(Invoke-RestMethod -Method Get -Uri "$base/_emulator/requests" | ForEach-Object { $_ })
}

function Get-EmulatorConnections {
    # Every stored connection, password and extra included (what Airflow stored).
    [CmdletBinding(DefaultParameterSetName = 'Url')]
    param(
        [Parameter(Mandatory, ParameterSetName = 'Url', Position = 0)] [string] $Url,
        [Parameter(Mandatory, ParameterSetName = 'Emulator')] $Emulator
    )
    $base = Resolve-EmulatorUrl $Url $Emulator
    @(Invoke-RestMethod -Method Get -Uri "$base/_emulator/connections" | ForEach-Object { $_ })
}

function Set-EmulatorConnection {
    # Seeds (or replaces) one connection; $Connection uses the API v2 ConnectionBody field names.
    [CmdletBinding(DefaultParameterSetName = 'Url')]
    param(
        [Parameter(Mandatory, ParameterSetName = 'Url', Position = 0)] [string] $Url,
        [Parameter(Mandatory, ParameterSetName = 'Emulator')] $Emulator,
        [Parameter(Mandatory)] [string] $ConnectionId,
        [Parameter(Mandatory)] [hashtable] $Connection
    )
    $base = Resolve-EmulatorUrl $Url $Emulator
    $body = $Connection | ConvertTo-Json -Compress
    Invoke-RestMethod -Method Put -Uri "$base/_emulator/connections/$([uri]::EscapeDataString($ConnectionId))" -ContentType 'application/json' -Body $body
}

function Set-EmulatorFault {
    <#
    .SYNOPSIS
        Adds a fault rule: Set-EmulatorFault -Url $u @{ method = 'PATCH'; path = '/api/v2/connections'; status = 503;
        retryAfter = 1; times = 2 }, or the same with named parameters (-Method -Path -Status -RetryAfter -Times
        -DelayMs -Drop -Body). See tests/AirflowEmulator/README.md.
    #>
    [CmdletBinding(DefaultParameterSetName = 'Url')]
    param(
        [Parameter(Mandatory, ParameterSetName = 'Url', Position = 0)] [string] $Url,
        [Parameter(Mandatory, ParameterSetName = 'Emulator')] $Emulator,
        [Parameter(Position = 1)] [hashtable] $Fault,
        [string] $Method,
        [string] $Path,
        [int] $Status,
        [int] $RetryAfter,
        [int] $Times,
        [int] $DelayMs,
        [switch] $Drop,
        $Body
    )
    $base = Resolve-EmulatorUrl $Url $Emulator
    $rule = if ($Fault) { @{} + $Fault } else { @{} }
    $names = @{ Method = 'method'; Path = 'path'; Status = 'status'; RetryAfter = 'retryAfter'; Times = 'times'; DelayMs = 'delayMs'; Body = 'body' }
    foreach ($name in $names.Keys) {
        if ($PSBoundParameters.ContainsKey($name)) { $rule[$names[$name]] = $PSBoundParameters[$name] }
    }
    if ($Drop) { $rule['drop'] = $true }
    $json = $rule | ConvertTo-Json -Compress -Depth 10
    $null = Invoke-RestMethod -Method Post -Uri "$base/_emulator/faults" -ContentType 'application/json' -Body $json
}

function Clear-EmulatorState {
    # Forgets connections, the request log and faults (issued tokens stay valid).
    [CmdletBinding(DefaultParameterSetName = 'Url')]
    param(
        [Parameter(Mandatory, ParameterSetName = 'Url', Position = 0)] [string] $Url,
        [Parameter(Mandatory, ParameterSetName = 'Emulator')] $Emulator
    )
    $base = Resolve-EmulatorUrl $Url $Emulator
    $null = Invoke-RestMethod -Method Post -Uri "$base/_emulator/reset"
}
