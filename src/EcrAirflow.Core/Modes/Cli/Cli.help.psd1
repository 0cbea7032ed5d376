# -Mode Cli's help: the descriptions of its own parameters (build/Help.ps1 merges them into the cmdlets' help),
# and About, from which build/Help.ps1 writes the help topic about_EcrAirflow_Cli (en-US/about_EcrAirflow_Cli.help.txt).
@{
    Parameters = @{
        AirflowCommand   = 'The command that reaches the Airflow CLI, as an array, e.g. docker,exec,airflow-scheduler,airflow.'
        WorkingDirectory = 'Where the temporary import file is written; it must be visible to the CLI, e.g. a folder bind-mounted into the container.'
        TimeoutSec       = 'How long each Airflow CLI run (each ''connections get'' that reads a connection first, and the one import) may take before it is stopped, in seconds, so a hung docker exec cannot block a scheduled job.'
    }
    About      = @{
        Synopsis    = '-Mode Cli: the connection in Airflow''s database, through one ''airflow connections import FILE --overwrite'' (Airflow 2.6 or later).'
        # Plain text as Get-Help shows it (lines of at most 106 characters; the topic indents them by 4).
        Description = @'
-Mode Cli runs one "<AirflowCommand...> connections import <file> --overwrite" (Airflow 2.6 or later) for
every piped credential. Import with --overwrite is an upsert, so there is never a moment without the
connection (unlike "connections delete" followed by "connections add").

    Get-EcrDockerCredential -Region eu-west-1 |
        Sync-AirflowEcrConnection -ConnectionId ecr -Mode Cli -AirflowCommand airflow

-AirflowCommand is the prefix that reaches the CLI, as an array:
    docker, compose, exec, -T, airflow-scheduler, airflow
    kubectl, exec, -n, airflow, deploy/airflow-scheduler, --, airflow
The CLI reads the import file by its path, so where it runs in a container, bind-mount a host folder at
the same absolute path and give it as -WorkingDirectory (the file belongs to the user running PowerShell:
give the container's Airflow user the same uid, as the official compose file's AIRFLOW_UID does).

A REFRESH
    The import replaces a whole connection, so each one is read first with "airflow connections get <id>
    --output json" and imported complete: host, login, password and the description's expiry note are the
    refresh's; port, schema, extra keys and the description's own text stay as they were. A connection of
    another type is left alone (NotDockerConnection) unless -ReplaceNonDocker. N connections cost N + 1
    CLI starts. A failure of a read stops the reads: terminating when nothing was read yet, else each
    connection not read gets it, and the ones read are still imported. A connection Airflow finds outside
    its database (a secrets backend, AIRFLOW_CONN_<ID>) is written with a warning: Airflow keeps reading
    the other one. Nothing "connections get" prints (it prints the stored password) reaches a message or a
    log.

THE IMPORT FILE
    ecrairflow-<random>.json in -WorkingDirectory (default: the temp folder), owner-only (0600, or an
    owner-only ACL on Windows) from the moment it is created, never through an existing file or a planted
    link, and deleted afterwards whatever happens: an error, -TimeoutSec, Ctrl+C, SIGTERM, SIGHUP, the
    console closing. -WorkingDirectory and every folder above it must belong to you or root and not be
    writable by others without the sticky bit (WorkingDirectoryNotTrusted). After the CLI returns the
    file must still be the one EcrAirflow wrote, same device and inode (ImportFileReplaced). The token is
    never on a command line, and any CLI text quoted in an error is redacted.

RESULTS
    A connection counts as written only when the CLI printed "Imported connection <id>". Action:
    Created or Updated, as the read before the import found it.
    -TimeoutSec (default 300 in this mode) stops a CLI that hangs, so a stuck docker exec cannot block a
    scheduled job (AirflowCliTimeout).
'@
        # This mode's error ids: id, T (terminating) / N / T/N, category, when.
        Errors      = @'
Sync-AirflowEcrConnection -Mode Cli
  AirflowCommandEmpty                         T   InvalidArgument    -AirflowCommand is empty or has an empty element
  WorkingDirectoryNotFound                    T   ObjectNotFound     -WorkingDirectory does not exist
  WorkingDirectoryNotTrusted                  T   SecurityError      -WorkingDirectory (or a folder above it) belongs to
                                                                     another user (not root), or others may write to it
                                                                     without the sticky bit (chmod go-w, or +t)
  ImportFileNotWritten                        T   WriteError         the import file cannot be created there
  AirflowCommandNotFound                      T   ObjectNotFound     the command (or the one behind a wrapper, exit 127)
                                                                     is not there
  AirflowCommandNotExecutable                 T   PermissionDenied   the file is not executable
  AirflowCommandStartFailed                   T   InvalidOperation   the command could not be started otherwise
  AirflowCliTooOld                            T   NotImplemented     no "connections import --overwrite" (Airflow < 2.6)
  AirflowCliUsageError                        T   InvalidArgument    the CLI exited 2 (argparse rejected the command line)
  AirflowCliFailed                            T   InvalidOperation   the CLI exited 1 or another non-zero code (its
                                                                     first stderr lines, or a traceback's exception line,
                                                                     redacted, are in the message and in -Verbose)
  AirflowCliImportRejected                    N   WriteError         "Could not import connection ..." for one id
  AirflowCliNotConfirmed                      N   InvalidData        exit 0 without "Imported connection <id>"
  AirflowCliTimeout                           T   OperationTimeout   the CLI ran longer than -TimeoutSec (default 300 s
                                                                     in Cli mode) and was stopped
  AirflowCliStopped                           T   OperationStopped   SIGTERM or SIGHUP (Windows: the console closed, logoff,
                                                                     shutdown) during the run: the CLI was stopped and the
                                                                     import file removed before the process ended
  ImportFileReplaced                          T   SecurityError      after the CLI ran, the import file was not the one
                                                                     EcrAirflow wrote (another inode, or gone): never a success
  AirflowCliReadFailed                        T/N InvalidOperation   reading: 'connections get <id>' failed otherwise than
                                                                     "Connection not found." (the exception line of its
                                                                     stderr is quoted, never its output); nothing imported
  AirflowCliUnexpectedOutput                  T/N InvalidData        reading: 'connections get <id> --output json' printed
                                                                     no JSON list holding that one connection
'@
    }
}
