# Generated sections of the Markdown pages in docs/: a build task keeps its own tables current between two
# marker lines and leaves the prose around them alone. Dot-sourced by build/Bench.ps1 (and by the docs' tests).

# Replaces the lines between "<!-- <Name>:begin" and "<!-- <Name>:end" (the marker lines stay) with -Lines,
# keeping the file's line endings. Throws when the page has no such pair of markers, in that order.
function Set-GeneratedSection {
    param(
        [Parameter(Mandatory)] [string] $Path,
        [Parameter(Mandatory)] [string] $Name,
        [Parameter(Mandatory)] [AllowEmptyCollection()] [AllowEmptyString()] [string[]] $Lines
    )
    $text = [IO.File]::ReadAllText($Path)
    $newline = if ($text.Contains("`r`n")) { "`r`n" } else { "`n" }
    $all = $text -split '\r?\n'
    $begin = -1; $end = -1
    for ($i = 0; $i -lt $all.Count; $i++) {
        if ($begin -lt 0 -and $all[$i].StartsWith("<!-- ${Name}:begin")) { $begin = $i }
        elseif ($begin -ge 0 -and $all[$i].StartsWith("<!-- ${Name}:end")) { $end = $i; break }
    }
    if ($begin -lt 0 -or $end -lt 0) { throw "$Path has no generated section between the lines '<!-- ${Name}:begin -->' and '<!-- ${Name}:end -->'." }
    $result = @($all[0..$begin]) + @($Lines) + @($all[$end..($all.Count - 1)])
    [IO.File]::WriteAllText($Path, ($result -join $newline), [Text.UTF8Encoding]::new($false))
}
