# Test-AirflowEcrConnection -Login in every mode whose target gives the password back (TestConnection.Common.ps1),
# against Debian's docker-registry (tests/peers/Registry.ps1: htpasswd with AWS and a moto token, on a loopback port
# over plain http, as docker allows for a registry on this machine): the stored login Succeeded while the registry
# holds that token, Failed with the registry's realm once its htpasswd holds another; and the password never shows,
# in any stream or view. Where the password cannot be read (Rest, Mwaa): TestConnection.Tests.ps1.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot '../peers/Peers.ps1')
    . (Join-Path $PSScriptRoot 'TestConnection.Common.ps1')
    $script:WhyNoRegistry = Test-RegistryInstallable
    if ($WhyNoRegistry) { Write-Warning "TestConnection.Login.Tests skipped: $WhyNoRegistry" }
    $script:ReadableModes = @($TestConnectionModes | Where-Object { $_.Readable })
}

BeforeAll {
    Import-Module $env:ECRAIRFLOW_TEST_MODULE -Force
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'TestConnection.Common.ps1')
    Start-TestConnectionPeers -Tag 'testlogin'
    $script:Registry = $null
    if (-not (Test-RegistryInstallable)) { $script:Registry = Start-RegistryPeer -WorkDirectory $TC.Work -Password (New-EcrPassword) }

    # "GET /v2/ 401" for each request the registry logged since a count taken before.
    function Get-RegistryLines([int] $Since) { @(Get-RegistryRequests -Registry $Registry | Select-Object -Skip $Since | ForEach-Object { "$($_.Method) $($_.Path) $($_.Status)" }) }
}

AfterAll {
    if ($Registry) { Stop-RegistryPeer $Registry }
    Stop-TestConnectionPeers
}

Describe 'Test-AirflowEcrConnection -Login -Mode <Name>' -ForEach $ReadableModes -Skip:([bool]$WhyNoRegistry) {
    BeforeAll {
        $script:Target = Get-ModeParameters $Key
    }

    It 'Succeeded while the registry holds the stored token; Failed, with the registry''s realm, once its htpasswd holds another' {
        $id = New-TestId 'login'
        $token = New-MotoCredential
        Set-RegistryPassword -Registry $Registry -Password $token.Password
        $null = Sync-MotoCredential $Key $id $token -Registry $Registry.Host
        $before = @(Get-RegistryRequests -Registry $Registry).Count

        $status = Test-AirflowEcrConnection $id @Target -Login
        $status.Status | Should -Be 'Fresh'
        $status.Registry | Should -Be $Registry.Host
        $status.ExpirySource | Should -Be 'Token'
        [math]::Abs(($status.ExpiresAt - $token.ExpiresAt).TotalSeconds) | Should -BeLessOrEqual 1
        $status.Login | Should -Be 'Succeeded'
        $status.Reason | Should -BeNullOrEmpty
        # As docker does: the challenge first, then the stored login (https has no answer on this loopback port).
        Get-RegistryLines $before | Should -Be @('GET /v2/ 401', 'GET /v2/ 200')
        Test-AirflowEcrConnection $id @Target -Login -Quiet | Should -BeTrue

        # The registry moves on to another token (moto's next one): the stored login no longer works.
        Set-RegistryPassword -Registry $Registry -Password (New-MotoCredential).Password
        $status = Test-AirflowEcrConnection $id @Target -Login
        $status.Status | Should -Be 'Fresh' -Because 'the stored token itself has not expired'
        $status.Login | Should -Be 'Failed'
        $status.Reason | Should -Match ([regex]::Escape("realm `"$($Registry.Realm)`""))
        $status.Reason | Should -Match "refused the stored login 'AWS' with HTTP 401"
        $status.Reason | Should -Match 'Sync-AirflowEcrConnection'
        Test-AirflowEcrConnection $id @Target -Login -Quiet | Should -BeFalse
    }

    It 'never shows the password: not in the output, -Verbose, -Debug, errors, the transcript or the console, whether the login succeeds or fails' {
        $id = New-TestId 'leak'
        $token = New-MotoCredential
        Set-RegistryPassword -Registry $Registry -Password $token.Password
        $null = Sync-MotoCredential $Key $id $token -Registry $Registry.Host
        $other = New-MotoCredential

        foreach ($registryHolds in $token.Password, $other.Password) {
            Set-RegistryPassword -Registry $Registry -Password $registryHolds
            # An invalid id too, so the error stream carries something.
            $run = Invoke-Audited { Test-AirflowEcrConnection $id, 'not/an id' @Target -Login @Audit }
            $run.Terminating | Should -BeNullOrEmpty
            $status = @($run.Output | Where-Object { $_ -is [EcrAirflow.AirflowConnectionStatus] })
            $status.ConnectionId | Should -Be $id
            $status.Login | Should -Be $(if ($registryHolds -eq $token.Password) { 'Succeeded' } else { 'Failed' })
            $run.Errors.Count | Should -Be 1
            $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidConnectionId,*'
            @($run.Records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like '*with the stored login*' }).Count | Should -Be 1 -Because 'the login request is in the verbose stream (without its header)'
            foreach ($where in 'Text', 'Console', 'Transcript') {
                Assert-NoSecret -Text $run.$where -Secrets $token.Password, $other.Password -Where "the run's $where (registry holding the $(if ($registryHolds -eq $token.Password) { 'stored' } else { 'other' }) token)"
            }
        }
    }
}
