# Reading EcrAirflow.psd1 as Import-Module does. Its RootModule is `if ($PSEdition -eq 'Core') { ... } else { ... }`,
# which a manifest may hold (the restricted language allows if/else and $PSEdition) but Import-PowerShellDataFile
# refuses (it takes constants only), so build.ps1 and the tests read the manifest with these.
# Dot-sourced by build.ps1 and by tests/pester/Common.ps1; Windows PowerShell 5.1 runs it too: no PowerShell-7-only syntax.

function Read-ModuleManifest([string] $Path) {
    # The manifest's hashtable for this PowerShell's edition, after the check Import-Module makes: the restricted
    # language, no command, and no variable but the ones a manifest may read.
    $block = [scriptblock]::Create([IO.File]::ReadAllText($Path))
    $block.CheckRestrictedLanguage([string[]]@(), [string[]]@('PSEdition', 'PSScriptRoot', 'EnabledExperimentalFeatures'), $false)
    & $block
}

function Get-ManifestRootModule([string] $Path) {
    # What RootModule names for each edition: @{ Core = ...; Desktop = ...; Extent = the value's text extent }, read
    # from the manifest's syntax tree, so both branches are known whatever edition runs this.
    $errors = $null
    $ast = [Management.Automation.Language.Parser]::ParseFile($Path, [ref]$null, [ref]$errors)
    if ($errors) { throw "$Path does not parse: $($errors[0].Message)" }
    $table = $ast.Find({ param($n) $n -is [Management.Automation.Language.HashtableAst] }, $false)
    $pair = @($table.KeyValuePairs | Where-Object { $_.Item1.Value -eq 'RootModule' })
    if ($pair.Count -ne 1) { throw "$Path has no RootModule key." }
    $value = $pair[0].Item2
    $if = $value.Find({ param($n) $n -is [Management.Automation.Language.IfStatementAst] }, $true)
    if (-not $if -or $if.Clauses.Count -ne 1 -or -not $if.ElseClause -or $if.Clauses[0].Item1.Extent.Text -notmatch "^\`$PSEdition\s+-eq\s+'Core'$") {
        throw "$Path's RootModule is not `"if (`$PSEdition -eq 'Core') { '<file>' } else { '<file>' }`"."
    }
    $text = { param($block) $s = $block.Find({ param($n) $n -is [Management.Automation.Language.StringConstantExpressionAst] }, $true); if (-not $s) { throw "$Path's RootModule branch is not a string." }; $s.Value }
    @{ Core = & $text $if.Clauses[0].Item2; Desktop = & $text $if.ElseClause; Extent = $value.Extent }
}
