# What moto's Secrets Manager and Parameter Store hold, read and set with boto3 as the moto peer's admin user
# (tests/peers/airflow/read_backend_value.py reads as Airflow's backends do; seed_backend_value.py puts a value
# as a user or another tool would). Never through the module under test. Dot-sourced by Peers.ps1.

# Runs one of the two scripts against moto in a region; JSON in on stdin, JSON out; $null when there is nothing.
function Invoke-MotoStore {
    param(
        [Parameter(Mandatory)] $Moto,
        [Parameter(Mandatory)] [ValidateSet('read', 'seed')] [string] $Action,
        [Parameter(Mandatory)] [string[]] $Argument,
        [string] $InputJson,
        [string] $Region = 'eu-west-1'
    )
    $script = Join-Path $PSScriptRoot ("airflow/{0}_backend_value.py" -f $Action)
    $python = Get-PythonCommand
    $vars = @{ READER_ENDPOINT = $Moto.endpoint; READER_REGION = $Region; READER_KEY_ID = $Moto.admin.accessKeyId; READER_SECRET = $Moto.admin.secretAccessKey }
    $saved = @{}
    foreach ($k in $vars.Keys) { $saved[$k] = [Environment]::GetEnvironmentVariable($k); [Environment]::SetEnvironmentVariable($k, $vars[$k]) }
    try {
        $json = if ($InputJson) { $InputJson | & $python $script @Argument } else { & $python $script @Argument }
        if ($LASTEXITCODE -eq 4) { return $null }
        if ($LASTEXITCODE -ne 0) { throw "$(Split-Path $script -Leaf) $($Argument[0]) failed with exit code $LASTEXITCODE" }
        if ($json) { $json | ConvertFrom-Json }
    }
    finally { foreach ($k in $vars.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) } }
}

# What Airflow's backend reads for a name ('secretsmanager' or 'ssm'); 'delete-secret' schedules a deletion.
function Read-MotoStore($Moto, [ValidateSet('secretsmanager', 'ssm', 'delete-secret')] [string] $Service, [string] $Name, [string] $Region = 'eu-west-1') {
    Invoke-MotoStore -Moto $Moto -Action read -Argument $Service, $Name -Region $Region
}

# Puts a value at a name: Kind 'secret' ({name, string | binary, kmsKeyId, description, tags}) or 'parameter'
# ({name, value, type, keyId, description, tier, tags}).
function Set-MotoStore($Moto, [ValidateSet('secret', 'parameter')] [string] $Kind, [hashtable] $Spec, [string] $Region = 'eu-west-1') {
    Invoke-MotoStore -Moto $Moto -Action seed -Argument $Kind -InputJson ($Spec | ConvertTo-Json -Compress -Depth 5) -Region $Region
}
