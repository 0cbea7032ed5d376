# Windows Task Scheduler: run Update-AirflowEcrConnection.ps1 every 15 minutes as a service account, with
# -SkipIfValidFor 1h: a run writes only when the stored token has less than an hour left, so most runs cost one
# read and no write, and each 12-hour token is renewed about an hour before it expires.
# Run once, elevated, in pwsh or Windows PowerShell 5.1 (-Shell powershell makes the task run powershell.exe).
# Save the Airflow credential first, as the task's user (DPAPI ties the file to that user on that machine):
#   Get-Credential airflow-api | Export-Clixml C:\jobs\airflow.cred.xml
# The tests dot-source this file (. .\Register-EcrAirflowTask.ps1 -RunAs $c) to get its functions without
# registering anything.
param(
    [string] $Script = 'C:\jobs\Update-AirflowEcrConnection.ps1',
    [string] $Arguments = '-Region eu-west-1 -AirflowUrl https://airflow.example.com -AirflowCredentialPath C:\jobs\airflow.cred.xml -SkipIfValidFor 1h',
    # Account the task runs as (it needs an AWS profile or role); asked for when not given.
    [pscredential] $RunAs,
    # pwsh (PowerShell 7) or powershell (Windows PowerShell 5.1, run with -ExecutionPolicy Bypass).
    [ValidateSet('pwsh', 'powershell')] [string] $Shell = 'pwsh',
    [string] $TaskName = 'EcrAirflow refresh'
)

# What the task runs: the program and its argument string. No secret goes in here: the task's command line
# is visible to every user of the machine (Task Scheduler, Get-ScheduledTask, process listings).
function Get-EcrAirflowTaskAction {
    param(
        [Parameter(Mandatory)] [string] $Script,
        [string] $Arguments,
        [ValidateSet('pwsh', 'powershell')] [string] $Shell = 'pwsh'
    )
    # The path goes inside "..." on the command line; Windows file names cannot hold a quote, and a
    # trailing backslash would escape the closing quote.
    if ($Script.IndexOf('"') -ge 0 -or $Script.EndsWith('\')) { throw "The script path '$Script' cannot be a task argument: no quote and no trailing backslash." }
    $policy = ''
    # Windows PowerShell's default execution policy (Restricted) refuses scripts; pwsh's (RemoteSigned) runs local ones.
    if ($Shell -eq 'powershell') { $policy = '-ExecutionPolicy Bypass ' }
    $argument = "-NoProfile -NonInteractive $policy-File `"$Script`""
    if ($Arguments) { $argument += " $Arguments" }
    @{ Execute = "$Shell.exe"; Argument = $argument }
}

# The parameters of each ScheduledTasks cmdlet, as data: every 15 minutes (the script's -SkipIfValidFor decides
# whether a run writes), a run missed while the machine was off starts when it is back, at most 10 minutes (less
# than the interval), never two at once.
function Get-EcrAirflowTaskDefinition {
    param(
        [Parameter(Mandatory)] [string] $Script,
        [string] $Arguments,
        [ValidateSet('pwsh', 'powershell')] [string] $Shell = 'pwsh',
        [string] $TaskName = 'EcrAirflow refresh',
        [datetime] $Start = (Get-Date).AddMinutes(1)
    )
    @{
        Action   = Get-EcrAirflowTaskAction -Script $Script -Arguments $Arguments -Shell $Shell
        Trigger  = @{ Once = $true; At = $Start; RepetitionInterval = (New-TimeSpan -Minutes 15) }
        Settings = @{ StartWhenAvailable = $true; ExecutionTimeLimit = (New-TimeSpan -Minutes 10); MultipleInstances = 'IgnoreNew' }
        TaskName = $TaskName
    }
}

function Register-EcrAirflowTask {
    param(
        [Parameter(Mandatory)] [string] $Script,
        [string] $Arguments,
        [Parameter(Mandatory)] [pscredential] $RunAs,
        [ValidateSet('pwsh', 'powershell')] [string] $Shell = 'pwsh',
        [string] $TaskName = 'EcrAirflow refresh'
    )
    $definition = Get-EcrAirflowTaskDefinition -Script $Script -Arguments $Arguments -Shell $Shell -TaskName $TaskName
    $a = $definition.Action; $t = $definition.Trigger; $s = $definition.Settings
    $action = New-ScheduledTaskAction @a
    $trigger = New-ScheduledTaskTrigger @t
    $settings = New-ScheduledTaskSettingsSet @s
    # The account's password goes to Task Scheduler (which stores it for the task), never on a command line.
    Register-ScheduledTask -TaskName $definition.TaskName -Action $action -Trigger $trigger -Settings $settings `
        -User $RunAs.UserName -Password $RunAs.GetNetworkCredential().Password -RunLevel Limited
}

if ($MyInvocation.InvocationName -eq '.') { return }

$ErrorActionPreference = 'Stop'
if (-not $RunAs) { $RunAs = Get-Credential -Message 'Account the task runs as (it needs an AWS profile or role)' }
Register-EcrAirflowTask -Script $Script -Arguments $Arguments -RunAs $RunAs -Shell $Shell -TaskName $TaskName
