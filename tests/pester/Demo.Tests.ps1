# The demo as a newcomer sees it (build.ps1 -Task Demo, after its build): before each result it prints the
# command that produced it, as a user would type it, with secrets only as variables; no secret value and no
# warning appears; the Cli result's Target is what a user's own command shows; the dotenv file it writes is
# owner-only; and it ends with the command to run against your own Airflow. Runs the whole demo in a fresh pwsh
# against a moto peer of its own (the demo starts the Airflow emulators and the MWAA peer itself).

BeforeDiscovery {
    # build.ps1, and so the demo, runs in PowerShell 7 (the .NET tool); Windows PowerShell 5.1 never runs it.
    $script:NotPwsh = $PSVersionTable.PSEdition -eq 'Desktop'
}

Describe 'The demo (build.ps1 -Task Demo)' -Skip:$NotPwsh {
    BeforeAll {
        $script:Root = if ($env:ECRAIRFLOW_TEST_ROOT) { $env:ECRAIRFLOW_TEST_ROOT } else { (Resolve-Path "$PSScriptRoot/../..").Path }
        . (Join-Path $Root 'tests/pester/Common.ps1')
        $script:Work = New-TestFolder 'demo'
        $script:Moto = Start-MotoPeer -WorkDirectory $Work
        # What must never be printed: the AWS secret key the demo signs with, the emulators' Airflow password (and
        # the Basic header made of it), and every ECR password moto handed out during the demo (read from the peer
        # once the demo has ended), plain and as the base64 authorizationToken.
        $identity = $Moto.Info.writer
        $quote = { param($s) "'" + $s.Replace("'", "''") + "'" }
        $script:DemoFolder = Join-Path $Work 'demo'
        $child = @(
            '$ErrorActionPreference = ''Stop'''
            ". $(& $quote (Join-Path $Root 'tests/peers/Peers.ps1'))"
            ". $(& $quote (Join-Path $Root 'build/Demo.ps1'))"
            "`$moto = [pscustomobject]@{ Info = (Get-Content -LiteralPath $(& $quote $Moto.InfoPath) -Raw | ConvertFrom-Json); Endpoint = $(& $quote $Moto.Endpoint); RequestLog = $(& $quote $Moto.RequestLog) }"
            "Invoke-Demo -ModuleManifest $(& $quote $env:ECRAIRFLOW_TEST_MODULE) -WorkDirectory $(& $quote $DemoFolder) -Moto `$moto"
        ) -join "`n"
        # As build.ps1 runs it: a script file in a fresh pwsh whose output is text (an -EncodedCommand child
        # would send Write-Host's lines to stderr as CLIXML).
        $file = Join-Path $Work 'run-demo.ps1'
        Set-Content -LiteralPath $file -Value $child -Encoding utf8
        $pwsh = @(Get-PwshCommandLine)
        $psi = [System.Diagnostics.ProcessStartInfo]::new($pwsh[0])
        Add-ProcessArgument $psi (@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $file))
        $psi.UseShellExecute = $false
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $process = [System.Diagnostics.Process]::Start($psi)
        try {
            $out = $process.StandardOutput.ReadToEndAsync(); $err = $process.StandardError.ReadToEndAsync()
            if (-not $process.WaitForExit(600000)) { $process.Kill($true); throw 'The demo ran longer than 10 minutes.' }
            $process.WaitForExit()
            $script:Run = [pscustomobject]@{ ExitCode = $process.ExitCode; Out = $out.Result; Err = $err.Result; Text = $out.Result + $err.Result }
        }
        finally { $process.Dispose() }
        $script:Lines = @(($Run.Out -replace "\x1b\[[0-9;?]*[A-Za-z]", '') -split '\r?\n')
        $script:Tokens = @(Get-MotoEcrToken -Endpoint $Moto.Endpoint | ForEach-Object password)
        $script:Secrets = @($identity.secretAccessKey, 'demo-airflow-pw', [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('admin:demo-airflow-pw'))) + $Tokens +
            @($Tokens | ForEach-Object { [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("AWS:$_")) })
    }

    AfterAll {
        Stop-Peer $Moto
        Remove-TestFolder $Work
    }

    It 'runs to the end, printing nothing on stderr and no warning' {
        $Run.ExitCode | Should -Be 0 -Because $Run.Text
        $Run.Err | Should -BeNullOrEmpty
        $Lines | Where-Object { $_ -cmatch 'WARNING' } | Should -BeNullOrEmpty
    }

    It 'prints each command before its result, as a user would type it, with secrets only as variables' {
        # The commands that show a result: every Sync, and $ecr (which shows what $ecr = Get-EcrDockerCredential
        # stored). The last line is the command for your own Airflow, which the demo does not run.
        $shown = @($Lines | Where-Object { $_ -match '^PS> (.*Sync-AirflowEcrConnection.*|\$ecr)$' } | Select-Object -SkipLast 1)
        $results = 0; $pending = $null
        foreach ($line in $Lines) {
            if ($line.StartsWith('PS> ')) {
                $pending | Should -BeNullOrEmpty -Because "'$pending' shows its result before the next command"
                if ($line -in $shown) { $pending = $line.Substring(4) }
                continue
            }
            if ($line -match '^(ConnectionId|Registry)\s+\S') {
                $results++
                $pending | Should -Not -BeNullOrEmpty -Because "the result whose header is '$line' comes after the command that made it"
                $expected = if ($Matches[1] -eq 'Registry') { '^\$ecr$' } else { 'Sync-AirflowEcrConnection' }
                $pending | Should -Match $expected -Because "'$line' is a result of $expected"
                $pending = $null
            }
        }
        $results | Should -BeGreaterOrEqual 14 -Because 'every mode shows its results'
        $results | Should -Be $shown.Count -Because 'each command shows its result'

        # Each printed command parses, and names nothing but the demo's variables and the pipeline's $_.
        foreach ($line in $Lines | Where-Object { $_.StartsWith('PS> ') }) {
            $tokens = $null; $errors = $null
            $ast = [System.Management.Automation.Language.Parser]::ParseInput($line.Substring(4), [ref]$tokens, [ref]$errors)
            $errors | Should -BeNullOrEmpty -Because "'$line' is a command a user can run"
            $names = $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.VariableExpressionAst] }, $true) |
                Where-Object { -not $_.VariablePath.IsDriveQualified } | ForEach-Object { $_.VariablePath.UserPath }
            @($names | Where-Object { $_ -notin 'ecr', 'airflowCredential', '_' }) | Should -BeNullOrEmpty -Because "'$line' names secrets only as variables"
        }
        $Lines | Where-Object { $_ -match '-AirflowCredential \$airflowCredential' } | Should -Not -BeNullOrEmpty
    }

    It 'never prints a secret value' {
        $Tokens.Count | Should -BeGreaterThan 0 -Because 'the demo fetched ECR tokens from moto'
        $text = $Lines -join "`n"
        foreach ($secret in $Secrets) {
            $secret | Should -Not -BeNullOrEmpty
            $text.Contains($secret) | Should -BeFalse -Because 'no secret (AWS secret key, Airflow password, ECR token, or a Basic header of them) appears in the demo''s output'
        }
    }

    It 'shows as the Cli target what a user''s own command would show' {
        $Lines | Where-Object { $_ -cmatch 'AIRFLOW_STANDIN' } | Should -BeNullOrEmpty -Because 'the stand-in''s plumbing is not part of a user''s command'
        if ($IsWindows) { Set-ItResult -Skipped -Because 'the demo skips its Cli part on Windows (the stand-in CLI is a Python script)'; return }
        @($Lines | Where-Object { $_ -match '^ecr_\d{12}\s+(Created|Updated)\s+Cli\s+airflow\s*$' }).Count | Should -Be 2
    }

    It 'leaves its dotenv file owner-only (0600)' {
        if ($IsWindows -or $env:ECRAIRFLOW_FRAMEWORK -eq 'netstandard2.0') { Set-ItResult -Skipped -Because 'Unix file modes are the net8.0 build''s (what PowerShell 7 loads on Linux and macOS); the netstandard2.0 build runs only in Windows PowerShell 5.1, on Windows'; return }
        (Get-Item -LiteralPath (Join-Path $DemoFolder 'demo.env')).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
    }

    It 'ends with the command to run against your own Airflow' {
        $last = @($Lines | Where-Object { $_.Trim() })[-1]
        $last | Should -Match '^PS> Get-EcrDockerCredential .*\| Sync-AirflowEcrConnection .*-AirflowUrl https://'
    }
}
