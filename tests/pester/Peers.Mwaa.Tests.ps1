# Exercises the MWAA peer (tests/peers/mwaa_peer.py) with AWS's own clients — boto3 and the AWS CLI, never
# the module — in front of the Airflow API emulator (Airflow 2 and 3), so the Mwaa-mode suites can trust it:
# signatures, IAM-style denials, validation, and InvokeRestApi's forwarding and wrapping as MWAA does them.
# Needs: dotnet build tests/AirflowEmulator/AirflowEmulator.csproj -c Release; python3 with boto3.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    $script:Work = New-TestFolder 'mwaa-peer'
    $script:Python = Get-PythonCommand
    $script:PythonPath = Install-MotoIfMissing

    $script:AirflowPassword = 'Airflow-Pa55-mwaa'
    $script:Af2 = Start-AirflowEmulator -AirflowVersion 2 -Password $AirflowPassword
    $script:Af3 = Start-AirflowEmulator -AirflowVersion 3 -Password $AirflowPassword

    # One key from a --config file, the rest through the control API after start.
    $script:Good = @{ accessKeyId = 'AKIAMWAAPEERGOOD0001'; secretAccessKey = 'good/Secret+Key0001' }
    $script:ReadOnly = @{ accessKeyId = 'AKIAMWAAPEERREAD0001'; secretAccessKey = 'read/Secret+Key0001' }
    $script:Session = @{ accessKeyId = 'ASIAMWAAPEERTEMP0001'; secretAccessKey = 'temp/Secret+Key0001'; sessionToken = 'FwoGZXIvYXdzEXAMPLEtoken' }
    $script:ConfigPath = Join-Path $Work 'mwaa-config.json'
    @{ keys = @(@{ accessKeyId = $Good.accessKeyId; secretAccessKey = $Good.secretAccessKey; actions = @('airflow:GetEnvironment', 'airflow:InvokeRestApi') }) } |
        ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $ConfigPath
    $script:Peer = Start-MwaaPeer -WorkDirectory $Work -ConfigPath $ConfigPath
    $null = Add-MwaaKey -Peer $Peer -AccessKeyId $ReadOnly.accessKeyId -SecretAccessKey $ReadOnly.secretAccessKey -Actions 'airflow:GetEnvironment' -UserName 'mwaa-reader'
    $null = Add-MwaaKey -Peer $Peer -AccessKeyId $Session.accessKeyId -SecretAccessKey $Session.secretAccessKey -SessionToken $Session.sessionToken -Actions 'airflow:*'
    $null = Add-MwaaEnvironment -Peer $Peer -Name 'af2' -AirflowVersion '2.10.3' -AirflowUrl $Af2.Url -AirflowPassword $AirflowPassword
    $null = Add-MwaaEnvironment -Peer $Peer -Name 'af3' -AirflowVersion '3.0.6' -AirflowUrl $Af3.Url -AirflowPassword $AirflowPassword -AirflowRole 'Op'
    $null = Add-MwaaEnvironment -Peer $Peer -Name 'old' -AirflowVersion '2.2.2' -AirflowUrl $Af2.Url -AirflowPassword $AirflowPassword
    $null = Add-MwaaEnvironment -Peer $Peer -Name 'west' -AirflowVersion '3.0.6' -AirflowUrl $Af3.Url -AirflowPassword $AirflowPassword -Region 'eu-west-1'

    # boto3 as the client: one call per python process; returns {ok, status, response} or {ok: false, status,
    # code, message, members} (members = the modeled error fields botocore parsed, e.g. RestApiStatusCode).
    $script:ClientScript = Join-Path $Work 'mwaa_client.py'
    @'
import datetime, json, os, sys
for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
    os.environ.pop(name, None)
os.environ["AWS_CONFIG_FILE"] = os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
import boto3, botocore, botocore.auth, botocore.exceptions
from botocore.config import Config
req = json.load(sys.stdin)
if req.get("skewMinutes"):
    real_now = botocore.auth.get_current_datetime
    botocore.auth.get_current_datetime = lambda: real_now() + datetime.timedelta(minutes=req["skewMinutes"])
session = boto3.Session(aws_access_key_id=req["key"], aws_secret_access_key=req["secret"],
                        aws_session_token=req.get("token"), region_name=req["region"])
# inject_host_prefix=False: botocore would send GetEnvironment to api.127.0.0.1 even with a custom endpoint.
client = session.client("mwaa", endpoint_url=req["endpoint"], config=Config(
    parameter_validation=req.get("validate", True), inject_host_prefix=False, retries={"max_attempts": 1}))
try:
    response = getattr(client, botocore.xform_name(req["operation"]))(**req.get("params", {}))
    meta = response.pop("ResponseMetadata")
    out = {"ok": True, "status": meta["HTTPStatusCode"], "response": response}
except botocore.exceptions.ClientError as e:
    r = e.response
    out = {"ok": False, "status": r["ResponseMetadata"]["HTTPStatusCode"], "code": r["Error"]["Code"],
           "message": r["Error"].get("Message"),
           "members": {k: v for k, v in r.items() if k not in ("Error", "ResponseMetadata")}}
print(json.dumps(out, default=str))
'@ | Set-Content -LiteralPath $ClientScript

    function Invoke-Mwaa {
        param(
            [Parameter(Mandatory)] [string] $Operation,
            [hashtable] $Params = @{},
            [hashtable] $Key = $Good,
            [string] $Region = 'us-east-1',
            [switch] $NoValidation,
            [int] $SkewMinutes = 0
        )
        $request = @{ endpoint = $Peer.Endpoint; region = $Region; key = $Key.accessKeyId; secret = $Key.secretAccessKey
            token = $Key.sessionToken; operation = $Operation; params = $Params; validate = -not $NoValidation; skewMinutes = $SkewMinutes } |
            ConvertTo-Json -Depth 20 -Compress
        $saved = $env:PYTHONPATH
        try {
            if ($PythonPath) { $env:PYTHONPATH = $PythonPath }
            $text = $request | & $Python $ClientScript
        }
        finally { $env:PYTHONPATH = $saved }
        if ($LASTEXITCODE -ne 0) { throw "boto3 client failed: $text" }
        $text | ConvertFrom-Json
    }

    function Get-LastMwaaRequest { (Get-MwaaRequests -Peer $Peer)[-1] }
}

AfterAll {
    Stop-Peer $Peer
    Stop-Peer $Af2
    Stop-Peer $Af3
    foreach ($file in @($ConfigPath, $ClientScript, $Peer.RequestLog)) {
        if ($file) { Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue }
    }
    Remove-Item -LiteralPath $Work -ErrorAction SilentlyContinue   # empty by now; never recursive
}

Describe 'MWAA peer (botocore model, botocore SigV4) through boto3 and the AWS CLI' {
    BeforeEach {
        Clear-MwaaRequests -Peer $Peer
        Clear-EmulatorRequests $Af2
        Clear-EmulatorRequests $Af3
    }

    It 'listens on a 127.0.0.1 port and writes endpoint, port, pid and log to its info file' {
        $Peer.Endpoint | Should -Match '^http://127\.0\.0\.1:\d+$'
        $Peer.Info.port | Should -BeGreaterThan 0
        $Peer.Info.pid | Should -Be $Peer.Process.Id
        $Peer.Info.log | Should -Be $Peer.RequestLog
    }

    It 'answers GetEnvironment for an allowed key with the members the model defines' {
        $r = Invoke-Mwaa GetEnvironment @{ Name = 'af3' }
        $r.ok | Should -BeTrue
        $r.response.Environment.Name | Should -Be 'af3'
        $r.response.Environment.Arn | Should -Be 'arn:aws:airflow:us-east-1:123456789012:environment/af3'
        $r.response.Environment.Status | Should -Be 'AVAILABLE'
        $r.response.Environment.AirflowVersion | Should -Be '3.0.6'
        $r.response.Environment.WebserverUrl | Should -Match '^https://'
        $r.response.Environment.ExecutionRoleArn | Should -Match '^arn:aws:iam::123456789012:role/'
        $entry = Get-LastMwaaRequest
        $entry.operation | Should -Be 'GetEnvironment'
        $entry.accessKeyId | Should -Be $Good.accessKeyId
        $entry.status | Should -Be 200
    }

    It 'is readable by the AWS CLI, errors included' -Skip:(-not (Get-Command aws -CommandType Application -ErrorAction SilentlyContinue)) {
        $names = 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_DISABLE_HOST_PREFIX_INJECTION', 'AWS_EC2_METADATA_DISABLED'
        $saved = @{}
        foreach ($n in $names) { $saved[$n] = [Environment]::GetEnvironmentVariable($n) }
        try {
            $env:AWS_ACCESS_KEY_ID = $Good.accessKeyId; $env:AWS_SECRET_ACCESS_KEY = $Good.secretAccessKey
            $env:AWS_SESSION_TOKEN = $null; $env:AWS_PROFILE = $null
            $env:AWS_CONFIG_FILE = $env:AWS_SHARED_CREDENTIALS_FILE = [IO.Path]::Combine($Work, 'no-such-file')
            $env:AWS_DISABLE_HOST_PREFIX_INJECTION = 'true'; $env:AWS_EC2_METADATA_DISABLED = 'true'
            $found = aws mwaa get-environment --name af2 --region us-east-1 --endpoint-url $Peer.Endpoint --output json 2>&1
            $LASTEXITCODE | Should -Be 0
            ($found | Out-String | ConvertFrom-Json).Environment.AirflowVersion | Should -Be '2.10.3'
            $missing = aws mwaa get-environment --name nope --region us-east-1 --endpoint-url $Peer.Endpoint 2>&1
            $LASTEXITCODE | Should -Not -Be 0
            ($missing | Out-String) | Should -Match 'An error occurred \(ResourceNotFoundException\) when calling the GetEnvironment operation: Environment nope not found'
        }
        finally {
            foreach ($n in $names) { [Environment]::SetEnvironmentVariable($n, $saved[$n]) }
        }
    }

    It 'refuses a wrong secret with 403 InvalidSignatureException, and nothing reaches Airflow' {
        $bad = @{ accessKeyId = $Good.accessKeyId; secretAccessKey = 'not-the-secret' }
        $r = Invoke-Mwaa InvokeRestApi @{ Name = 'af3'; Method = 'GET'; Path = '/connections' } -Key $bad
        $r.ok | Should -BeFalse
        $r.status | Should -Be 403
        $r.code | Should -Be 'InvalidSignatureException'
        $r.message | Should -Match 'signature we calculated does not match'
        @(Get-EmulatorRequests -Emulator $Af3).Count | Should -Be 0
        (Get-LastMwaaRequest).errorType | Should -Be 'InvalidSignatureException'
    }

    It 'refuses an unknown access key, and a session key without its token, with UnrecognizedClientException' {
        $r = Invoke-Mwaa GetEnvironment @{ Name = 'af2' } -Key @{ accessKeyId = 'AKIANOBODYKNOWSTHIS0'; secretAccessKey = 'x' }
        $r.status | Should -Be 403
        $r.code | Should -Be 'UnrecognizedClientException'
        (Invoke-Mwaa GetEnvironment @{ Name = 'af2' } -Key $Session).ok | Should -BeTrue
        $noToken = @{ accessKeyId = $Session.accessKeyId; secretAccessKey = $Session.secretAccessKey }
        (Invoke-Mwaa GetEnvironment @{ Name = 'af2' } -Key $noToken).code | Should -Be 'UnrecognizedClientException'
    }

    It 'refuses a request signed 20 minutes ago: Signature expired' {
        $r = Invoke-Mwaa GetEnvironment @{ Name = 'af2' } -SkewMinutes -20
        $r.status | Should -Be 403
        $r.code | Should -Be 'InvalidSignatureException'
        $r.message | Should -Match '^Signature expired: \d{8}T\d{6}Z is now earlier than'
        (Invoke-Mwaa GetEnvironment @{ Name = 'af2' } -SkewMinutes -5).ok | Should -BeTrue
    }

    It 'denies InvokeRestApi to a key without airflow:InvokeRestApi, naming the action and the role ARN' {
        $r = Invoke-Mwaa InvokeRestApi @{ Name = 'af3'; Method = 'GET'; Path = '/connections' } -Key $ReadOnly
        $r.status | Should -Be 403
        $r.code | Should -Be 'AccessDeniedException'
        $r.message | Should -BeLike '*user/mwaa-reader is not authorized to perform: airflow:InvokeRestApi on resource: arn:aws:airflow:us-east-1:123456789012:role/af3/Op*'
        @(Get-EmulatorRequests -Emulator $Af3).Count | Should -Be 0
        (Invoke-Mwaa GetEnvironment @{ Name = 'af3' } -Key $ReadOnly).ok | Should -BeTrue
    }

    It 'answers 404 ResourceNotFoundException for an unknown environment, and for one in another region' {
        foreach ($call in @(
                @{ Operation = 'GetEnvironment'; Params = @{ Name = 'nope' } },
                @{ Operation = 'InvokeRestApi'; Params = @{ Name = 'nope'; Method = 'GET'; Path = '/connections' } },
                @{ Operation = 'GetEnvironment'; Params = @{ Name = 'west' } })) {
            $r = Invoke-Mwaa @call
            $r.status | Should -Be 404
            $r.code | Should -Be 'ResourceNotFoundException'
        }
        (Invoke-Mwaa GetEnvironment @{ Name = 'west' } -Region 'eu-west-1').response.Environment.Arn | Should -Be 'arn:aws:airflow:eu-west-1:123456789012:environment/west'
    }

    It 'validates against the model: a 65-character Path, a bad Method and a bad Name are ValidationException' {
        $r = Invoke-Mwaa InvokeRestApi @{ Name = 'af3'; Method = 'GET'; Path = '/' + ('x' * 64) } -NoValidation
        $r.status | Should -Be 400
        $r.code | Should -Be 'ValidationException'
        $r.message | Should -BeLike "1 validation error detected: Value '/xxx*' at 'path' failed to satisfy constraint: Member must have length less than or equal to 64"
        $r = Invoke-Mwaa InvokeRestApi @{ Name = '9-starts-with-digit'; Method = 'FETCH'; Path = '/connections' } -NoValidation
        $r.message | Should -Match '^2 validation errors detected: '
        $r.message | Should -Match "at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern"
        $r.message | Should -Match "at 'method' failed to satisfy constraint: Member must satisfy enum value set: \[GET, PUT, POST, PATCH, DELETE\]"
        @(Get-EmulatorRequests -Emulator $Af3).Count | Should -Be 0
    }

    It 'wraps an Airflow 2 404 as RestApiClientException (HTTP 400) with RestApiStatusCode 404' {
        $r = Invoke-Mwaa InvokeRestApi @{ Name = 'af2'; Method = 'PATCH'; Path = '/connections/x'; Body = @{ connection_id = 'x'; conn_type = 'docker' } }
        $r.status | Should -Be 400
        $r.code | Should -Be 'RestApiClientException'
        $r.members.RestApiStatusCode | Should -Be 404
        $r.members.RestApiResponse.title | Should -Be 'Connection not found'
        $seen = @(Get-EmulatorRequests -Emulator $Af2)
        $seen.Count | Should -Be 1
        '{0} {1} {2} {3}' -f $seen[0].method, $seen[0].path, $seen[0].auth, $seen[0].status | Should -Be 'PATCH /api/v1/connections/x Basic 404'
        $entry = Get-LastMwaaRequest
        '{0} {1} {2}' -f $entry.restApiMethod, $entry.restApiPath, $entry.restApiStatusCode | Should -Be 'PATCH /connections/x 404'
    }

    It 'forwards an Airflow 3 bulk PATCH /connections with a JWT; the emulator stores the connection' {
        $id = 'ecr_mwaa_' + [guid]::NewGuid().ToString('n').Substring(0, 8)
        $secret = 'ecr-token-' + [guid]::NewGuid().ToString('n')
        $body = @{ actions = @(@{ action = 'create'; action_on_existence = 'overwrite'
                    entities = @(@{ connection_id = $id; conn_type = 'docker'; host = '123456789012.dkr.ecr.us-east-1.amazonaws.com'; login = 'AWS'; password = $secret }) }) }
        $r = Invoke-Mwaa InvokeRestApi @{ Name = 'af3'; Method = 'PATCH'; Path = '/connections'; Body = $body }
        $r.ok | Should -BeTrue
        $r.status | Should -Be 200
        $r.response.RestApiStatusCode | Should -Be 200
        $r.response.RestApiResponse.create.success | Should -Contain $id
        (Get-EmulatorConnections -Emulator $Af3 | Where-Object connection_id -eq $id).password | Should -Be $secret
        $seen = @(Get-EmulatorRequests -Emulator $Af3)
        '{0} {1} {2}' -f $seen[-1].method, $seen[-1].path, $seen[-1].auth | Should -Be 'PATCH /api/v2/connections Bearer'
        # The peer's log has the call but never a body.
        (Get-Content -LiteralPath $Peer.RequestLog -Raw) | Should -Not -Match ([regex]::Escape($secret))
        (Get-MwaaRequests -Peer $Peer | ConvertTo-Json -Depth 5) | Should -Not -Match ([regex]::Escape($secret))
    }

    It 'passes QueryParameters as the query string' {
        $r = Invoke-Mwaa InvokeRestApi @{ Name = 'af3'; Method = 'GET'; Path = '/connections'; QueryParameters = @{ limit = 1; offset = 0 } }
        $r.response.RestApiStatusCode | Should -Be 200
        $seen = @(Get-EmulatorRequests -Emulator $Af3)[-1]
        $seen.path | Should -Be '/api/v2/connections'
        ($seen.query.TrimStart('?') -split '&' | Sort-Object) -join '&' | Should -Be 'limit=1&offset=0'
    }

    It 'wraps an Airflow 500 as RestApiServerException with RestApiStatusCode 500' {
        Set-EmulatorFault -Emulator $Af3 -Method 'GET' -Path '/api/v2/connections/ecr' -Status 500
        $r = Invoke-Mwaa InvokeRestApi @{ Name = 'af3'; Method = 'GET'; Path = '/connections/ecr' }
        $r.status | Should -Be 400
        $r.code | Should -Be 'RestApiServerException'
        $r.members.RestApiStatusCode | Should -Be 500
    }

    It 'refuses InvokeRestApi on an environment older than Airflow 2.4.3, without calling Airflow' {
        $r = Invoke-Mwaa InvokeRestApi @{ Name = 'old'; Method = 'GET'; Path = '/connections' }
        $r.code | Should -Be 'ValidationException'
        $r.message | Should -Match '2\.4\.3'
        @(Get-EmulatorRequests -Emulator $Af2).Count | Should -Be 0
    }

    It 'answers operations it does not implement with UnknownOperationException' {
        $r = Invoke-Mwaa ListEnvironments
        $r.status | Should -Be 404
        $r.code | Should -Be 'UnknownOperationException'
        $r.message | Should -Match 'ListEnvironments'
    }
}
