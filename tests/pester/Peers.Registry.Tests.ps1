# Exercises the registry peer (tests/peers/Registry.ps1: Debian's docker-registry, the CNCF distribution registry
# 2.8, with htpasswd bcrypt auth) directly, with curl as the client, so the suites that check logins against it can
# trust what it accepts, refuses and logs. Credentials reach curl through its stdin (-K -), never its command line.
# Needs: curl; installs docker-registry and apache2-utils (apt-get) on first use if they are missing (skipped, with
# the reason, only where that cannot be done: not Debian/Ubuntu, or not root). Needs no build.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot '../peers/Peers.ps1')
    $script:WhyNoRegistry = Test-RegistryInstallable
    if ($WhyNoRegistry) { Write-Warning "Peers.Registry.Tests skipped: $WhyNoRegistry" }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Work = New-TestFolder 'registry-peer'

    # New-EcrPassword (Common.ps1) makes ECR passwords in ECR's format, random from their first bytes.

    # One GET with curl: Status, Headers (the response header block), Body. -User "name:password" goes through stdin.
    function Invoke-Registry([string] $Uri, [string] $User) {
        $id = [guid]::NewGuid().ToString('n')
        $headerFile = Join-Path $Work "curl-$id.headers"
        $curlArgs = @('-sS', '--max-time', '15', '-D', $headerFile, '-w', '%{http_code}', '-o', '-')
        $out = if ($User) {
            # curl's config syntax: a quoted value, with \ and " escaped.
            "user = `"$($User.Replace('\', '\\').Replace('"', '\"'))`"" | & curl -K - @curlArgs $Uri 2>&1
        }
        else { & curl @curlArgs $Uri 2>&1 }
        $text = "$(@($out) -join "`n")"
        $result = [pscustomobject]@{
            Status  = [int]$text.Substring($text.Length - 3)
            Body    = $text.Substring(0, $text.Length - 3)
            Headers = if (Test-Path -LiteralPath $headerFile) { Get-Content -LiteralPath $headerFile -Raw } else { '' }
        }
        Remove-Item -LiteralPath $headerFile -ErrorAction SilentlyContinue
        $result
    }

    if (-not (Test-RegistryInstallable) -and -not (Get-Command curl -CommandType Application -ErrorAction SilentlyContinue)) { throw 'curl is needed for this suite.' }
}

AfterAll {
    Remove-TestFolder $Work
}

Describe 'Registry peer: docker-registry with htpasswd (bcrypt) auth' -Skip:([bool]$WhyNoRegistry) {
    BeforeAll {
        $script:Token = New-EcrPassword
        $script:Registry = Start-RegistryPeer -WorkDirectory $Work -Password $Token
        $script:V2 = "$($Registry.Url)/v2/"
    }

    AfterAll {
        if ($Registry) { Stop-RegistryPeer $Registry }
    }

    It 'listens on 127.0.0.1 over http and keeps its files, only a bcrypt hash of the token among them, in its own folder' {
        $Registry.Url | Should -Be "http://127.0.0.1:$($Registry.Port)"
        $Registry.Host | Should -Be "127.0.0.1:$($Registry.Port)"
        (Split-Path $Registry.Directory) | Should -Be ([IO.Path]::GetFullPath($Work))
        foreach ($file in $Registry.ConfigPath, $Registry.HtpasswdPath, $Registry.Log) { (Split-Path $file) | Should -Be $Registry.Directory }
        (Get-Content -LiteralPath $Registry.ConfigPath -Raw | ConvertFrom-Json).http.addr | Should -Be "127.0.0.1:$($Registry.Port)"
        Get-Content -LiteralPath $Registry.Log -Raw | Should -Match "listening on 127\.0\.0\.1:$($Registry.Port)"
        $htpasswd = Get-Content -LiteralPath $Registry.HtpasswdPath -Raw
        $htpasswd | Should -Match '^AWS:\$2y\$\d\d\$[./A-Za-z0-9]{53}\s*$'
        Assert-NoSecret -Text $htpasswd -Secrets $Token -Where 'the htpasswd file'
        $Registry.PSObject.Properties.Name | Should -Not -Contain 'Password'
    }

    It 'answers GET /v2/ without credentials with 401 and a Basic challenge naming its realm' {
        $r = Invoke-Registry $V2
        $r.Status | Should -Be 401
        $r.Headers | Should -Match '(?mi)^Www-Authenticate: Basic realm="EcrAirflow test registry"\s*$'
        $r.Headers | Should -Match '(?mi)^Docker-Distribution-Api-Version: registry/2\.0\s*$'
        ($r.Body | ConvertFrom-Json).errors[0].code | Should -Be 'UNAUTHORIZED'
    }

    It 'answers the right credentials with 200, as docker login expects' {
        $r = Invoke-Registry $V2 -User "AWS:$Token"
        $r.Status | Should -Be 200
        $r.Body | Should -Be '{}'
    }

    It 'answers wrong credentials with 401 and the same challenge: <Case>' -ForEach @(
        @{ Case = 'another token'; User = { "AWS:$(New-EcrPassword)" } }
        @{ Case = 'the token cut within its first 72 bytes'; User = { "AWS:$($Token.Substring(0, 71))" } }
        @{ Case = 'another user'; User = { "aws:$Token" } }
        @{ Case = 'no password'; User = { 'AWS:' } }
    ) {
        $r = Invoke-Registry $V2 -User (& $User)
        $r.Status | Should -Be 401
        $r.Headers | Should -Match '(?mi)^Www-Authenticate: Basic realm="EcrAirflow test registry"\s*$'
    }

    It 'takes a token that differs only after its first 72 bytes for the same one (bcrypt): test tokens must differ earlier' {
        (Invoke-Registry $V2 -User "AWS:$($Token.Substring(0, 72))").Status | Should -Be 200
        (Invoke-Registry $V2 -User "AWS:$($Token.Substring(0, 72))-not-the-rest").Status | Should -Be 200
        $a, $b = (New-EcrPassword), (New-EcrPassword)
        $a.Substring(0, 72) | Should -Not -Be $b.Substring(0, 72) -Because 'random payloads differ within the first 72 bytes'
    }

    It 'logs each request with its status, and never the password' {
        $before = @(Get-RegistryRequests -Registry $Registry).Count
        $null = Invoke-Registry $V2
        $null = Invoke-Registry $V2 -User "AWS:$Token"
        $wrong = New-EcrPassword
        $null = Invoke-Registry $V2 -User "AWS:$wrong"
        $log = @(Get-RegistryRequests -Registry $Registry | Select-Object -Skip $before)
        $log | ForEach-Object { "$($_.Method) $($_.Path) $($_.Status)" } | Should -Be @('GET /v2/ 401', 'GET /v2/ 200', 'GET /v2/ 401')
        $log[0].UserAgent | Should -BeLike 'curl/*'
        Assert-NoSecret -Text (Get-Content -LiteralPath $Registry.Log -Raw) -Secrets $Token, $wrong -Where "the registry's log"
    }
}

Describe 'Set-RegistryPassword' -Skip:([bool]$WhyNoRegistry) {
    It 'makes the very next request meet the new token, on the same port, without a restart' {
        $peer = Start-RegistryPeer -WorkDirectory $Work -Password (New-EcrPassword)
        try {
            $old = New-EcrPassword
            Set-RegistryPassword -Registry $peer -Password $old
            $registryPid = $peer.RegistryPid
            (Invoke-Registry "$($peer.Url)/v2/" -User "AWS:$old").Status | Should -Be 200
            $new = New-EcrPassword
            Set-RegistryPassword -Registry $peer -Password $new
            (Invoke-Registry "$($peer.Url)/v2/" -User "AWS:$old").Status | Should -Be 401
            (Invoke-Registry "$($peer.Url)/v2/" -User "AWS:$new").Status | Should -Be 200
            $peer.RegistryPid | Should -Be $registryPid

            $newest = New-EcrPassword
            Set-RegistryPassword -Registry $peer -Password $newest -Restart
            $peer.RegistryPid | Should -Not -Be $registryPid
            Test-ProcessAlive $registryPid | Should -BeFalse
            (Invoke-Registry "$($peer.Url)/v2/" -User "AWS:$new").Status | Should -Be 401
            (Invoke-Registry "$($peer.Url)/v2/" -User "AWS:$newest").Status | Should -Be 200
        }
        finally { Stop-RegistryPeer $peer }
    }
}

Describe 'Registry peer without htpasswd' -Skip:([bool]$WhyNoRegistry) {
    It '-Auth None answers everyone with 200 (a registry that checks no login)' {
        $peer = Start-RegistryPeer -WorkDirectory $Work -Auth None
        try {
            $r = Invoke-Registry "$($peer.Url)/v2/"
            $r.Status | Should -Be 200
            $r.Headers | Should -Not -Match '(?mi)^Www-Authenticate:'
        }
        finally { Stop-RegistryPeer $peer }
    }

    It '-Auth Token asks for a Bearer token from its token server, as Docker Hub does' {
        $peer = Start-RegistryPeer -WorkDirectory $Work -Auth Token
        try {
            $r = Invoke-Registry "$($peer.Url)/v2/"
            $r.Status | Should -Be 401
            $r.Headers | Should -Match '(?mi)^Www-Authenticate: Bearer realm="https://auth\.ecrairflow\.invalid/token",service="ecrairflow-test"\s*$'
            (Invoke-Registry "$($peer.Url)/v2/" -User 'AWS:anything').Status | Should -Be 401
        }
        finally { Stop-RegistryPeer $peer }
    }
}

Describe 'Stopping the registry peer' -Skip:([bool]$WhyNoRegistry) {
    It 'Stop-RegistryPeer stops the registry, frees its port and removes its folder' {
        $peer = Start-RegistryPeer -WorkDirectory $Work -Password (New-EcrPassword)
        (Invoke-Registry "$($peer.Url)/v2/").Status | Should -Be 401
        Test-ProcessAlive $peer.RegistryPid | Should -BeTrue
        Stop-RegistryPeer $peer
        $peer.Process.HasExited | Should -BeTrue
        Test-ProcessAlive $peer.RegistryPid | Should -BeFalse
        Test-LocalPortOpen $peer.Port | Should -BeFalse
        Test-Path -LiteralPath $peer.Directory | Should -BeFalse
    }

    It 'a registry whose wrapper was killed alone still stops' {
        $peer = Start-RegistryPeer -WorkDirectory $Work -Password (New-EcrPassword)
        $peer.Process.Kill($false)   # the sh wrapper only; its stdin watcher still holds the pipe
        Stop-RegistryPeer $peer
        Test-ProcessAlive $peer.RegistryPid | Should -BeFalse
        Test-LocalPortOpen $peer.Port | Should -BeFalse
        Test-Path -LiteralPath $peer.Directory | Should -BeFalse
    }
}
