# Both cmdlets through a real authenticating proxy: Debian's squid (tests/peers/Proxy.ps1) on a free
# 127.0.0.1 port with Basic authentication, in front of moto (ECR, SigV4 checked) and the Airflow emulator,
# plain and through a TLS front (so through a CONNECT tunnel). squid's access log shows which requests
# went through it, and as which user. The system proxy (HTTP_PROXY / HTTPS_PROXY / NO_PROXY) is read once per
# process by .NET, so those cases run in a fresh pwsh.

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
        $script = "Import-Module '$env:ECRAIRFLOW_TEST_MODULE'; `$p = [pscredential]::new('ecrjob', (ConvertTo-SecureString `$env:TEST_PROXY_PASSWORD -AsPlainText -Force)); `$a = [pscredential]::new('admin', (ConvertTo-SecureString `$env:TEST_AIRFLOW_PASSWORD -AsPlainText -Force)); `$aws = [pscredential]::new('$($Moto.allowed.accessKeyId)', (ConvertTo-SecureString '$($Moto.allowed.secretAccessKey)' -AsPlainText -Force)); (Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $($Moto.endpoint) -Credential `$aws -Force -Proxy '$($Squid.Url)' -ProxyCredential `$p | Sync-AirflowEcrConnection -ConnectionId ecr_tunnel -AirflowUrl '$HttpsAirflow' -AirflowCredential `$a -ApiVersion V2 -SkipCertificateCheck -Proxy '$($Squid.Url)' -ProxyCredential `$p).Action"
        $text = (Invoke-ChildPwsh $script @{ TEST_PROXY_PASSWORD = $ProxyPassword; TEST_AIRFLOW_PASSWORD = 'proxy-airflow-Pa55' }).Text
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
        $script = "Import-Module '$env:ECRAIRFLOW_TEST_MODULE'; `$c = [pscredential]::new('ecrjob', (ConvertTo-SecureString `$env:TEST_PROXY_PASSWORD -AsPlainText -Force)); `$aws = [pscredential]::new('$($Moto.allowed.accessKeyId)', (ConvertTo-SecureString '$($Moto.allowed.secretAccessKey)' -AsPlainText -Force)); (Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $($Moto.endpoint) -Credential `$aws -ProxyCredential `$c -Force).Registry"
        $text = (Invoke-ChildPwsh $script @{ HTTP_PROXY = $Squid.Url; HTTPS_PROXY = $Squid.Url; NO_PROXY = $null; TEST_PROXY_PASSWORD = $ProxyPassword }).Text
        $text | Should -Match '\d{12}\.dkr\.ecr\.eu-west-1\.amazonaws\.com'
        $motoPort = ([uri]$Moto.endpoint).Port
        (Get-ProxyAccessLog -Proxy $Squid -Count 1 | Where-Object { $_.Url -like "http://127.0.0.1:$motoPort/*" -and $_.User -eq 'ecrjob' }) | Should -Not -BeNullOrEmpty
        $text | Should -Not -Match ([regex]::Escape($ProxyPassword))
    }

    It 'NO_PROXY sends a matching host past the system proxy' {
        $script = "Import-Module '$env:ECRAIRFLOW_TEST_MODULE'; `$aws = [pscredential]::new('$($Moto.allowed.accessKeyId)', (ConvertTo-SecureString '$($Moto.allowed.secretAccessKey)' -AsPlainText -Force)); (Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $($Moto.endpoint) -Credential `$aws -Force).Registry"
        $text = (Invoke-ChildPwsh $script @{ HTTP_PROXY = $Squid.Url; HTTPS_PROXY = $Squid.Url; NO_PROXY = '127.0.0.1' }).Text
        $text | Should -Match '\d{12}\.dkr\.ecr\.eu-west-1\.amazonaws\.com'
        Start-Sleep -Milliseconds 500
        @(Get-ProxyAccessLog -Proxy $Squid) | Should -BeNullOrEmpty -Because 'NO_PROXY=127.0.0.1 bypasses the proxy'
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
