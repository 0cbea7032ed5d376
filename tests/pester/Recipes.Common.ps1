# Shared helpers for the tests of the recipes in examples/ (dot-sourced; not a test file itself): the recipes'
# own command lines and pipeline steps run as their scheduler would run them, in a child process whose
# environment holds only what the recipe's set-up promises (AWS credentials, the Airflow user and password, the
# installed module), pointed at the local peers.
# Needs Common.ps1 dot-sourced first.

$script:RecipesRoot = if ($env:ECRAIRFLOW_TEST_ROOT) { $env:ECRAIRFLOW_TEST_ROOT } else { (Resolve-Path "$PSScriptRoot/../..").Path }

# A YAML file as objects, read by Python's yaml (PyYAML: moto's own dependency, so it is there wherever the
# moto peer runs). YAML 1.1 reads a bare `on` key as true: GitHub's `on:` comes back as the key "True".
function Read-YamlFile([Parameter(Mandatory)] [string] $Path) {
    $python = Get-PythonCommand
    $pythonPath = Install-MotoIfMissing
    $saved = $env:PYTHONPATH
    try {
        $env:PYTHONPATH = $pythonPath
        $json = & $python -c 'import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1], encoding="utf-8")), sys.stdout, default=str)' $Path 2>&1
        if ($LASTEXITCODE -ne 0) { throw "YAML that does not parse: $Path`n$($json | Out-String)" }
    }
    finally { $env:PYTHONPATH = $saved }
    ($json -join "`n") | ConvertFrom-Json
}

# What tests/tools/dag_facts.py reads from a DAG file with Python's ast (Airflow is not imported).
function Get-DagFacts([Parameter(Mandatory)] [string] $Path) {
    $python = Get-PythonCommand
    $out = & $python (Join-Path $RecipesRoot 'tests/tools/dag_facts.py') $Path 2>&1
    [pscustomobject]@{ ExitCode = $LASTEXITCODE; Text = ($out | Out-String); Facts = $(if ($LASTEXITCODE -eq 0) { ($out -join "`n") | ConvertFrom-Json }) }
}

# The folder that holds the staged module (out/), for PSModulePath: as if EcrAirflow were installed.
function Get-RecipeModuleRoot {
    Split-Path (Split-Path (Split-Path $env:ECRAIRFLOW_TEST_MODULE -Parent) -Parent) -Parent
}

# The environment a scheduled run of a recipe has: the AWS identity (moto's ECR user, the endpoint through
# AWS_ENDPOINT_URL_ECR), no AWS profile, config file or instance metadata, the module on PSModulePath, and the
# Airflow user and password. $Extra is added last ($null removes a variable).
function New-RecipeEnvironment {
    param([Parameter(Mandatory)] $Moto, [string] $AirflowPassword, [hashtable] $Extra = @{})
    $nowhere = Join-Path ([IO.Path]::GetTempPath()) 'ecrairflow-recipes-no-such-aws-file'
    $environment = @{
        AWS_ACCESS_KEY_ID = $Moto.allowed.accessKeyId; AWS_SECRET_ACCESS_KEY = $Moto.allowed.secretAccessKey
        AWS_SESSION_TOKEN = $null; AWS_PROFILE = $null; AWS_DEFAULT_PROFILE = $null; AWS_REGION = $null; AWS_DEFAULT_REGION = $null
        AWS_CONFIG_FILE = $nowhere; AWS_SHARED_CREDENTIALS_FILE = $nowhere; AWS_EC2_METADATA_DISABLED = 'true'
        AWS_ENDPOINT_URL = $null; AWS_ENDPOINT_URL_ECR = $Moto.endpoint
        PSModulePath = (Get-RecipeModuleRoot) + [IO.Path]::PathSeparator + $env:PSModulePath
        AIRFLOW_API_USER = 'admin'; AIRFLOW_API_PASSWORD = $AirflowPassword
    }
    foreach ($k in $Extra.Keys) { $environment[$k] = $Extra[$k] }
    $environment
}

# A folder with a `pwsh` that runs the PowerShell running the tests (the .NET tool's pwsh is `dotnet pwsh.dll`),
# for recipes whose command line starts with pwsh or /usr/bin/pwsh. Unix only (a shell script).
function New-PwshShim([Parameter(Mandatory)] [string] $Folder) {
    $quoted = @(Get-PwshCommandLine) | ForEach-Object { "'" + ($_ -replace "'", "'\''") + "'" }
    $shim = Join-Path $Folder 'pwsh'
    [IO.File]::WriteAllText($shim, "#!/bin/sh`nexec $($quoted -join ' ') `"`$@`"`n")
    & chmod 755 $shim
    $shim
}

# A pipeline step's PowerShell as GitHub's `shell: pwsh` and Azure's PowerShell tasks run it: $ErrorActionPreference
# set to stop first, and the last native exit code passed on at the end.
function Invoke-PipelineScript {
    param([Parameter(Mandatory)] [string] $Script, [hashtable] $Environment = @{})
    $wrapped = "`$ErrorActionPreference = 'stop'`n" + $Script + "`nif ((Test-Path -LiteralPath variable:\LASTEXITCODE)) { exit `$LASTEXITCODE }"
    $r = Invoke-ChildPwsh -Script $wrapped -Environment $Environment
    # Without the colours PowerShell 7 gives a table's or list's labels (the CI logs show them as colours).
    $plain = { param($t) if ($t) { $t -replace "$([char]27)\[[0-9;]*m", '' } else { $t } }
    [pscustomobject]@{ ExitCode = $r.ExitCode; Out = (& $plain $r.Out); Err = (& $plain $r.Err); Text = (& $plain $r.Text) }
}

# Airflow API requests that write a connection (REST v1 POST/PATCH, v2 bulk PATCH or POST).
function Get-EmulatorWrites([Parameter(Mandatory)] [string] $Url) {
    @(Get-EmulatorRequests -Url $Url | Where-Object { $_.method -in 'POST', 'PATCH', 'PUT', 'DELETE' -and $_.path -like '/api/*/connections*' })
}

# A connection as Sync-AirflowEcrConnection leaves it in Airflow: docker, AWS login, and EcrAirflow's note of the
# token's expiry in the description (what Test-AirflowEcrConnection reads where the password is never returned).
function Set-EmulatorEcrConnection {
    param([Parameter(Mandatory)] [string] $Url, [Parameter(Mandatory)] [string] $ConnectionId, [Parameter(Mandatory)] [string] $Registry, [datetime] $ExpiresAt)
    $description = 'Managed by EcrAirflow'
    if ($PSBoundParameters.ContainsKey('ExpiresAt')) { $description += '; token expires ' + $ExpiresAt.ToUniversalTime().ToString('yyyy-MM-dd HH:mm:ss', [Globalization.CultureInfo]::InvariantCulture) + ' UTC' }
    $null = Set-EmulatorConnection -Url $Url -ConnectionId $ConnectionId -Connection @{
        connection_id = $ConnectionId; conn_type = 'docker'; host = $Registry; login = 'AWS'; password = 'seeded-token-not-ecr'; description = $description
    }
}
