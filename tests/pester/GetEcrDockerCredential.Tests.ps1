# Get-EcrDockerCredential in a fresh pwsh, importing the built module, against moto with SigV4 and IAM
# checking on (build.ps1 starts moto and passes its info file in ECRAIRFLOW_TEST_MOTO).
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module $env:ECRAIRFLOW_TEST_MODULE -Force
    $script:OwnMoto = $null
    if (-not $env:ECRAIRFLOW_TEST_MOTO -or -not (Test-Path $env:ECRAIRFLOW_TEST_MOTO)) {
        $script:OwnMoto = Start-MotoPeer -WorkDirectory ([IO.Path]::GetTempPath())
        $env:ECRAIRFLOW_TEST_MOTO = $script:OwnMoto.InfoPath
    }
    $script:Moto = Get-Content $env:ECRAIRFLOW_TEST_MOTO -Raw | ConvertFrom-Json
    $script:Endpoint = $Moto.endpoint
    $script:Allowed = New-AwsKeyCredential $Moto.allowed
    $script:Denied = New-AwsKeyCredential $Moto.denied

    # Nothing from this machine's own AWS set-up may leak in, and nothing may go to instance metadata.
    $script:EnvNames = 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION',
        'AWS_DEFAULT_REGION', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_ECR',
        'AWS_ENDPOINT_URL_STS', 'AWS_USE_FIPS_ENDPOINT', 'AWS_USE_DUALSTACK_ENDPOINT', 'AWS_EC2_METADATA_DISABLED',
        'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN', 'AWS_ROLE_SESSION_NAME'
    $script:SavedEnv = @{}
    foreach ($n in $EnvNames) { $SavedEnv[$n] = [Environment]::GetEnvironmentVariable($n) }
    $script:Empty = New-TestFolder 'empty'
    # AWSSDK.Core reads AWS_CONFIG_FILE once per process, so every profile the tests use is written now,
    # before the first call. There is deliberately no [default] profile.
    @"
[profile ecr]
aws_access_key_id = $($Moto.allowed.accessKeyId)
aws_secret_access_key = $($Moto.allowed.secretAccessKey)
region = ca-central-1
[profile base]
aws_access_key_id = $($Moto.allowed.accessKeyId)
aws_secret_access_key = $($Moto.allowed.secretAccessKey)
[profile cross]
role_arn = $($Moto.roleArn)
source_profile = base
region = eu-west-1
"@ | Set-Content (Join-Path $Empty 'config')

    function Reset-AwsEnvironment {
        foreach ($n in $EnvNames) { [Environment]::SetEnvironmentVariable($n, $null) }
        $env:AWS_CONFIG_FILE = Join-Path $Empty 'config'
        $env:AWS_SHARED_CREDENTIALS_FILE = Join-Path $Empty 'credentials'
        $env:AWS_EC2_METADATA_DISABLED = 'true'
    }
}

AfterAll {
    foreach ($n in $EnvNames) { [Environment]::SetEnvironmentVariable($n, $SavedEnv[$n]) }
    Remove-TestFolder $Empty
    if ($OwnMoto) { Stop-Peer $OwnMoto }
}

Describe 'Get-EcrDockerCredential against moto (signatures checked)' {
    BeforeEach { Reset-AwsEnvironment }

    It 'returns a typed credential for the caller''s account and region, from environment variables' {
        $env:AWS_ACCESS_KEY_ID = $Moto.allowed.accessKeyId
        $env:AWS_SECRET_ACCESS_KEY = $Moto.allowed.secretAccessKey
        $c = Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $Endpoint -Force
        $c | Should -HaveCount 1
        $c.GetType().FullName | Should -Be 'EcrAirflow.EcrDockerCredential'
        $c.Registry | Should -Be "$($Moto.accountId).dkr.ecr.eu-west-1.amazonaws.com"
        $c.ProxyEndpoint | Should -Be "https://$($Moto.accountId).dkr.ecr.eu-west-1.amazonaws.com"
        $c.UserName | Should -Be 'AWS'
        $c.Password | Should -BeOfType [securestring]
        # Exactly the token moto issued (each is new, in ECR's format), and its expiry to the second.
        $issued = @(Get-MotoEcrToken -Endpoint $Endpoint -AccessKeyId $Moto.allowed.accessKeyId)[-1]
        $c.Credential.GetNetworkCredential().Password | Should -BeExactly $issued.password
        $c.ExpiresAt.ToUnixTimeSeconds() | Should -Be $issued.expiresAt
        # The moto peer serves ECR's 12-hour lifetime (moto itself would say 2015).
        $c.ExpiresAt | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddHours(11))
        $c.ExpiresAt | Should -BeLessOrEqual ([DateTimeOffset]::UtcNow.AddHours(12).AddMinutes(1))
    }

    It 'takes the region from AWS_REGION, then AWS_DEFAULT_REGION' {
        $env:AWS_DEFAULT_REGION = 'ap-southeast-2'
        (Get-EcrDockerCredential -EndpointUrl $Endpoint -Credential $Allowed).Region | Should -Be 'ap-southeast-2'
        $env:AWS_REGION = 'eu-north-1'
        (Get-EcrDockerCredential -EndpointUrl $Endpoint -Credential $Allowed).Region | Should -Be 'eu-north-1'
    }

    It 'reads credentials and region from a profile file' {
        $c = Get-EcrDockerCredential -ProfileName ecr -EndpointUrl $Endpoint
        $c.Region | Should -Be 'ca-central-1'
        $c.Registry | Should -Be "$($Moto.accountId).dkr.ecr.ca-central-1.amazonaws.com"
    }

    It 'reads a credentials file given with -ProfileLocation' {
        $file = Join-Path $Empty 'credentials-file'
        @"
[puller]
aws_access_key_id = $($Moto.allowed.accessKeyId)
aws_secret_access_key = $($Moto.allowed.secretAccessKey)
"@ | Set-Content $file
        (Get-EcrDockerCredential -ProfileName puller -ProfileLocation $file -Region eu-west-1 -EndpointUrl $Endpoint).Registry |
            Should -Match '\.dkr\.ecr\.eu-west-1\.amazonaws\.com$'
    }

    It 'assumes a role from an assume-role profile (role_arn + source_profile) through STS' {
        $env:AWS_ENDPOINT_URL_STS = $Endpoint
        $env:AWS_PROFILE = 'cross'
        $verbose = Get-EcrDockerCredential -EndpointUrl $Endpoint -Force -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($verbose.Message -join "`n") | Should -Match 'AssumeRoleAWSCredentials'
        ($verbose.Message -join "`n") | Should -Match 'access key ASIA'
    }

    It 'uses a web identity token (GitHub Actions OIDC) from the environment through STS' {
        $tokenFile = Join-Path $Empty 'web-identity-token'
        # A JWT-shaped token as GitHub's OIDC provider issues it; STS (here moto) exchanges it, unsigned.
        'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmFjbWUvZGFncyIsImF1ZCI6InN0cy5hbWF6b25hd3MuY29tIn0.c2ln' | Set-Content $tokenFile
        $env:AWS_WEB_IDENTITY_TOKEN_FILE = $tokenFile
        $env:AWS_ROLE_ARN = $Moto.roleArn
        $env:AWS_ROLE_SESSION_NAME = 'github-actions'
        $env:AWS_ENDPOINT_URL_STS = $Endpoint
        $out = Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $Endpoint -Force -Verbose 4>&1
        $verbose = ($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n"
        $verbose | Should -Match 'AssumeRoleWithWebIdentityCredentials'
        $verbose | Should -Match 'access key ASIA'
        ($out | Where-Object { $_ -is [EcrAirflow.EcrDockerCredential] }).Registry | Should -Be "$($Moto.accountId).dkr.ecr.eu-west-1.amazonaws.com"
    }

    It 'assumes a role with -RoleArn' {
        $env:AWS_ENDPOINT_URL_STS = $Endpoint
        $c = Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $Endpoint -Credential $Allowed -RoleArn $Moto.roleArn -Force
        $c.Registry | Should -Match '^\d{12}\.dkr\.ecr\.eu-west-1'
    }

    It 'gives one object per -RegistryId, also from the pipeline by property name' {
        $two = Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $Endpoint -Credential $Allowed -RegistryId 111111111111, 222222222222
        $two | Should -HaveCount 2
        $two.RegistryId | Sort-Object | Should -Be @('111111111111', '222222222222')
        $piped = [pscustomobject]@{ RegistryId = '333333333333' } | Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $Endpoint -Credential $Allowed
        $piped.Registry | Should -Be '333333333333.dkr.ecr.eu-west-1.amazonaws.com'
    }

    It 'honours AWS_ENDPOINT_URL_ECR' {
        $env:AWS_ENDPOINT_URL_ECR = $Endpoint
        (Get-EcrDockerCredential -Region eu-west-1 -Credential $Allowed).Registry | Should -Match 'eu-west-1'
    }
}

Describe 'What a user sees' {
    BeforeAll {
        Reset-AwsEnvironment
        $script:Cred = Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $Endpoint -Credential $Allowed
        $script:Password = $Cred.Credential.GetNetworkCredential().Password
        $Password | Should -BeIn @(Get-MotoEcrToken -Endpoint $Endpoint).password   # a token moto issued, not a stand-in
    }

    It 'the default table shows the registry, user and expiry but never the password' {
        $text = $Cred | Out-String
        $text | Should -Match ([regex]::Escape($Cred.Registry))
        $text | Should -Match '\b1[12]h \d\dm\b'   # Remaining of a fresh 12-hour token
        $text | Should -Not -Match ([regex]::Escape($Password))
    }

    It 'the list view masks the password' {
        $text = $Cred | Format-List | Out-String
        $text | Should -Match 'Password\s+:\s+\*{8}'
        $text | Should -Not -Match ([regex]::Escape($Password))
        ($Cred | ConvertTo-Json -Depth 1 -WarningAction SilentlyContinue) | Should -Not -Match ([regex]::Escape($Password))
    }

    It 'declares its output type' {
        (Get-Command Get-EcrDockerCredential).OutputType.Type | Should -Contain ([EcrAirflow.EcrDockerCredential])
    }

    It 'has help' {
        (Get-Help Get-EcrDockerCredential).Name | Should -Be 'Get-EcrDockerCredential'
    }
}

Describe 'Errors a user can act on' {
    BeforeEach { Reset-AwsEnvironment }

    It 'a wrong secret key gives EcrInvalidSignature (SecurityError) without the secret' {
        $bad = New-AwsKeyCredential $Moto.allowed -SecretAccessKey 'not-the-secret-0123'
        $out = Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $Endpoint -Credential $bad -MaximumRetryCount 0 -ErrorVariable err -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'EcrInvalidSignature,EcrAirflow.Commands.GetEcrDockerCredentialCommand'
        $err[0].CategoryInfo.Category | Should -Be 'SecurityError'
        $err[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        ($err[0] | Out-String) | Should -Not -Match 'not-the-secret-0123'
    }

    It 'a user without ecr:GetAuthorizationToken gets EcrAccessDenied (PermissionDenied)' {
        Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $Endpoint -Credential $Denied -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'EcrAccessDenied,*'
        $err[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
    }

    It 'no region anywhere gives NoRegion naming the ways to set one' {
        Get-EcrDockerCredential -EndpointUrl $Endpoint -Credential $Allowed -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NoRegion,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].ErrorDetails.RecommendedAction | Should -Match 'AWS_REGION'
    }

    It 'an unknown profile gives ProfileNotFound (ObjectNotFound)' {
        Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $Endpoint -ProfileName does-not-exist -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ProfileNotFound,*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'no credentials anywhere gives NoAwsCredentials with a hint' {
        Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl $Endpoint -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NoAwsCredentials,*'
        $err[0].ErrorDetails.RecommendedAction | Should -Match 'AWS_ACCESS_KEY_ID'
    }

    It 'an invalid region gives InvalidRegion' {
        Get-EcrDockerCredential -Region 'Mars-1' -EndpointUrl $Endpoint -Credential $Allowed -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidRegion,*'
    }

    It 'a registry id that is not 12 digits is rejected by parameter validation' {
        { Get-EcrDockerCredential -Region eu-west-1 -RegistryId 12345 -Credential $Allowed -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,EcrAirflow.Commands.GetEcrDockerCredentialCommand'
    }

    It 'a custom endpoint with -UseFipsEndpoint is refused before any request' {
        Get-EcrDockerCredential -Region us-east-1 -EndpointUrl $Endpoint -UseFipsEndpoint -Credential $Allowed -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'EndpointUrlWithFipsOrDualStack,*'
    }

    It 'a refused connection gives EcrConnectionFailed (ConnectionError) after bounded retries' {
        $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $l.Start(); $port = $l.LocalEndpoint.Port; $l.Stop()
        Get-EcrDockerCredential -Region eu-west-1 -EndpointUrl "http://127.0.0.1:$port" -Credential $Allowed -MaximumRetryCount 1 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'EcrConnectionFailed,*'
        $err[0].CategoryInfo.Category | Should -Be 'ConnectionError'
    }

    It '-Credential with -ProfileName is a terminating CredentialAndProfile error' {
        { Get-EcrDockerCredential -Region eu-west-1 -Credential $Allowed -ProfileName x -ErrorAction Stop } |
            Should -Throw -ErrorId 'CredentialAndProfile,EcrAirflow.Commands.GetEcrDockerCredentialCommand'
    }
}
