# The stand-in airflow CLI (tests/peers/airflow/airflow) as a peer: where it is, what its store holds, and what it
# was asked. It keeps its store (connections.json) and its call log (calls.jsonl: one line per run, with its argv)
# in AIRFLOW_STANDIN_HOME, which the tests point at a folder of their own. Dot-sourced by Peers.ps1.

function Get-StandInPath { Join-Path $PSScriptRoot 'airflow/airflow' }

function Format-CommandLineWord {
    # An argument as the module's Cli results and messages show it (PowerShell style, pasteable): as is, or in single
    # quotes when it holds white space or a quote, backtick, $ or ; (e.g. a clone in a path with spaces).
    param([Parameter(Mandatory)] [string] $Word)
    if ($Word -match '[\s''"`$;]') { "'" + $Word.Replace("'", "''") + "'" } else { $Word }
}

function Get-StandInCalls {
    # Every run of the stand-in so far, oldest first ({ argv, files }); none when it never ran. A line the stand-in
    # is still writing does not parse yet and is left out: a caller that waits reads again on its next round.
    param([string] $StandInHome = $env:AIRFLOW_STANDIN_HOME)
    $log = Join-Path $StandInHome 'calls.jsonl'
    if (-not (Test-Path -LiteralPath $log)) { return @() }
    @(Get-Content -LiteralPath $log | Where-Object { $_ } | ForEach-Object { try { $_ | ConvertFrom-Json } catch { } })
}

function Set-StandInConnections {
    <#
    .SYNOPSIS
        Stores connections as a user's earlier `airflow connections import --overwrite` would, through the stand-in's
        own import: -Connections maps each id to its fields (conn_type, host, login, password, description, ...). The
        run is in the call log like any other: count calls from before this one to see only what came after.
    #>
    param([Parameter(Mandatory)] [hashtable] $Connections, [string] $StandInHome = $env:AIRFLOW_STANDIN_HOME)
    $file = Join-Path $StandInHome ('seed-' + [guid]::NewGuid().ToString('n') + '.json')
    [IO.File]::WriteAllText($file, ($Connections | ConvertTo-Json -Depth 5 -Compress))
    $saved = $env:AIRFLOW_STANDIN_HOME
    try {
        $env:AIRFLOW_STANDIN_HOME = $StandInHome
        $out = & (Get-StandInPath) connections import $file --overwrite 2>&1
        if ($LASTEXITCODE -ne 0) { throw "The stand-in's import failed (exit code $LASTEXITCODE): $out" }
    }
    finally {
        $env:AIRFLOW_STANDIN_HOME = $saved
        Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue
    }
}

function Get-StandInConnection {
    # What the stand-in's store (Airflow's database) holds for an id, password included; $null when nothing.
    param([Parameter(Mandatory)] [string] $ConnectionId, [string] $StandInHome = $env:AIRFLOW_STANDIN_HOME)
    $store = Join-Path $StandInHome 'connections.json'
    if (-not (Test-Path -LiteralPath $store)) { return $null }
    (Get-Content -LiteralPath $store -Raw | ConvertFrom-Json).$ConnectionId
}
