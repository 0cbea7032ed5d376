# Exercises the proxy peer (tests/peers/Proxy.ps1: Debian's squid with Basic proxy authentication) directly,
# with curl and .NET's HttpClient as clients and small loopback origin servers (http and https, Python's
# http.server), so the suites that send the module through it can trust what it lets through, refuses and logs.
# Needs: python3, openssl, curl; installs squid (apt-get) on first use if it is missing. Needs no build.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    $script:Temp = New-TestFolder 'proxy'

    # An origin server on a free 127.0.0.1 port: answers every GET with 200 "origin saw <path>", logs each
    # request (method, path, headers) as a JSON line before answering, and stops when its stdin closes.
    $script:OriginScript = Join-Path $Temp 'origin.py'
    Set-Content -LiteralPath $OriginScript -Value @'
import http.server, json, socketserver, ssl, sys, threading

log_path, cert, key = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else None), (sys.argv[3] if len(sys.argv) > 3 else None)

class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with open(log_path, 'a', encoding='utf-8') as f:
            f.write(json.dumps({'method': self.command, 'path': self.path, 'headers': dict(self.headers.items())}) + '\n')
        body = ('origin saw ' + self.path).encode()
        self.send_response(200)
        self.send_header('Content-Type', 'text/plain')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass

server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
if cert:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
print('LISTENING %d' % server.server_address[1], flush=True)
sys.stdin.read()
server.shutdown()
'@

    function Start-Origin([string] $Name, [string] $Cert, [string] $Key) {
        $log = Join-Path $Temp "$Name.requests.jsonl"
        Set-Content -LiteralPath $log -Value $null -NoNewline
        $psi = [System.Diagnostics.ProcessStartInfo]::new((Get-PythonCommand))
        Add-ProcessArgument $psi (@($OriginScript, $log) + @(if ($Cert) { $Cert, $Key }))
        $psi.RedirectStandardInput = $true
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $psi.UseShellExecute = $false
        $process = [System.Diagnostics.Process]::Start($psi)
        $stderr = $process.StandardError.ReadToEndAsync()
        $line = $process.StandardOutput.ReadLineAsync()
        if (-not $line.Wait(20000) -or "$($line.Result)" -notmatch '^LISTENING (\d+)$') {
            try { $process.Kill($true) } catch { }
            throw "The $Name origin did not start: $($stderr.Result)"
        }
        $port = [int]$Matches[1]
        $scheme = if ($Cert) { 'https' } else { 'http' }
        [pscustomobject]@{ Process = $process; Port = $port; Url = "${scheme}://127.0.0.1:$port"; RequestLog = $log }
    }

    function Get-OriginRequests($Origin) {
        @(Get-Content -LiteralPath $Origin.RequestLog | Where-Object { $_ } | ForEach-Object { $_ | ConvertFrom-Json })
    }
    function Clear-OriginRequests($Origin) { Set-Content -LiteralPath $Origin.RequestLog -Value $null -NoNewline }

    # One curl request through the proxy. Returns Status (the final HTTP status, 0 if none), Connect (the
    # proxy's answer to CONNECT, 0 if none), Headers (every response header block curl saw), Body, ExitCode, Error.
    function Invoke-Curl {
        param([Parameter(Mandatory)] [string] $Uri, [string] $Proxy = $Squid.Url, [string] $ProxyUser, [string] $CaCert)
        $id = [guid]::NewGuid().ToString('n')
        $headerFile = Join-Path $Temp "curl-$id.headers"
        $bodyFile = Join-Path $Temp "curl-$id.body"
        $curlArgs = @('-sS', '--max-time', '15', '--proxy', $Proxy, '-D', $headerFile, '-o', $bodyFile, '-w', '%{http_code} %{http_connect}')
        if ($CaCert) { $curlArgs += @('--cacert', $CaCert) }
        $out = if ($ProxyUser) {
            # Through stdin (curl's config syntax: a quoted value, \ and " escaped), never on curl's command line.
            "proxy-user = `"$($ProxyUser.Replace('\', '\\').Replace('"', '\"'))`"" | & curl -K - @curlArgs $Uri 2>&1
        }
        else { & curl @curlArgs $Uri 2>&1 }
        $exit = $LASTEXITCODE
        $codes = "$(@($out | Where-Object { $_ -is [string] }) -join '')".Trim() -split ' '
        $result = [pscustomobject]@{
            Status   = [int]$codes[0]
            Connect  = if ($codes.Count -gt 1) { [int]$codes[1] } else { 0 }
            Headers  = if (Test-Path -LiteralPath $headerFile) { Get-Content -LiteralPath $headerFile -Raw } else { '' }
            Body     = if (Test-Path -LiteralPath $bodyFile) { Get-Content -LiteralPath $bodyFile -Raw } else { '' }
            ExitCode = $exit
            Error    = "$(@($out | Where-Object { $_ -isnot [string] }) -join ' ')"
        }
        Remove-Item -LiteralPath $headerFile, $bodyFile -ErrorAction SilentlyContinue
        $result
    }

    foreach ($tool in 'curl', 'openssl') {
        if (-not (Get-Command $tool -CommandType Application -ErrorAction SilentlyContinue)) { throw "$tool is needed for this suite." }
    }

    # A self-signed certificate for 127.0.0.1, for the https origin.
    $script:Cert = Join-Path $Temp 'origin-cert.pem'
    $script:Key = Join-Path $Temp 'origin-key.pem'
    $null = & openssl req -x509 -newkey rsa:2048 -nodes -keyout $Key -out $Cert -days 1 -subj '/CN=127.0.0.1' -addext 'subjectAltName=IP:127.0.0.1' 2>&1
    if ($LASTEXITCODE -ne 0) { throw 'openssl could not make the test certificate.' }

    $script:Http = Start-Origin -Name 'http-origin'
    $script:Https = Start-Origin -Name 'https-origin' -Cert $Cert -Key $Key
    $script:ProxyPassword = 'Pr0xy-S3cret!pw'
    $script:Squid = Start-ProxyPeer -WorkDirectory $Temp -UserName 'tester' -Password $ProxyPassword
    $script:Good = "tester:$ProxyPassword"
}

AfterAll {
    foreach ($peer in $script:Squid, $script:Http, $script:Https) { if ($peer) { Stop-Peer $peer } }
    Remove-TestFolder $script:Temp
}

Describe 'Proxy peer: squid with Basic proxy authentication' {
    BeforeEach {
        Clear-ProxyAccessLog -Proxy $Squid
        Clear-OriginRequests $Http
        Clear-OriginRequests $Https
    }

    It 'listens on 127.0.0.1 only, as an unprivileged user, and keeps its files in its own folder' {
        $Squid.Url | Should -Be "http://127.0.0.1:$($Squid.Port)"
        Get-Content -LiteralPath $Squid.CacheLog -Raw | Should -Match "Accepting HTTP Socket connections at \S+ local=127\.0\.0\.1:$($Squid.Port) "
        (Split-Path $Squid.Directory) | Should -Be ([IO.Path]::GetFullPath($Temp))
        foreach ($file in $Squid.AccessLog, $Squid.CacheLog, (Join-Path $Squid.Directory 'squid.pid')) {
            $file | Should -Exist
            (Split-Path $file) | Should -Be $Squid.Directory
        }
        [int](Get-Content -LiteralPath (Join-Path $Squid.Directory 'squid.pid') -Raw).Trim() | Should -Be $Squid.SquidPid
        $uid = (Get-Content -LiteralPath "/proc/$($Squid.SquidPid)/status" | Where-Object { $_ -like 'Uid:*' }) -split '\s+'
        $uid[1] | Should -Not -Be '0'
    }

    It 'forwards a request with the right credentials and logs it with the user name' {
        $r = Invoke-Curl -Uri "$($Http.Url)/hello" -ProxyUser $Good
        $r.Status | Should -Be 200
        $r.Body | Should -Be 'origin saw /hello'
        $seen = Get-OriginRequests $Http
        $seen.Count | Should -Be 1
        $seen[0].path | Should -Be '/hello'
        # The proxy consumed the proxy credentials: the origin never sees them.
        $seen[0].headers.PSObject.Properties.Name | Should -Not -Contain 'Proxy-Authorization'
        $entry = @(Get-ProxyAccessLog -Proxy $Squid -Count 1)
        $entry.Count | Should -Be 1
        $entry[0].Method | Should -Be 'GET'
        $entry[0].Url | Should -Be "$($Http.Url)/hello"
        $entry[0].Host | Should -Be "127.0.0.1:$($Http.Port)"
        $entry[0].Status | Should -Be 200
        $entry[0].User | Should -Be 'tester'
        $entry[0].Hierarchy | Should -Be 'HIER_DIRECT'
        $entry[0].Server | Should -Be '127.0.0.1'
    }

    It 'works with .NET''s HttpClient, which answers the 407 challenge, for http and https' {
        # (Not Invoke-WebRequest -Proxy: PowerShell's own proxy object bypasses loopback destinations.)
        $handler = [System.Net.Http.HttpClientHandler]::new()
        $handler.Proxy = [System.Net.WebProxy]::new($Squid.Url)
        $handler.Proxy.Credentials = [System.Net.NetworkCredential]::new('tester', $ProxyPassword)
        $handler.UseProxy = $true
        $handler.ServerCertificateCustomValidationCallback = [System.Net.Http.HttpClientHandler]::DangerousAcceptAnyServerCertificateValidator
        $client = [System.Net.Http.HttpClient]::new($handler)
        try {
            foreach ($origin in $Http, $Https) {
                $response = $client.GetAsync("$($origin.Url)/dotnet").GetAwaiter().GetResult()
                [int]$response.StatusCode | Should -Be 200
                $response.Content.ReadAsStringAsync().GetAwaiter().GetResult() | Should -Be 'origin saw /dotnet'
                (Get-OriginRequests $origin).path | Should -Be '/dotnet'
            }
        }
        finally { $client.Dispose() }   # closes the tunnel, so squid logs the CONNECT
        # .NET sends each first request without credentials and answers the 407 with them.
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        do {
            $ok = @(Get-ProxyAccessLog -Proxy $Squid | Where-Object Status -eq 200)
            if ($ok.Count -lt 2) { Start-Sleep -Milliseconds 100 }
        } while ($ok.Count -lt 2 -and [DateTime]::UtcNow -lt $deadline)
        $ok | ForEach-Object { "$($_.Method) $($_.Host) $($_.User)" } | Sort-Object |
            Should -Be (@("CONNECT 127.0.0.1:$($Https.Port) tester", "GET 127.0.0.1:$($Http.Port) tester") | Sort-Object)
    }

    It 'answers a wrong password with 407 and forwards nothing' {
        $r = Invoke-Curl -Uri "$($Http.Url)/wrong" -ProxyUser 'tester:not-the-password'
        $r.Status | Should -Be 407
        $r.Headers | Should -Match '(?m)^Proxy-Authenticate: Basic realm="EcrAirflow test proxy"'
        (Get-OriginRequests $Http).Count | Should -Be 0
        $entry = @(Get-ProxyAccessLog -Proxy $Squid -Count 1)
        $entry[0].Status | Should -Be 407
        $entry[0].Result | Should -Be 'TCP_DENIED'
        $entry[0].Hierarchy | Should -Be 'HIER_NONE'
    }

    It 'answers no credentials with 407 and Proxy-Authenticate: Basic, for http and for CONNECT' {
        $r = Invoke-Curl -Uri "$($Http.Url)/anonymous"
        $r.Status | Should -Be 407
        $r.Headers | Should -Match '(?m)^Proxy-Authenticate: Basic '
        $tls = Invoke-Curl -Uri "$($Https.Url)/anonymous" -CaCert $Cert
        $tls.Connect | Should -Be 407
        $tls.Headers | Should -Match '(?m)^Proxy-Authenticate: Basic '
        (Get-OriginRequests $Http).Count + (Get-OriginRequests $Https).Count | Should -Be 0
        $log = @(Get-ProxyAccessLog -Proxy $Squid -Count 2)
        $log | ForEach-Object { "$($_.Method) $($_.Status) $($_.User)" } | Should -Be @('GET 407 ', 'CONNECT 407 ')
    }

    It 'tunnels https with CONNECT 127.0.0.1:port to a TLS server on a random port' {
        $r = Invoke-Curl -Uri "$($Https.Url)/secure" -ProxyUser $Good -CaCert $Cert
        $r.ExitCode | Should -Be 0
        $r.Connect | Should -Be 200
        $r.Status | Should -Be 200
        $r.Body | Should -Be 'origin saw /secure'
        (Get-OriginRequests $Https).path | Should -Be '/secure'
        $entry = @(Get-ProxyAccessLog -Proxy $Squid -Count 1)
        $entry.Count | Should -Be 1
        "$($entry[0].Method) $($entry[0].Url)" | Should -Be "CONNECT 127.0.0.1:$($Https.Port)"
        $entry[0].Host | Should -Be "127.0.0.1:$($Https.Port)"
        $entry[0].Status | Should -Be 200
        $entry[0].User | Should -Be 'tester'
        $entry[0].Result | Should -Be 'TCP_TUNNEL'
    }

    It 'denies <Uri> with 403 before authentication and never contacts it' -ForEach @(
        @{ Uri = 'http://example.invalid/'; Method = 'GET' }
        @{ Uri = 'http://10.255.255.1/'; Method = 'GET' }
        @{ Uri = 'https://10.255.255.1/'; Method = 'CONNECT' }
        @{ Uri = 'http://192.0.2.1:8080/'; Method = 'GET' }
    ) {
        foreach ($user in $Good, $null) {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $r = Invoke-Curl -Uri $Uri -ProxyUser $user
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 5   # a connection attempt to 10.255.255.1 would hang
            if ($Method -eq 'CONNECT') { $r.Connect | Should -Be 403 } else { $r.Status | Should -Be 403 }
        }
        $log = @(Get-ProxyAccessLog -Proxy $Squid -Count 2)
        $log.Count | Should -Be 2
        foreach ($entry in $log) {
            $entry.Method | Should -Be $Method
            $entry.Status | Should -Be 403
            $entry.Result | Should -Be 'TCP_DENIED'
            $entry.Hierarchy | Should -Be 'HIER_NONE'
            $entry.Server | Should -BeNullOrEmpty
        }
    }

    It 'never writes the proxy password to its logs' {
        (Invoke-Curl -Uri "$($Http.Url)/a" -ProxyUser $Good).Status | Should -Be 200
        (Invoke-Curl -Uri "$($Https.Url)/b" -ProxyUser $Good -CaCert $Cert).Status | Should -Be 200
        (Invoke-Curl -Uri "$($Http.Url)/c" -ProxyUser "tester:$ProxyPassword-wrong").Status | Should -Be 407
        $null = Get-ProxyAccessLog -Proxy $Squid -Count 3
        $forms = @($ProxyPassword, [uri]::EscapeDataString($ProxyPassword),
            [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($Good)))
        foreach ($file in $Squid.AccessLog, $Squid.CacheLog) {
            $text = Get-Content -LiteralPath $file -Raw
            $text | Should -Match 'tester|Squid'   # the logs are really there
            foreach ($form in $forms) { $text.Contains($form) | Should -BeFalse -Because "$file must not contain the proxy password" }
        }
    }
}

Describe 'Proxy peer -NoAuth' {
    BeforeAll { $script:Open = Start-ProxyPeer -WorkDirectory $Temp -NoAuth }
    AfterAll { Stop-Peer $Open }

    It 'forwards to 127.0.0.1 without credentials and still denies other destinations' {
        (Invoke-Curl -Uri "$($Http.Url)/open" -Proxy $Open.Url).Status | Should -Be 200
        (Invoke-Curl -Uri 'http://10.255.255.1/' -Proxy $Open.Url).Status | Should -Be 403
        $log = @(Get-ProxyAccessLog -Proxy $Open -Count 2)
        $log | ForEach-Object { "$($_.Status) $($_.Host) $($_.User)" } | Should -Be @("200 127.0.0.1:$($Http.Port) ", '403 10.255.255.1 ')
    }
}

Describe 'Proxy peer on a loopback alias (-ListenAddress), a proxy on another host as the module sees it' {
    BeforeAll {
        $script:Alias = Add-LoopbackAlias
        $script:AliasSkip = if ($Alias -is [string]) { $Alias } else { $null }
        if (-not $AliasSkip) { $script:OnAlias = Start-ProxyPeer -WorkDirectory $Temp -ListenAddress $Alias.Address -UserName 'tester' -Password $ProxyPassword }
        function Get-LoAddresses { @(& ip -o -4 addr show dev lo | ForEach-Object { if ("$_" -match 'inet (\S+)') { $Matches[1] } }) }
    }
    AfterAll {
        if ($script:OnAlias) { Stop-ProxyPeer $script:OnAlias }
        Remove-LoopbackAlias $script:Alias
    }
    BeforeEach { if ($AliasSkip) { Set-ItResult -Skipped -Because $AliasSkip } }

    It 'listens on the alias only and forwards to 127.0.0.1; the settled log leaves out its marker requests' {
        $OnAlias.Url | Should -Be "http://$($Alias.Address):$($OnAlias.Port)"
        Get-LoAddresses | Should -Contain "$($Alias.Address)/32"
        Test-LocalPortOpen -Port $OnAlias.Port -Address $Alias.Address | Should -BeTrue
        Test-LocalPortOpen -Port $OnAlias.Port | Should -BeFalse -Because 'it does not listen on 127.0.0.1'
        Clear-ProxyAccessLog -Proxy $OnAlias
        (Invoke-Curl -Uri "$($Http.Url)/via-alias" -Proxy $OnAlias.Url -ProxyUser $Good).Status | Should -Be 200
        (Get-OriginRequests $Http).path | Should -Contain '/via-alias'
        $log = @(Get-SettledProxyAccessLog -Proxy $OnAlias)
        $log | ForEach-Object { "$($_.Method) $($_.Url) $($_.Status) $($_.User)" } | Should -Be @("GET $($Http.Url)/via-alias 200 tester")
        @(Get-SettledProxyAccessLog -Proxy $OnAlias).Count | Should -Be 1 -Because 'the first marker is not an entry either'
    }

    It 'Remove-LoopbackAlias removes exactly the address it was given' {
        $second = Add-LoopbackAlias
        try {
            $second | Should -Not -BeOfType [string]
            $second.Address | Should -Not -Be $Alias.Address -Because 'an address in use is never taken'
            Get-LoAddresses | Should -Contain "$($second.Address)/32"
        }
        finally { Remove-LoopbackAlias $second }  # never left on lo, whatever failed above
        Get-LoAddresses | Should -Not -Contain "$($second.Address)/32"
        Get-LoAddresses | Should -Contain "$($Alias.Address)/32"
        Get-LoAddresses | Should -Contain '127.0.0.1/8'
    }
}

Describe 'Stopping the proxy peer' {
    It 'Stop-Peer stops squid and its auth helper, and frees the port' {
        $p = Start-ProxyPeer -WorkDirectory $Temp
        (Invoke-Curl -Uri "$($Http.Url)/once" -Proxy $p.Url -ProxyUser "$($p.UserName):$($p.Password)").Status | Should -Be 200
        $children = @(Get-Content -LiteralPath "/proc/$($p.SquidPid)/task/$($p.SquidPid)/children" -Raw -ErrorAction SilentlyContinue) -split '\s+' | Where-Object { $_ }
        $children | Should -Not -BeNullOrEmpty   # basic_ncsa_auth
        $watch = [Diagnostics.Stopwatch]::StartNew()
        Stop-Peer $p
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 5   # stopped by closing stdin, not by Stop-Peer's kill after 5 s
        $p.Process.HasExited | Should -BeTrue
        Test-ProcessAlive $p.SquidPid | Should -BeFalse
        foreach ($child in $children) { Test-ProcessAlive ([int]$child) | Should -BeFalse }
        Test-LocalPortOpen $p.Port | Should -BeFalse
        Get-Content -LiteralPath $p.CacheLog -Raw | Should -Match 'Exiting normally'
    }

    It 'Stop-ProxyPeer stops a squid even after its wrapper was killed alone' {
        $p = Start-ProxyPeer -WorkDirectory $Temp
        $p.Process.Kill($false)   # the sh wrapper only; its stdin watcher still holds the pipe
        Stop-ProxyPeer $p
        Test-ProcessAlive $p.SquidPid | Should -BeFalse
        Test-LocalPortOpen $p.Port | Should -BeFalse
    }
}
