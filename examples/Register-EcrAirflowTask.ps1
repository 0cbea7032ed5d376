# Windows Task Scheduler: run Update-AirflowEcrConnection.ps1 every 6 hours as a service account.
# Run once, elevated. For Windows PowerShell 5.1 replace pwsh.exe with powershell.exe.
# Save the Airflow credential first, as the task's user (DPAPI ties the file to that user on that machine):
#   Get-Credential airflow-api | Export-Clixml C:\jobs\airflow.cred.xml
param(
    [string] $Script = 'C:\jobs\Update-AirflowEcrConnection.ps1',
    [string] $Arguments = '-Region eu-west-1 -AirflowUrl https://airflow.example.com -AirflowCredentialPath C:\jobs\airflow.cred.xml',
    [pscredential] $RunAs = (Get-Credential -Message 'Account the task runs as (it needs an AWS profile or role)')
)
$action = New-ScheduledTaskAction -Execute 'pwsh.exe' -Argument "-NoProfile -NonInteractive -File `"$Script`" $Arguments"
# Windows PowerShell 5.1: New-ScheduledTaskAction -Execute 'powershell.exe' -Argument "-NoProfile -NonInteractive -ExecutionPolicy Bypass -File `"$Script`" $Arguments"
$trigger = New-ScheduledTaskTrigger -Once -At (Get-Date).AddMinutes(1) -RepetitionInterval (New-TimeSpan -Hours 6)
$settings = New-ScheduledTaskSettingsSet -StartWhenAvailable -ExecutionTimeLimit (New-TimeSpan -Minutes 10) -MultipleInstances IgnoreNew
Register-ScheduledTask -TaskName 'EcrAirflow refresh' -Action $action -Trigger $trigger -Settings $settings `
    -User $RunAs.UserName -Password $RunAs.GetNetworkCredential().Password -RunLevel Limited
