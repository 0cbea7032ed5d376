# The proxy peer: Debian's squid with Basic proxy authentication, on a free 127.0.0.1 port (or on another
# address of this machine, -ListenAddress: see Add-LoopbackAlias), forwarding to loopback only. Dot-sourced by
# Peers.ps1.
#
# Each Start-ProxyPeer writes a private squid.conf into a fresh folder (squid-<guid>) under -WorkDirectory;
# everything squid writes (pid file, access.log, cache.log, core dumps) lives there, and there is no disk
# cache (nor memory caching: every request reaches the origin). squid runs in the foreground (-N) under a
# small sh wrapper that stops it when our stdin pipe closes, so Stop-Peer (or this process dying) stops it.
# Run as root, squid drops to the 'proxy' user (cache_effective_user), which owns the folder.
#
# Access log (access.log, format "ecrairflow", one line per finished transaction; a CONNECT is logged when
# its tunnel closes):
#   <unix time.ms> <client ip> <method> <url> <status> <user> <squid result> <hierarchy> <server ip>
#   1767225600.123 127.0.0.1 GET http://127.0.0.1:40123/x 200 alice TCP_MISS HIER_DIRECT 127.0.0.1
#   1767225600.456 127.0.0.1 CONNECT 127.0.0.1:40125 200 alice TCP_TUNNEL HIER_DIRECT 127.0.0.1
#   1767225600.789 127.0.0.1 GET http://example.invalid/ 403 - TCP_DENIED HIER_NONE -
# <url> is squid's %ru (host:port for CONNECT; query strings stripped, strip_query_terms on); <user> is the
# authenticated user name or '-' (never a password: squid logs no request headers in this format); a
# <hierarchy> of HIER_NONE with server '-' means squid did not contact any server. Get-ProxyAccessLog parses it.
#
# Rules (in this order): destinations other than 127.0.0.1/localhost (matched on the URL's host text, with
# no DNS look-up) are denied with 403 before authentication, so no test traffic can leave the machine;
# without -NoAuth, a request without valid Basic credentials gets 407 + Proxy-Authenticate: Basic; CONNECT is
# allowed to any port of 127.0.0.1 (no Safe_ports/SSL_ports: TLS peers use random ports); deny all else.

function Get-SquidCommand {
    $cmd = Get-Command squid -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($cmd) { return $cmd.Source }
    # A non-root PATH often lacks /usr/sbin, where Debian puts squid.
    if (Test-Path -LiteralPath '/usr/sbin/squid') { return '/usr/sbin/squid' }
    return $null
}

function Test-IsRoot {
    if ($IsWindows) { return $false }
    $id = & id -u 2>$null
    return "$id".Trim() -eq '0'
}

function Test-LocalPortOpen([int] $Port, [int] $TimeoutMs = 500, [string] $Address = '127.0.0.1') {
    $client = [System.Net.Sockets.TcpClient]::new()
    try { return $client.ConnectAsync($Address, $Port).Wait($TimeoutMs) -and $client.Connected }
    catch { return $false }
    finally { $client.Dispose() }
}

function Test-ProcessAlive([int] $ProcessId) {
    # Running (a zombie, exited but not yet reaped by its parent, does not count). Without /proc (macOS), whether
    # the process exists at all, so a check there is never "not running" by default.
    if (-not (Test-Path -LiteralPath '/proc/self/stat')) { return [bool](Get-Process -Id $ProcessId -ErrorAction SilentlyContinue) }
    $stat = Get-Content -LiteralPath "/proc/$ProcessId/stat" -Raw -ErrorAction SilentlyContinue
    if (-not $stat) { return $false }
    $state = $stat.Substring($stat.LastIndexOf(')') + 2, 1)
    return $state -notin 'Z', 'X'
}

function Stop-SystemSquid {
    # A squid the package's own service started (Debian's /etc/squid/squid.conf: /run/squid.pid, port 3128).
    # Ours never use that pid file or port.
    $pidFile = '/run/squid.pid'
    $running = (Test-Path -LiteralPath $pidFile) -or (Test-LocalPortOpen 3128)
    if (-not $running) { return }
    Write-Host 'The squid package started its system service: stopping it (the tests run their own squid).'
    if (Test-Path -LiteralPath '/run/systemd/system') { & systemctl stop squid 2>&1 | Out-Host }
    # invoke-rc.d obeys policy-rc.d for stop as well, so ask squid itself: -k interrupt (SIGINT) shuts down
    # without waiting shutdown_lifetime (30 s by default) for open connections.
    if (Test-Path -LiteralPath $pidFile) { & (Get-SquidCommand) -k interrupt -f /etc/squid/squid.conf 2>&1 | Out-Host }
    $deadline = [DateTime]::UtcNow.AddSeconds(40)
    while ([DateTime]::UtcNow -lt $deadline) {
        $pidText = if (Test-Path -LiteralPath $pidFile) { (Get-Content -LiteralPath $pidFile -Raw -ErrorAction SilentlyContinue) } else { '' }
        $alive = ("$pidText".Trim() -match '^\d+$') -and (Test-ProcessAlive ([int]"$pidText".Trim()))
        if (-not $alive -and -not (Test-LocalPortOpen 3128)) { return }
        Start-Sleep -Milliseconds 250
    }
    $pidText = if (Test-Path -LiteralPath $pidFile) { "$(Get-Content -LiteralPath $pidFile -Raw)".Trim() } else { '' }
    if ($pidText -match '^\d+$' -and (Test-ProcessAlive $pidText)) {
        & kill -KILL $pidText 2>$null
        Start-Sleep -Seconds 1
        if (Test-ProcessAlive $pidText) { throw "The system squid (pid $pidText) the install started did not stop; stop it: squid -k shutdown" }
    }
    # Something else on 3128 is not ours to stop.
    if (Test-LocalPortOpen 3128) { Write-Warning 'Port 3128 is still in use after the squid install (not by a squid with /run/squid.pid).' }
}

function Install-SquidIfMissing {
    # Returns squid's path. Installs Debian's squid package only when squid is missing, without letting its
    # postinst start the system service (policy-rc.d), and stops that service if it started anyway.
    $squid = Get-SquidCommand
    if ($squid) { return $squid }
    $apt = Get-Command apt-get -CommandType Application -ErrorAction SilentlyContinue
    if (-not $apt -or -not (Test-Path -LiteralPath /etc/debian_version)) { throw 'squid is needed for the proxy peer and is not installed (on Debian/Ubuntu: apt-get install squid).' }
    if (-not (Test-IsRoot)) { throw 'squid is needed for the proxy peer: run as root, or first run: sudo apt-get install -y --no-install-recommends squid' }

    Write-Host 'squid is missing: installing Debian''s squid package (for the proxy peer).'
    Install-DebianPackage -Package squid -Hint 'apt-get install -y --no-install-recommends squid'
    Stop-SystemSquid
    $squid = Get-SquidCommand
    if (-not $squid) { throw 'apt-get reported success but squid is still not found (looked on PATH and at /usr/sbin/squid).' }
    $squid
}

function Get-SquidHelper([string] $Name) {
    foreach ($dir in '/usr/lib/squid', '/usr/lib64/squid', '/usr/libexec/squid', '/usr/lib/squid3') {
        $path = Join-Path $dir $Name
        if (Test-Path -LiteralPath $path) { return $path }
    }
    throw "squid's $Name helper was not found (looked in /usr/lib/squid and similar)."
}

function New-ApacheMd5Hash([string] $Password) {
    # An htpasswd "$apr1$" hash (what htpasswd -m writes), which basic_ncsa_auth checks. The password goes
    # through stdin, never the command line.
    $psi = [System.Diagnostics.ProcessStartInfo]::new('openssl')
    Add-ProcessArgument $psi ('passwd', '-apr1', '-stdin')
    $psi.RedirectStandardInput = $true
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    $p = [System.Diagnostics.Process]::Start($psi)
    $p.StandardInput.Write($Password + "`n")
    $p.StandardInput.Close()
    $hash = $p.StandardOutput.ReadToEnd().Trim()
    $err = $p.StandardError.ReadToEnd()
    $p.WaitForExit()
    if ($p.ExitCode -ne 0 -or $hash -notmatch '^\$apr1\$') { throw "openssl passwd -apr1 failed: $err" }
    $hash
}

function Get-FreeLoopbackPort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { return ([System.Net.IPEndPoint]$listener.LocalEndpoint).Port } finally { $listener.Stop() }
}

# Runs squid in the foreground (-N: no daemon, no SMP kid) and stops it when our stdin reaches end of file,
# i.e. when Stop-Peer closes it or the test process dies, or when the wrapper gets SIGTERM. It sends SIGINT,
# squid's fast shutdown (it does not wait shutdown_lifetime for open connections). Prints
# "SQUID_PID <pid>" first; exits with squid's exit code. The watcher keeps the pipe, so squid stops even if
# only the wrapper is killed.
function Get-SquidWrapperScript {
@'
exec 3<&0
"$1" -N -f "$2" -d 1 </dev/null 3<&- &
pid=$!
echo "SQUID_PID $pid"
trap 'kill -INT "$pid" 2>/dev/null' TERM INT HUP
( while read -r _; do :; done; kill -INT "$pid" 2>/dev/null ) <&3 &
watcher=$!
exec 3<&-
wait "$pid"; rc=$?
while kill -0 "$pid" 2>/dev/null; do wait "$pid"; rc=$?; done
kill "$watcher" 2>/dev/null
exit $rc
'@
}

function Start-ProxyPeer {
    <#
    .SYNOPSIS
        Starts squid on a free 127.0.0.1 port with Basic proxy authentication (or none with -NoAuth) and returns
        [pscustomobject]@{ Process; Url; Port; UserName; Password; AccessLog; CacheLog; Directory; SquidPid; ... }.
        Stop it with Stop-Peer or Stop-ProxyPeer. See the top of this file for its rules and log format.
        -ListenAddress: another IPv4 address of this machine to listen on instead (a loopback alias from
        Add-LoopbackAlias: a proxy that is not on loopback, as the module sees it, without leaving the machine).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $WorkDirectory,
        [string] $UserName = 'proxyuser',
        [string] $Password = 'proxy-Pa55word',
        [switch] $NoAuth,
        [ValidatePattern('^\d{1,3}(\.\d{1,3}){3}$')] [string] $ListenAddress = '127.0.0.1'
    )
    if (-not $NoAuth -and ($UserName -match '[:\s]' -or -not $UserName)) { throw 'The proxy user name must be non-empty, without colons or spaces.' }
    if (-not $NoAuth -and ($Password -match '[\r\n]' -or -not $Password)) { throw 'The proxy password must be non-empty and on one line.' }
    $squid = Install-SquidIfMissing
    $isRoot = Test-IsRoot

    $dir = Join-Path ([IO.Path]::GetFullPath($WorkDirectory)) ("squid-{0}" -f [guid]::NewGuid().ToString('n'))
    if ($dir -match '\s') { throw "squid.conf paths cannot contain spaces: choose a -WorkDirectory without them ($WorkDirectory)." }
    $null = New-Item -ItemType Directory -Path $dir
    $conf = Join-Path $dir 'squid.conf'
    $accessLog = Join-Path $dir 'access.log'
    $cacheLog = Join-Path $dir 'cache.log'
    $passwd = Join-Path $dir 'passwd'
    if (-not $NoAuth) { Set-Content -LiteralPath $passwd -Value ("{0}:{1}" -f $UserName, (New-ApacheMd5Hash $Password)) }
    foreach ($f in $accessLog, $cacheLog) { Set-Content -LiteralPath $f -Value $null -NoNewline }
    if ($isRoot) {
        # squid (and its auth helper) drop root for the 'proxy' user, which must write the logs and read passwd.
        & chown -R proxy:proxy $dir
        if ($LASTEXITCODE -ne 0) { throw "Could not give $dir to the proxy user." }
        & chmod 750 $dir
    }

    for ($attempt = 1; ; $attempt++) {
        $port = Get-FreeLoopbackPort
        $lines = [System.Collections.Generic.List[string]]::new()
        $lines.AddRange([string[]]@(
            "# Written by Start-ProxyPeer (tests/peers/Proxy.ps1) for one test run.",
            "http_port ${ListenAddress}:$port",
            "pid_filename $dir/squid.pid",
            "cache_log $dir/cache.log",
            "cache_store_log none",
            "coredump_dir $dir",
            "netdb_filename none",
            "logfile_rotate 0",
            "buffered_logs off",
            "logformat ecrairflow %ts.%03tu %>a %rm %ru %>Hs %un %Ss %Sh %<a",
            "access_log stdio:$accessLog logformat=ecrairflow",
            "cache deny all",
            "cache_mem 8 MB",
            "pinger_enable off",
            "shutdown_lifetime 0 seconds",
            "visible_hostname ecrairflow-test-proxy",
            "acl to_loopback_name dstdomain -n 127.0.0.1 localhost",
            "acl to_loopback_ip dst 127.0.0.1/32 ::1",
            "acl CONNECT method CONNECT",
            "http_access deny !to_loopback_name",
            "http_access deny !to_loopback_ip"
        ))
        if ($NoAuth) {
            $lines.Add('http_access allow to_loopback_ip')
        }
        else {
            $lines.AddRange([string[]]@(
                "auth_param basic program $(Get-SquidHelper 'basic_ncsa_auth') $passwd",
                "auth_param basic children 2 startup=1 idle=1",
                "auth_param basic realm EcrAirflow test proxy",
                "auth_param basic credentialsttl 1 minute",
                "acl proxy_users proxy_auth REQUIRED",
                "http_access deny !proxy_users",
                "http_access allow CONNECT to_loopback_ip proxy_users",
                "http_access allow to_loopback_ip proxy_users"
            ))
        }
        $lines.Add('http_access deny all')
        if ($isRoot) { $lines.Add('cache_effective_user proxy'); $lines.Add('cache_effective_group proxy') }
        Set-Content -LiteralPath $conf -Value $lines
        if ($isRoot) { & chown proxy:proxy $conf }

        $psi = [System.Diagnostics.ProcessStartInfo]::new('/bin/sh')
        Add-ProcessArgument $psi (@('-c', (Get-SquidWrapperScript), 'squid-peer', $squid, $conf))
        $psi.RedirectStandardInput = $true   # squid stops when this pipe closes, even if we die
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $psi.UseShellExecute = $false
        $psi.WorkingDirectory = $dir
        $process = [System.Diagnostics.Process]::Start($psi)
        $stderr = $process.StandardError.ReadToEndAsync()
        $first = $process.StandardOutput.ReadLineAsync()
        $squidPid = 0
        if ($first.Wait(10000) -and "$($first.Result)" -match '^SQUID_PID (\d+)$') { $squidPid = [int]$Matches[1] }
        $null = $process.StandardOutput.ReadToEndAsync()

        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        $ready = $false
        # Ready once squid logs that it listens (a probe connection of ours would land in the access log).
        while (-not $ready -and -not $process.HasExited -and [DateTime]::UtcNow -lt $deadline) {
            $log = Get-Content -LiteralPath $cacheLog -Raw -ErrorAction SilentlyContinue
            $ready = "$log" -match "Accepting HTTP Socket connections at \S+ local=$([regex]::Escape($ListenAddress)):$port "
            if (-not $ready) { Start-Sleep -Milliseconds 100 }
        }
        if ($ready) { break }
        $exited = $process.HasExited
        if (-not $exited) { try { $process.Kill($true) } catch { } }
        $process.WaitForExit(5000) | Out-Null
        $log = Get-Content -LiteralPath $cacheLog -Raw -ErrorAction SilentlyContinue
        $why = if ($exited) { "squid exited early (code $($process.ExitCode))" } else { 'squid did not accept connections within 60 s' }
        if ($exited -and $attempt -lt 3 -and "$log$($stderr.Result)" -match 'Address already in use|bind') { continue }   # lost the port race
        throw "$why on ${ListenAddress}:$port. cache.log ($cacheLog):`n$log`nstderr:`n$($stderr.Result)"
    }

    [pscustomobject]@{
        Process         = $process
        Url             = "http://${ListenAddress}:$port"
        Address         = $ListenAddress
        Port            = $port
        UserName        = if ($NoAuth) { $null } else { $UserName }
        Password        = if ($NoAuth) { $null } else { $Password }
        AccessLog       = $accessLog
        CacheLog        = $cacheLog
        Directory       = $dir
        SquidPid        = $squidPid
        ConfigPath      = $conf
        AccessLogOffset = [long]0   # Clear-ProxyAccessLog moves it; Get-ProxyAccessLog reads from it
    }
}

function Stop-ProxyPeer {
    # Stop-Peer, then makes sure squid itself (and its helpers) are gone. Returns nothing; throws if squid survives.
    param($Proxy)
    if (-not $Proxy) { return }
    Stop-Peer $Proxy
    # Stop-Peer leaves stdin alone when the wrapper is gone already; the wrapper's watcher may still hold it.
    try { $Proxy.Process.StandardInput.Close() } catch { }
    $squidPid = [int]$Proxy.SquidPid
    if ($squidPid -le 0) { return }
    $deadline = [DateTime]::UtcNow.AddSeconds(5)
    while ((Test-ProcessAlive $squidPid) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
    if (Test-ProcessAlive $squidPid) {
        $comm = Get-Content -LiteralPath "/proc/$squidPid/comm" -ErrorAction SilentlyContinue
        if ("$comm".Trim() -eq 'squid') { & kill -KILL $squidPid 2>$null }
        Start-Sleep -Milliseconds 200
        if (Test-ProcessAlive $squidPid) { throw "squid (pid $squidPid) did not stop." }
    }
}

function ConvertFrom-ProxyLogLine([string] $Line) {
    $f = $Line -split ' '
    if ($f.Count -lt 9) { return $null }
    $url = $f[3]
    $target = $url
    if ($f[2] -ne 'CONNECT') {
        $u = $null
        if ([uri]::TryCreate($url, [UriKind]::Absolute, [ref]$u)) { $target = $u.Authority }
    }
    $seconds = 0.0
    $time = if ([double]::TryParse($f[0], [Globalization.NumberStyles]::Float, [Globalization.CultureInfo]::InvariantCulture, [ref]$seconds)) {
        [DateTimeOffset]::FromUnixTimeMilliseconds([long]($seconds * 1000))
    }
    [pscustomobject]@{
        Time      = $time
        Client    = $f[1]
        Method    = $f[2]
        Url       = $url                                         # for CONNECT: host:port
        Host      = $target                                      # host:port (or host) the request was for
        Status    = [int]$f[4]                                   # what squid answered the client (0 if none)
        User      = if ($f[5] -eq '-') { $null } else { [uri]::UnescapeDataString($f[5]) }
        Result    = $f[6]                                        # TCP_MISS, TCP_DENIED, TCP_TUNNEL, ...
        Hierarchy = $f[7]                                        # HIER_DIRECT: a server was contacted; HIER_NONE: none
        Server    = if ($f[8] -eq '-') { $null } else { $f[8] }  # the server's IP, when one was contacted
        Line      = $Line
    }
}

function Get-ProxyAccessLog {
    <#
    .SYNOPSIS
        The access log entries since the last Clear-ProxyAccessLog: Time, Client, Method, Url, Host, Status,
        User, Result, Hierarchy, Server, Line. -Count n waits (up to -TimeoutSec) until at least n are there,
        since squid logs a transaction once it is over (a CONNECT when its tunnel closes).
    #>
    param(
        [Parameter(Mandatory)] $Proxy,
        [int] $Count = 0,
        [int] $TimeoutSec = 60
    )
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    while ($true) {
        $entries = @(Read-ProxyLogText $Proxy | ForEach-Object { ConvertFrom-ProxyLogLine $_ } | Where-Object { $_ })
        if ($entries.Count -ge $Count -or [DateTime]::UtcNow -gt $deadline) { return $entries }
        Start-Sleep -Milliseconds 100
    }
}

function Read-ProxyLogText($Proxy) {
    if (-not (Test-Path -LiteralPath $Proxy.AccessLog)) { return }
    $stream = [IO.FileStream]::new($Proxy.AccessLog, [IO.FileMode]::Open, [IO.FileAccess]::Read, [IO.FileShare]::ReadWrite)
    try {
        $null = $stream.Seek([long]$Proxy.AccessLogOffset, [IO.SeekOrigin]::Begin)
        $text = [IO.StreamReader]::new($stream).ReadToEnd()
    }
    finally { $stream.Dispose() }
    # Only complete lines: squid may be half-way through writing the last one.
    $end = $text.LastIndexOf("`n")
    if ($end -lt 0) { return }
    $text.Substring(0, $end).Split("`n") | Where-Object { $_ }
}

function Clear-ProxyAccessLog {
    # Forgets the entries logged so far (for Get-ProxyAccessLog; the file itself is left to squid, which
    # keeps it open). Call it once no transaction is still open, e.g. before a test's requests.
    param([Parameter(Mandatory)] $Proxy)
    $Proxy.AccessLogOffset = if (Test-Path -LiteralPath $Proxy.AccessLog) { (Get-Item -LiteralPath $Proxy.AccessLog).Length } else { 0 }
}

function Get-SettledProxyAccessLog {
    <#
    .SYNOPSIS
        The access log entries since the last Clear-ProxyAccessLog, once squid has logged every transaction that
        ended before this call: for a test that asserts what did NOT go through the proxy, without waiting a fixed
        time. Sends a marker request (GET http://ecrairflow-marker.invalid/<guid>, which squid denies with 403
        before authentication, contacting nothing), waits (up to -TimeoutSec) for its line, and returns the
        entries logged before it. A CONNECT tunnel still open is logged only when it closes: run what opens one
        in a child process, whose exit closes it.
    #>
    param([Parameter(Mandatory)] $Proxy, [int] $TimeoutSec = 60)
    $marker = 'http://ecrairflow-marker.invalid/' + [guid]::NewGuid().ToString('n')
    Add-Type -AssemblyName System.Net.Http
    $handler = [System.Net.Http.HttpClientHandler]::new()
    $handler.Proxy = [System.Net.WebProxy]::new([uri]$Proxy.Url, $false)
    $handler.UseProxy = $true
    $client = [System.Net.Http.HttpClient]::new($handler)
    try {
        $response = $client.GetAsync($marker).GetAwaiter().GetResult()
        if ([int]$response.StatusCode -ne 403) { throw "squid answered the marker request with $([int]$response.StatusCode), not 403." }
    }
    finally { $client.Dispose() }
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    while ($true) {
        $entries = @(Read-ProxyLogText $Proxy | ForEach-Object { ConvertFrom-ProxyLogLine $_ } | Where-Object { $_ })
        $at = -1
        for ($i = 0; $i -lt $entries.Count; $i++) { if ($entries[$i].Url -eq $marker) { $at = $i; break } }
        # Earlier markers are not the test's traffic either; nor is a connection that sent nothing (squid logs it as
        # error:transaction-end-before-headers, e.g. a port probe's, sometimes only after the log was cleared): it
        # carried no request, so no secret.
        if ($at -ge 0) {
            return @($entries | Select-Object -First $at | Where-Object { $_.Url -notlike 'http://ecrairflow-marker.invalid/*' -and $_.Url -ne 'error:transaction-end-before-headers' })
        }
        if ([DateTime]::UtcNow -gt $deadline) { throw "squid did not log the marker request within $TimeoutSec s." }
        Start-Sleep -Milliseconds 100
    }
}

# ---- A second address of this machine that is not loopback, for "a proxy on another host" ----
# The module treats 127.0.0.0/8 and ::1 as this machine and everything else as the network. A /32 from the
# private range 10.254.254.0/24 added to the lo interface is another host as far as the module can tell,
# while its packets never leave the machine. Linux and root only (ip addr add); each caller removes exactly the
# address it added (Remove-LoopbackAlias), and an address that is already in use is never taken.

function Add-LoopbackAlias {
    <#
    .SYNOPSIS
        Adds a free 10.254.254.x/32 to lo and returns [pscustomobject]@{ Address; Prefix; Device }, or a string:
        the reason it is not possible here (not Linux, not root, no ip command), for a skip.
    #>
    if (-not $IsLinux) { return 'a loopback alias needs Linux (ip addr add on lo)' }
    if (-not (Test-IsRoot)) { return 'adding an address to lo (ip addr add) needs root' }
    $ip = Get-Command ip -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $ip) { $ip = Get-Item -LiteralPath '/usr/sbin/ip', '/sbin/ip' -ErrorAction SilentlyContinue | Select-Object -First 1 }
    if (-not $ip) { return 'the ip command (iproute2) is not installed' }
    $path = if ($ip.Source) { $ip.Source } else { $ip.FullName }
    $inUse = "$(& $path -o -4 addr show 2>$null)"
    foreach ($last in (2..254 | Get-Random -Count 253)) {
        $address = "10.254.254.$last"
        if ($inUse -match "inet $([regex]::Escape($address))/") { continue }
        # Another process may take the same one meanwhile: then ip says "File exists" and the next is tried.
        $said = & $path addr add "$address/32" dev lo 2>&1
        if ($LASTEXITCODE -eq 0) { return [pscustomobject]@{ Address = $address; Prefix = "$address/32"; Device = 'lo'; Ip = $path } }
        if ("$said" -notmatch 'File exists') { return "ip addr add $address/32 dev lo failed: $said" }
    }
    'no free address in 10.254.254.0/24'
}

function Remove-LoopbackAlias($Alias) {
    # Removes exactly the address Add-LoopbackAlias added (a string reason, or nothing, is ignored).
    if ($null -eq $Alias -or $Alias -is [string]) { return }
    & $Alias.Ip addr del $Alias.Prefix dev $Alias.Device 2>&1 | Out-Null
    if ($LASTEXITCODE -ne 0) { Write-Warning "Could not remove $($Alias.Prefix) from $($Alias.Device): ip addr del $($Alias.Prefix) dev $($Alias.Device)" }
}
