# Checks the moto peer's own additions with boto3 (never the module): ECR tokens in ECR's real format that expire
# in 12 hours or the lifetime a test sets,
# and the writer / ecrOnly users the Secrets Manager and Parameter Store suites rely on, with IAM enforced.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:OwnMoto = $null
    $script:InfoPath = $env:ECRAIRFLOW_TEST_MOTO
    $script:Work = New-TestFolder 'moto-peer'
    if (-not $InfoPath -or -not (Test-Path $InfoPath)) {
        $script:OwnMoto = Start-MotoPeer -WorkDirectory $Work
        $script:InfoPath = $OwnMoto.InfoPath
    }
    $script:Moto = Get-Content $InfoPath -Raw | ConvertFrom-Json
    $script:Python = Get-PythonCommand
    $script:PythonPath = Install-MotoIfMissing

    # One boto3 call per python process: {ok, code, response}.
    $script:ClientScript = Join-Path $Work 'moto_client.py'
    @'
import json, os, sys, time
for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
    os.environ.pop(name, None)
os.environ["AWS_CONFIG_FILE"] = os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
import boto3, botocore, botocore.exceptions
req = json.load(sys.stdin)
client = boto3.client(req["service"], endpoint_url=req["endpoint"], region_name="us-east-1",
                      aws_access_key_id=req["key"], aws_secret_access_key=req["secret"])
try:
    response = getattr(client, botocore.xform_name(req["operation"]))(**req["params"])
    response.pop("ResponseMetadata", None)
    out = {"ok": True, "response": response, "now": time.time()}
except botocore.exceptions.ClientError as e:
    out = {"ok": False, "code": e.response["Error"]["Code"], "status": e.response["ResponseMetadata"]["HTTPStatusCode"],
           "message": e.response["Error"].get("Message")}
print(json.dumps(out, default=lambda v: v.timestamp() if hasattr(v, "timestamp") else str(v)))
'@ | Set-Content -LiteralPath $ClientScript

    function Invoke-Boto3([string] $Service, [string] $Operation, $User, [hashtable] $Params = @{}, [string] $Endpoint = $Moto.endpoint) {
        $request = @{ service = $Service; operation = $Operation; endpoint = $Endpoint; key = $User.accessKeyId
            secret = $User.secretAccessKey; params = $Params } | ConvertTo-Json -Depth 10 -Compress
        $saved = $env:PYTHONPATH
        try {
            if ($PythonPath) { $env:PYTHONPATH = $PythonPath }
            $text = $request | & $Python $ClientScript
        }
        finally { $env:PYTHONPATH = $saved }
        if ($LASTEXITCODE -ne 0) { throw "boto3 client failed: $text" }
        $text | ConvertFrom-Json
    }
    $script:SecretName = 'airflow/connections/peer_check_' + [guid]::NewGuid().ToString('n').Substring(0, 8)
    $script:ParameterName = '/' + $SecretName
}

AfterAll {
    if ($OwnMoto) { Stop-Peer $OwnMoto; Remove-Item -LiteralPath $OwnMoto.RequestLog -ErrorAction SilentlyContinue }
    Remove-Item -LiteralPath $ClientScript -ErrorAction SilentlyContinue
    Remove-Item -LiteralPath $Work -ErrorAction SilentlyContinue   # empty by now; never recursive
}

Describe 'moto peer additions' {
    It 'keeps the info members other suites read and adds writer and ecrOnly' {
        foreach ($name in 'endpoint', 'accountId', 'admin', 'allowed', 'denied', 'roleArn', 'writer', 'ecrOnly') {
            $Moto.PSObject.Properties.Name | Should -Contain $name
        }
        $Moto.writer.accessKeyId | Should -Not -Be $Moto.ecrOnly.accessKeyId
    }

    It 'answers ECR GetAuthorizationToken with an expiry 12 hours ahead, not moto''s 2015' {
        $r = Invoke-Boto3 ecr GetAuthorizationToken $Moto.ecrOnly
        $r.ok | Should -BeTrue
        $lifetime = $r.response.authorizationData[0].expiresAt - $r.now
        $lifetime | Should -BeGreaterThan (12 * 3600 - 120)
        $lifetime | Should -BeLessOrEqual (12 * 3600 + 5)
    }

    It 'lets writer create, update and read a secret and a SecureString parameter' {
        (Invoke-Boto3 secretsmanager CreateSecret $Moto.writer @{ Name = $SecretName; SecretString = 'one' }).ok | Should -BeTrue
        (Invoke-Boto3 secretsmanager PutSecretValue $Moto.writer @{ SecretId = $SecretName; SecretString = 'two' }).ok | Should -BeTrue
        (Invoke-Boto3 secretsmanager GetSecretValue $Moto.writer @{ SecretId = $SecretName }).response.SecretString | Should -Be 'two'
        (Invoke-Boto3 ssm PutParameter $Moto.writer @{ Name = $ParameterName; Value = 'v1'; Type = 'SecureString'; Overwrite = $true }).ok | Should -BeTrue
        (Invoke-Boto3 ssm GetParameter $Moto.writer @{ Name = $ParameterName; WithDecryption = $true }).response.Parameter.Value | Should -Be 'v1'
    }

    It 'denies ecrOnly PutSecretValue and PutParameter (moto answers 403 AccessDenied in XML, which botocore reads as code 403)' {
        foreach ($call in @(
                @('secretsmanager', 'PutSecretValue', @{ SecretId = $SecretName; SecretString = 'three' }),
                @('ssm', 'PutParameter', @{ Name = $ParameterName; Value = 'v2'; Type = 'SecureString'; Overwrite = $true }))) {
            $r = Invoke-Boto3 $call[0] $call[1] $Moto.ecrOnly $call[2]
            $r.ok | Should -BeFalse
            $r.status | Should -Be 403
            $r.message | Should -Match "is not authorized to perform: $($call[0]):$($call[1])"
        }
        (Invoke-Boto3 secretsmanager GetSecretValue $Moto.writer @{ SecretId = $SecretName }).response.SecretString | Should -Be 'two'
    }
}

Describe 'moto peer ECR tokens in ECR''s format' {
    BeforeAll {
        # What docker and EcrAirflow read from a token: the user, and the JSON document the password encodes.
        function ConvertFrom-EcrToken([string] $AuthorizationToken) {
            $pair = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($AuthorizationToken))
            $colon = $pair.IndexOf(':')
            $password = $pair.Substring($colon + 1)
            [pscustomobject]@{
                User     = $pair.Substring(0, $colon)
                Password = $password
                Document = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($password)) | ConvertFrom-Json
                Json     = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($password))
            }
        }
    }

    It 'issues base64 of AWS: + base64 of the JSON document, whose expiration is the expiresAt it returns' {
        $r = Invoke-Boto3 ecr GetAuthorizationToken $Moto.ecrOnly @{ registryIds = @('111111111111', '222222222222') }
        $r.ok | Should -BeTrue
        $r.response.authorizationData | Should -HaveCount 2
        foreach ($data in $r.response.authorizationData) {
            $token = ConvertFrom-EcrToken $data.authorizationToken
            $token.User | Should -BeExactly 'AWS'
            $token.Json | Should -Match '^\{"payload":"[A-Za-z0-9+/]+={0,2}","datakey":"[A-Za-z0-9+/]+={0,2}","version":"2","type":"DATA_KEY","expiration":\d+\}$'
            $token.Document.expiration | Should -Be ([long]$data.expiresAt)
            [double]$data.expiresAt | Should -Be ([double][long]$data.expiresAt) -Because 'both are whole epoch seconds'
            $token.Password.Length | Should -BeGreaterThan 1000 -Because 'ECR passwords are about 2,000 characters'
        }
    }

    It 'issues a new token every time, different within the first 72 bytes (all bcrypt reads), and lists them on its control API' {
        $passwords = foreach ($n in 1..3) {
            (ConvertFrom-EcrToken (Invoke-Boto3 ecr GetAuthorizationToken $Moto.ecrOnly).response.authorizationData[0].authorizationToken).Password
        }
        @($passwords | ForEach-Object { $_.Substring(0, 72) } | Select-Object -Unique) | Should -HaveCount 3
        $issued = @(Get-MotoEcrToken -Endpoint $Moto.endpoint -AccessKeyId $Moto.ecrOnly.accessKeyId)
        @($issued | Select-Object -Last 3 | ForEach-Object { $_.password }) | Should -Be $passwords
        ($issued | Select-Object -Last 1).registryId | Should -Be $Moto.accountId
        Get-MotoEcrPassword -Endpoint $Moto.endpoint -AccessKeyId $Moto.ecrOnly.accessKeyId | Should -BeExactly $passwords[-1]
        @(Get-MotoEcrToken -Endpoint $Moto.endpoint -AccessKeyId $Moto.writer.accessKeyId).password | Should -Not -Contain $passwords[-1]
    }

    It 'keeps IAM: a caller without ecr:GetAuthorizationToken gets AccessDenied and no token is issued' {
        $before = @(Get-MotoEcrToken -Endpoint $Moto.endpoint).Count
        $r = Invoke-Boto3 ecr GetAuthorizationToken $Moto.denied
        $r.ok | Should -BeFalse
        $r.status | Should -Be 403
        @(Get-MotoEcrToken -Endpoint $Moto.endpoint).Count | Should -Be $before
    }

    It 'issues tokens with the lifetime a test sets, and back to 12 hours' {
        try {
            Set-MotoEcrTokenLifetime -Endpoint $Moto.endpoint -Seconds 120
            $r = Invoke-Boto3 ecr GetAuthorizationToken $Moto.ecrOnly
            $data = $r.response.authorizationData[0]
            ([long]$data.expiresAt - $r.now) | Should -BeGreaterThan 110
            ([long]$data.expiresAt - $r.now) | Should -BeLessOrEqual 121
            (ConvertFrom-EcrToken $data.authorizationToken).Document.expiration | Should -Be ([long]$data.expiresAt)
        }
        finally { Set-MotoEcrTokenLifetime -Endpoint $Moto.endpoint -Seconds 43200 }
        $r = Invoke-Boto3 ecr GetAuthorizationToken $Moto.ecrOnly
        ([long]$r.response.authorizationData[0].expiresAt - $r.now) | Should -BeGreaterThan (12 * 3600 - 120)
        { Set-MotoEcrTokenLifetime -Endpoint $Moto.endpoint -Seconds 0 } | Should -Throw
    }

    It 'takes the lifetime at start: Start-MotoPeer -EcrTokenLifetimeSeconds' {
        $short = Start-MotoPeer -WorkDirectory $Work -EcrTokenLifetimeSeconds 90
        try {
            (Invoke-RestMethod -Uri "$($short.Endpoint)/_peer/ecr/token-lifetime").seconds | Should -Be 90
            $r = Invoke-Boto3 ecr GetAuthorizationToken $short.Info.ecrOnly -Endpoint $short.Endpoint
            ([long]$r.response.authorizationData[0].expiresAt - $r.now) | Should -BeLessOrEqual 91
            ([long]$r.response.authorizationData[0].expiresAt - $r.now) | Should -BeGreaterThan 80
        }
        finally {
            Stop-Peer $short
            Remove-Item -LiteralPath $short.RequestLog -ErrorAction SilentlyContinue
        }
    }
}
