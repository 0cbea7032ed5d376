# Generates MAML help (en-US/EcrAirflow.dll-Help.xml) from the readable sources in module/help-src/, and
# validates them against the cmdlets' real parameters: a parameter without a description, a described
# parameter that does not exist, or fewer than three examples fails the build. Dot-sourced by build.ps1.

function ConvertTo-HelpParagraphs([string] $Text) {
    # Paragraphs are separated by blank lines; single newlines inside a paragraph are kept as spaces.
    if (-not $Text) { return @() }
    ($Text.Trim() -split '\r?\n\s*\r?\n') | ForEach-Object { ($_ -split '\r?\n' | ForEach-Object Trim) -join ' ' }
}

function Write-Paragraphs([System.Xml.XmlWriter] $W, [string] $Text) {
    foreach ($p in ConvertTo-HelpParagraphs $Text) { $W.WriteElementString('maml', 'para', 'http://schemas.microsoft.com/maml/2004/10', $p) }
}

function Get-TypeLabel([type] $Type) {
    if ($Type -eq [System.Management.Automation.SwitchParameter]) { return 'SwitchParameter' }
    $underlying = [Nullable]::GetUnderlyingType($Type)
    if ($underlying) { return $underlying.Name }
    return $Type.Name
}

function Get-CoreAssembly($Command) {
    # EcrAirflow.Core, where the mode table is: the cmdlet's assembly (EcrAirflow.dll) loads it on first use, through
    # its internal CoreLink.
    $link = $Command.ImplementingType.Assembly.GetType('EcrAirflow.Internal.Loading.CoreLink', $true)
    $link.GetProperty('Assembly', [System.Reflection.BindingFlags]'NonPublic, Static').GetValue($null)
}

function Get-ModeTableHelp {
    # What the code's mode table says (internal, so read through reflection): one paragraph per mode, per
    # parameter the line "Modes: Rest (default 30), Cli (default 300)." and its default, the parameters of each
    # mode (for one syntax per mode), and each mode's own parameter descriptions from the help source in its
    # folder (<Mode>.help.psd1, and HttpModeParameters.help.psd1 for what the modes that talk HTTP inherit).
    param([Parameter(Mandatory)] $Command, [Parameter(Mandatory)] [string] $TypeName, [Parameter(Mandatory)] [string] $CodeDirectory)
    $type = (Get-CoreAssembly $Command).GetType($TypeName, $true)
    $flags = [System.Reflection.BindingFlags]'NonPublic, Public, Static'
    $call = { param($name, $arguments) $type.GetMethod($name, $flags).Invoke($null, [object[]] $arguments) }
    $lines = @{}
    $defaults = @{}
    foreach ($name in $Command.Parameters.Keys) {
        $line = & $call 'HelpModesLine' @([string]$name)
        if ($line) { $lines[$name] = $line }
        $default = & $call 'HelpDefault' @([string]$name)
        if ($default) { $defaults[$name] = $default }
    }
    $modes = [ordered]@{}
    $descriptions = @{}
    $inherited = Join-Path $CodeDirectory 'Modes/HttpModeParameters.help.psd1'
    $shared = if (Test-Path $inherited) { (Import-PowerShellDataFile $inherited).Parameters } else { @{} }
    foreach ($mode in (& $call 'Modes' @())) {
        $modes[$mode] = @(& $call 'ParametersOf' @([string]$mode))
        $source = Join-Path $CodeDirectory ((& $call 'FolderOf' @([string]$mode)) + "/$mode.help.psd1")
        $own = if (Test-Path $source) { (Import-PowerShellDataFile $source).Parameters } else { @{} }
        foreach ($name in $modes[$mode]) {
            $text = if ($own.ContainsKey($name)) { $own[$name] } elseif ($shared.ContainsKey($name)) { $shared[$name] } else { $null }
            if ($text) {
                if (-not $descriptions.ContainsKey($name)) { $descriptions[$name] = [ordered]@{} }
                $descriptions[$name][$mode] = $text
            }
        }
    }
    # A parameter several modes describe alike has one description; otherwise "<modes>: <text>" per wording.
    $merged = @{}
    foreach ($name in $descriptions.Keys) {
        $byText = [ordered]@{}
        foreach ($mode in $descriptions[$name].Keys) {
            $text = $descriptions[$name][$mode]
            if (-not $byText.Contains($text)) { $byText[$text] = [System.Collections.Generic.List[string]]::new() }
            $byText[$text].Add($mode)
        }
        $merged[$name] = if ($byText.Count -eq 1) { @($byText.Keys)[0] } else { (@($byText.Keys) | ForEach-Object { "$($byText[$_] -join ', '): $_" }) -join "`n`n" }
    }
    $specific = @($Command.Parameters.Keys | Where-Object { & $call 'IsModeSpecific' @([string]$_) })
    [pscustomobject]@{ Sections = @(& $call 'HelpSections' @()); Lines = $lines; Defaults = $defaults; Modes = $modes; Descriptions = $merged; ModeSpecific = $specific }
}

function Build-MamlHelp {
    param(
        [Parameter(Mandatory)] [string] $SourceDirectory,
        [Parameter(Mandatory)] [string] $ModuleManifest,
        [Parameter(Mandatory)] [string] $OutputFile,
        # Where the mode folders' help sources are (src/EcrAirflow.Core).
        [Parameter(Mandatory)] [string] $CodeDirectory
    )
    $module = Import-Module $ModuleManifest -Force -PassThru
    try {
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        $problems = [System.Collections.Generic.List[string]]::new()
        $settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false) }
        $null = New-Item -ItemType Directory -Path (Split-Path $OutputFile) -Force
        $w = [System.Xml.XmlWriter]::Create($OutputFile, $settings)
        $maml = 'http://schemas.microsoft.com/maml/2004/10'
        $cmdNs = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
        $dev = 'http://schemas.microsoft.com/maml/dev/2004/10'
        $w.WriteStartDocument()
        $w.WriteStartElement('helpItems', 'http://msh')
        $w.WriteAttributeString('schema', 'maml')
        foreach ($cmd in (Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name)) {
            $sourcePath = Join-Path $SourceDirectory "$($cmd.Name).psd1"
            if (-not (Test-Path $sourcePath)) { $problems.Add("$($cmd.Name): no help source $sourcePath"); continue }
            $src = Import-PowerShellDataFile $sourcePath
            if ($src.ContainsKey('SharedParameters')) {
                $shared = (Import-PowerShellDataFile (Join-Path $SourceDirectory $src.SharedParameters)).Parameters
                foreach ($name in $shared.Keys) {
                    if ($src.Parameters.ContainsKey($name)) { $problems.Add("$($cmd.Name): -$name is described both in $sourcePath and in $($src.SharedParameters)") }
                    else { $src.Parameters[$name] = $shared[$name] }
                }
            }
            $modeTable = if ($src.ContainsKey('ModeTable')) { Get-ModeTableHelp -Command $cmd -TypeName $src.ModeTable -CodeDirectory $CodeDirectory } else { $null }
            if ($modeTable) {
                foreach ($name in $modeTable.Descriptions.Keys) {
                    if ($src.Parameters.ContainsKey($name)) { $problems.Add("$($cmd.Name): -$name is described both in $sourcePath and in its mode's folder") }
                    else { $src.Parameters[$name] = $modeTable.Descriptions[$name] }
                }
            }
            $params = $cmd.Parameters.Values | Where-Object Name -notin $common
            foreach ($p in $params) {
                if (-not $src.Parameters.ContainsKey($p.Name) -or -not $src.Parameters[$p.Name].Trim()) { $problems.Add("$($cmd.Name): parameter -$($p.Name) has no description") }
            }
            foreach ($name in $src.Parameters.Keys) {
                if ($name -notin $params.Name) { $problems.Add("$($cmd.Name): help describes -$name, which the cmdlet does not have") }
            }
            if (@($src.Examples).Count -lt 3) { $problems.Add("$($cmd.Name): fewer than three examples") }
            if (-not $src.Synopsis -or -not $src.Description) { $problems.Add("$($cmd.Name): synopsis or description missing") }

            $w.WriteStartElement('command', 'command', $cmdNs)
            $w.WriteAttributeString('xmlns', 'maml', $null, $maml)
            $w.WriteAttributeString('xmlns', 'dev', $null, $dev)
            $w.WriteStartElement('command', 'details', $cmdNs)
            $w.WriteElementString('command', 'name', $cmdNs, $cmd.Name)
            $w.WriteStartElement('maml', 'description', $maml); Write-Paragraphs $w $src.Synopsis; $w.WriteEndElement()
            $w.WriteElementString('command', 'verb', $cmdNs, $cmd.Verb)
            $w.WriteElementString('command', 'noun', $cmdNs, $cmd.Noun)
            $w.WriteEndElement()
            $w.WriteStartElement('maml', 'description', $maml)
            Write-Paragraphs $w $src.Description
            if ($modeTable) {
                $w.WriteElementString('maml', 'para', $maml, 'PARAMETERS PER MODE')
                foreach ($section in $modeTable.Sections) { $w.WriteElementString('maml', 'para', $maml, $section) }
            }
            $w.WriteEndElement()

            $w.WriteStartElement('command', 'syntax', $cmdNs)
            if ($modeTable) {
                # One syntax per mode: what every call takes, -Mode <mode>, and that mode's own and shared parameters.
                $all = @($cmd.ParameterSets[0].Parameters | Where-Object Name -notin $common)
                foreach ($mode in $modeTable.Modes.Keys) {
                    $w.WriteStartElement('command', 'syntaxItem', $cmdNs)
                    $w.WriteElementString('maml', 'name', $maml, $cmd.Name)
                    $names = @($all | Where-Object { $_.Name -notin $modeTable.ModeSpecific } | ForEach-Object Name) + @($modeTable.Modes[$mode])
                    foreach ($name in $names) {
                        $sp = $all | Where-Object Name -eq $name | Select-Object -First 1
                        if (-not $sp) { continue }
                        $w.WriteStartElement('command', 'parameter', $cmdNs)
                        $required = $sp.IsMandatory -or ($modeTable.Sections | Where-Object { $_ -like "-Mode ${mode}:*" -and $_ -like "*-$name (required)*" })
                        $w.WriteAttributeString('required', ([bool]$required).ToString().ToLowerInvariant())
                        $w.WriteAttributeString('position', $(if ($sp.Position -ge 0) { "$($sp.Position)" } else { 'named' }))
                        $w.WriteElementString('maml', 'name', $maml, $sp.Name)
                        if ($name -eq 'Mode') { $w.WriteElementString('command', 'parameterValue', $cmdNs, $mode) }
                        elseif ($sp.ParameterType -ne [System.Management.Automation.SwitchParameter]) {
                            $w.WriteElementString('command', 'parameterValue', $cmdNs, (Get-TypeLabel $sp.ParameterType))
                        }
                        $w.WriteEndElement()
                    }
                    $w.WriteEndElement()
                }
            }
            foreach ($set in $(if ($modeTable) { @() } else { $cmd.ParameterSets })) {
                $w.WriteStartElement('command', 'syntaxItem', $cmdNs)
                $w.WriteElementString('maml', 'name', $maml, $cmd.Name)
                foreach ($sp in ($set.Parameters | Where-Object Name -notin $common)) {
                    $w.WriteStartElement('command', 'parameter', $cmdNs)
                    $w.WriteAttributeString('required', $sp.IsMandatory.ToString().ToLowerInvariant())
                    $w.WriteAttributeString('position', $(if ($sp.Position -ge 0) { "$($sp.Position)" } else { 'named' }))
                    $w.WriteElementString('maml', 'name', $maml, $sp.Name)
                    if ($sp.ParameterType -ne [System.Management.Automation.SwitchParameter]) {
                        $w.WriteElementString('command', 'parameterValue', $cmdNs, (Get-TypeLabel $sp.ParameterType))
                    }
                    $w.WriteEndElement()
                }
                $w.WriteEndElement()
            }
            $w.WriteEndElement()

            $w.WriteStartElement('command', 'parameters', $cmdNs)
            foreach ($p in ($params | Sort-Object Name)) {
                $attr = $p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] }
                $pipeline = @()
                if ($attr | Where-Object ValueFromPipeline) { $pipeline += 'ByValue' }
                if ($attr | Where-Object ValueFromPipelineByPropertyName) { $pipeline += 'ByPropertyName' }
                $positional = @($attr | Where-Object { $_.Position -ge 0 })
                $position = if ($positional.Count) { $positional[0].Position } else { $null }
                $w.WriteStartElement('command', 'parameter', $cmdNs)
                $required = if ($attr | Where-Object Mandatory) { 'true' } else { 'false' }
                $w.WriteAttributeString('required', $required)
                $w.WriteAttributeString('globbing', 'false')
                $w.WriteAttributeString('pipelineInput', $(if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' }))
                $w.WriteAttributeString('position', $(if ($null -ne $position) { "$position" } else { 'named' }))
                $w.WriteAttributeString('aliases', $(if ($p.Aliases.Count) { $p.Aliases -join ', ' } else { 'none' }))
                $w.WriteElementString('maml', 'name', $maml, $p.Name)
                $w.WriteStartElement('maml', 'description', $maml); Write-Paragraphs $w $src.Parameters[$p.Name]
                if ($modeTable -and $modeTable.Lines[$p.Name]) { $w.WriteElementString('maml', 'para', $maml, $modeTable.Lines[$p.Name]) }
                $w.WriteEndElement()
                if ($p.ParameterType -ne [System.Management.Automation.SwitchParameter]) {
                    $w.WriteElementString('command', 'parameterValue', $cmdNs, (Get-TypeLabel $p.ParameterType))
                }
                $w.WriteStartElement('dev', 'type', $dev); $w.WriteElementString('maml', 'name', $maml, $p.ParameterType.FullName); $w.WriteEndElement()
                if ($modeTable -and $modeTable.Defaults[$p.Name]) { $w.WriteElementString('dev', 'defaultValue', $dev, $modeTable.Defaults[$p.Name]) }
                $w.WriteEndElement()
            }
            $w.WriteEndElement()

            foreach ($section in @(@('inputTypes', 'inputType', $src.Inputs), @('returnValues', 'returnValue', $src.Outputs))) {
                $w.WriteStartElement('command', $section[0], $cmdNs)
                foreach ($entry in @($section[2])) {
                    if (-not $entry) { continue }
                    $w.WriteStartElement('command', $section[1], $cmdNs)
                    $w.WriteStartElement('dev', 'type', $dev); $w.WriteElementString('maml', 'name', $maml, $entry.Type); $w.WriteEndElement()
                    $w.WriteStartElement('maml', 'description', $maml); Write-Paragraphs $w $entry.Description; $w.WriteEndElement()
                    $w.WriteEndElement()
                }
                $w.WriteEndElement()
            }

            if ($src.Notes) {
                $w.WriteStartElement('maml', 'alertSet', $maml); $w.WriteStartElement('maml', 'alert', $maml); Write-Paragraphs $w $src.Notes; $w.WriteEndElement(); $w.WriteEndElement()
            }

            $w.WriteStartElement('command', 'examples', $cmdNs)
            $i = 0
            foreach ($ex in $src.Examples) {
                $i++
                $w.WriteStartElement('command', 'example', $cmdNs)
                $w.WriteElementString('maml', 'title', $maml, "-------------------------- Example ${i}: $($ex.Title) --------------------------")
                $w.WriteElementString('dev', 'code', $dev, $ex.Code.Trim())
                $w.WriteStartElement('dev', 'remarks', $dev); Write-Paragraphs $w $ex.Remarks; $w.WriteEndElement()
                $w.WriteEndElement()
            }
            $w.WriteEndElement()

            $w.WriteStartElement('command', 'relatedLinks', $cmdNs)
            foreach ($link in @($src.Links)) {
                if (-not $link) { continue }
                $w.WriteStartElement('maml', 'navigationLink', $maml)
                $w.WriteElementString('maml', 'linkText', $maml, $link)
                $w.WriteElementString('maml', 'uri', $maml, $(if ($link -match '^https?://') { $link } else { '' }))
                $w.WriteEndElement()
            }
            $w.WriteEndElement()
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
        $w.WriteEndDocument()
        $w.Close()
        if ($problems.Count) { throw "Help is incomplete:`n  " + ($problems -join "`n  ") }
    }
    finally {
        Remove-Module $module.Name -Force -ErrorAction SilentlyContinue
    }
}

# Greedy word wrap of one paragraph to lines of at most $Width characters, each prefixed with $Indent.
function Format-HelpText([string] $Text, [int] $Width, [string] $Indent) {
    $lines = [System.Collections.Generic.List[string]]::new()
    $line = ''
    foreach ($word in ($Text -split '\s+' | Where-Object { $_ })) {
        if ($line -and ($Indent.Length + $line.Length + 1 + $word.Length) -gt $Width) { $lines.Add($Indent + $line); $line = $word }
        elseif ($line) { $line += " $word" }
        else { $line = $word }
    }
    if ($line) { $lines.Add($Indent + $line) }
    $lines
}

function Build-ModeAboutTopics {
    <#
    .SYNOPSIS
        Writes en-US/about_EcrAirflow_<Mode>.help.txt for every mode, so Get-Help about_EcrAirflow_<Mode> works
        offline: from the About entry of the mode's help source (src/EcrAirflow.Core/Modes/<Folder>/<Mode>.help.psd1:
        Synopsis, Description, Errors), the mode's paragraph and parameters from the mode table in the code, and
        the parameters' descriptions from the help sources (the mode's own, HttpModeParameters.help.psd1, then the
        cmdlet's). A mode without a complete About entry fails the build.
    #>
    param(
        [Parameter(Mandatory)] [string] $ModuleManifest,
        [Parameter(Mandatory)] [string] $CodeDirectory,
        # The cmdlet help source whose Parameters describe the parameters every mode shares.
        [Parameter(Mandatory)] [string] $CmdletHelpSource,
        [Parameter(Mandatory)] [string] $OutputDirectory
    )
    $module = Import-Module $ModuleManifest -Force -PassThru
    try {
        $command = Get-Command Sync-AirflowEcrConnection -Module $module.Name
        $table = Get-ModeTableHelp -Command $command -TypeName 'EcrAirflow.Core.Commands.ModeHelp' -CodeDirectory $CodeDirectory
        $type = (Get-CoreAssembly $command).GetType('EcrAirflow.Core.Commands.ModeHelp', $true)
        $flags = [System.Reflection.BindingFlags]'NonPublic, Public, Static'
        $cmdletSource = Import-PowerShellDataFile $CmdletHelpSource
        $cmdletParameters = @{} + $cmdletSource.Parameters
        if ($cmdletSource.ContainsKey('SharedParameters')) {
            # The parameters every cmdlet that takes -Mode shares (-Region, -Proxy, ...) are described in one file.
            $sharedFile = (Import-PowerShellDataFile (Join-Path (Split-Path $CmdletHelpSource) $cmdletSource.SharedParameters)).Parameters
            foreach ($name in $sharedFile.Keys) { $cmdletParameters[$name] = $sharedFile[$name] }
        }
        $inherited = Join-Path $CodeDirectory 'Modes/HttpModeParameters.help.psd1'
        $shared = if (Test-Path $inherited) { (Import-PowerShellDataFile $inherited).Parameters } else { @{} }
        $modes = @($table.Modes.Keys)
        $problems = [System.Collections.Generic.List[string]]::new()
        $null = New-Item -ItemType Directory -Path $OutputDirectory -Force
        foreach ($mode in $modes) {
            $folder = $type.GetMethod('FolderOf', $flags).Invoke($null, @([string]$mode))
            $source = Join-Path $CodeDirectory "$folder/$mode.help.psd1"
            $help = if (Test-Path $source) { Import-PowerShellDataFile $source } else { @{} }
            $about = $help['About']
            $missing = @('Synopsis', 'Description', 'Errors' | Where-Object { -not $about -or -not "$($about[$_])".Trim() })
            if ($missing) { $problems.Add("${mode}: $source has no About.$($missing -join ', About.')"); continue }
            foreach ($line in ($about.Description -split '\r?\n')) {
                if ($line.Length -gt 106) { $problems.Add("${mode}: a line of About.Description is longer than 106 characters: $line") }
            }
            $own = if ($help['Parameters']) { $help.Parameters } else { @{} }
            $text = [System.Collections.Generic.List[string]]::new()
            $text.Add('TOPIC'); $text.Add("    about_EcrAirflow_$mode"); $text.Add('')
            $text.Add('SHORT DESCRIPTION'); Format-HelpText $about.Synopsis 110 '    ' | ForEach-Object { $text.Add($_) }; $text.Add('')
            $text.Add('LONG DESCRIPTION')
            foreach ($line in ($about.Description.Trim() -split '\r?\n')) { $text.Add($(if ($line) { "    $line" } else { '' })) }
            $text.Add('')
            $text.Add('PARAMETERS')
            $section = $table.Sections | Where-Object { $_ -like "-Mode ${mode}:*" } | Select-Object -First 1
            Format-HelpText $section 110 '    ' | ForEach-Object { $text.Add($_) }
            foreach ($name in $table.Modes[$mode]) {
                $description = if ($own.ContainsKey($name)) { $own[$name] } elseif ($shared.ContainsKey($name)) { $shared[$name] } else { $cmdletParameters[$name] }
                if (-not $description) { $problems.Add("${mode}: -$name has no description in any help source"); continue }
                $text.Add(''); $text.Add("    -$name")
                Format-HelpText $description 110 '        ' | ForEach-Object { $text.Add($_) }
            }
            $text.Add('')
            $text.Add('ERRORS')
            Format-HelpText ('The ids this mode adds to those every mode shares (about_EcrAirflow, ERRORS). Each row: the id an ' +
                'ErrorRecord''s FullyQualifiedErrorId starts with; "T" for a terminating error, "N" for a non-terminating one, "T/N" for one ' +
                'that is terminating when nothing was written yet and otherwise reported for each connection not written; the category; ' +
                'when it happens.') 110 '    ' | ForEach-Object { $text.Add($_) }
            $text.Add('')
            foreach ($line in ($about.Errors.Trim() -split '\r?\n')) { $text.Add($(if ($line) { "    $line" } else { '' })) }
            $text.Add('')
            $text.Add('SEE ALSO')
            foreach ($link in @('about_EcrAirflow') + @($modes | Where-Object { $_ -ne $mode } | ForEach-Object { "about_EcrAirflow_$_" }) + @('Sync-AirflowEcrConnection', 'Get-EcrDockerCredential')) { $text.Add("    $link") }
            # With a BOM, so that every PowerShell reads it as UTF-8 whatever the system's code page.
            [IO.File]::WriteAllText((Join-Path $OutputDirectory "about_EcrAirflow_$mode.help.txt"), (($text -join "`n") + "`n"), [Text.UTF8Encoding]::new($true))
        }
        if ($problems.Count) { throw "Mode help topics are incomplete:`n  " + ($problems -join "`n  ") }
    }
    finally {
        Remove-Module $module.Name -Force -ErrorAction SilentlyContinue
    }
}
