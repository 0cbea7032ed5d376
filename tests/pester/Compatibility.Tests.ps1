# Windows PowerShell 5.1 reads the module's manifest, runs the examples users schedule, and (in the Windows CI
# job) every Pester suite with its peers' helpers. PowerShell 7's parser reads syntax that 5.1 rejects outright:
# ?: (ternary), ?? and ??=, && and || between pipelines, ?. and ?[] — a single use stops a whole file on
# 5.1. This test finds them with PowerShell's own AST, so the 5.1 leg cannot fail to even load a file.

BeforeDiscovery {
    $root = if ($env:ECRAIRFLOW_TEST_ROOT) { $env:ECRAIRFLOW_TEST_ROOT } else { (Resolve-Path "$PSScriptRoot/../..").Path }
    $script:Files = @(@(Get-ChildItem (Join-Path $root 'tests/pester'), (Join-Path $root 'tests/peers'), (Join-Path $root 'examples'), (Join-Path $root 'module') -Recurse -Include *.ps1, *.psm1) +
        @(Get-Item (Join-Path $root 'EcrAirflow.psd1'), (Join-Path $root 'build/Manifest.ps1')) |
        ForEach-Object { @{ Path = $_.FullName; Name = $_.FullName.Substring($root.Length + 1) } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:ManifestPath = Join-Path $(if ($env:ECRAIRFLOW_TEST_ROOT) { $env:ECRAIRFLOW_TEST_ROOT } else { (Resolve-Path "$PSScriptRoot/../..").Path }) 'EcrAirflow.psd1'
    # PowerShell 7's syntax in a parsed script: one line per use.
    function Find-NewerSyntax([System.Management.Automation.Language.Ast] $Ast) {
        $newer = $Ast.FindAll({ param($n)
                $n -is [System.Management.Automation.Language.TernaryExpressionAst] -or
                $n -is [System.Management.Automation.Language.PipelineChainAst] -or
                ($n -is [System.Management.Automation.Language.BinaryExpressionAst] -and $n.Operator -eq 'QuestionQuestion') -or
                ($n -is [System.Management.Automation.Language.AssignmentStatementAst] -and $n.Operator -eq 'QuestionQuestionEquals') -or
                ($n -is [System.Management.Automation.Language.MemberExpressionAst] -and $n.NullConditional) -or
                ($n -is [System.Management.Automation.Language.IndexExpressionAst] -and $n.NullConditional)
            }, $true)
        @($newer | ForEach-Object { "line $($_.Extent.StartLineNumber): $($_.Extent.Text)" })
    }
}

Describe 'Scripts that Windows PowerShell 5.1 runs' {
    It '<Name> uses no syntax newer than 5.1' -ForEach $Files {
        $tokens = $null; $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref]$tokens, [ref]$errors)
        $errors | Should -BeNullOrEmpty
        Find-NewerSyntax $ast | Should -BeNullOrEmpty
    }

    It 'the manifest is in the restricted language Windows PowerShell 5.1 reads manifests in' {
        # What Import-Module checks before it evaluates a manifest; 5.1 lets a manifest read $PSEdition and
        # $PSScriptRoot (7 adds $EnabledExperimentalFeatures), and if/else on them, nothing else that is dynamic.
        $block = [scriptblock]::Create([IO.File]::ReadAllText($ManifestPath))
        { $block.CheckRestrictedLanguage([string[]]@(), [string[]]@('PSEdition', 'PSScriptRoot'), $false) } | Should -Not -Throw
        $root = Get-ManifestRootModule $ManifestPath
        $root.Desktop | Should -Be 'bin/netstandard2.0/EcrAirflow.dll'
        $root.Core | Should -Be 'bin/net8.0/EcrAirflow.dll'
    }

    It 'the steps of the Azure Pipelines example use no syntax newer than 5.1 (its AWS task runs powershell.exe)' {
        . (Join-Path $PSScriptRoot 'Recipes.Common.ps1')  # Peers.ps1 came with Common.ps1 (BeforeAll)
        $yaml = Read-YamlFile (Join-Path $RecipesRoot 'examples/azure/refresh-airflow-ecr.yml')
        $scripts = @(foreach ($s in $yaml.steps) { if ($s.powershell) { $s.powershell } elseif ($s.inputs.inlineScript) { $s.inputs.inlineScript } })
        $scripts | Should -Not -BeNullOrEmpty
        foreach ($script in $scripts) {
            $tokens = $null; $errors = $null
            $ast = [System.Management.Automation.Language.Parser]::ParseInput($script, [ref]$tokens, [ref]$errors)
            $errors | Should -BeNullOrEmpty
            Find-NewerSyntax $ast | Should -BeNullOrEmpty
        }
    }
}
