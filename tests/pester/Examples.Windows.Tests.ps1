# The Windows Task Scheduler recipe (examples/Register-EcrAirflowTask.ps1) and the DPAPI credential file of
# examples/Update-AirflowEcrConnection.ps1, through the functions both scripts call, on any system: the
# ScheduledTasks cmdlets are shadowed by functions of the same names and mocked, so nothing is registered.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Root = if ($env:ECRAIRFLOW_TEST_ROOT) { $env:ECRAIRFLOW_TEST_ROOT } else { (Resolve-Path "$PSScriptRoot/../..").Path }
    $script:RegisterScript = Join-Path $Root 'examples/Register-EcrAirflowTask.ps1'
    $script:UpdateScript = Join-Path $Root 'examples/Update-AirflowEcrConnection.ps1'
    # Windows PowerShell 5.1 has no $IsWindows (and runs only on Windows).
    $script:OnWindows = $env:OS -eq 'Windows_NT'
    $script:RunAsPassword = 'Svc-P@ss w%rd!^&|<>"'
    $script:RunAs = New-Object System.Management.Automation.PSCredential('DOMAIN\svc-airflow', (ConvertTo-SecureString $RunAsPassword -AsPlainText -Force))
}

Describe 'The Task Scheduler recipe (examples/Register-EcrAirflowTask.ps1)' {
    BeforeAll {
        # Stand-ins for the ScheduledTasks cmdlets (absent off Windows): defined here they also shadow the
        # real ones on Windows, and Pester's Mock needs a command to exist before it can replace it.
        function New-ScheduledTaskAction { param([string] $Execute, [string] $Argument) }
        function New-ScheduledTaskTrigger { param([switch] $Once, [datetime] $At, [timespan] $RepetitionInterval) }
        function New-ScheduledTaskSettingsSet { param([switch] $StartWhenAvailable, [timespan] $ExecutionTimeLimit, [string] $MultipleInstances) }
        function Register-ScheduledTask { param([string] $TaskName, $Action, $Trigger, $Settings, [string] $User, [string] $Password, [string] $RunLevel) }
        . $RegisterScript -RunAs $RunAs
        $script:TaskArguments = '-Region eu-west-1 -AirflowUrl https://airflow.example.com -AirflowCredentialPath C:\jobs\airflow.cred.xml -SkipIfValidFor 1h'
    }

    BeforeEach {
        Mock New-ScheduledTaskAction { [pscustomobject]@{ Kind = 'action'; Execute = $Execute; Argument = $Argument } }
        Mock New-ScheduledTaskTrigger { [pscustomobject]@{ Kind = 'trigger'; Interval = $RepetitionInterval } }
        Mock New-ScheduledTaskSettingsSet { [pscustomobject]@{ Kind = 'settings'; MultipleInstances = $MultipleInstances } }
        Mock Register-ScheduledTask { }
    }

    It 'registers pwsh.exe -File "<script>" with the arguments, every 15 minutes, never two runs at once, as the account given' {
        & $RegisterScript -Script 'C:\jobs\Update-AirflowEcrConnection.ps1' -Arguments $TaskArguments -RunAs $RunAs

        Should -Invoke New-ScheduledTaskAction -Times 1 -Exactly -ParameterFilter {
            $Execute -eq 'pwsh.exe' -and $Argument -eq "-NoProfile -NonInteractive -File `"C:\jobs\Update-AirflowEcrConnection.ps1`" $TaskArguments"
        }
        Should -Invoke New-ScheduledTaskTrigger -Times 1 -Exactly -ParameterFilter {
            $Once -and $RepetitionInterval -eq [timespan]::FromMinutes(15) -and $At -gt (Get-Date) -and $At -lt (Get-Date).AddMinutes(2)
        }
        Should -Invoke New-ScheduledTaskSettingsSet -Times 1 -Exactly -ParameterFilter {
            $MultipleInstances -eq 'IgnoreNew' -and $StartWhenAvailable -and $ExecutionTimeLimit -eq [timespan]::FromMinutes(10)
        }
        Should -Invoke Register-ScheduledTask -Times 1 -Exactly -ParameterFilter {
            $TaskName -eq 'EcrAirflow refresh' -and $User -eq 'DOMAIN\svc-airflow' -and $Password -eq $RunAsPassword -and $RunLevel -eq 'Limited' -and
            $Action.Kind -eq 'action' -and $Trigger.Kind -eq 'trigger' -and $Settings.Kind -eq 'settings'
        }
    }

    It 'by default runs the refresh with -SkipIfValidFor 1h, every 15 minutes, each run stopped before the next is due' {
        & $RegisterScript -RunAs $RunAs

        Should -Invoke New-ScheduledTaskAction -Times 1 -Exactly -ParameterFilter {
            $Execute -eq 'pwsh.exe' -and $Argument -match '^-NoProfile -NonInteractive -File "C:\\jobs\\Update-AirflowEcrConnection\.ps1" .* -SkipIfValidFor 1h$'
        }
        $d = Get-EcrAirflowTaskDefinition -Script 'C:\jobs\Update-AirflowEcrConnection.ps1'
        # A run that writes is renewed well before the token drops under the margin, and never overlaps the next one.
        $d.Trigger.RepetitionInterval | Should -BeLessThan ([timespan]::FromHours(1))
        $d.Settings.ExecutionTimeLimit | Should -BeLessThan $d.Trigger.RepetitionInterval
    }

    It 'with -Shell powershell (Windows PowerShell 5.1) runs powershell.exe with -ExecutionPolicy Bypass' {
        & $RegisterScript -Script 'C:\Program Files\jobs\Update-AirflowEcrConnection.ps1' -Arguments '-Mode SecretsManager' -RunAs $RunAs -Shell powershell

        Should -Invoke New-ScheduledTaskAction -Times 1 -Exactly -ParameterFilter {
            $Execute -eq 'powershell.exe' -and $Argument -eq '-NoProfile -NonInteractive -ExecutionPolicy Bypass -File "C:\Program Files\jobs\Update-AirflowEcrConnection.ps1" -Mode SecretsManager'
        }
    }

    It "puts the account's password in no command line or argument, only in Register-ScheduledTask's -Password" {
        $script:Seen = New-Object System.Collections.Generic.List[string]
        Mock New-ScheduledTaskAction { $Seen.Add("$Execute $Argument"); [pscustomobject]@{ Execute = $Execute; Argument = $Argument } }
        Mock Register-ScheduledTask { $Seen.Add("$TaskName $User $RunLevel $($Action.Execute) $($Action.Argument)") }

        Register-EcrAirflowTask -Script 'C:\jobs\Update-AirflowEcrConnection.ps1' -Arguments $TaskArguments -RunAs $RunAs

        $Seen.Count | Should -Be 2
        foreach ($text in $Seen) {
            $text | Should -Not -BeLike "*$([WildcardPattern]::Escape($RunAsPassword))*"
            $text | Should -Not -BeLike '*Svc-P@ss*'
        }
        Should -Invoke Register-ScheduledTask -Times 1 -Exactly -ParameterFilter { $Password -eq $RunAsPassword }
    }

    It 'refuses a script path that would break out of its quotes on the command line' {
        { Get-EcrAirflowTaskAction -Script 'C:\jobs\x" -Command "evil.ps1' } | Should -Throw '*no quote and no trailing backslash*'
        { Get-EcrAirflowTaskAction -Script 'C:\jobs\' } | Should -Throw '*no quote and no trailing backslash*'
    }

    It "builds the real ScheduledTasks objects from the same definition (Windows)" {
        if (-not (Get-Module -ListAvailable -Name ScheduledTasks)) {
            Set-ItResult -Skipped -Because 'the ScheduledTasks module exists only on Windows (8 / Server 2012 and later); off Windows the stand-ins above check the same parameters, and the Windows CI legs run this in Windows PowerShell 5.1 and pwsh 7'
            return
        }
        $d = Get-EcrAirflowTaskDefinition -Script 'C:\jobs\Update-AirflowEcrConnection.ps1' -Arguments $TaskArguments -Shell powershell
        $a = $d.Action; $t = $d.Trigger; $s = $d.Settings
        # Module-qualified: the stand-ins of this block shadow the plain names. These build objects in memory only.
        $action = ScheduledTasks\New-ScheduledTaskAction @a
        $trigger = ScheduledTasks\New-ScheduledTaskTrigger @t
        $settings = ScheduledTasks\New-ScheduledTaskSettingsSet @s
        $action.Execute | Should -Be 'powershell.exe'
        $action.Arguments | Should -Be "-NoProfile -NonInteractive -ExecutionPolicy Bypass -File `"C:\jobs\Update-AirflowEcrConnection.ps1`" $TaskArguments"
        $trigger.Repetition.Interval | Should -Be 'PT15M'
        "$($settings.MultipleInstances)" | Should -Be 'IgnoreNew'
        $settings.ExecutionTimeLimit | Should -Be 'PT10M'
    }
}

Describe 'The credential file of the scheduling recipe (examples/Update-AirflowEcrConnection.ps1)' {
    BeforeAll {
        . $UpdateScript
        $script:Dir = New-TestFolder 'examples'
        $script:AirflowPassword = 'Airflow-Pa55 %!^&|<>'
    }
    AfterAll { Remove-TestFolder $Dir }

    It 'loads the PSCredential that Get-Credential | Export-Clixml saved' {
        $path = Join-Path $Dir 'airflow.cred.xml'
        New-Object System.Management.Automation.PSCredential('airflow-api', (ConvertTo-SecureString $AirflowPassword -AsPlainText -Force)) | Export-Clixml -LiteralPath $path

        $c = Import-AirflowCredential -Path $path

        $c | Should -BeOfType ([pscredential])
        $c.UserName | Should -Be 'airflow-api'
        $c.GetNetworkCredential().Password | Should -Be $AirflowPassword
    }

    It 'refuses a file that holds <Name>, by type only, never printing what is in it' -ForEach @(
        @{ Name = 'a plain string'; Value = { 'hunter2-in-clear' }; Expected = '*holds a System.String, not a PSCredential*' }
        @{ Name = 'a bare SecureString'; Value = { ConvertTo-SecureString 'hunter2-in-clear' -AsPlainText -Force }; Expected = '*holds a System.Security.SecureString, not a PSCredential*' }
        @{ Name = 'two credentials'; Value = { $p = ConvertTo-SecureString 'hunter2-in-clear' -AsPlainText -Force; (New-Object pscredential('a', $p)), (New-Object pscredential('b', $p)) }; Expected = '*holds 2 objects, not a PSCredential*' }
        @{ Name = 'an object that looks like a credential'; Value = { [pscustomobject]@{ UserName = 'a'; Password = 'hunter2-in-clear' } }; Expected = '*holds a Deserialized.System.Management.Automation.PSCustomObject, not a PSCredential*' }
    ) {
        $path = Join-Path $Dir ("not-a-cred-" + [guid]::NewGuid().ToString('n') + '.xml')
        & $Value | Export-Clixml -LiteralPath $path
        $err = $null
        try { Import-AirflowCredential -Path $path } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.Exception.Message | Should -BeLike $Expected
        $err.Exception.Message | Should -BeLike '*Get-Credential | Export-Clixml*'
        $err.Exception.Message | Should -Not -BeLike '*hunter2*'
    }

    It 'says what to do when the file is missing or not a Clixml file at all' {
        { Import-AirflowCredential -Path (Join-Path $Dir 'missing.xml') } | Should -Throw '*does not exist. Make it once, as the user the job runs as*'
        $bad = Join-Path $Dir 'plain.txt'
        Set-Content -LiteralPath $bad -Value 'password=hunter2-in-clear'
        $err = $null
        try { Import-AirflowCredential -Path $bad } catch { $err = $_ }
        $err.Exception.Message | Should -BeLike '*cannot be read*only for the user who made it*'
        $err.Exception.Message | Should -Not -BeLike '*hunter2*'
    }

    It 'exits 1 with that message, as a scheduled run would log it' {
        $path = Join-Path $Dir 'string.xml'
        'hunter2-in-clear' | Export-Clixml -LiteralPath $path
        # The edition running the tests: Windows PowerShell 5.1 runs the script as powershell.exe would.
        $pwsh = if ($PSVersionTable.PSEdition -eq 'Desktop') { @(Join-Path $PSHOME 'powershell.exe') } else { @(Get-PwshCommandLine) }
        $out = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $UpdateScript -AirflowUrl 'https://airflow.example.com' `
            -AirflowCredentialPath $path -ModulePath $env:ECRAIRFLOW_TEST_MODULE 2>&1 | Out-String
        $LASTEXITCODE | Should -Be 1
        $out | Should -Match 'EcrAirflow refresh failed: The Airflow credential file .* holds a System.String, not a PSCredential'
        $out | Should -Not -Match 'hunter2'
    }

    It 'is encrypted with DPAPI for this user on this machine (Windows)' {
        if (-not $OnWindows) {
            Set-ItResult -Skipped -Because 'DPAPI exists only on Windows: there Export-Clixml encrypts the password for the user who saved it, on that machine; elsewhere PowerShell writes it only hex-encoded, so the binding to user and machine can only be proven on Windows (the Windows CI legs run this in Windows PowerShell 5.1 and pwsh 7)'
            return
        }
        $path = Join-Path $Dir 'dpapi.cred.xml'
        New-Object System.Management.Automation.PSCredential('airflow-api', (ConvertTo-SecureString $AirflowPassword -AsPlainText -Force)) | Export-Clixml -LiteralPath $path
        $hex = ([xml](Get-Content -LiteralPath $path -Raw)).Objs.Obj.Props.SS.'#text'
        $blob = [byte[]]@(for ($i = 0; $i -lt $hex.Length; $i += 2) { [Convert]::ToByte($hex.Substring($i, 2), 16) })
        # Not the UTF-16 password itself (what the file holds off Windows) ...
        [Text.Encoding]::Unicode.GetString($blob) | Should -Not -Be $AirflowPassword
        # ... but a DPAPI blob that this user's key (scope CurrentUser) opens. That another account or
        # machine cannot open it is DPAPI's promise; proving it would need a second account.
        if (-not ('System.Security.Cryptography.ProtectedData' -as [type])) { Add-Type -AssemblyName System.Security }
        $clear = [Security.Cryptography.ProtectedData]::Unprotect($blob, $null, [Security.Cryptography.DataProtectionScope]::CurrentUser)
        [Text.Encoding]::Unicode.GetString($clear) | Should -Be $AirflowPassword
        (Import-AirflowCredential -Path $path).GetNetworkCredential().Password | Should -Be $AirflowPassword
    }
}
