# The release metadata as it ships: the staged manifest (what Publish-PSResource packs) passes
# Test-ModuleManifest, carries the source manifest's version, the gallery tags and CHANGELOG.md's section of
# that version as ReleaseNotes, names no project or icon URL that does not exist; LICENSE, CHANGELOG.md and
# SECURITY.md are in the repository, and the nupkg holds the licence, the changelog and the help topics.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Root = $env:ECRAIRFLOW_TEST_ROOT
    if (-not $Root) { $script:Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path }
    # The staged manifest as it ships (on the test task's netstandard2.0 leg, ECRAIRFLOW_TEST_MODULE is a copy whose
    # RootModule is already the Desktop branch; see build.ps1).
    $script:Staged = if ($env:ECRAIRFLOW_TEST_STAGED) { $env:ECRAIRFLOW_TEST_STAGED } else { $env:ECRAIRFLOW_TEST_MODULE }
    $script:Source = Read-ModuleManifest (Join-Path $Root 'EcrAirflow.psd1')
    $script:Version = $Source.ModuleVersion
    $script:Nupkg = Join-Path $env:ECRAIRFLOW_TEST_REPO "EcrAirflow.$Version.nupkg"

    # CHANGELOG.md's section for a version, read independently of build.ps1: the lines after "## [<version>]"
    # up to the next "## " heading, trimmed.
    function Get-Section([string] $Version) {
        $lines = [IO.File]::ReadAllLines((Join-Path $Root 'CHANGELOG.md'))
        $at = -1
        for ($i = 0; $i -lt $lines.Count; $i++) { if ($lines[$i].StartsWith("## [$Version]")) { $at = $i; break } }
        if ($at -lt 0) { return $null }
        $body = @()
        for ($i = $at + 1; $i -lt $lines.Count; $i++) {
            if ($lines[$i].StartsWith('## ')) { break }
            $body += $lines[$i].TrimEnd()
        }
        ($body -join "`n").Trim()
    }

    function Get-ZipEntryNames([string] $Path) {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead($Path)
        try { @($zip.Entries | ForEach-Object { $_.FullName }) } finally { $zip.Dispose() }
    }
}

Describe 'The staged manifest' {
    It 'is what Import-Module reads, and Import-PowerShellDataFile does not: its RootModule depends on $PSEdition' {
        # A manifest may hold if/else on $PSEdition; Import-PowerShellDataFile takes constants only, which is why
        # build.ps1 and these tests read it with Read-ModuleManifest (build/Manifest.ps1).
        { Import-PowerShellDataFile $Staged -ErrorAction Stop } | Should -Throw
        $root = Get-ManifestRootModule $Staged
        (Read-ModuleManifest $Staged).RootModule | Should -BeIn @($root.Core, $root.Desktop)
    }

    It 'passes Test-ModuleManifest' {
        { Test-ModuleManifest -Path $Staged -ErrorAction Stop } | Should -Not -Throw
        (Test-ModuleManifest -Path $Staged).Name | Should -Be 'EcrAirflow'
    }

    It 'has the source manifest''s version (the one place the version lives)' {
        $Version | Should -Match '^\d+\.\d+\.\d+$'
        (Test-ModuleManifest -Path $Staged).Version.ToString() | Should -Be $Version
        (Read-ModuleManifest $Staged).ModuleVersion | Should -Be $Version
        Split-Path (Split-Path $Staged) -Leaf | Should -Be $Version
    }

    It 'carries CHANGELOG.md''s section of its version as ReleaseNotes' {
        $section = Get-Section $Version
        $section | Should -Not -BeNullOrEmpty
        $section | Should -Match '### Added'
        (Read-ModuleManifest $Staged).PrivateData.PSData.ReleaseNotes | Should -BeExactly $section
        (Test-ModuleManifest -Path $Staged).ReleaseNotes | Should -BeExactly $section
    }

    It 'has the gallery tags, and keeps the existing ones' {
        $tags = @((Read-ModuleManifest $Staged).PrivateData.PSData.Tags)
        foreach ($tag in 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS', 'MWAA', 'SecretsManager', 'AWS', 'ECR', 'Airflow', 'Docker', 'Credentials') {
            $tags | Should -Contain $tag
        }
    }

    It 'names no ProjectUri or IconUri (there is none that is real), and the Apache-2.0 licence' {
        foreach ($manifest in (Join-Path $Root 'EcrAirflow.psd1'), $Staged) {
            $psData = (Read-ModuleManifest $manifest).PrivateData.PSData
            $psData.Keys | Should -Not -Contain 'ProjectUri'
            $psData.Keys | Should -Not -Contain 'IconUri'
            $psData.LicenseUri | Should -Be 'https://www.apache.org/licenses/LICENSE-2.0'
        }
        $m = Test-ModuleManifest -Path $Staged
        $m.ProjectUri | Should -BeNullOrEmpty
        $m.IconUri | Should -BeNullOrEmpty
    }

    It 'is UTF-8 with a BOM, so Windows PowerShell 5.1 reads the release notes'' characters as written' {
        $bytes = [IO.File]::ReadAllBytes($Staged)
        @($bytes[0], $bytes[1], $bytes[2]) | Should -Be @(0xEF, 0xBB, 0xBF)
    }
}

Describe 'The release documents' {
    It 'LICENSE is the Apache License 2.0' {
        $license = Join-Path $Root 'LICENSE'
        Test-Path -LiteralPath $license | Should -BeTrue
        Get-Content -LiteralPath $license -Raw | Should -Match 'Apache License\s+Version 2\.0, January 2004'
    }

    It 'CHANGELOG.md follows Keep a Changelog: a dated section for the manifest''s version, newest first' {
        $text = Get-Content -LiteralPath (Join-Path $Root 'CHANGELOG.md') -Raw
        $text | Should -Match 'keepachangelog\.com/en/1\.1\.0'
        $released = @([regex]::Matches($text, '(?m)^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$') | ForEach-Object {
                [pscustomobject]@{ Version = [version]$_.Groups[1].Value; Date = [datetime]::ParseExact($_.Groups[2].Value, 'yyyy-MM-dd', [Globalization.CultureInfo]::InvariantCulture) }
            })
        $released[0].Version | Should -Be ([version]$Version) -Because 'the newest section is the version the manifest ships'
        $released.Count | Should -BeGreaterThan 1
        for ($i = 1; $i -lt $released.Count; $i++) {
            $released[$i].Version | Should -BeLessThan $released[$i - 1].Version
            $released[$i].Date | Should -BeLessOrEqual $released[$i - 1].Date
            Get-Section $released[$i].Version.ToString() | Should -Not -BeNullOrEmpty
        }
        foreach ($mode in 'SecretsManager', 'ParameterStore', 'Mwaa') { $text | Should -Match "-Mode $mode" }
    }

    It 'SECURITY.md says how to report privately and links the security model' {
        $text = Get-Content -LiteralPath (Join-Path $Root 'SECURITY.md') -Raw
        $text | Should -Match '\(docs/security\.md\)'
        $supported = ([version]$Version).ToString(2) + '.x'
        $text | Should -Match ([regex]::Escape($supported)) -Because "it names the supported line of the manifest's version ($supported)"
        Get-Content -LiteralPath (Join-Path $Root 'docs/security.md') | Should -Contain '# Security model'
    }
}

Describe 'The nupkg' {
    It 'is built for the manifest version and holds the manifest, the licence, the changelog and every help topic' {
        Test-Path -LiteralPath $Nupkg | Should -BeTrue
        $names = Get-ZipEntryNames $Nupkg
        Import-Module $env:ECRAIRFLOW_TEST_MODULE -Force   # for the modes it registers: each ships its help topic
        $topics = @('en-US/about_EcrAirflow.help.txt') + @([Enum]::GetNames([EcrAirflow.SyncMode]) | ForEach-Object { "en-US/about_EcrAirflow_$_.help.txt" })
        foreach ($file in @('EcrAirflow.psd1', 'LICENSE', 'CHANGELOG.md', 'bin/net8.0/EcrAirflow.dll', 'bin/netstandard2.0/EcrAirflow.dll', 'bin/net8.0/EcrAirflow.Core.dll') + $topics) {
            $names | Should -Contain $file
        }
        $names | Where-Object { $_ -match '\.(cs|pdb|psm1)$' -or $_ -match 'Tests\.ps1$' } | Should -BeNullOrEmpty
    }
}
