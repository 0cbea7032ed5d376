# The mode table as a user meets it: which parameters each -Mode takes (errors, help, tab completion,
# -WhatIf), and the rule that an expired token never replaces a working connection (-Force to override).

BeforeAll {
    Import-Module $env:ECRAIRFLOW_TEST_MODULE -Force
    . (Join-Path $PSScriptRoot 'Common.ps1')


    function Get-Completion([string] $Line) {
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText)
    }
}

Describe 'One declaration of the modes' {
    It 'refuses a parameter of another mode before any request, naming the mode that takes it' {
        $err = @(try { New-FakeCredential -ExpiresAt ([DateTimeOffset]::UtcNow.AddHours(12)) -Token 'tok+/=en-expiry-test' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode Cli -IncludeValue } catch { $_ })
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ParameterNotValidForMode,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].Exception.Message | Should -Match '-IncludeValue belongs to -Mode EnvironmentVariable, but -Mode is Cli'
        $err[0].ErrorDetails.RecommendedAction | Should -Match 'Add -Mode EnvironmentVariable'
    }

    It 'names every mode that takes a shared parameter' {
        $err = @(try { New-FakeCredential -ExpiresAt ([DateTimeOffset]::UtcNow.AddHours(12)) -Token 'tok+/=en-expiry-test' | Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -TimeoutSec 5 } catch { $_ })
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ParameterNotValidForMode,*'
        $err[0].Exception.Message | Should -Match 'belongs to -Mode Rest, Cli, SecretsManager, ParameterStore or Mwaa, but -Mode is EnvironmentVariable'
    }

    It 'Get-Help -Full lists the parameters of each mode with their defaults there' {
        $text = Get-Help Sync-AirflowEcrConnection -Full | Out-String -Width 4000
        $text | Should -Match 'PARAMETERS PER MODE'
        $text | Should -Match '-Mode Rest: .*-AirflowUrl \(required\).*-TimeoutSec \(default 30\)'
        $text | Should -Match '-Mode Cli: .*-AirflowCommand \(default airflow\).*-TimeoutSec \(default 300\)'
        $text | Should -Match '-Mode EnvironmentVariable: .*-Format \(default Uri\).*-IncludeValue'
        $text | Should -Match '-Mode Mwaa: .*-MwaaEnvironmentName \(required\), -ApiVersion \(default Auto\), -Region \(default AWS_REGION'
        (Get-Help Sync-AirflowEcrConnection -Parameter TimeoutSec | Out-String -Width 400) | Should -Match 'Modes: Rest \(default 30\), Cli \(default 300\)'
        (Get-Help Sync-AirflowEcrConnection -Parameter TimeoutSec).defaultValue | Should -Be 'Cli: 300; Rest, SecretsManager, ParameterStore, Mwaa: 30'
        (Get-Help Sync-AirflowEcrConnection -Parameter Force | Out-String) | Should -Not -Match 'Modes:'
    }

    It 'completes mode-specific values only for the mode on the command line' {
        Get-Completion 'Sync-AirflowEcrConnection -Mode Cli -AirflowCommand ' | Should -Be @('airflow')
        Get-Completion 'Sync-AirflowEcrConnection -Mode Rest -AirflowCommand ' | Should -BeNullOrEmpty
        Get-Completion 'Sync-AirflowEcrConnection -AirflowCommand ' | Should -BeNullOrEmpty # -Mode Rest is the default
        # Enum-typed values are completed by PowerShell itself.
        Get-Completion 'Sync-AirflowEcrConnection -Mode EnvironmentVariable -CiSystem Git' | Should -Be @('GitHubActions')
        Get-Completion 'Sync-AirflowEcrConnection -Mode SecretsManager -ConnectionsPrefix ' | Should -Be @('airflow/connections')
        Get-Completion 'Sync-AirflowEcrConnection -Mode ParameterStore -ConnectionsPrefix ' | Should -Be @('/airflow/connections')
        Get-Completion 'Sync-AirflowEcrConnection -Mode Rest -ConnectionsPrefix ' | Should -BeNullOrEmpty
    }

    It 'knows which modes take the parameters already typed (for -Mode)' {
        [EcrAirflow.Core.Commands.ModeArgumentCompleter]::new().CompleteArgument('Sync-AirflowEcrConnection', 'Mode', '', $null, @{ AirflowCommand = 'airflow' }).CompletionText | Should -Be @('Cli')
        $shared = [EcrAirflow.Core.Commands.ModeArgumentCompleter]::new().CompleteArgument('Sync-AirflowEcrConnection', 'Mode', '', $null, @{ TimeoutSec = 5 }).CompletionText
        $shared | Should -Contain 'Rest'
        $shared | Should -Contain 'Cli'
        $shared | Should -Not -Contain 'EnvironmentVariable'
        [EcrAirflow.Core.Commands.ModeArgumentCompleter]::new().CompleteArgument('Sync-AirflowEcrConnection', 'Mode', '', $null, @{ KmsKeyId = 'k'; Tier = 'Advanced' }).CompletionText | Should -Be @('ParameterStore')
        [EcrAirflow.Core.Commands.ModeArgumentCompleter]::new().CompleteArgument('Sync-AirflowEcrConnection', 'Mode', '', $null, @{ MwaaEnvironmentName = 'demo' }).CompletionText | Should -Be @('Mwaa')
    }

    It '-WhatIf names what each mode would write, and where, never the token' {
        # -WhatIf text goes to the host, so a fresh pwsh runs the commands and its console is read.
        $token = 'tok+/=en-whatif-' + [guid]::NewGuid().ToString('n')
        $script = @'
Import-Module $env:ECRAIRFLOW_TEST_MODULE
$cred = [pscustomobject]@{ Registry = 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com'; UserName = 'AWS'
    Password = [System.Net.NetworkCredential]::new('', $env:WHATIF_TOKEN).SecurePassword; ExpiresAt = [DateTimeOffset]::UtcNow.AddHours(12) }
$cred | Sync-AirflowEcrConnection -ConnectionId ecr_whatif -AirflowUrl https://airflow.example.com -WhatIf
$cred | Sync-AirflowEcrConnection -ConnectionId ecr_whatif -Mode Cli -AirflowCommand airflow -WhatIf
$cred | Sync-AirflowEcrConnection -ConnectionId ecr_whatif -Mode EnvironmentVariable -CiSystem None -WhatIf
"set=$([bool]$env:AIRFLOW_CONN_ECR_WHATIF)"
'@
        $pwsh = @(Get-PwshCommandLine)
        $env:WHATIF_TOKEN = $token
        try { $all = (& $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $script 2>&1) -join "`n" }
        finally { Remove-Item Env:WHATIF_TOKEN }
        $all | Should -Match "Airflow connection 'ecr_whatif' \(docker, host 123456789012.dkr.ecr.eu-west-1.amazonaws.com, login AWS\) via Rest at https://airflow.example.com"
        $all | Should -Match 'via Cli: airflow connections import <file> --overwrite'
        $all | Should -Match 'via EnvironmentVariable: AIRFLOW_CONN_ECR_WHATIF \(its own form, Uri when new\) in Process scope'
        $all | Should -Match 'set=False'
        $all | Should -Not -Match ([regex]::Escape($token))
        $all | Should -Not -Match ([regex]::Escape([uri]::EscapeDataString($token)))
    }
}

Describe 'An expired token never replaces a working connection' {
    BeforeAll {
        $script:Emulator = Start-AirflowEmulator -AirflowVersion 3
        $script:Airflow = [pscredential]::new($Emulator.UserName, (ConvertTo-SecureString $Emulator.Password -AsPlainText -Force))
    }
    AfterAll { Stop-Peer $script:Emulator }
    BeforeEach { Clear-EmulatorState -Emulator $script:Emulator }
    AfterEach { Remove-Item Env:AIRFLOW_CONN_ECR_EXPIRY -ErrorAction SilentlyContinue }

    It 'refuses a credential whose ExpiresAt has passed: CredentialExpired, and Airflow keeps the old connection' {
        Set-EmulatorConnection -Emulator $Emulator -ConnectionId ecr_expiry -Connection @{ connection_id = 'ecr_expiry'; conn_type = 'docker'; host = 'old.example.com'; login = 'AWS'; password = 'still-working' }
        $err = $null
        $out = New-FakeCredential -ExpiresAt ([DateTimeOffset]::UtcNow.AddMinutes(-5)) -Token 'tok+/=en-expiry-test' |
            Sync-AirflowEcrConnection -ConnectionId ecr_expiry -AirflowUrl $Emulator.Url -AirflowCredential $Airflow -ApiVersion V2 -ErrorVariable err -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'CredentialExpired,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $err[0].ErrorDetails.RecommendedAction | Should -Match 'Get-EcrDockerCredential -Force'
        $stored = Get-EmulatorConnections -Emulator $Emulator | Where-Object connection_id -eq 'ecr_expiry'
        $stored.password | Should -Be 'still-working'
        @(Get-EmulatorRequests -Emulator $Emulator | Where-Object path -like '/api/v2/connections*').Count | Should -Be 0
    }

    It 'writes it anyway with -Force, with a warning' {
        $warnings = $null
        $out = New-FakeCredential -ExpiresAt ([DateTimeOffset]::UtcNow.AddMinutes(-5)) -Token 'forced-token' |
            Sync-AirflowEcrConnection -ConnectionId ecr_expiry -AirflowUrl $Emulator.Url -AirflowCredential $Airflow -ApiVersion V2 -Force -WarningVariable warnings -WarningAction SilentlyContinue
        $out.Action | Should -Be 'Created'
        ($warnings -join ' ') | Should -Match 'expired .* anyway \(-Force\)'
        (Get-EmulatorConnections -Emulator $Emulator | Where-Object connection_id -eq 'ecr_expiry').password | Should -Be 'forced-token'
    }

    It 'writes the others of the batch and refuses only the expired one' {
        $err = $null
        $out = @(
            New-FakeCredential -ExpiresAt ([DateTimeOffset]::UtcNow.AddHours(11)) -Token 'fresh-token' -Account '111111111111'
            New-FakeCredential -ExpiresAt ([DateTimeOffset]::UtcNow.AddHours(-1)) -Token 'stale-token' -Account '222222222222'
        ) | Sync-AirflowEcrConnection -ConnectionId { 'ecr_' + $_.Registry.Substring(8, 12) } -AirflowUrl $Emulator.Url -AirflowCredential $Airflow -ApiVersion V2 -ErrorVariable err -ErrorAction SilentlyContinue
        $out.ConnectionId | Should -Be 'ecr_111111111111'
        $err[0].TargetObject | Should -Be 'ecr_222222222222'
        (Get-EmulatorConnections -Emulator $Emulator).connection_id | Should -Not -Contain 'ecr_222222222222'
    }

    It 'warns when the token expires within 30 minutes, and writes it' {
        $warnings = $null
        $out = New-FakeCredential -ExpiresAt ([DateTimeOffset]::UtcNow.AddMinutes(10)) -Token 'tok+/=en-expiry-test' |
            Sync-AirflowEcrConnection -ConnectionId ecr_expiry -Mode EnvironmentVariable -CiSystem None -WarningVariable warnings -WarningAction SilentlyContinue
        $out.Action | Should -Be 'Created'
        ($warnings -join ' ') | Should -Match 'expires in \d+ minute'
        $env:AIRFLOW_CONN_ECR_EXPIRY | Should -Match '^docker://AWS:'
    }

    It 'a credential without ExpiresAt (e.g. Get-ECRLoginCommand output) is written without a warning' {
        $warnings = $null
        $out = [pscustomobject]@{ Registry = '123456789012.dkr.ecr.eu-west-1.amazonaws.com'; UserName = 'AWS'; Password = 'plain-token' } |
            Sync-AirflowEcrConnection -ConnectionId ecr_expiry -Mode EnvironmentVariable -CiSystem None -WarningVariable warnings
        $out.Action | Should -Be 'Created'
        $warnings | Should -BeNullOrEmpty
    }
}
