# The recipes in examples/ run as their schedulers run them, against the Airflow emulator (Airflow 3) and moto:
# - the monitoring script (examples/Test-AirflowEcrLogin.ps1): one Nagios-style line per connection and exit
#   codes 0, 1 and 2;
# - the Airflow DAG (examples/airflow/ecr_refresh_then_pull.py): read with Python's ast, then its refresh task's
#   own command line, taken from the DAG file, run twice through bash: a write, then a skip with no write;
# - the GitHub Actions and Azure Pipelines examples: their refresh and check steps' PowerShell, taken from the
#   YAML, with the environment each step maps, as the CI would run it;
# - the cron and systemd recipes: their command lines, with only the deployment's paths and URL replaced.
# The CI files themselves are linted in Workflow.Tests.ps1, the Task Scheduler recipe in Examples.Windows.Tests.ps1.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'Recipes.Common.ps1')
    Import-Module $env:ECRAIRFLOW_TEST_MODULE -Force
    $script:Moto = Get-Content $env:ECRAIRFLOW_TEST_MOTO -Raw | ConvertFrom-Json
    $script:AirflowPassword = 'recipes-Pa55 $HOME %s "x"'
    $script:Emu = Start-AirflowEmulator -AirflowVersion 3 -Password $AirflowPassword
    $script:Airflow = New-Object System.Management.Automation.PSCredential('admin', (ConvertTo-SecureString $AirflowPassword -AsPlainText -Force))
    $script:Registry = "$($Moto.accountId).dkr.ecr.eu-west-1.amazonaws.com"
    # The newest ECR password moto issued to the recipes' AWS user, and every secret a log must not show (each
    # ECR password moto issued so far, read when asked: every token is new).
    function Get-IssuedToken { Get-MotoEcrPassword -Endpoint $Moto.endpoint -AccessKeyId $Moto.allowed.accessKeyId }
    function Get-RecipeSecrets { @($AirflowPassword, $Moto.allowed.secretAccessKey) + @(Get-MotoEcrToken -Endpoint $Moto.endpoint | ForEach-Object password) }
    $script:Examples = Join-Path $RecipesRoot 'examples'
    $script:Dir = New-TestFolder 'recipes'
    $script:OnUnix = -not $IsWindows
    if ($OnUnix) { $script:Shim = New-PwshShim $Dir }

    # A connection written the way the recipes write it: moto's token, through Sync-AirflowEcrConnection.
    function Write-EcrConnection([string] $ConnectionId) {
        $null = Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $Moto.endpoint -Force -Credential (New-Object System.Management.Automation.PSCredential($Moto.allowed.accessKeyId, (ConvertTo-SecureString $Moto.allowed.secretAccessKey -AsPlainText -Force))) |
            Sync-AirflowEcrConnection -ConnectionId $ConnectionId -AirflowUrl $Emu.Url -AirflowCredential $Airflow -ErrorAction Stop
    }
}

AfterAll {
    Stop-Peer $Emu
    Remove-TestFolder $Dir
}

Describe 'The monitoring script (examples/Test-AirflowEcrLogin.ps1)' {
    BeforeAll {
        $script:Monitor = Join-Path $Examples 'Test-AirflowEcrLogin.ps1'
        function Invoke-Monitor([string[]] $Arguments, [string] $Password = $AirflowPassword) {
            $pwsh = @(Get-PwshCommandLine)
            $all = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $Monitor, '-AirflowUrl', $Emu.Url) + $Arguments
            $r = Invoke-CapturedProcess -FileName $pwsh[0] -Arguments $all -Environment (New-RecipeEnvironment -Moto $Moto -AirflowPassword $Password)
            Assert-NoSecret -Text $r.Text -Secrets (Get-RecipeSecrets) -Where "the monitor's output"
            $r
        }
        Clear-EmulatorState -Url $Emu.Url
        Write-EcrConnection 'ecr_mon'
    }

    It 'exits 0 with one OK line when the connection is fresh, as -Quiet says $true' {
        $r = Invoke-Monitor @('-ConnectionId', 'ecr_mon')

        $r.ExitCode | Should -Be 0 -Because $r.Text
        $r.Lines | Should -HaveCount 1
        $r.Lines[0] | Should -Match "^ECR OK: ecr_mon Fresh; registry $([regex]::Escape($Registry)); expires in 1[01]h \d\dm \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\); Rest $([regex]::Escape($Emu.Url))"
        Test-AirflowEcrConnection ecr_mon -AirflowUrl $Emu.Url -AirflowCredential $Airflow -Quiet | Should -BeTrue
    }

    It 'exits 1 with a WARNING line and the reason when the token has less left than -MinimumRemaining' {
        $r = Invoke-Monitor @('-ConnectionId', 'ecr_mon', '-MinimumRemaining', '13h')

        $r.ExitCode | Should -Be 1 -Because $r.Text
        $r.Lines | Should -HaveCount 1
        $r.Lines[0] | Should -Match '^ECR WARNING: ecr_mon ExpiringSoon; .* - The token of .ecr_mon. expires at .*less than the 13h 00m asked for'
        Test-AirflowEcrConnection ecr_mon -AirflowUrl $Emu.Url -AirflowCredential $Airflow -MinimumRemaining 13h -Quiet | Should -BeFalse
    }

    It 'exits 2 when one connection is expired, missing, not Docker or of unknown expiry: one line each, worst first' {
        Set-EmulatorEcrConnection -Url $Emu.Url -ConnectionId ecr_old -Registry $Registry -ExpiresAt (Get-Date).AddHours(-2)
        Set-EmulatorEcrConnection -Url $Emu.Url -ConnectionId ecr_unnoted -Registry $Registry
        $null = Set-EmulatorConnection -Url $Emu.Url -ConnectionId pg -Connection @{ connection_id = 'pg'; conn_type = 'postgres'; host = 'db.example.com'; password = 'db-secret-1' }

        # Comma list in one argument, as a scheduler's command line passes it to pwsh -File.
        $r = Invoke-Monitor @('-ConnectionId', 'ecr_mon,ecr_old,ecr_none,pg,ecr_unnoted', '-MinimumRemaining', '13h')

        $r.ExitCode | Should -Be 2 -Because $r.Text
        $r.Lines | Should -HaveCount 5
        $r.Lines[0] | Should -Match '^ECR CRITICAL: ecr_old Expired; .*; expired 2h 0\dm ago .* - The token of .ecr_old. expired at'
        $r.Lines[1] | Should -Match '^ECR CRITICAL: ecr_none Missing; registry -; expiry unknown; .* - There is no connection .ecr_none.'
        $r.Lines[2] | Should -Match '^ECR CRITICAL: pg NotDocker; .* holds a postgres connection, not a Docker connection'
        $r.Lines[3] | Should -Match '^ECR CRITICAL: ecr_unnoted Unknown; .*; expiry unknown; .* - When the token of .ecr_unnoted. expires is unknown'
        $r.Lines[4] | Should -Match '^ECR WARNING: ecr_mon ExpiringSoon; '
        $r.Text | Should -Not -Match 'db-secret-1'
    }

    It 'exits 2 with one CRITICAL line when the check cannot run at all, the Airflow password nowhere in it' {
        $r = Invoke-Monitor @('-ConnectionId', 'ecr_mon') -Password 'not-the-Pa55word'

        $r.ExitCode | Should -Be 2
        $r.Lines | Should -HaveCount 1
        $r.Lines[0] | Should -Match '^ECR CRITICAL: the check could not run: .*\[AirflowAuthenticationFailed,'
        $r.Text | Should -Not -Match 'not-the-Pa55word'
    }

    It 'shares its credential and target functions with Update-AirflowEcrConnection.ps1, word for word' {
        foreach ($name in 'Import-AirflowCredential', 'Get-AirflowTargetParameters') {
            $bodies = foreach ($file in $Monitor, (Join-Path $Examples 'Update-AirflowEcrConnection.ps1')) {
                $ast = [System.Management.Automation.Language.Parser]::ParseFile($file, [ref]$null, [ref]$null)
                $f = $ast.Find({ param($n) $n -is [System.Management.Automation.Language.FunctionDefinitionAst] -and $n.Name -eq $name }, $false)
                $f | Should -Not -BeNullOrEmpty -Because "$file defines $name"
                $f.Extent.Text
            }
            $bodies[0] | Should -BeExactly $bodies[1] -Because "$name is copied so each script can be deployed alone"
        }
    }
}

Describe 'The Airflow DAG (examples/airflow/ecr_refresh_then_pull.py)' {
    BeforeAll {
        $script:DagFile = Join-Path $Examples 'airflow/ecr_refresh_then_pull.py'
        $script:Dag = Get-DagFacts $DagFile
        $script:Refresh = @($Dag.Facts.tasks | Where-Object operator -eq 'BashOperator')
        $script:Pull = @($Dag.Facts.tasks | Where-Object operator -eq 'DockerOperator')
    }

    It 'parses, and defines one DAG with one BashOperator and one DockerOperator task' {
        $Dag.ExitCode | Should -Be 0 -Because $Dag.Text
        @($Dag.Facts.dags) | Should -Be @('ecr_refresh_then_pull')
        $Refresh | Should -HaveCount 1
        $Pull | Should -HaveCount 1
    }

    It 'imports BashOperator and DAG the Airflow 3 way, falling back to Airflow 2''s, and DockerOperator from the Docker provider' {
        $fallbacks = @($Dag.Facts.import_fallbacks | ForEach-Object { "$($_.try) -> $($_.except): $($_.names -join ',')" })
        $fallbacks | Should -Contain 'airflow.providers.standard.operators.bash -> airflow.operators.bash: BashOperator'
        $fallbacks | Should -Contain 'airflow.sdk -> airflow: DAG'
        $Dag.Facts.imports | Should -Contain 'airflow.providers.docker.operators.docker'
    }

    It 'refreshes with -SkipIfValidFor 1h upstream of the pull, into the connection the pull logs in with' {
        $command = $Refresh[0].kwargs.bash_command
        $command | Should -Match '^pwsh -NoProfile -NonInteractive -File "[^"]*/Update-AirflowEcrConnection\.ps1" '
        $command | Should -Match ' -SkipIfValidFor 1h(\s|$)'
        $Dag.Facts.upstream.($Pull[0].task_id) | Should -Contain $Refresh[0].task_id
        $command -match ' -ConnectionId (\S+)' | Should -BeTrue
        $Pull[0].kwargs.docker_conn_id | Should -BeExactly $Matches[1]
        $Pull[0].kwargs.image | Should -BeLike '*.dkr.ecr.*.amazonaws.com/*'
    }

    It 'is caught when the refresh is no longer upstream of the pull, or the file does not parse' {
        $broken = Join-Path $Dir 'dag_without_edge.py'
        (Get-Content -LiteralPath $DagFile -Raw) -replace 'refresh_ecr_login >> run_etl', 'run_etl' | Set-Content -LiteralPath $broken
        $facts = (Get-DagFacts $broken).Facts
        @($facts.upstream.run_etl) | Should -Not -Contain 'refresh_ecr_login'

        $unparsable = Join-Path $Dir 'dag_broken.py'
        (Get-Content -LiteralPath $DagFile -Raw) -replace 'with DAG\(', 'with DAG((' | Set-Content -LiteralPath $unparsable
        (Get-DagFacts $unparsable).ExitCode | Should -Be 1
    }

    It 'runs its refresh command line through bash: the first run writes, the second is Skipped with no write request' -Skip:$IsWindows {
        Clear-EmulatorState -Url $Emu.Url
        $command = $Refresh[0].kwargs.bash_command
        # What a worker's environment says: where the script is, where Airflow's API is (the rest is the DAG's own).
        $environment = New-RecipeEnvironment -Moto $Moto -AirflowPassword $AirflowPassword -Extra @{
            PATH = $Dir + [IO.Path]::PathSeparator + $env:PATH; ECRAIRFLOW_SCRIPTS = $Examples; AIRFLOW_API_URL = $Emu.Url
        }
        $id = $Pull[0].kwargs.docker_conn_id

        $first = Invoke-CapturedProcess -FileName bash -Arguments @('-c', $command) -Environment $environment
        $first.ExitCode | Should -Be 0 -Because $first.Text
        $first.Out | Should -Match "Created $id $([regex]::Escape($Registry)) via Rest V2 "
        (Get-EmulatorConnections -Url $Emu.Url | Where-Object connection_id -eq $id).password | Should -BeExactly (Get-IssuedToken)
        Get-EmulatorWrites -Url $Emu.Url | Should -HaveCount 1

        $null = Invoke-RestMethod -Method Delete -Uri "$($Emu.Url)/_emulator/requests"
        $second = Invoke-CapturedProcess -FileName bash -Arguments @('-c', $command) -Environment $environment
        $second.ExitCode | Should -Be 0 -Because $second.Text
        $second.Out | Should -Match "Skipped $id $([regex]::Escape($Registry)) via Rest "
        Get-EmulatorWrites -Url $Emu.Url | Should -BeNullOrEmpty
        @(Get-EmulatorRequests -Url $Emu.Url | Where-Object { $_.path -like '/api/v2/connections*' }) | Should -Not -BeNullOrEmpty -Because 'the skip comes from reading what Airflow holds'
        Assert-NoSecret -Text ($first.Text + $second.Text) -Secrets (Get-RecipeSecrets) -Where "the refresh task's log"
    }
}

Describe 'The <Name> example: its refresh and check steps as the CI runs them' -ForEach @(
    @{ Name = 'GitHub Actions'; File = 'github/refresh-airflow-ecr.yml' }
    @{ Name = 'Azure Pipelines'; File = 'azure/refresh-airflow-ecr.yml' }
) {
    BeforeAll {
        $yaml = Read-YamlFile (Join-Path $Examples $File)
        # The values the CI's settings hold (repository variables and secrets, or the variable group).
        $settings = @{ AIRFLOW_URL = $Emu.Url; AirflowUrl = $Emu.Url; AIRFLOW_API_USER = 'admin'; AirflowApiUser = 'admin'; AIRFLOW_API_PASSWORD = $AirflowPassword; AirflowApiPassword = $AirflowPassword }
        $script:Steps = @{}
        if ($Name -like 'GitHub*') {
            $job = $yaml.jobs.refresh
            $region = @($job.steps | Where-Object { $_.uses -like 'aws-actions/configure-aws-credentials@*' })[0].with.'aws-region'
            function Resolve-Value([string] $Value) {
                if ($Value -match '^\$\{\{\s*(vars|secrets)\.(\w+)\s*\}\}$') { return $settings[$Matches[2]] }
                if ($Value -match '\$\{\{') { throw "An expression the test does not know: $Value" }
                $Value
            }
            foreach ($step in $job.steps | Where-Object { $_.run -and $_.shell -eq 'pwsh' }) {
                $environment = @{}
                foreach ($source in $job.env, $step.env) { if ($source) { foreach ($p in $source.PSObject.Properties) { $environment[$p.Name] = Resolve-Value $p.Value } } }
                # What configure-aws-credentials sets for the later steps.
                $environment.AWS_REGION = $region; $environment.AWS_DEFAULT_REGION = $region
                $kind = if ($step.run -match 'Sync-AirflowEcrConnection') { 'Refresh' } elseif ($step.run -match 'Test-AirflowEcrConnection') { 'Check' } else { continue }
                $Steps[$kind] = @{ Script = $step.run; Environment = $environment }
            }
        }
        else {
            $variables = @{}
            foreach ($v in $yaml.variables | Where-Object { $_.name }) { $variables[$v.name] = $v.value }
            function Resolve-Value([string] $Value) {
                [regex]::Replace($Value, '\$\(([\w.]+)\)', {
                        param($m)
                        $n = $m.Groups[1].Value
                        if ($variables.ContainsKey($n)) { $variables[$n] } elseif ($settings.ContainsKey($n)) { $settings[$n] } else { throw "A variable the test does not know: $n" }
                    })
            }
            foreach ($step in $yaml.steps) {
                $script = if ($step.task -like 'AWSPowerShellModuleScript@*') { $step.inputs.inlineScript } elseif ($step.powershell) { $step.powershell } else { $null }
                if (-not $script) { continue }
                $environment = @{}
                if ($step.env) { foreach ($p in $step.env.PSObject.Properties) { $environment[$p.Name] = Resolve-Value $p.Value } }
                # What the AWS task sets from its regionName input (and the service connection's role).
                if ($step.task) { $environment.AWS_REGION = $step.inputs.regionName }
                $kind = if ($script -match 'Sync-AirflowEcrConnection') { 'Refresh' } elseif ($script -match 'Test-AirflowEcrConnection') { 'Check' } else { continue }
                $Steps[$kind] = @{ Script = $script; Environment = $environment }
            }
        }
        function Invoke-Step([string] $Kind) {
            $s = $Steps[$Kind]
            $environment = New-RecipeEnvironment -Moto $Moto -AirflowPassword $null -Extra $s.Environment
            $r = Invoke-PipelineScript -Script $s.Script -Environment $environment
            Assert-NoSecret -Text $r.Text -Secrets (Get-RecipeSecrets) -Where "the $Name log of the $Kind step"
            $r
        }
        $script:ConnectionId = 'ecr'
    }

    It 'has a refresh step and a check step' {
        $Steps.Keys | Sort-Object | Should -Be @('Check', 'Refresh')
    }

    It 'refreshes (a write), checks (exit 0); the next run skips with no write request and checks again' {
        Clear-EmulatorState -Url $Emu.Url

        $refresh = Invoke-Step Refresh
        $refresh.ExitCode | Should -Be 0 -Because $refresh.Text
        $refresh.Out | Should -Match "$ConnectionId\s+Created\s+$([regex]::Escape($Registry))"
        (Get-EmulatorConnections -Url $Emu.Url | Where-Object connection_id -eq $ConnectionId).password | Should -BeExactly (Get-IssuedToken)
        $check = Invoke-Step Check
        $check.ExitCode | Should -Be 0 -Because $check.Text
        $check.Out | Should -Match "connection $ConnectionId is fresh"

        $null = Invoke-RestMethod -Method Delete -Uri "$($Emu.Url)/_emulator/requests"
        $again = Invoke-Step Refresh
        $again.ExitCode | Should -Be 0 -Because $again.Text
        $again.Out | Should -Match "$ConnectionId\s+Skipped\s+$([regex]::Escape($Registry))"
        Get-EmulatorWrites -Url $Emu.Url | Should -BeNullOrEmpty
    }

    It 'fails the check step, saying why, when Airflow holds an expired token' {
        Clear-EmulatorState -Url $Emu.Url
        Set-EmulatorEcrConnection -Url $Emu.Url -ConnectionId $ConnectionId -Registry $Registry -ExpiresAt (Get-Date).AddMinutes(-30)

        $check = Invoke-Step Check

        $check.ExitCode | Should -Be 1 -Because $check.Text
        $check.Out | Should -Match 'Status\s+: Expired'
        $check.Out | Should -Match "Reason\s+: The token of '$ConnectionId' expired at"
        $check.Out | Should -Match '(::error |##vso\[task\.logissue type=error\])'
    }

    It 'fails the refresh step when Airflow refuses the password, and prints no form of it' {
        Clear-EmulatorState -Url $Emu.Url
        $saved = $Steps.Refresh.Environment.AIRFLOW_API_PASSWORD
        try {
            $Steps.Refresh.Environment.AIRFLOW_API_PASSWORD = 'wrong-Pa55word-42'
            $refresh = Invoke-Step Refresh
        }
        finally { $Steps.Refresh.Environment.AIRFLOW_API_PASSWORD = $saved }
        $refresh.ExitCode | Should -Not -Be 0
        $refresh.Text | Should -Match 'AirflowAuthenticationFailed|did not accept the credential'
        $refresh.Text | Should -Not -Match 'wrong-Pa55word-42'
    }
}

Describe 'The cron and systemd recipes (examples/ecrairflow-refresh.cron, .service, .timer)' {
    BeforeAll {
        $script:CronLine = @(Get-Content -LiteralPath (Join-Path $Examples 'ecrairflow-refresh.cron') | Where-Object { $_ -match '^\s*[^#\s]' -and $_ -notmatch '^\s*\w+=' })
        $script:Service = Get-Content -LiteralPath (Join-Path $Examples 'ecrairflow-refresh.service')
        $script:Timer = Get-Content -LiteralPath (Join-Path $Examples 'ecrairflow-refresh.timer')
        $script:ExecStart = ($Service | Where-Object { $_ -like 'ExecStart=*' }) -replace '^ExecStart=', ''
        # The deployment's own places, as the recipes name them, and where the test has them: the scripts are
        # deployed (copied) into the test folder as into /opt/ecrairflow, so the command lines hold no path of
        # the clone, which may have spaces in it (the recipes' words are split on white space, as cron and systemd do).
        $script:EnvFile = Join-Path $Dir 'airflow.env'
        $script:LogFile = Join-Path $Dir 'refresh.log'
        $script:Deployed = Join-Path $Dir 'opt-ecrairflow'
        Copy-Item -LiteralPath $Examples -Destination $Deployed -Recurse
        function Expand-Deployment([string] $Command) {
            $Command.Replace('/etc/ecrairflow/airflow.env', $EnvFile).Replace('/usr/bin/pwsh', $Shim).Replace('/opt/ecrairflow/', "$Deployed/").
            Replace('https://airflow.example.com', $Emu.Url).Replace('/var/log/ecrairflow/refresh.log', $LogFile)
        }
        # Minutes between runs: */N in the minute field, or OnCalendar=*:0/N.
        $script:CronFields = -split $CronLine[0]
        $script:SkipFor = if ($CronLine[0] -match '-SkipIfValidFor (\d+)h') { [timespan]::FromHours([int]$Matches[1]) }
    }

    It 'cron runs the refresh every 15 minutes as the service user, with -SkipIfValidFor 1h, and no % (cron''s newline)' {
        $CronLine | Should -HaveCount 1
        $CronFields[0..4] -join ' ' | Should -Be '*/15 * * * *'
        $CronFields[5] | Should -Be 'airflow-ecr'
        $SkipFor | Should -Be ([timespan]::FromHours(1))
        # Each run comes well within the margin: a token is renewed before it has less than an hour left.
        [timespan]::FromMinutes(15) | Should -BeLessThan $SkipFor
        $CronLine[0] | Should -Not -Match '%'
    }

    It 'systemd runs the same script with the same arguments as cron, every 15 minutes' {
        $cronCommand = ($CronLine[0] -split '/usr/bin/pwsh ', 2)[1] -replace '\s*>>.*$', ''
        $ExecStart | Should -BeExactly "/usr/bin/pwsh $cronCommand"
        $Timer | Should -Contain 'OnCalendar=*:0/15'
        $Timer | Should -Contain 'Persistent=true'
        $Service | Should -Contain 'EnvironmentFile=/etc/ecrairflow/airflow.env'
    }

    It 'the units pass systemd-analyze verify and the timer''s calendar fires every 15 minutes' {
        if (-not (Get-Command systemd-analyze -CommandType Application -ErrorAction SilentlyContinue)) {
            Set-ItResult -Skipped -Because 'systemd-analyze is not installed here (the unit files are still checked by the test above)'
            return
        }
        $units = Join-Path $Dir 'units'
        $null = New-Item -ItemType Directory -Path $units -Force
        Copy-Item (Join-Path $Examples 'ecrairflow-refresh.service'), (Join-Path $Examples 'ecrairflow-refresh.timer') -Destination $units
        $verify = & systemd-analyze verify (Join-Path $units 'ecrairflow-refresh.timer') 2>&1 | Out-String
        $verify | Should -Not -Match 'Unknown|Failed|Invalid|error' -Because $verify
        $calendar = & systemd-analyze calendar --iterations 3 '*:0/15' 2>&1 | Out-String
        $calendar | Should -Match 'Normalized form: \*-\*-\* \*:00/15:00'
    }

    It 'the cron line writes through sh; the systemd command then skips with no write; the log holds no secret' -Skip:$IsWindows {
        Clear-EmulatorState -Url $Emu.Url
        # The recipes' EnvironmentFile: single quotes keep the password's $, % and spaces for sh and systemd alike.
        # The AWS lines stand for the service user's profile or role; PSModulePath for the installed module.
        $aws = New-RecipeEnvironment -Moto $Moto -AirflowPassword $AirflowPassword
        $lines = foreach ($k in 'AIRFLOW_API_USER', 'AIRFLOW_API_PASSWORD', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_ENDPOINT_URL_ECR', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_EC2_METADATA_DISABLED', 'PSModulePath') {
            "$k='$($aws[$k])'"
        }
        [IO.File]::WriteAllText($EnvFile, ($lines -join "`n") + "`n")
        $bare = @{ AIRFLOW_API_USER = $null; AIRFLOW_API_PASSWORD = $null; AWS_ACCESS_KEY_ID = $null; AWS_SECRET_ACCESS_KEY = $null; AWS_ENDPOINT_URL_ECR = $null; AWS_REGION = $null; AWS_PROFILE = $null }

        $command = Expand-Deployment (($CronFields | Select-Object -Skip 6) -join ' ')
        $cron = Invoke-CapturedProcess -FileName sh -Arguments @('-c', $command) -Environment $bare
        $cron.ExitCode | Should -Be 0 -Because ($cron.Text + (Get-Content -LiteralPath $LogFile -Raw -ErrorAction SilentlyContinue))
        $log = Get-Content -LiteralPath $LogFile -Raw
        $log | Should -Match "Created ecr $([regex]::Escape($Registry)) via Rest"
        (Get-EmulatorConnections -Url $Emu.Url | Where-Object connection_id -eq 'ecr').password | Should -BeExactly (Get-IssuedToken)

        # systemd: the EnvironmentFile's assignments (quotes removed, as systemd does), then ExecStart's words.
        $null = Invoke-RestMethod -Method Delete -Uri "$($Emu.Url)/_emulator/requests"
        $environment = $bare.Clone()
        foreach ($line in Get-Content -LiteralPath $EnvFile) { if ($line -match "^(\w+)='(.*)'$") { $environment[$Matches[1]] = $Matches[2] } }
        $words = -split (Expand-Deployment $ExecStart)
        $systemd = Invoke-CapturedProcess -FileName $words[0] -Arguments @($words | Select-Object -Skip 1) -Environment $environment
        $systemd.ExitCode | Should -Be 0 -Because $systemd.Text
        $systemd.Out | Should -Match "Skipped ecr $([regex]::Escape($Registry)) via Rest"
        Get-EmulatorWrites -Url $Emu.Url | Should -BeNullOrEmpty
        Assert-NoSecret -Text ($log + $systemd.Text) -Secrets (Get-RecipeSecrets) -Where 'the refresh log'
    }
}
