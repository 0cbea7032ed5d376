@{
    Synopsis    = 'Reports what each Airflow connection target holds now for a connection id, when its ECR token expires, and (with -Login) whether the registry accepts the stored login.'
    # The per-mode parameter lists come from the mode table in the code, the mode parameters' descriptions from each
    # mode's folder, the shared ones from ModeCmdlets.Shared.psd1: the same declaration Sync-AirflowEcrConnection uses.
    ModeTable   = 'EcrAirflow.Core.Commands.ModeHelp'
    SharedParameters = 'ModeCmdlets.Shared.psd1'
    Description = @'
Test-AirflowEcrConnection reads what the target of -Mode holds for each -ConnectionId, through the same mode parameters as Sync-AirflowEcrConnection, and returns one EcrAirflow.AirflowConnectionStatus per id: Status Fresh, ExpiringSoon, Expired, Missing, NotDocker or Unknown; the Registry it logs in to; ExpiresAt and Remaining; where the expiry came from; and a Reason a person can act on whenever the status is not Fresh or a tested login did not succeed.

An ECR password says when it expires, so where the target lets the password be read (Cli, EnvironmentVariable, SecretsManager, ParameterStore) ExpiresAt is decoded from the stored token itself (ExpirySource Token). Airflow's REST APIs and MWAA never return the password, so there ExpiresAt comes from the note Sync-AirflowEcrConnection writes in the connection's description (ExpirySource Annotation).

One read serves many ids where the target allows it: one list request to Airflow 3 and MWAA on Airflow 3, one read of a dotenv file. Nothing is written.

-Login tries the stored login at the stored registry as docker does (GET /v2/ with Basic credentials), over https; plain http only for a loopback registry. -Quiet returns a single $true or $false for scripts and monitors: $true when every connection is Fresh and every tested login Succeeded.
'@
    Parameters  = @{
        ConnectionId     = 'The Airflow connection ids to test, one or many. From the pipeline too: strings, or objects with a ConnectionId property such as Sync-AirflowEcrConnection''s results.'
        MinimumRemaining = 'The line between Fresh and ExpiringSoon (default 1 hour). A TimeSpan, hh:mm:ss, or a number with a unit: 90s, 30m, 6h, 1d; anything else, or a negative duration, is an error (InvalidDuration) before anything is read.'
        Login            = 'Also tries the stored login at the stored registry (GET /v2/ with Basic credentials, as docker login does): Login Succeeded, Failed (with the registry''s realm in Reason), or Unavailable where the password cannot be read back or the registry not asked. The password is never printed.'
        Quiet            = 'Returns only $true (every connection Fresh and every tested login Succeeded) or $false.'
    }
    Inputs      = @(
        @{ Type = 'System.String'; Description = 'Connection ids.' }
        @{ Type = 'EcrAirflow.AirflowConnectionSyncResult'; Description = 'Sync-AirflowEcrConnection''s results (their ConnectionId).' }
    )
    Outputs     = @(
        @{ Type = 'EcrAirflow.AirflowConnectionStatus'; Description = 'One per id: ConnectionId, Mode, Target, Status, Registry, ExpiresAt, Remaining, ExpirySource, Login, Reason. Never the password.' }
        @{ Type = 'System.Boolean'; Description = 'With -Quiet: one $true or $false.' }
    )
    Notes       = @'
Errors carry specific ids (see about_EcrAirflow). A target that cannot be read for one id gives that id Status Unknown with the reason, and a non-terminating error.
'@
    Examples    = @(
        @{
            Title   = 'What Airflow 3 holds, and when it expires'
            Code    = @'
PS> $airflowCredential = Get-Credential admin
PS> Test-AirflowEcrConnection -ConnectionId ecr, ecr_us -AirflowUrl https://airflow.example.com -AirflowCredential $airflowCredential
'@
            Remarks = 'One list request for both ids. ExpiresAt comes from the note Sync-AirflowEcrConnection wrote in each description (ExpirySource Annotation), since Airflow returns the password masked.'
        }
        @{
            Title   = 'A monitor: exit code 0 when fresh'
            Code    = @'
PS> if (Test-AirflowEcrConnection ecr -Mode SecretsManager -Region eu-west-1 -MinimumRemaining 2h -Quiet) { exit 0 } else { exit 2 }
'@
            Remarks = 'The stored token itself says when it expires. examples/Test-AirflowEcrLogin.ps1 tells expiring soon (1) from expired or missing (2).'
        }
        @{
            Title   = 'Does the registry accept what Airflow will use?'
            Code    = @'
PS> Test-AirflowEcrConnection ecr -Mode EnvironmentVariable -Path ./.env -Login | Format-List
'@
            Remarks = 'Login Succeeded when the registry answers 200 to the stored login; Failed with its realm when it answers 401.'
        }
        @{
            Title   = 'Right after a refresh'
            Code    = @'
PS> Get-EcrDockerCredential -Region eu-west-1 | Sync-AirflowEcrConnection ecr -Mode Cli | Test-AirflowEcrConnection -Mode Cli
'@
            Remarks = 'The results of Sync-AirflowEcrConnection bind by their ConnectionId.'
        }
    )
    Links       = @('Sync-AirflowEcrConnection', 'Get-EcrDockerCredential', 'about_EcrAirflow')
}
