# Files other users control, and cleanup on signals. The Cli import file must be the file the CLI read
# (same inode) or the run fails; a dotenv file that others may read gets a warning naming chmod 600; a
# dotenv file of another user, or one this user cannot write, is refused — checked for a non-root user too,
# in a child pwsh run as an unprivileged account (runuser), because root may write anything; SIGTERM and
# SIGHUP during a Cli run remove the import file and stop the CLI, as Ctrl+C does.
# Everything is created under the temp folder, in folders named ecrairflow-*, removed by exact path.

BeforeDiscovery {
    $script:IsRoot = -not $IsWindows -and (id -u) -eq '0'
    $script:OtherUser = 'nobody'
    $script:HasOther = $IsRoot -and [bool](getent passwd $OtherUser) -and [bool](Get-Command runuser -ErrorAction SilentlyContinue)
    # Unix owners, modes, links and signals are the net8.0 build's (what PowerShell 7 loads on Linux and macOS);
    # the netstandard2.0 build runs only in Windows PowerShell 5.1, on Windows, where these rules do not apply.
    # Every block below is about them, so each one skips as a whole elsewhere.
    $script:UnixRules = -not $IsWindows -and $env:ECRAIRFLOW_FRAMEWORK -ne 'netstandard2.0'
}

BeforeAll {
    Import-Module $env:ECRAIRFLOW_TEST_MODULE -Force
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Root = if ($env:ECRAIRFLOW_TEST_ROOT) { $env:ECRAIRFLOW_TEST_ROOT } else { (Resolve-Path "$PSScriptRoot/../..").Path }
    $script:StandIn = Join-Path $Root 'tests/peers/airflow/airflow'
    $script:OtherUser = 'nobody'
    $script:SavedEnv = @{}
    foreach ($n in 'GITHUB_ENV', 'TF_BUILD') { $SavedEnv[$n] = [Environment]::GetEnvironmentVariable($n); Set-TestEnv $n $null }
}

AfterAll {
    foreach ($n in $SavedEnv.Keys) { Set-TestEnv $n $SavedEnv[$n] }
}

Describe 'Cli: the file the CLI reads is the file EcrAirflow wrote' -Skip:(-not $UnixRules) {
    BeforeEach {
        $script:Work = New-TestFolder 'files-cli'
        $script:StandinHome = Join-Path $Work 'standin'
        $null = New-Item -ItemType Directory $StandinHome
    }
    AfterEach { Remove-TestFolder $Work }

    It 'an import file swapped for another one while the CLI starts: ImportFileReplaced, never a success' {
        # What a watcher with write access to the folder did: rename our file away and put its own in its place.
        $evil = Join-Path $Work 'evil.json'
        '{"ecr_swap": {"conn_type": "docker", "host": "evil.example.com", "login": "AWS", "password": "attacker"}}' | Set-Content -LiteralPath $evil
        # Only the import's file is swapped; the read before it (connections get) goes through as it is.
        $swap = 'if [ "$2" = import ]; then mv "$3" "$3.moved" && cp "$EVIL" "$3" || exit 9; fi; exec "$STANDIN" "$@"'
        $command = 'env', "AIRFLOW_STANDIN_HOME=$StandinHome", "EVIL=$evil", "STANDIN=$StandIn", 'sh', '-c', $swap, 'sh'
        $errs = $null
        $warnings = $null
        $thrown = $null
        $out = try {
            New-FakeCredential -Token 'ours-token' | Sync-AirflowEcrConnection -ConnectionId ecr_swap -Mode Cli -AirflowCommand $command -WorkingDirectory $Work `
                -ErrorVariable errs -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue
        }
        catch { $thrown = $_ }
        $out | Should -BeNullOrEmpty -Because 'the CLI imported what another user put there'
        $record = if ($thrown) { $thrown } else { @($errs)[0] }
        $record.FullyQualifiedErrorId | Should -BeLike 'ImportFileReplaced,*'
        "$($record.CategoryInfo.Category)" | Should -Be 'SecurityError'
        $stored = Get-Content -LiteralPath (Join-Path $StandinHome 'connections.json') -Raw | ConvertFrom-Json
        $stored.ecr_swap.host | Should -Be 'evil.example.com' -Because 'the attack did happen: the run must not call it a success'
        @($warnings) -join "`n" | Should -Match 'was replaced'
        Test-Path -LiteralPath (Get-ChildItem -LiteralPath $Work -Filter 'ecrairflow-*.json.moved').FullName | Should -BeTrue
        Get-ChildItem -LiteralPath $Work -Filter 'ecrairflow-*.json' | Should -Not -BeNullOrEmpty -Because 'the file put in its place is not ours to delete'
    }

    It 'a folder everyone may write to but with the sticky bit (like /tmp) is accepted' {
        $sticky = New-Item -ItemType Directory (Join-Path $Work 'sticky')
        [IO.File]::SetUnixFileMode($sticky.FullName, [IO.UnixFileMode]1023)   # 01777
        $r = New-FakeCredential -Token 'sticky-token' | Sync-AirflowEcrConnection -ConnectionId ecr_sticky -Mode Cli -AirflowCommand 'env', "AIRFLOW_STANDIN_HOME=$StandinHome", $StandIn -WorkingDirectory $sticky.FullName
        $r.Action | Should -Be 'Created'
        Get-ChildItem -LiteralPath $sticky.FullName -Force | Should -BeNullOrEmpty -Because 'the import file is gone'
    }
}

Describe 'dotenv: a file other users may read gets a warning naming the fix' -Skip:(-not $UnixRules) {
    BeforeEach { $script:Work = New-TestFolder 'files-dotenv' }
    AfterEach { Remove-TestFolder $Work }

    It 'a <Mode> file: warned=<Warned>, written, mode kept' -ForEach @(
        @{ Mode = '0644'; Bits = 420; Warned = $true }
        @{ Mode = '0640'; Bits = 416; Warned = $true }
        @{ Mode = '0600'; Bits = 384; Warned = $false }
    ) {
        $path = Join-Path $Work '.env'
        [IO.File]::WriteAllText($path, "KEEP=1`n")
        [IO.File]::SetUnixFileMode($path, [IO.UnixFileMode]$Bits)
        $warnings = $null
        $r = New-FakeCredential -Token 'readable-token' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -Path $path -CiSystem None -WarningVariable warnings -WarningAction SilentlyContinue
        $r.Action | Should -Be 'Created'
        if ($Warned) {
            @($warnings).Count | Should -Be 1
            "$($warnings[0])" | Should -Match ([regex]::Escape("chmod 600 '$path'"))
            "$($warnings[0])" | Should -Match "mode $Mode"
        }
        else { $warnings | Should -BeNullOrEmpty }
        [Convert]::ToString([int][IO.File]::GetUnixFileMode($path), 8).PadLeft(4, '0') | Should -Be $Mode
        Get-Content -LiteralPath $path | Should -Contain 'KEEP=1'
    }
}

Describe 'As another (unprivileged) user: "read-only" means this user cannot write it' -Skip:(-not ($UnixRules -and $HasOther)) {
    BeforeAll {
        # A child pwsh run as $OtherUser needs to reach pwsh, the module and its files, and the stand-in CLI:
        # copies in a test folder that user may traverse, since the clone may sit in a private folder (mode
        # 0700, as mktemp -d and many home folders are) and pwsh (the .NET tool) in root's home. Real copies,
        # never hard links: Remove-TestFolder changes the modes of what it deletes, and through a hard link that
        # would change the originals.
        $script:Shared = New-TestFolder 'files-other'
        [IO.File]::SetUnixFileMode($Shared, [IO.UnixFileMode]493)   # 0755
        $script:SkipReason = $null
        $pwsh = @(Get-PwshCommandLine)
        $script:Dotnet = $pwsh[0]
        $copy = Join-Path $Shared 'pwsh'
        cp -a $PSHOME $copy
        $script:OtherPwsh = Join-Path $copy 'pwsh.dll'
        $moduleCopy = Join-Path $Shared 'module/EcrAirflow'
        $null = New-Item -ItemType Directory $moduleCopy
        cp -a (Split-Path $env:ECRAIRFLOW_TEST_MODULE) $moduleCopy
        $script:OtherModule = Join-Path $moduleCopy ((Split-Path (Split-Path $env:ECRAIRFLOW_TEST_MODULE) -Leaf) + '/EcrAirflow.psd1')
        $standInCopy = Join-Path $Shared 'standin-cli'
        cp -a (Split-Path $StandIn) $standInCopy
        $script:OtherStandIn = Join-Path $standInCopy (Split-Path $StandIn -Leaf)
        $script:OtherHome = Join-Path $Shared 'home'
        $null = New-Item -ItemType Directory $OtherHome
        chown $OtherUser $OtherHome
        runuser -u $OtherUser -- test -r $OtherModule
        if ($LASTEXITCODE -ne 0) { $script:SkipReason = "the temp folder ($([IO.Path]::GetTempPath())) cannot be traversed by $OtherUser" }
        runuser -u $OtherUser -- test -x $Dotnet
        if ($LASTEXITCODE -ne 0) { $script:SkipReason = "$OtherUser cannot run the dotnet host ($Dotnet)" }

        function Invoke-AsOther([string] $Body) {
            $script = Join-Path $Shared ('run-' + [guid]::NewGuid().ToString('n') + '.ps1')
            "`$ErrorActionPreference = 'Stop'`nImport-Module '$OtherModule'`n$Body" | Set-Content -LiteralPath $script
            $out = runuser -u $OtherUser -- env "HOME=$OtherHome" "TMPDIR=$OtherHome" DOTNET_CLI_TELEMETRY_OPTOUT=1 POWERSHELL_TELEMETRY_OPTOUT=1 `
                $Dotnet $OtherPwsh -NoProfile -NonInteractive -File $script 2>&1
            ($out | Out-String).Trim()
        }
        $script:SyncLine = "try { [pscustomobject]@{ Registry = 'r.example.com'; UserName = 'AWS'; Password = 'other-token' } | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -CiSystem None -Path `$args[0] | Out-Null; 'WRITTEN' } catch { `$_.FullyQualifiedErrorId.Split(',')[0] }"
    }
    AfterAll { Remove-TestFolder $Shared }

    BeforeEach {
        if ($SkipReason) { Set-ItResult -Skipped -Because $SkipReason }
        $script:Dir = Join-Path $Shared ('dir-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
        $null = New-Item -ItemType Directory $Dir
        chown $OtherUser $Dir
    }

    It 'a 0464 file of its own (the group may write, the owner may not) is DotEnvReadOnly and stays as it was' {
        $path = Join-Path $Dir '.env'
        [IO.File]::WriteAllText($path, "A=1`n"); chown $OtherUser $path; [IO.File]::SetUnixFileMode($path, [IO.UnixFileMode]308)
        $said = Invoke-AsOther "`$args = @('$path'); $SyncLine"
        $said | Should -Be 'DotEnvReadOnly'
        [IO.File]::ReadAllText($path) | Should -BeExactly "A=1`n"
    }

    It "a root-owned 0666 file in the user's own folder is DotEnvOwnedByOtherUser (the rename would replace it)" {
        $path = Join-Path $Dir '.env'
        [IO.File]::WriteAllText($path, "A=1`n"); [IO.File]::SetUnixFileMode($path, [IO.UnixFileMode]438)
        Invoke-AsOther "`$args = @('$path'); $SyncLine" | Should -Be 'DotEnvOwnedByOtherUser'
        [IO.File]::ReadAllText($path) | Should -BeExactly "A=1`n"
        (stat -c '%U' $path) | Should -Be 'root'
    }

    It 'its own 0600 file is written (the checks do not get in the way of the normal case)' {
        $path = Join-Path $Dir '.env'
        [IO.File]::WriteAllText($path, "A=1`n"); chown $OtherUser $path; [IO.File]::SetUnixFileMode($path, [IO.UnixFileMode]384)
        Invoke-AsOther "`$args = @('$path'); $SyncLine" | Should -Be 'WRITTEN'
        [IO.File]::ReadAllText($path) | Should -Match 'AIRFLOW_CONN_ECR='
    }

    It "a GITHUB_ENV that belongs to root, writable by all, is GitHubEnvUnsafe: another user's file gets no token" {
        $path = Join-Path $Dir 'github_env'
        [IO.File]::WriteAllText($path, ''); [IO.File]::SetUnixFileMode($path, [IO.UnixFileMode]438)
        $body = "`$env:GITHUB_ENV = '$path'; try { [pscustomobject]@{ Registry = 'r.example.com'; UserName = 'AWS'; Password = 'other-token' } | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable | Out-Null; 'WRITTEN' } catch { `$_.FullyQualifiedErrorId.Split(',')[0] }"
        Invoke-AsOther $body | Should -Match 'GitHubEnvUnsafe'
        [IO.File]::ReadAllText($path) | Should -BeExactly ''
    }

    It 'Cli mode in its own temp folder works, with the inode check' {
        $standinHome = Join-Path $Dir 'standin'
        $null = New-Item -ItemType Directory $standinHome; chown $OtherUser $standinHome
        $body = "[pscustomobject]@{ Registry = 'r.example.com'; UserName = 'AWS'; Password = 'other-token' } | Sync-AirflowEcrConnection -ConnectionId ecr_other -Mode Cli -AirflowCommand env, 'AIRFLOW_STANDIN_HOME=$standinHome', '$OtherStandIn' -WorkingDirectory '$Dir' | ForEach-Object Action"
        Invoke-AsOther $body | Should -Be 'Created'
        (Get-StandInConnection -ConnectionId ecr_other -StandInHome $standinHome).password | Should -BeExactly 'other-token'
    }
}

Describe 'GITHUB_ENV of another user, as root: a container job' -Skip:(-not ($UnixRules -and $HasOther)) {
    BeforeEach { $script:Work = New-TestFolder 'files-gh' }
    AfterEach { Set-TestEnv GITHUB_ENV $null; Set-TestEnv AIRFLOW_CONN_ECR_GH $null; Remove-TestFolder $Work }

    It "is appended to (steps in a job container run as root; the file is the runner user's)" {
        $path = Join-Path $Work 'github_env'
        [IO.File]::WriteAllText($path, ''); chown $OtherUser $path
        $env:GITHUB_ENV = $path
        $r = New-FakeCredential -Token 'container-token' | Sync-AirflowEcrConnection -ConnectionId ecr_gh -Mode EnvironmentVariable
        $r.ConnectionId | Should -Be 'ecr_gh'
        [IO.File]::ReadAllText($path) | Should -Match '^AIRFLOW_CONN_ECR_GH<<ghadelimiter_'
    }
}

Describe 'Cli: SIGTERM and SIGHUP clean up as Ctrl+C does' -Skip:(-not $UnixRules) {
    BeforeAll {
        $script:Pwsh = @(Get-PwshCommandLine)
    }
    BeforeEach {
        $script:Work = New-TestFolder 'files-signal'
        $script:StandinHome = Join-Path $Work 'standin'
        $null = New-Item -ItemType Directory $StandinHome
        $script:Child = $null
        $script:CliPid = $null
    }
    AfterEach {
        # Only what this test started, by its id: the child pwsh, and the stand-in CLI it ran.
        if ($Child -and -not $Child.HasExited) { $Child.Kill() }
        if ($CliPid -and (Test-ProcessAlive $CliPid)) { Get-Process -Id $CliPid -ErrorAction SilentlyContinue | ForEach-Object { $_.Kill() } }
        Remove-TestFolder $Work
    }

    It 'on <Signal> the import file is removed and the CLI is stopped' -ForEach @(@{ Signal = 'TERM' }, @{ Signal = 'HUP' }) {
        $script = Join-Path $Work 'sync.ps1'
        @"
Import-Module '$env:ECRAIRFLOW_TEST_MODULE'
[pscustomobject]@{ Registry = 'r.example.com'; UserName = 'AWS'; Password = 'signal-token' } |
    Sync-AirflowEcrConnection -ConnectionId ecr_sig -Mode Cli -AirflowCommand env, 'AIRFLOW_STANDIN_HOME=$StandinHome', 'AIRFLOW_STANDIN_SLEEP=60', 'AIRFLOW_STANDIN_SLEEP_COMMAND=import', '$StandIn' -WorkingDirectory '$Work'
"@ | Set-Content -LiteralPath $script
        # The pwsh process itself (dotnet + pwsh.dll, no launcher in between), so the signal reaches it.
        $psi = [Diagnostics.ProcessStartInfo]::new($Pwsh[0])
        Add-ProcessArgument $psi (@($Pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $script))
        $psi.UseShellExecute = $false
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $script:Child = [Diagnostics.Process]::Start($psi)
        $out = $Child.StandardOutput.ReadToEndAsync(); $err = $Child.StandardError.ReadToEndAsync()

        # Each step waits for its event (never a fixed time: a loaded machine is slow, not wrong), with an upper
        # bound far beyond what any machine needs. First: the CLI's import runs (it records its pid) with the import
        # file in place; the read before it (connections get) has answered by then.
        $import = $null
        $deadline = [DateTime]::UtcNow.AddSeconds(180)
        while (-not $import -and -not $Child.HasExited -and [DateTime]::UtcNow -lt $deadline) {
            $import = Get-StandInCalls -StandInHome $StandinHome | Where-Object { $_.argv -contains 'import' }
            if (-not $import) { Start-Sleep -Milliseconds 100 }
        }
        $import | Should -Not -BeNullOrEmpty -Because "the CLI import started (exited: $($Child.HasExited))"
        $script:CliPid = $import.pid
        @(Get-ChildItem -LiteralPath $Work -Filter 'ecrairflow-*.json').Count | Should -Be 1

        kill "-$Signal" $Child.Id
        $Child.WaitForExit(180000) | Should -BeTrue -Because 'the process still ends after a termination signal'
        $Child.WaitForExit()
        @(Get-ChildItem -LiteralPath $Work -Filter 'ecrairflow-*.json') | Should -BeNullOrEmpty -Because "the file with the token is removed (pwsh said: $($out.Result) $($err.Result))"
        # Gone, or a zombie nobody has reaped yet (the container's init may be slow to): either way it has stopped.
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while ((Test-ProcessAlive $CliPid) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        Test-ProcessAlive $CliPid | Should -BeFalse -Because 'the child CLI is stopped'
    }
}
