# Starting and stopping the test peers (moto; later the Airflow emulator) on free loopback ports.
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

function Get-PwshCommandLine {
    # The pwsh running us, as a command line for a fresh process. The .NET tool's pwsh is pwsh.dll run by
    # the dotnet host; an installed pwsh has its own executable.
    $dll = Join-Path $PSHOME 'pwsh.dll'
    $dotnet = [Environment]::ProcessPath
    if ((Test-Path $dll) -and $dotnet -and ([IO.Path]::GetFileNameWithoutExtension($dotnet) -eq 'dotnet')) { return @($dotnet, $dll) }
    foreach ($name in 'pwsh', 'pwsh.exe') {
        $exe = Join-Path $PSHOME $name
        if (Test-Path $exe) { return @($exe) }
    }
    return @('pwsh')
}
