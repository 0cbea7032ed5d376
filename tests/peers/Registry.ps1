# The registry peer: Debian's docker-registry (the CNCF distribution registry 2.8) with htpasswd (bcrypt) Basic
# authentication, on a free 127.0.0.1 port over plain http. Dot-sourced by Peers.ps1 (after Proxy.ps1, whose
# Test-IsRoot, Test-LocalPortOpen, Test-ProcessAlive and Get-FreeLoopbackPort it uses).
#
# Each Start-RegistryPeer makes a fresh folder (registry-<guid>) under -WorkDirectory holding everything the
# registry reads or writes: config.yml, htpasswd, storage/ and registry.log (its log, access log included).
# Stop-RegistryPeer stops the registry and deletes that folder by its exact path.
#
# What it answers (what docker login and Airflow's DockerHook meet at a registry), with -Auth Htpasswd (the default):
#   GET /v2/ without credentials    401, WWW-Authenticate: Basic realm="<Realm>"
#   GET /v2/ with the htpasswd pair 200, {}
#   GET /v2/ with anything else     401, the same challenge
# -Auth None: 200 to everyone (a registry that checks no login). -Auth Token: token authentication, as Docker Hub
# uses: 401 with WWW-Authenticate: Bearer realm="<TokenRealm>",service="ecrairflow-test" (no token server runs;
# the registry only needs the issuer's certificate, a throw-away self-signed one made with openssl).
# Set-RegistryPassword replaces the htpasswd file (a new file moved over the old one): distribution 2.8 compares
# the file's modification time on every request and reads it again when it changed, so the very next request
# meets the new password, on the same port, without a restart (-Restart restarts anyway).
# bcrypt reads only the first 72 bytes of a password: two tokens that share them are the same password here.
#
# Passwords reach htpasswd through its stdin, never a command line; the files hold only bcrypt hashes.

function Get-RegistryCommand {
    $cmd = Get-Command docker-registry -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($cmd) { return $cmd.Source }
    if (Test-Path -LiteralPath '/usr/bin/docker-registry') { return '/usr/bin/docker-registry' }
    return $null
}

function Get-HtpasswdCommand {
    $cmd = Get-Command htpasswd -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($cmd) { return $cmd.Source }
    if (Test-Path -LiteralPath '/usr/bin/htpasswd') { return '/usr/bin/htpasswd' }
    return $null
}

function Test-RegistryInstallable {
    # Why the registry peer cannot run here ($null when it can: installed, or installable with apt-get as root).
    if ((Get-RegistryCommand) -and (Get-HtpasswdCommand)) { return $null }
    if ($IsWindows -or -not (Test-Path -LiteralPath /etc/debian_version)) { return 'docker-registry is not installed and this is not Debian/Ubuntu (apt-get install docker-registry apache2-utils).' }
    if (-not (Get-Command apt-get -CommandType Application -ErrorAction SilentlyContinue)) { return 'docker-registry is not installed and apt-get is missing.' }
    if (-not (Test-IsRoot)) { return 'docker-registry is not installed: run as root, or first run: sudo apt-get install -y --no-install-recommends docker-registry apache2-utils' }
    return $null
}

function Stop-SystemRegistry {
    # The package's own service (Debian's /etc/docker/registry/config.yml listens on :5000), should its postinst
    # have started it despite policy-rc.d. Ours never use that port.
    if (-not (Test-LocalPortOpen 5000)) { return }
    Write-Host 'The docker-registry package started its system service: stopping it (the tests run their own registries).'
    if (Test-Path -LiteralPath '/run/systemd/system') { & systemctl stop docker-registry 2>&1 | Out-Host }
    elseif (Test-Path -LiteralPath '/etc/init.d/docker-registry') { & /etc/init.d/docker-registry stop 2>&1 | Out-Host }
    if (Test-LocalPortOpen 5000) { Write-Warning 'Port 5000 is still in use after the docker-registry install (not by a registry this script can stop).' }
}

function Install-RegistryIfMissing {
    # Returns @{ Registry = path; Htpasswd = path }. Installs Debian's docker-registry and apache2-utils only when
    # missing, after one apt-get update, without letting the postinst start the system service (policy-rc.d).
    $registry = Get-RegistryCommand
    $htpasswd = Get-HtpasswdCommand
    if ($registry -and $htpasswd) { return @{ Registry = $registry; Htpasswd = $htpasswd } }
    $why = Test-RegistryInstallable
    if ($why) { throw $why }

    $packages = @(if (-not $registry) { 'docker-registry' }) + @(if (-not $htpasswd) { 'apache2-utils' })
    Write-Host "Installing Debian's $($packages -join ' and ') (for the registry peer)."
    Install-DebianPackage -Package $packages -UpdateFirst -Hint 'apt-get install -y --no-install-recommends docker-registry apache2-utils'
    Stop-SystemRegistry
    $registry = Get-RegistryCommand
    $htpasswd = Get-HtpasswdCommand
    if (-not $registry -or -not $htpasswd) { throw 'apt-get reported success but docker-registry or htpasswd is still not found.' }
    @{ Registry = $registry; Htpasswd = $htpasswd }
}

function New-BcryptHtpasswdLine([string] $Htpasswd, [string] $UserName, [string] $Password) {
    # "user:$2y$05$..." from htpasswd -B (bcrypt); -i reads the password from stdin, -n prints instead of writing.
    # bcrypt reads only the first 72 bytes of a password, and so does the registry when it compares (Go's bcrypt
    # cuts there), so only those are hashed: htpasswd itself refuses passwords over 256 bytes, and an ECR
    # password is about 2,000. The hash is the one bcrypt makes of the whole password.
    $bytes = [Text.Encoding]::UTF8.GetBytes($Password)
    $count = [math]::Min($bytes.Length, 72)
    $psi = [System.Diagnostics.ProcessStartInfo]::new($Htpasswd)
    Add-ProcessArgument $psi ('-niB', $UserName)
    $psi.RedirectStandardInput = $true
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    $p = [System.Diagnostics.Process]::Start($psi)
    $p.StandardInput.BaseStream.Write($bytes, 0, $count)
    $p.StandardInput.Close()
    [Array]::Clear($bytes, 0, $bytes.Length)
    $line = $p.StandardOutput.ReadToEnd().Trim()
    $err = $p.StandardError.ReadToEnd()
    $p.WaitForExit()
    if ($p.ExitCode -ne 0 -or $line -notmatch ('^' + [regex]::Escape($UserName) + ':\$2[aby]\$')) { throw "htpasswd -B failed (exit code $($p.ExitCode)): $err" }
    $line
}

function Write-RegistryHtpasswd($Peer, [string] $UserName, [string] $Password) {
    if (-not $UserName -or $UserName -match '[:\s]') { throw 'The registry user name must be non-empty, without colons or spaces.' }
    if (-not $Password -or $Password -match '[\r\n]') { throw 'The registry password must be non-empty and on one line.' }
    $line = New-BcryptHtpasswdLine -Htpasswd $Peer.Htpasswd -UserName $UserName -Password $Password
    # Written beside, then moved over: the registry never reads half a file.
    $next = "$($Peer.HtpasswdPath).next"
    [IO.File]::WriteAllText($next, $line + "`n")
    Move-Item -LiteralPath $next -Destination $Peer.HtpasswdPath -Force
}

# Runs the registry under sh and stops it (SIGTERM) when our stdin reaches end of file, i.e. when the peer is
# stopped or the test process dies, or when the wrapper gets SIGTERM. Prints "REGISTRY_PID <pid>" first.
function Get-RegistryWrapperScript {
@'
exec 3<&0
"$1" serve "$2" </dev/null >>"$3" 2>&1 3<&- &
pid=$!
echo "REGISTRY_PID $pid"
trap 'kill -TERM "$pid" 2>/dev/null' TERM INT HUP
( while read -r _; do :; done; kill -TERM "$pid" 2>/dev/null ) <&3 &
watcher=$!
exec 3<&-
wait "$pid"; rc=$?
while kill -0 "$pid" 2>/dev/null; do wait "$pid"; rc=$?; done
kill "$watcher" 2>/dev/null
exit $rc
'@
}

function Start-RegistryProcess($Peer) {
    # Starts the registry of $Peer on $Peer.Port and waits until it listens; sets Process and RegistryPid.
    $psi = [System.Diagnostics.ProcessStartInfo]::new('/bin/sh')
    Add-ProcessArgument $psi (@('-c', (Get-RegistryWrapperScript), 'registry-peer', $Peer.Registry, $Peer.ConfigPath, $Peer.Log))
    $psi.RedirectStandardInput = $true   # the registry stops when this pipe closes, even if we die
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    $psi.WorkingDirectory = $Peer.Directory
    $offset = if (Test-Path -LiteralPath $Peer.Log) { (Get-Item -LiteralPath $Peer.Log).Length } else { 0 }
    $process = [System.Diagnostics.Process]::Start($psi)
    $stderr = $process.StandardError.ReadToEndAsync()
    $first = $process.StandardOutput.ReadLineAsync()
    $registryPid = 0
    if ($first.Wait(10000) -and "$($first.Result)" -match '^REGISTRY_PID (\d+)$') { $registryPid = [int]$Matches[1] }
    $null = $process.StandardOutput.ReadToEndAsync()
    $Peer.Process = $process
    $Peer.RegistryPid = $registryPid

    # Ready once the registry logs that it listens (a probe request of ours would land in its access log).
    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    $pattern = 'listening on 127\.0\.0\.1:' + $Peer.Port + '\b'
    while (-not $process.HasExited -and [DateTime]::UtcNow -lt $deadline) {
        if ((Read-RegistryLogText $Peer.Log $offset) -match $pattern) { return $true }
        Start-Sleep -Milliseconds 100
    }
    $exited = $process.HasExited
    if (-not $exited) { Stop-RegistryProcess $Peer }
    $log = Read-RegistryLogText $Peer.Log $offset
    if ($exited -and $log -match 'address already in use') { return $false }   # lost the port race
    $why = if ($exited) { "docker-registry exited early (code $($process.ExitCode))" } else { 'docker-registry did not listen within 30 s' }
    throw "$why on 127.0.0.1:$($Peer.Port). Its log ($($Peer.Log)):`n$log`n$($stderr.Result)"
}

function Read-RegistryLogText([string] $Path, [long] $Offset = 0) {
    if (-not (Test-Path -LiteralPath $Path)) { return '' }
    $stream = [IO.FileStream]::new($Path, [IO.FileMode]::Open, [IO.FileAccess]::Read, [IO.FileShare]::ReadWrite)
    try {
        $null = $stream.Seek([math]::Min($Offset, $stream.Length), [IO.SeekOrigin]::Begin)
        [IO.StreamReader]::new($stream).ReadToEnd()
    }
    finally { $stream.Dispose() }
}

function Stop-RegistryProcess($Peer) {
    # Closes the wrapper's stdin (the registry gets SIGTERM), then makes sure the registry itself is gone.
    if (-not $Peer -or -not $Peer.Process) { return }
    Stop-Peer $Peer
    try { $Peer.Process.StandardInput.Close() } catch { }
    $registryPid = [int]$Peer.RegistryPid
    if ($registryPid -le 0) { return }
    $deadline = [DateTime]::UtcNow.AddSeconds(10)
    while ((Test-ProcessAlive $registryPid) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
    if (Test-ProcessAlive $registryPid) {
        $comm = Get-Content -LiteralPath "/proc/$registryPid/comm" -ErrorAction SilentlyContinue
        if ("$comm".Trim() -like 'docker-regis*') { & kill -KILL $registryPid 2>$null }
        Start-Sleep -Milliseconds 200
        if (Test-ProcessAlive $registryPid) { throw "docker-registry (pid $registryPid) did not stop." }
    }
}

function Start-RegistryPeer {
    <#
    .SYNOPSIS
        Starts docker-registry on a free 127.0.0.1 port over http with htpasswd (bcrypt) auth holding one user, and
        returns [pscustomobject]@{ Url; Host; Port; UserName; Realm; Directory; ConfigPath; HtpasswdPath; Log;
        Process; RegistryPid; ... }. Stop it with Stop-RegistryPeer. The password is not kept on the object.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $WorkDirectory,
        # The password of -UserName (needed with -Auth Htpasswd).
        [string] $Password,
        [string] $UserName = 'AWS',
        [string] $Realm = 'EcrAirflow test registry',
        [ValidateSet('Htpasswd', 'None', 'Token')] [string] $Auth = 'Htpasswd',
        # With -Auth Token: the token server's URL the challenge names (nothing listens there).
        [string] $TokenRealm = 'https://auth.ecrairflow.invalid/token'
    )
    if ($Realm -match '["\r\n\\]') { throw 'The realm must be on one line, without quotes or backslashes.' }
    if ($Auth -eq 'Htpasswd' -and -not $Password) { throw 'Give -Password (the token the registry accepts), or -Auth None or Token.' }
    $tools = Install-RegistryIfMissing
    $dir = Join-Path ([IO.Path]::GetFullPath($WorkDirectory)) ("registry-{0}" -f [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory -Path $dir
    $peer = [pscustomobject]@{
        Url          = $null
        Host         = $null
        Port         = 0
        UserName     = if ($Auth -eq 'Htpasswd') { $UserName } else { $null }
        Realm        = if ($Auth -eq 'Htpasswd') { $Realm } elseif ($Auth -eq 'Token') { $TokenRealm } else { $null }
        Auth         = $Auth
        Directory    = $dir
        ConfigPath   = Join-Path $dir 'config.yml'
        HtpasswdPath = Join-Path $dir 'htpasswd'
        Storage      = Join-Path $dir 'storage'
        Log          = Join-Path $dir 'registry.log'
        Registry     = $tools.Registry
        Htpasswd     = $tools.Htpasswd
        Process      = $null
        RegistryPid  = 0
    }
    try {
        $authConfig = switch ($Auth) {
            'Htpasswd' {
                Write-RegistryHtpasswd -Peer $peer -UserName $UserName -Password $Password
                @{ htpasswd = [ordered]@{ realm = $Realm; path = $peer.HtpasswdPath } }
            }
            'Token' {
                $bundle = New-TokenIssuerCertificate -Directory $dir
                @{ token = [ordered]@{ realm = $TokenRealm; service = 'ecrairflow-test'; issuer = 'ecrairflow-test'; rootcertbundle = $bundle } }
            }
            default { $null }
        }
        $null = New-Item -ItemType Directory -Path $peer.Storage
        $secret = [guid]::NewGuid().ToString('n')
        for ($attempt = 1; ; $attempt++) {
            $peer.Port = Get-FreeLoopbackPort
            # JSON is YAML: no quoting rules of our own to get right.
            $config = [ordered]@{
                version = '0.1'
                log     = [ordered]@{ level = 'info'; formatter = 'text'; accesslog = @{ disabled = $false } }
                storage = [ordered]@{ filesystem = @{ rootdirectory = $peer.Storage }; maintenance = @{ uploadpurging = @{ enabled = $false } } }
                http    = [ordered]@{ addr = "127.0.0.1:$($peer.Port)"; secret = $secret }
            }
            if ($authConfig) { $config['auth'] = $authConfig }
            Set-Content -LiteralPath $peer.ConfigPath -Value ($config | ConvertTo-Json -Depth 5)
            if (Start-RegistryProcess $peer) { break }
            if ($attempt -ge 3) { throw "docker-registry could not bind a free port in $attempt attempts." }
        }
    }
    catch {
        Stop-RegistryPeer $peer
        throw
    }
    $peer.Host = "127.0.0.1:$($peer.Port)"
    $peer.Url = "http://127.0.0.1:$($peer.Port)"
    $peer
}

function New-TokenIssuerCertificate([string] $Directory) {
    # A self-signed certificate the registry takes as its token issuer's (it signs nothing: no token server runs).
    $key = Join-Path $Directory 'token-issuer.key'
    $cert = Join-Path $Directory 'token-issuer.pem'
    $out = & openssl req -x509 -newkey rsa:2048 -nodes -keyout $key -out $cert -days 1 -subj '/CN=ecrairflow-test-token-issuer' 2>&1
    if ($LASTEXITCODE -ne 0) { throw "openssl could not make the token issuer's certificate: $out" }
    $cert
}

function Set-RegistryPassword {
    <#
    .SYNOPSIS
        Replaces the registry's htpasswd with one user (-UserName, default the peer's) and -Password. The registry
        reads the new file on its next request; -Restart also restarts it on the same port. Returns nothing.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Registry,
        [Parameter(Mandatory)] [string] $Password,
        [string] $UserName = $Registry.UserName,
        [switch] $Restart
    )
    if ($Registry.Auth -ne 'Htpasswd') { throw "This registry peer was started with -Auth $($Registry.Auth): it has no htpasswd." }
    Write-RegistryHtpasswd -Peer $Registry -UserName $UserName -Password $Password
    $Registry.UserName = $UserName
    if (-not $Restart) { return }
    Stop-RegistryProcess $Registry
    # The port was just freed; another process taking it in between is a failure, not a reason to move.
    $deadline = [DateTime]::UtcNow.AddSeconds(10)
    while (-not (Start-RegistryProcess $Registry)) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "docker-registry could not listen on 127.0.0.1:$($Registry.Port) again after the restart." }
        Start-Sleep -Milliseconds 250
    }
}

function Get-RegistryRequests {
    <#
    .SYNOPSIS
        The requests the registry logged, oldest first (its access log, Apache combined format): Method, Path,
        Status, UserAgent, Line. The registry logs no credentials: neither the Authorization header nor a user.
    #>
    param([Parameter(Mandatory)] $Registry)
    foreach ($line in (Read-RegistryLogText $Registry.Log) -split "`n") {
        # 127.0.0.1 - - [02/Jan/2026:10:00:00 +0000] "GET /v2/ HTTP/1.1" 401 87 "" "EcrAirflow/1.0"
        if ($line -match '^\S+ \S+ \S+ \[[^\]]+\] "(\S+) (\S+) [^"]*" (\d{3}) \S+ "[^"]*" "([^"]*)"') {
            [pscustomobject]@{ Method = $Matches[1]; Path = $Matches[2]; Status = [int]$Matches[3]; UserAgent = $Matches[4]; Line = $line }
        }
    }
}

function Stop-RegistryPeer {
    # Stops the registry and deletes its folder (by the exact path Start-RegistryPeer made). Returns nothing.
    param($Registry)
    if (-not $Registry) { return }
    Stop-RegistryProcess $Registry
    $dir = [string]$Registry.Directory
    if ($dir -and (Split-Path $dir -Leaf) -like 'registry-*' -and (Test-Path -LiteralPath $dir)) {
        Remove-Item -LiteralPath $dir -Recurse -Force
    }
}
