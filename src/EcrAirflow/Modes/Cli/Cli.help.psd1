# -Mode Cli's help: the descriptions of its own parameters (build/Help.ps1 merges them into the cmdlets' help).
@{
    Parameters = @{
        AirflowCommand   = 'The command that reaches the Airflow CLI, as an array, e.g. docker,exec,airflow-scheduler,airflow.'
        WorkingDirectory = 'Where the temporary import file is written; it must be visible to the CLI, e.g. a folder bind-mounted into the container.'
        TimeoutSec       = 'How long each Airflow CLI run (each ''connections get'' that reads a connection first, and the one import) may take before it is stopped, in seconds, so a hung docker exec cannot block a scheduled job.'
    }
}
