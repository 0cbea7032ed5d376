# The documentation as a reader meets it: the README fits on a few screens and holds the two quick-start
# commands; every relative link in README.md, SECURITY.md and docs/ leads to a file, and every #anchor to a
# heading of that file (GitHub's anchor rules); every PowerShell snippet parses and defines each variable it
# uses; every mode has its page; and the bench writes its tables into docs/performance.md's generated section
# and nowhere else on the page.

BeforeDiscovery {
    $script:DocsRoot = if ($env:ECRAIRFLOW_TEST_ROOT) { $env:ECRAIRFLOW_TEST_ROOT } else { (Resolve-Path "$PSScriptRoot/../..").Path }
    $script:Pages = @(@('README.md', 'SECURITY.md') | ForEach-Object { Join-Path $DocsRoot $_ }) +
        @(Get-ChildItem (Join-Path $DocsRoot 'docs') -Recurse -Filter *.md | ForEach-Object FullName) |
        ForEach-Object { @{ Path = $_; Name = $_.Substring($DocsRoot.Length + 1).Replace('\', '/') } }
    Import-Module $env:ECRAIRFLOW_TEST_MODULE -Force
    $script:Modes = @([Enum]::GetNames([EcrAirflow.SyncMode]))
}

BeforeAll {
    $script:DocsRoot = if ($env:ECRAIRFLOW_TEST_ROOT) { $env:ECRAIRFLOW_TEST_ROOT } else { (Resolve-Path "$PSScriptRoot/../..").Path }

    # The page's lines outside fenced code blocks (``` or ~~~), as [pscustomobject]@{ Number; Text }.
    function Get-ProseLines([string] $Path) {
        $fence = $null
        $number = 0
        foreach ($line in [IO.File]::ReadAllLines($Path)) {
            $number++
            if ($line -match '^\s{0,3}(```+|~~~+)') {
                if (-not $fence) { $fence = $Matches[1].Substring(0, 3); continue }
                if ($Matches[1].StartsWith($fence)) { $fence = $null; continue }
            }
            if (-not $fence) { [pscustomobject]@{ Number = $number; Text = $line } }
        }
    }

    # The fenced code blocks of a page: [pscustomobject]@{ Language; Line (of the opening fence); Code }.
    function Get-CodeBlocks([string] $Path) {
        $lines = [IO.File]::ReadAllLines($Path)
        for ($i = 0; $i -lt $lines.Count; $i++) {
            if ($lines[$i] -match '^\s{0,3}(```+)\s*(\S*)') {
                $fence = $Matches[1]; $language = $Matches[2]; $start = $i
                $body = [Collections.Generic.List[string]]::new()
                for ($i++; $i -lt $lines.Count -and -not $lines[$i].TrimStart().StartsWith($fence); $i++) { $body.Add($lines[$i]) }
                [pscustomobject]@{ Language = $language; Line = $start + 1; Code = ($body -join "`n") }
            }
        }
    }

    # GitHub's anchor for each heading of a page: the heading's text as rendered (links reduced to their text,
    # no code or emphasis marks), lower-cased, every character that is not a letter, digit, space, - or _
    # removed, spaces turned into -; a repeated anchor gets -1, -2, ...
    function Get-Anchors([string] $Path) {
        $seen = @{}
        foreach ($line in Get-ProseLines $Path) {
            if ($line.Text -notmatch '^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$') { continue }
            $text = $Matches[1] -replace '!?\[([^\]]*)\]\([^)]*\)', '$1' -replace '<[^>]+>', '' -replace '[`*]', ''
            $anchor = ($text.ToLowerInvariant() -replace '[^\p{L}\p{Mn}\p{Nd}\p{Pc} -]', '') -replace ' ', '-'
            if ($seen.ContainsKey($anchor)) { $seen[$anchor]++; $anchor = "$anchor-$($seen[$anchor])" }
            else { $seen[$anchor] = 0 }
            $anchor
        }
    }

    # The inline links of a page outside code: [pscustomobject]@{ Line; Target }.
    function Get-Links([string] $Path) {
        foreach ($line in Get-ProseLines $Path) {
            $text = $line.Text -replace '``[^`]*``', '' -replace '`[^`]*`', ''
            foreach ($m in [regex]::Matches($text, '!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)')) {
                [pscustomobject]@{ Line = $line.Number; Target = $m.Groups[1].Value }
            }
        }
    }

    # Variables PowerShell (or the pipeline) provides; a snippet uses them without assigning them.
    $script:Automatic = 'true', 'false', 'null', '_', 'PSItem', 'args', 'input', 'this', 'PSScriptRoot', 'PSCommandPath',
        'PSVersionTable', 'PSEdition', 'HOME', 'PWD', 'IsWindows', 'IsLinux', 'IsMacOS', 'Error', 'LASTEXITCODE', 'Matches',
        'ErrorActionPreference', 'PSCmdlet', 'Host'
}

Describe 'The README' {
    It 'fits on a few screens (at most 300 lines) and holds both quick-start commands as they run' {
        $lines = [IO.File]::ReadAllLines((Join-Path $DocsRoot 'README.md'))
        $lines.Count | Should -BeLessOrEqual 300
        $lines | Should -Contain 'dotnet tool restore && dotnet pwsh ./build.ps1 -Task Demo'
        $lines | Should -Contain 'dotnet tool restore && dotnet pwsh -NoProfile -NonInteractive ./build.ps1 -Task Test'
        ($lines -join "`n") | Should -Match 'demo takes about \d' -Because 'a newcomer learns how long the demo takes'
        ($lines -join "`n") | Should -Match 'tests about \d+ minutes'
    }

    It 'has an example and a page for every mode, <_>' -ForEach $Modes {
        Test-Path -LiteralPath (Join-Path $DocsRoot "docs/modes/$_.md") | Should -BeTrue -Because "docs/modes/$_.md describes -Mode $_"
        $readme = Get-Content -LiteralPath (Join-Path $DocsRoot 'README.md') -Raw
        $readme | Should -Match ([regex]::Escape("(docs/modes/$_.md)"))
        if ($_ -ne 'Rest') { $readme | Should -Match "-Mode $_\b" -Because "the README shows a short example of -Mode $_" }
    }
}

Describe 'Links in <Name>' -ForEach $Pages {
    It 'every relative link leads to a file, and every #anchor to a heading there' {
        $problems = foreach ($link in Get-Links $Path) {
            $target = $link.Target
            if ($target -match '^[a-zA-Z][a-zA-Z0-9+.-]*:') { continue }   # https:, mailto: ...
            $file, $anchor = $target -split '#', 2
            $resolved = if ($file) { [IO.Path]::GetFullPath((Join-Path (Split-Path $Path) ([Uri]::UnescapeDataString($file)))) } else { $Path }
            if (-not (Test-Path -LiteralPath $resolved)) { "line $($link.Line): $target - no such file"; continue }
            if ($anchor) {
                if ($resolved -notlike '*.md') { "line $($link.Line): $target - an anchor into a file that is not Markdown"; continue }
                if ((Get-Anchors $resolved) -notcontains $anchor) { "line $($link.Line): $target - no heading with the anchor #$anchor in $(Split-Path $resolved -Leaf)" }
            }
        }
        @($problems) | Should -BeNullOrEmpty
    }

    It 'every PowerShell snippet parses and defines each variable it uses' {
        $problems = foreach ($block in Get-CodeBlocks $Path | Where-Object Language -in 'powershell', 'pwsh', 'ps1') {
            $tokens = $null; $errors = $null
            $ast = [System.Management.Automation.Language.Parser]::ParseInput($block.Code, [ref]$tokens, [ref]$errors)
            if ($errors) { "snippet at line $($block.Line): $($errors[0].Message)"; continue }
            $assigned = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.AssignmentStatementAst] }, $true) |
                ForEach-Object { $_.Left.FindAll({ param($n) $n -is [System.Management.Automation.Language.VariableExpressionAst] }, $true) } |
                ForEach-Object { $_.VariablePath.UserPath })
            $assigned += @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.ForEachStatementAst] }, $true) | ForEach-Object { $_.Variable.VariablePath.UserPath })
            $assigned += @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.ParameterAst] }, $true) | ForEach-Object { $_.Name.VariablePath.UserPath })
            $used = $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.VariableExpressionAst] }, $true) |
                Where-Object { -not $_.VariablePath.IsDriveQualified } | ForEach-Object { $_.VariablePath.UserPath } | Sort-Object -Unique
            foreach ($name in $used) {
                if ($name -notin $assigned -and $name -notin $Automatic) { "snippet at line $($block.Line): `$$name is used but never defined" }
            }
        }
        @($problems) | Should -BeNullOrEmpty
    }
}

Describe 'The performance page' {
    BeforeAll {
        . (Join-Path $DocsRoot 'tests/pester/Common.ps1')
        . (Join-Path $DocsRoot 'build/Docs.ps1')
    }

    It 'keeps the bench''s tables between its markers, and the bench replaces only those lines' {
        $page = Join-Path $DocsRoot 'docs/performance.md'
        $lines = [IO.File]::ReadAllLines($page)
        $begin = [array]::FindIndex($lines, [Predicate[string]] { param($l) $l.StartsWith('<!-- bench:begin') })
        $end = [array]::FindIndex($lines, [Predicate[string]] { param($l) $l.StartsWith('<!-- bench:end') })
        $begin | Should -BeGreaterThan 0
        $end | Should -BeGreaterThan $begin
        ($lines[($begin + 1)..($end - 1)] -join "`n") | Should -Match '\| Row \| pwsh -Command \|' -Because 'the latest run''s tables sit between the markers'

        $folder = New-TestFolder 'docs'
        try {
            $copy = Join-Path $folder 'performance.md'
            Copy-Item -LiteralPath $page -Destination $copy
            # Blank lines between the tables, as the bench writes them (an empty string once failed to bind).
            $tables = @('| Machine | |', '|---|---|', '| CPU | test |', '', 'Load: test.', '')
            Set-GeneratedSection -Path $copy -Name 'bench' -Lines $tables
            $after = [IO.File]::ReadAllLines($copy)
            $after[0..$begin] | Should -Be $lines[0..$begin] -Because 'the prose above the section stays'
            $after[($begin + 1)..($begin + $tables.Count)] | Should -Be $tables
            $after[($begin + $tables.Count + 1)..($after.Count - 1)] | Should -Be $lines[$end..($lines.Count - 1)] -Because 'the end marker and what follows stay'
        }
        finally { Remove-TestFolder $folder }
    }

    It 'refuses a page without the markers, and leaves it as it was' {
        $folder = New-TestFolder 'docs'
        try {
            $plain = Join-Path $folder 'plain.md'
            [IO.File]::WriteAllText($plain, "# Title`n`nText.`n")
            { Set-GeneratedSection -Path $plain -Name 'bench' -Lines @('x') } | Should -Throw '*no generated section*'
            [IO.File]::ReadAllText($plain) | Should -Be "# Title`n`nText.`n"
        }
        finally { Remove-TestFolder $folder }
    }
}
