# Both cmdlets through a real authenticating proxy: Debian's squid (tests/peers/Proxy.ps1) on a free
# 127.0.0.1 port with Basic authentication, in front of moto (ECR, SigV4 checked) and the Airflow emulator,
# plain and through a TLS front (so through a CONNECT tunnel). squid's access log shows which requests
# went through it, and as which user. The system proxy (HTTP_PROXY / HTTPS_PROXY / NO_PROXY) is read once per
# process by .NET, so those cases run in a fresh pwsh.
# A second squid listens on a loopback alias (10.254.254.x/32 added to lo, Add-LoopbackAlias): a plain-http
# proxy that is not on loopback as the module sees it, i.e. on another host, while nothing leaves the machine.
# A request to a loopback target never goes through it (it would carry the Airflow password, the JWT and the
# ECR token to another host in clear): it goes direct, for -Proxy and the system proxy alike.

BeforeDiscovery {
    $script:Can = $IsLinux -and [bool](Get-Command openssl -CommandType Application -ErrorAction SilentlyContinue)
}

BeforeAll {
    Import-Module $env:ECRAIRFLOW_TEST_MODULE -Force
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Root = if ($env:ECRAIRFLOW_TEST_ROOT) { $env:ECRAIRFLOW_TEST_ROOT } else { (Resolve-Path "$PSScriptRoot/../..").Path }
    $script:Moto = Get-Content $env:ECRAIRFLOW_TEST_MOTO -Raw | ConvertFrom-Json
    $script:Aws = New-AwsKeyCredential $Moto.allowed
    $script:Work = New-TestFolder 'proxy'
    $script:ProxyPassword = 'Proxy+Pa55:word/' + [guid]::NewGuid().ToString('n').Substring(0, 8)
    $script:Squid = Start-ProxyPeer -WorkDirectory $Work -UserName 'ecrjob' -Password $ProxyPassword
    $script:ProxyCredential = [pscredential]::new('ecrjob', (ConvertTo-SecureString $ProxyPassword -AsPlainText -Force))
    $script:WrongProxyCredential = [pscredential]::new('ecrjob', (ConvertTo-SecureString 'not-the-password' -AsPlainText -Force))
    $script:Emulator = Start-AirflowEmulator -AirflowVersion 3 -Password 'proxy-airflow-Pa55'
    $script:Airflow = [pscredential]::new('admin', (ConvertTo-SecureString 'proxy-airflow-Pa55' -AsPlainText -Force))
    $script:Get = @{ Region = 'eu-west-1'; EndpointUrl = $Moto.endpoint; Credential = $Aws; Force = $true }
    $script:ViaProxy = @{ Proxy = $Squid.Url; ProxyCredential = $ProxyCredential }
    # The proxy variables .NET reads (lower case first): a child's system proxy is only what a test sets.
    # (Case-sensitive keys: on Linux http_proxy and HTTP_PROXY are two variables.)
    $script:NoSystemProxy = [hashtable]::new([StringComparer]::Ordinal)
    foreach ($name in 'http_proxy', 'https_proxy', 'all_proxy', 'no_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'NO_PROXY') { $NoSystemProxy[$name] = $null }

    # ECR GetAuthorizationToken calls moto answered so far.
    function Get-EcrCallCount { @(Get-MotoRequests -RequestLog $Moto.log | Where-Object { $_.target -like '*GetAuthorizationToken' }).Count }

    # Runs Get-EcrDockerCredential (moto) | Sync-AirflowEcrConnection (-AirflowUrl, Airflow 3 with its password) in a
    # fresh pwsh, whose exit closes every connection (so squid has logged each tunnel), with $Environment and the
    # parameters in $Parameters (PowerShell text, e.g. "-Proxy 'http://…' -ProxyCredential `$proxyCredential").
    # The secrets reach it through the environment only. Returns the child's result plus Lines: "RESULT <Action>",
    # "ERROR <id>", "MESSAGE <text>" and "VERBOSE: <text>".
    function Invoke-ProxiedRun([hashtable] $Environment, [string] $Parameters, [string] $AirflowUrl = $Emulator.Url, [string] $ConnectionId = 'ecr_child', [switch] $SkipCertificateCheck) {
        $skip = if ($SkipCertificateCheck) { '-SkipCertificateCheck' } else { '' }
        $script = @"
Import-Module '$env:ECRAIRFLOW_TEST_MODULE'
`$aws = [pscredential]::new('$($Moto.allowed.accessKeyId)', (ConvertTo-SecureString `$env:TEST_AWS_SECRET -AsPlainText -Force))
`$airflow = [pscredential]::new('admin', (ConvertTo-SecureString `$env:TEST_AIRFLOW_PASSWORD -AsPlainText -Force))
`$proxyCredential = [pscredential]::new('ecrjob', (ConvertTo-SecureString `$env:TEST_PROXY_PASSWORD -AsPlainText -Force))
& {
    try {
        `$credential = Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl '$($Moto.endpoint)' -Credential `$aws -Force -ErrorAction Stop -Verbose $Parameters
        `$result = `$credential | Sync-AirflowEcrConnection -ConnectionId '$ConnectionId' -AirflowUrl '$AirflowUrl' -AirflowCredential `$airflow -ApiVersion V2 $skip -ErrorAction Stop -Verbose $Parameters
        "RESULT `$(`$result.Action)"
    }
    catch { "ERROR `$(`$_.FullyQualifiedErrorId.Split(',')[0])"; "MESSAGE `$(`$_.Exception.Message)" }
} 4>&1 | ForEach-Object { if (`$_ -is [System.Management.Automation.VerboseRecord]) { "VERBOSE: `$(`$_.Message)" } else { "`$_" } }
"@
        $all = $NoSystemProxy.Clone()
        foreach ($k in $Environment.Keys) { $all[$k] = $Environment[$k] }
        $all.TEST_AWS_SECRET = $Moto.allowed.secretAccessKey; $all.TEST_AIRFLOW_PASSWORD = 'proxy-airflow-Pa55'; $all.TEST_PROXY_PASSWORD = $ProxyPassword
        Invoke-ChildPwsh $script $all
    }

    # Every secret of a run: the Airflow password, the AWS secret key, the proxy password and the ECR passwords moto issued.
    function Get-RunSecrets { @('proxy-airflow-Pa55', $Moto.allowed.secretAccessKey, $ProxyPassword) + @(Get-MotoEcrToken -Endpoint $Moto.endpoint | ForEach-Object password) }

    # squid's own files (access log and cache log) hold no form of any secret.
    function Assert-NoSecretInSquidLogs($Proxy) {
        foreach ($file in $Proxy.AccessLog, $Proxy.CacheLog) { Assert-NoSecret -Text (Get-Content -LiteralPath $file -Raw) -Secrets (Get-RunSecrets) -Where $file }
    }

    # The Airflow emulator behind a TLS front, for https (and so CONNECT) through squid.
    $script:Cert = Join-Path $Work 'tls.crt'; $script:Key = Join-Path $Work 'tls.key'
    $null = & openssl req -x509 -newkey rsa:2048 -nodes -keyout $Key -out $Cert -days 1 -subj '/CN=127.0.0.1' -addext 'subjectAltName=IP:127.0.0.1' 2>&1
    $emulatorPort = ([uri]$Emulator.Url).Port
    $info = Join-Path $Work 'tls-front.json'
    $psi = [System.Diagnostics.ProcessStartInfo]::new((Get-PythonCommand))
    Add-ProcessArgument $psi (@((Join-Path $Root 'tests/peers/tls_forwarder.py'), '--cert', $Cert, '--key', $Key, '--target-port', "$emulatorPort", '--info', $info))
    $psi.RedirectStandardInput = $true; $psi.UseShellExecute = $false
    $script:TlsFront = [pscustomobject]@{ Process = [System.Diagnostics.Process]::Start($psi) }
    $deadline = [DateTime]::UtcNow.AddSeconds(20)
    while (-not (Test-Path $info) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
    $script:HttpsAirflow = "https://127.0.0.1:$((Get-Content $info -Raw | ConvertFrom-Json).port)"

}

AfterAll {
    Stop-Peer $TlsFront
    Stop-Peer $Emulator
    if ($Squid) { Stop-ProxyPeer $Squid }
    Remove-TestFolder $Work
}

Describe 'Through an authenticating proxy (squid)' -Skip:(-not $Can) {
    BeforeEach {
        Clear-ProxyAccessLog -Proxy $Squid
        Clear-EmulatorState -Emulator $Emulator
    }

    It 'Get-EcrDockerCredential -Proxy -ProxyCredential | Sync-AirflowEcrConnection -Proxy …: every request went through squid as the proxy user' {
        $out = Get-EcrDockerCredential @Get @ViaProxy | Sync-AirflowEcrConnection -ConnectionId ecr_proxy -AirflowUrl $Emulator.Url -AirflowCredential $Airflow -ApiVersion V2 @ViaProxy
        $out.Action | Should -Be 'Created'
        (Get-EmulatorConnections -Emulator $Emulator | Where-Object connection_id -eq 'ecr_proxy').password | Should -BeExactly (Get-MotoEcrPassword -Endpoint $Moto.endpoint -AccessKeyId $Moto.allowed.accessKeyId)
        $log = @(Get-ProxyAccessLog -Proxy $Squid -Count 3)
        $motoPort = ([uri]$Moto.endpoint).Port
        $emuPort = ([uri]$Emulator.Url).Port
        ($log | Where-Object { $_.Method -eq 'POST' -and $_.Url -like "http://127.0.0.1:$motoPort/*" -and $_.Status -eq 200 -and $_.User -eq 'ecrjob' }) | Should -Not -BeNullOrEmpty -Because 'the ECR call went through squid'
        ($log | Where-Object { $_.Method -eq 'POST' -and $_.Url -like "http://127.0.0.1:$emuPort/auth/token" -and $_.User -eq 'ecrjob' }) | Should -Not -BeNullOrEmpty
        ($log | Where-Object { $_.Method -eq 'PATCH' -and $_.Url -like "http://127.0.0.1:$emuPort/api/v2/connections" -and $_.Status -eq 200 }) | Should -Not -BeNullOrEmpty
        (Get-Content -LiteralPath $Squid.AccessLog -Raw) | Should -Not -Match ([regex]::Escape($ProxyPassword))
    }

    It 'https goes through a CONNECT tunnel, and squid logs CONNECT 127.0.0.1:<port>' {
        # squid logs a CONNECT when its tunnel closes, and the module keeps its connections open for the
        # session: the sync runs in a fresh pwsh, whose exit closes the tunnel.
        $script = "Import-Module '$env:ECRAIRFLOW_TEST_MODULE'; `$p = [pscredential]::new('ecrjob', (ConvertTo-SecureString `$env:TEST_PROXY_PASSWORD -AsPlainText -Force)); `$a = [pscredential]::new('admin', (ConvertTo-SecureString `$env:TEST_AIRFLOW_PASSWORD -AsPlainText -Force)); `$aws = [pscredential]::new('$($Moto.allowed.accessKeyId)', (ConvertTo-SecureString `$env:TEST_AWS_SECRET -AsPlainText -Force)); (Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $($Moto.endpoint) -Credential `$aws -Force -Proxy '$($Squid.Url)' -ProxyCredential `$p | Sync-AirflowEcrConnection -ConnectionId ecr_tunnel -AirflowUrl '$HttpsAirflow' -AirflowCredential `$a -ApiVersion V2 -SkipCertificateCheck -Proxy '$($Squid.Url)' -ProxyCredential `$p).Action"
        $text = (Invoke-ChildPwsh $script @{ TEST_PROXY_PASSWORD = $ProxyPassword; TEST_AIRFLOW_PASSWORD = 'proxy-airflow-Pa55'; TEST_AWS_SECRET = $Moto.allowed.secretAccessKey }).Text
        $text | Should -Match 'Created'
        (Get-EmulatorConnections -Emulator $Emulator | Where-Object connection_id -eq 'ecr_tunnel').password | Should -BeExactly (Get-MotoEcrPassword -Endpoint $Moto.endpoint -AccessKeyId $Moto.allowed.accessKeyId)
        $port = ([uri]$HttpsAirflow).Port
        $log = @(Get-ProxyAccessLog -Proxy $Squid -Count 2)
        ($log | Where-Object { $_.Method -eq 'CONNECT' -and $_.Url -eq "127.0.0.1:$port" -and $_.User -eq 'ecrjob' }) | Should -Not -BeNullOrEmpty -Because "squid logged: $($log.Line -join ' | ')"
        $text | Should -Not -Match ([regex]::Escape($ProxyPassword))
    }

    It 'a wrong proxy password is ProxyAuthenticationRequired, and nothing reaches ECR or Airflow' {
        $motoBefore = @(Get-MotoRequests -RequestLog $Moto.log).Count
        $err = @(Get-EcrDockerCredential @Get -Proxy $Squid.Url -ProxyCredential $WrongProxyCredential -ErrorAction SilentlyContinue -ErrorVariable e; $e)
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ProxyAuthenticationRequired,*'
        $err[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $err[0].ErrorDetails.RecommendedAction | Should -Match '-ProxyCredential'
        @(Get-MotoRequests -RequestLog $Moto.log).Count | Should -Be $motoBefore

        $syncErr = @(try { New-FakeCredential -Token 'proxy-token+/=' | Sync-AirflowEcrConnection -ConnectionId ecr_denied -AirflowUrl $Emulator.Url -AirflowCredential $Airflow -ApiVersion V2 -Proxy $Squid.Url -ProxyCredential $WrongProxyCredential } catch { $_ })
        $syncErr[0].FullyQualifiedErrorId | Should -BeLike 'ProxyAuthenticationRequired,*'
        Get-EmulatorRequests -Emulator $Emulator | Should -BeNullOrEmpty
        (Get-EmulatorConnections -Emulator $Emulator).connection_id | Should -Not -Contain 'ecr_denied'
        ($syncErr[0] | Out-String) + ($err[0] | Out-String) | Should -Not -Match 'not-the-password'
    }

    It 'an https call through a proxy that wants credentials is ProxyAuthenticationRequired too (the CONNECT was refused)' {
        $err = @(try { New-FakeCredential -Token 'proxy-token+/=' | Sync-AirflowEcrConnection -ConnectionId ecr_tunnel_denied -AirflowUrl $HttpsAirflow -AirflowCredential $Airflow -ApiVersion V2 -SkipCertificateCheck -Proxy $Squid.Url } catch { $_ })
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ProxyAuthenticationRequired,*'
        Get-EmulatorRequests -Emulator $Emulator | Should -BeNullOrEmpty
    }

    It 'a proxy that does not answer is ProxyConnectionFailed, naming the proxy' {
        $closed = Get-FreeLoopbackPort
        $err = @(Get-EcrDockerCredential @Get -Proxy "http://127.0.0.1:$closed" -MaximumRetryCount 0 -ErrorAction SilentlyContinue -ErrorVariable e; $e)
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ProxyConnectionFailed,*'
        $err[0].Exception.Message | Should -Match "127\.0\.0\.1:$closed"
    }

    It 'refuses a -Proxy with user:password@ without repeating it' {
        $err = @(try { Get-EcrDockerCredential @Get -Proxy "http://ecrjob:$([uri]::EscapeDataString($ProxyPassword))@127.0.0.1:$($Squid.Port)" } catch { $_ })
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ProxyUrlContainsCredentials,*'
        ($err[0] | Out-String) | Should -Not -Match ([regex]::Escape([uri]::EscapeDataString($ProxyPassword)))
    }

    It 'the system proxy (HTTP_PROXY) is used by default, with -ProxyCredential answering its challenge' {
        $script = "Import-Module '$env:ECRAIRFLOW_TEST_MODULE'; `$c = [pscredential]::new('ecrjob', (ConvertTo-SecureString `$env:TEST_PROXY_PASSWORD -AsPlainText -Force)); `$aws = [pscredential]::new('$($Moto.allowed.accessKeyId)', (ConvertTo-SecureString `$env:TEST_AWS_SECRET -AsPlainText -Force)); (Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $($Moto.endpoint) -Credential `$aws -ProxyCredential `$c -Force).Registry"
        $text = (Invoke-ChildPwsh $script @{ HTTP_PROXY = $Squid.Url; HTTPS_PROXY = $Squid.Url; NO_PROXY = $null; TEST_PROXY_PASSWORD = $ProxyPassword; TEST_AWS_SECRET = $Moto.allowed.secretAccessKey }).Text
        $text | Should -Match '\d{12}\.dkr\.ecr\.eu-west-1\.amazonaws\.com'
        $motoPort = ([uri]$Moto.endpoint).Port
        (Get-ProxyAccessLog -Proxy $Squid -Count 1 | Where-Object { $_.Url -like "http://127.0.0.1:$motoPort/*" -and $_.User -eq 'ecrjob' }) | Should -Not -BeNullOrEmpty
        $text | Should -Not -Match ([regex]::Escape($ProxyPassword))
    }

    It 'NO_PROXY sends a matching host past the system proxy' {
        $script = "Import-Module '$env:ECRAIRFLOW_TEST_MODULE'; `$aws = [pscredential]::new('$($Moto.allowed.accessKeyId)', (ConvertTo-SecureString `$env:TEST_AWS_SECRET -AsPlainText -Force)); (Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $($Moto.endpoint) -Credential `$aws -Force).Registry"
        $text = (Invoke-ChildPwsh $script @{ HTTP_PROXY = $Squid.Url; HTTPS_PROXY = $Squid.Url; NO_PROXY = '127.0.0.1'; TEST_AWS_SECRET = $Moto.allowed.secretAccessKey }).Text
        $text | Should -Match '\d{12}\.dkr\.ecr\.eu-west-1\.amazonaws\.com'
        @(Get-SettledProxyAccessLog -Proxy $Squid) | Should -BeNullOrEmpty -Because 'NO_PROXY=127.0.0.1 bypasses the proxy'
    }

    It 'a proxy on loopback (a local debugging proxy) is still used for a loopback target, and -Verbose names it for each request, never its password' {
        $run = Invoke-Audited { Get-EcrDockerCredential @Get @ViaProxy @Audit | Sync-AirflowEcrConnection -ConnectionId ecr_named -AirflowUrl $Emulator.Url -AirflowCredential $Airflow -ApiVersion V2 @ViaProxy @Audit }
        $run.Errors | Should -BeNullOrEmpty
        (Get-EmulatorConnections -Emulator $Emulator | Where-Object connection_id -eq 'ecr_named').password | Should -BeExactly (Get-MotoEcrPassword -Endpoint $Moto.endpoint -AccessKeyId $Moto.allowed.accessKeyId)
        $verbose = @($run.Records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $via = [regex]::Escape(" goes through the proxy $($Squid.Url)/.")
        $motoUrl = [regex]::Escape(([uri]$Moto.endpoint).GetLeftPart('Authority'))
        $emuUrl = [regex]::Escape($Emulator.Url.TrimEnd('/'))
        @($verbose -match "^POST $motoUrl/$via$") | Should -Not -BeNullOrEmpty -Because "the ECR call is named: $($verbose -join ' | ')"
        @($verbose -match "^PATCH $emuUrl/api/v2/connections$via$") | Should -Not -BeNullOrEmpty
        $log = @(Get-SettledProxyAccessLog -Proxy $Squid)
        ($log | Where-Object { $_.Method -eq 'PATCH' -and $_.User -eq 'ecrjob' -and $_.Status -eq 200 }) | Should -Not -BeNullOrEmpty -Because 'the proxy was really used'
        Assert-NoSecret -Text $run.Text -Secrets (Get-RunSecrets) -Where 'the streams of the run'
        Assert-NoSecretInSquidLogs $Squid
    }

    It 'a system proxy URL with user:password@ is used, and -Verbose names it without them' {
        $url = 'http://ecrjob:' + [uri]::EscapeDataString($ProxyPassword) + "@127.0.0.1:$($Squid.Port)"
        $run = Invoke-ProxiedRun -Environment @{ HTTP_PROXY = $url; HTTPS_PROXY = $url } -ConnectionId 'ecr_userinfo'
        @($run.Lines -match '^RESULT (Created|Updated)$') | Should -HaveCount 1 -Because $run.Text
        @($run.Lines -like "VERBOSE: * goes through the proxy http://127.0.0.1:$($Squid.Port)/.").Count | Should -BeGreaterOrEqual 3 -Because $run.Text
        $run.Text | Should -Not -Match 'ecrjob:'
        Assert-NoSecret -Text $run.Text -Secrets (Get-RunSecrets) -Where 'the child pwsh'
        $log = @(Get-SettledProxyAccessLog -Proxy $Squid)
        @($log | Where-Object { $_.User -eq "ecrjob" -and $_.Status -ge 200 -and $_.Status -lt 300 }).Count | Should -BeGreaterOrEqual 3 -Because ($log.Line -join " | ")
    }
}

Describe 'A plain-http proxy that is not on loopback (squid on a loopback alias)' -Skip:(-not $Can) {
    BeforeAll {
        $script:Alias = Add-LoopbackAlias
        $script:AliasSkip = if ($Alias -is [string]) { $Alias } else { $null }
        if (-not $AliasSkip) { $script:Remote = Start-ProxyPeer -WorkDirectory $Work -ListenAddress $Alias.Address -UserName 'ecrjob' -Password $ProxyPassword }
    }
    AfterAll {
        if ($script:Remote) { Stop-ProxyPeer $script:Remote }
        Remove-LoopbackAlias $script:Alias
    }
    BeforeEach {
        if ($AliasSkip) { Set-ItResult -Skipped -Because $AliasSkip; return }
        Clear-ProxyAccessLog -Proxy $Remote
        Clear-EmulatorState -Emulator $Emulator
        $script:EcrCallsBefore = Get-EcrCallCount
    }

    It 'listens on the alias, an address the module counts as another host' {
        $Remote.Url | Should -Be "http://$($Alias.Address):$($Remote.Port)"
        $Alias.Address | Should -Not -Match '^127\.'
        Test-LocalPortOpen -Port $Remote.Port -Address $Alias.Address | Should -BeTrue
    }

    It 'with -Proxy, Get-EcrDockerCredential (moto) and Sync (Airflow 3 with a password) to 127.0.0.1 go direct: squid sees nothing' {
        $run = Invoke-Audited { Get-EcrDockerCredential @Get -Proxy $Remote.Url @Audit | Sync-AirflowEcrConnection -ConnectionId ecr_direct -AirflowUrl $Emulator.Url -AirflowCredential $Airflow -ApiVersion V2 -Proxy $Remote.Url @Audit }
        $run.Errors | Should -BeNullOrEmpty
        "$($run.Output[0].Action)" | Should -BeIn @('Created', 'Updated')
        Get-EcrCallCount | Should -Be ($EcrCallsBefore + 1) -Because 'moto got the ECR call'
        (Get-EmulatorConnections -Emulator $Emulator | Where-Object connection_id -eq 'ecr_direct').password | Should -BeExactly (Get-MotoEcrPassword -Endpoint $Moto.endpoint -AccessKeyId $Moto.allowed.accessKeyId)
        @(Get-EmulatorRequestLines $Emulator 'PATCH') -like 'PATCH /api/v2/connections *' | Should -Not -BeNullOrEmpty -Because 'the emulator got the write'
        @(Get-SettledProxyAccessLog -Proxy $Remote) | Should -BeNullOrEmpty -Because 'a loopback target never goes through a proxy on another host'
        ($run.Records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message) -join "`n" | Should -Not -Match 'goes through the proxy'
        Assert-NoSecret -Text $run.Text -Secrets (Get-RunSecrets) -Where 'the streams of the run'
        Assert-NoSecretInSquidLogs $Remote
    }

    It 'with HTTP_PROXY and HTTPS_PROXY at it, http and https (a CONNECT) to 127.0.0.1 go direct too, and -Verbose names no proxy' {
        $system = @{ HTTP_PROXY = $Remote.Url; HTTPS_PROXY = $Remote.Url }
        $plain = Invoke-ProxiedRun -Environment $system -ConnectionId 'ecr_system_http'
        @($plain.Lines -match '^RESULT (Created|Updated)$') | Should -HaveCount 1 -Because $plain.Text
        $tls = Invoke-ProxiedRun -Environment $system -ConnectionId 'ecr_system_https' -AirflowUrl $HttpsAirflow -SkipCertificateCheck
        @($tls.Lines -match '^RESULT (Created|Updated)$') | Should -HaveCount 1 -Because $tls.Text
        $explicit = Invoke-ProxiedRun -Environment @{} -Parameters "-Proxy '$($Remote.Url)'" -ConnectionId 'ecr_proxy_https' -AirflowUrl $HttpsAirflow -SkipCertificateCheck
        @($explicit.Lines -match '^RESULT (Created|Updated)$') | Should -HaveCount 1 -Because $explicit.Text

        Get-EcrCallCount | Should -Be ($EcrCallsBefore + 3)
        $stored = Get-EmulatorConnections -Emulator $Emulator
        foreach ($id in 'ecr_system_http', 'ecr_system_https', 'ecr_proxy_https') { ($stored | Where-Object connection_id -eq $id).password | Should -Not -BeNullOrEmpty -Because "$id was written" }
        @(Get-EmulatorRequestLines $Emulator 'POST' | Where-Object { $_ -like 'POST /auth/token *' }).Count | Should -Be 3
        @(Get-SettledProxyAccessLog -Proxy $Remote) | Should -BeNullOrEmpty -Because 'the children exited, so squid would have logged any tunnel'
        foreach ($run in $plain, $tls, $explicit) {
            @($run.Lines -like 'VERBOSE: *') | Should -Not -BeNullOrEmpty
            @($run.Lines -like 'VERBOSE: *goes through the proxy*') | Should -BeNullOrEmpty
            Assert-NoSecret -Text $run.Text -Secrets (Get-RunSecrets) -Where 'the child pwsh'
        }
        Assert-NoSecretInSquidLogs $Remote
    }

    It '-ProxyCredential for the system proxy at it is UnencryptedAuthenticationRefused before any request; -AllowUnencryptedAuthentication allows it' {
        $system = @{ HTTP_PROXY = $Remote.Url; HTTPS_PROXY = $Remote.Url }
        $refused = Invoke-ProxiedRun -Environment $system -Parameters '-ProxyCredential $proxyCredential' -ConnectionId 'ecr_refused'
        $refused.Lines | Should -Contain 'ERROR UnencryptedAuthenticationRefused' -Because $refused.Text
        ($refused.Lines -like 'MESSAGE *') -join ' ' | Should -Match ([regex]::Escape($Remote.Url))
        ($refused.Lines -like 'MESSAGE *') -join ' ' | Should -Match 'AllowUnencryptedAuthentication'
        Get-EcrCallCount | Should -Be $EcrCallsBefore -Because 'nothing was sent'
        Get-EmulatorRequests -Emulator $Emulator | Should -BeNullOrEmpty
        Assert-NoSecret -Text $refused.Text -Secrets (Get-RunSecrets) -Where 'the refused run'

        $allowed = Invoke-ProxiedRun -Environment $system -Parameters '-ProxyCredential $proxyCredential -AllowUnencryptedAuthentication' -ConnectionId 'ecr_allowed'
        @($allowed.Lines -match '^RESULT (Created|Updated)$') | Should -HaveCount 1 -Because $allowed.Text
        Get-EcrCallCount | Should -Be ($EcrCallsBefore + 1)
        (Get-EmulatorConnections -Emulator $Emulator | Where-Object connection_id -eq 'ecr_allowed').password | Should -BeExactly (Get-MotoEcrPassword -Endpoint $Moto.endpoint -AccessKeyId $Moto.allowed.accessKeyId)
        @(Get-SettledProxyAccessLog -Proxy $Remote) | Should -BeNullOrEmpty -Because 'the loopback targets were still reached direct'
        Assert-NoSecret -Text $allowed.Text -Secrets (Get-RunSecrets) -Where 'the allowed run'
        Assert-NoSecretInSquidLogs $Remote
    }

    It '-ProxyCredential with -Proxy at it is refused the same way, and allowed with -AllowUnencryptedAuthentication' {
        $err = @(try { Get-EcrDockerCredential @Get -Proxy $Remote.Url -ProxyCredential $ProxyCredential } catch { $_ })
        $err[0].FullyQualifiedErrorId | Should -BeLike 'UnencryptedAuthenticationRefused,*'
        Get-EcrCallCount | Should -Be $EcrCallsBefore
        $ok = Get-EcrDockerCredential @Get -Proxy $Remote.Url -ProxyCredential $ProxyCredential -AllowUnencryptedAuthentication
        $ok.Registry | Should -Match '\d{12}\.dkr\.ecr\.eu-west-1\.amazonaws\.com'
        Get-EcrCallCount | Should -Be ($EcrCallsBefore + 1)
        @(Get-SettledProxyAccessLog -Proxy $Remote) | Should -BeNullOrEmpty
    }
}

Describe 'The proxy password and plain http' {
    It 'refuses -ProxyCredential for an http:// proxy that is not loopback, before any request, naming the switch' {
        $cred = [pscredential]::new('ecrjob', (ConvertTo-SecureString 'Proxy-Pa55-clear' -AsPlainText -Force))
        $before = @(Get-MotoRequests -RequestLog $Moto.log).Count
        $err = @(try { Get-EcrDockerCredential @Get -Proxy 'http://proxy.example.invalid:3128' -ProxyCredential $cred } catch { $_ })
        $err[0].FullyQualifiedErrorId | Should -BeLike 'UnencryptedAuthenticationRefused,*'
        $err[0].CategoryInfo.Category | Should -Be 'SecurityError'
        $err[0].Exception.Message | Should -Match 'AllowUnencryptedAuthentication'
        ($err[0] | Out-String) | Should -Not -Match 'Proxy-Pa55-clear'
        $sync = @(try { New-FakeCredential -Token 'proxy-token+/=' | Sync-AirflowEcrConnection -ConnectionId ecr_clear -AirflowUrl $Emulator.Url -AirflowCredential $Airflow -ApiVersion V2 -Proxy 'http://proxy.example.invalid:3128' -ProxyCredential $cred } catch { $_ })
        $sync[0].FullyQualifiedErrorId | Should -BeLike 'UnencryptedAuthenticationRefused,*'
        @(Get-MotoRequests -RequestLog $Moto.log).Count | Should -Be $before
    }
}
