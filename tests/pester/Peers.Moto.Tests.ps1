# Checks the moto peer's own additions with boto3 (never the module): ECR tokens that expire in 12 hours,
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

    function Invoke-Boto3([string] $Service, [string] $Operation, $User, [hashtable] $Params = @{}) {
        $request = @{ service = $Service; operation = $Operation; endpoint = $Moto.endpoint; key = $User.accessKeyId
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
