# Starting and stopping the test peers (moto, the Airflow API emulator) on free loopback ports.
# Dot-sourced by build.ps1 and by the Pester suites, so tests and the demo start them the same way.

# Adds arguments to a ProcessStartInfo so the child gets exactly these strings: ArgumentList where the
# runtime has it (.NET Core 2.1+, so PowerShell 7), else the Windows command-line quoting the C runtime and
# CommandLineToArgvW split back (Windows PowerShell 5.1 on .NET Framework, the CI's 5.1 leg).
function Add-ProcessArgument($StartInfo, [string[]] $Argument) {
    $list = $StartInfo.PSObject.Properties['ArgumentList']
    foreach ($a in $Argument) {
        if ($list) { $StartInfo.ArgumentList.Add($a); continue }
        $quoted = $a
        if ($a.Length -eq 0 -or $a.IndexOfAny([char[]]" `t`n`v`"") -ge 0) {
            # Backslashes are literal except before a quote: double those, and escape each quote.
            $quoted = '"' + ([regex]::Replace($a, '(\\*)("|$)', { param($m) $m.Groups[1].Value + $m.Groups[1].Value + $(if ($m.Groups[2].Value) { '\"' } else { '' }) })) + '"'
        }
        if ($StartInfo.Arguments) { $StartInfo.Arguments += ' ' + $quoted } else { $StartInfo.Arguments = $quoted }
    }
}

function Get-PythonCommand {
    foreach ($name in 'python3', 'python') {
        $cmd = Get-Command $name -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        if ($cmd) { return $cmd.Source }
    }
    throw 'Python 3 is needed for the moto peer (https://www.python.org/).'
}

function Test-PythonModules([string] $Python, [string] $PythonPath) {
    $saved = $env:PYTHONPATH
    try {
        $env:PYTHONPATH = $PythonPath
        & $Python -c 'import moto.server, boto3' 2>$null
        return $LASTEXITCODE -eq 0
    }
    finally { $env:PYTHONPATH = $saved }
}

function Install-MotoIfMissing {
    # Returns the PYTHONPATH the moto peer needs ('' when moto is installed normally). Order: what is
    # installed already; pip (PyPI); on Debian without PyPI, Debian's own packages: boto3/flask/... from
    # the installed release, and moto (pure Python, not in bookworm) extracted from Debian's next release
    # into out/pydeps, never into the system.
    $python = Get-PythonCommand
    $root = Split-Path (Split-Path $PSScriptRoot)
    $local = Join-Path $root 'out/pydeps/usr/lib/python3/dist-packages'
    if (Test-PythonModules $python '') { return '' }
    if ((Test-Path $local) -and (Test-PythonModules $python $local)) { return $local }

    Write-Host 'moto is missing: installing moto[server] with pip.'
    & $python -m pip install --quiet --retries 1 --timeout 20 'moto[server]' boto3 2>&1 | Out-Host
    if (Test-PythonModules $python '') { return '' }

    $apt = Get-Command apt-get -CommandType Application -ErrorAction SilentlyContinue
    if (-not $apt -or -not (Test-Path /etc/debian_version)) { throw 'moto is missing and pip could not install it: run pip install "moto[server]" boto3.' }
    Write-Host 'pip could not reach PyPI: using Debian packages for moto and its dependencies.'
    & apt-get install -y -qq python3-boto3 python3-botocore python3-flask python3-flask-cors python3-werkzeug python3-xmltodict `
        python3-responses python3-jinja2 python3-cryptography python3-dateutil python3-yaml python3-requests 2>&1 | Out-Host
    $work = Join-Path $root 'out/apt-moto'
    foreach ($d in 'lists/partial', 'cache/archives/partial') { $null = New-Item -ItemType Directory (Join-Path $work $d) -Force }
    Set-Content (Join-Path $work 'sources.list') 'deb http://deb.debian.org/debian trixie main'
    $opts = @("-o", "Dir::Etc::sourcelist=$work/sources.list", "-o", "Dir::Etc::sourceparts=/dev/null", "-o", "Dir::State::Lists=$work/lists",
        "-o", "Dir::Cache=$work/cache", "-o", "Dir::State::status=/var/lib/dpkg/status", "-o", "APT::Sandbox::User=root")
    & apt-get @opts update -qq 2>&1 | Out-Host
    Push-Location $work
    try { & apt-get @opts download python3-moto 2>&1 | Out-Host } finally { Pop-Location }
    $deb = Get-ChildItem $work -Filter 'python3-moto_*.deb' | Select-Object -First 1
    if (-not $deb) { throw 'moto is missing and could not be installed from pip or Debian.' }
    & dpkg-deb -x $deb.FullName (Join-Path $root 'out/pydeps')
    if (-not (Test-PythonModules $python $local)) { throw 'moto was unpacked from Debian but does not import.' }
    return $local
}

function Start-MotoPeer {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $WorkDirectory,
        # How long the ECR tokens it issues live (default: ECR's 12 hours); Set-MotoEcrTokenLifetime changes it later.
        [int] $EcrTokenLifetimeSeconds = 0
    )
    $pythonPath = Install-MotoIfMissing
    $python = Get-PythonCommand
    $stem = Join-Path $WorkDirectory ("moto-{0}" -f [guid]::NewGuid().ToString('n'))
    $info = "$stem.json"
    $log = "$stem.requests.jsonl"
    $script = Join-Path $PSScriptRoot 'moto_peer.py'
    $psi = [System.Diagnostics.ProcessStartInfo]::new($python)
    Add-ProcessArgument $psi (@($script, '--info', $info, '--log', $log))
    if ($EcrTokenLifetimeSeconds -gt 0) { Add-ProcessArgument $psi (@('--ecr-token-lifetime', "$EcrTokenLifetimeSeconds")) }
    $psi.RedirectStandardInput = $true   # the peer stops when this pipe closes, even if we die
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    if ($pythonPath) { $psi.Environment['PYTHONPATH'] = $pythonPath }
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
    [pscustomobject]@{ Process = $process; InfoPath = $info; Info = $data; Endpoint = $data.endpoint; RequestLog = $log }
}

function Get-MotoRequests {
    # Requests moto received after its set-up, from its own log (one JSON object per line).
    param([Parameter(Mandatory)] [string] $RequestLog)
    if (-not (Test-Path $RequestLog)) { return @() }
    @(Get-Content $RequestLog | Where-Object { $_ } | ForEach-Object { $_ | ConvertFrom-Json })
}

function Get-MotoEcrToken {
    <#
    .SYNOPSIS
        The ECR tokens the moto peer issued, oldest first: accessKeyId, registryId, password (the registry password:
        base64 of ECR's JSON document) and expiresAt (epoch seconds, the document's expiration). -AccessKeyId keeps
        one caller's. Every token is new, so a test learns here what was issued, to find it stored or never printed.
    #>
    param([Parameter(Mandatory)] [string] $Endpoint, [string] $AccessKeyId)
    $uri = "$($Endpoint.TrimEnd('/'))/_peer/ecr/tokens"
    if ($AccessKeyId) { $uri += '?accessKeyId=' + [uri]::EscapeDataString($AccessKeyId) }
    # ForEach-Object unrolls the JSON array whether or not Invoke-RestMethod enumerated it.
    @(Invoke-RestMethod -Method Get -Uri $uri | ForEach-Object { $_ })
}

function Get-MotoEcrPassword {
    # The password of the newest ECR token the moto peer issued (to -AccessKeyId when given); $null when none.
    param([Parameter(Mandatory)] [string] $Endpoint, [string] $AccessKeyId)
    $tokens = @(Get-MotoEcrToken -Endpoint $Endpoint -AccessKeyId $AccessKeyId)
    if ($tokens.Count -gt 0) { $tokens[-1].password }
}

function Set-MotoEcrTokenLifetime {
    # The lifetime of the ECR tokens the moto peer issues from now on (1 to 43200 s; ECR's is 43200, 12 hours).
    # It applies to every caller of that moto: a suite that shortens it on a shared moto sets it back.
    param([Parameter(Mandatory)] [string] $Endpoint, [Parameter(Mandatory)] [int] $Seconds)
    $body = @{ seconds = $Seconds } | ConvertTo-Json -Compress
    $null = Invoke-RestMethod -Method Put -Uri "$($Endpoint.TrimEnd('/'))/_peer/ecr/token-lifetime" -ContentType 'application/json' -Body $body
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

function Get-PwshCommandLine {
    # The pwsh running us, as a command line for a fresh process. The .NET tool's pwsh is pwsh.dll run by
    # the dotnet host; an installed pwsh has its own executable.
    $dll = Join-Path $PSHOME 'pwsh.dll'
    $dotnet = [Environment]::ProcessPath
    if ((Test-Path $dll) -and $dotnet -and ([IO.Path]::GetFileNameWithoutExtension($dotnet) -eq 'dotnet')) { return @($dotnet, $dll) }
    # Windows PowerShell 5.1 (the CI's 5.1 leg): powershell.exe in its $PSHOME; [Environment]::ProcessPath is .NET 6+.
    foreach ($name in 'pwsh', 'pwsh.exe', 'powershell.exe') {
        $exe = Join-Path $PSHOME $name
        if (Test-Path $exe) { return @($exe) }
    }
    return @('pwsh')
}

function Invoke-CapturedProcess {
    <#
    .SYNOPSIS
        Runs -FileName with -Arguments (each passed as one argument), with -Environment applied to the child only
        (a $null value removes the variable; this process's environment is never touched). Returns ExitCode, Out
        (stdout), Err (stderr), Text (both) and Lines (stdout's non-empty lines). Stops the child after -TimeoutSec and throws, naming it as -What.
    #>
    param(
        [Parameter(Mandatory)] [string] $FileName,
        [string[]] $Arguments = @(),
        [hashtable] $Environment = @{},
        [int] $TimeoutSec = 240,
        [string] $What = $FileName
    )
    $psi = [System.Diagnostics.ProcessStartInfo]::new($FileName)
    Add-ProcessArgument $psi $Arguments
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    foreach ($k in $Environment.Keys) {
        if ($null -eq $Environment[$k]) { $psi.EnvironmentVariables.Remove($k) } else { $psi.EnvironmentVariables[$k] = [string]$Environment[$k] }
    }
    $p = [System.Diagnostics.Process]::Start($psi)
    try {
        $out = $p.StandardOutput.ReadToEndAsync(); $err = $p.StandardError.ReadToEndAsync()
        if (-not $p.WaitForExit($TimeoutSec * 1000)) { $p.Kill(); throw "$What ran longer than $TimeoutSec s." }
        $p.WaitForExit()
        [pscustomobject]@{ ExitCode = $p.ExitCode; Out = $out.Result; Err = $err.Result; Text = $out.Result + $err.Result; Lines = @($out.Result -split "`r?`n" | Where-Object { $_ }) }
    }
    finally { $p.Dispose() }
}

function Invoke-ChildPwsh {
    <#
    .SYNOPSIS
        Runs -Script in a fresh process of the PowerShell running us (Invoke-CapturedProcess: -Environment for
        the child only; ExitCode, Out, Err, Text and Lines). -Wrapper runs the child under another program, e.g.
        @('strace', '-f', '-o', $log) to see what it opens.
    #>
    param(
        [Parameter(Mandatory)] [string] $Script,
        [hashtable] $Environment = @{},
        [int] $TimeoutSec = 240,
        [string[]] $Wrapper = @()
    )
    $pwsh = @($Wrapper) + @(Get-PwshCommandLine)
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($Script))
    $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-EncodedCommand', $encoded)
    Invoke-CapturedProcess -FileName $pwsh[0] -Arguments $arguments -Environment $Environment -TimeoutSec $TimeoutSec -What 'The child PowerShell'
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
        [int] $TokenLifetimeSeconds = 0,
        # Mount the API under a path, as behind a reverse proxy (e.g. /airflow).
        [string] $PathPrefix = '',
        # Airflow 3 only: play a 3.0 release whose bulk update ignores the action's update_mask.
        [switch] $BulkUpdateIgnoresMask
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
    foreach ($a in @($dll, '--urls', 'http://127.0.0.1:0', '--airflow-version', "$AirflowVersion", '--user', $UserName)) {
        Add-ProcessArgument $psi $a
    }
    $psi.Environment['AIRFLOW_EMULATOR_PASSWORD'] = $Password  # never on the emulator's command line
    if ($TokenLifetimeSeconds -gt 0) { Add-ProcessArgument $psi '--token-lifetime-seconds'; Add-ProcessArgument $psi "$TokenLifetimeSeconds" }
    if ($PathPrefix) { Add-ProcessArgument $psi '--path-prefix'; Add-ProcessArgument $psi $PathPrefix }
    if ($BulkUpdateIgnoresMask) { Add-ProcessArgument $psi '--bulk-update-ignores-mask' }
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
    # Every Airflow API request the emulator received: method, path, query, status, auth, connectionIds, bodyFields,
    # bulkActions (see tests/AirflowEmulator/README.md).
    [CmdletBinding(DefaultParameterSetName = 'Url')]
    param(
        [Parameter(Mandatory, ParameterSetName = 'Url', Position = 0)] [string] $Url,
        [Parameter(Mandatory, ParameterSetName = 'Emulator')] $Emulator
    )
    $base = Resolve-EmulatorUrl $Url $Emulator
    # ForEach-Object unrolls the JSON array whether or not Invoke-RestMethod enumerated it.
    @(Invoke-RestMethod -Method Get -Uri "$base/_emulator/requests" | ForEach-Object { $_ })
}

function Get-EmulatorRequestLines {
    # "METHOD /path STATUS" for each Airflow API request the emulator saw (-Method: only those).
    param([Parameter(Mandatory, Position = 0)] $Emulator, [Parameter(Position = 1)] [string] $Method)
    @(Get-EmulatorRequests -Url $Emulator.Url | Where-Object { -not $Method -or $_.method -eq $Method } | ForEach-Object { '{0} {1} {2}' -f $_.method, $_.path, $_.status })
}

function Clear-EmulatorRequests {
    # Forgets the request log only (Clear-EmulatorState also forgets connections and faults).
    [CmdletBinding(DefaultParameterSetName = 'Emulator')]
    param(
        [Parameter(Mandatory, ParameterSetName = 'Emulator', Position = 0)] $Emulator,
        [Parameter(Mandatory, ParameterSetName = 'Url')] [string] $Url
    )
    $null = Invoke-RestMethod -Method Delete -Uri "$(Resolve-EmulatorUrl $Url $Emulator)/_emulator/requests"
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

# The other peers, each in its own file.
. (Join-Path $PSScriptRoot 'Apt.ps1')
. (Join-Path $PSScriptRoot 'Proxy.ps1')
. (Join-Path $PSScriptRoot 'Registry.ps1')
. (Join-Path $PSScriptRoot 'Mwaa.ps1')
. (Join-Path $PSScriptRoot 'MotoStores.ps1')
. (Join-Path $PSScriptRoot 'StandIn.ps1')
