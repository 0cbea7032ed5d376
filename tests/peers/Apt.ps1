# Installing a Debian package a peer needs (squid, docker-registry, apache2-utils), only where it is missing.
# Dot-sourced by Peers.ps1.

function Install-DebianPackage {
    <#
    .SYNOPSIS
        apt-get install of -Package, noninteractive, without letting a package's postinst start its system service
        (a policy-rc.d that forbids it, written only when there is none and removed afterwards). -UpdateFirst runs
        apt-get update before; otherwise it runs only when the install finds the package lists missing or stale.
        Throws with -Hint (what to run by hand) when the install fails.
    #>
    param(
        [Parameter(Mandatory)] [string[]] $Package,
        [Parameter(Mandatory)] [string] $Hint,
        [switch] $UpdateFirst
    )
    $policy = '/usr/sbin/policy-rc.d'
    $ownPolicy = $false
    if (-not (Test-Path -LiteralPath $policy)) {
        # 101 = "action forbidden": invoke-rc.d and deb-systemd-invoke then do not start the service.
        Set-Content -LiteralPath $policy -Value "#!/bin/sh`n# Written by EcrAirflow's tests while installing $($Package -join ' '); removed afterwards.`nexit 101" -NoNewline
        & chmod 755 $policy
        $ownPolicy = $true
    }
    $savedFrontend = $env:DEBIAN_FRONTEND
    try {
        $env:DEBIAN_FRONTEND = 'noninteractive'
        if ($UpdateFirst) { & apt-get update -qq -o DPkg::Lock::Timeout=120 2>&1 | Out-Host }
        $install = @('install', '-y', '-qq', '--no-install-recommends', '-o', 'DPkg::Lock::Timeout=120') + $Package
        $output = & apt-get @install 2>&1 | Out-String
        if ($LASTEXITCODE -ne 0 -and -not $UpdateFirst -and $output -match 'Unable to locate package|has no installation candidate|404\s+Not Found|Failed to fetch') {
            Write-Host 'The package lists look missing or stale: running apt-get update, then installing again.'
            & apt-get update -qq -o DPkg::Lock::Timeout=120 2>&1 | Out-Host
            $output = & apt-get @install 2>&1 | Out-String
        }
        if ($LASTEXITCODE -ne 0) {
            Write-Host $output
            throw "apt-get could not install $($Package -join ' ') (exit code $LASTEXITCODE); install by hand: $Hint"
        }
    }
    finally {
        $env:DEBIAN_FRONTEND = $savedFrontend
        # By exact path, and only the file written above.
        if ($ownPolicy) { Remove-Item -LiteralPath $policy -Force -ErrorAction SilentlyContinue }
    }
}
