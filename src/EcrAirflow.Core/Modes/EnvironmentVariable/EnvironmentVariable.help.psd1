# -Mode EnvironmentVariable's help: the descriptions of its own parameters (build/Help.ps1 merges them into the cmdlets' help),
# and About, from which build/Help.ps1 writes the help topic about_EcrAirflow_EnvironmentVariable (en-US/about_EcrAirflow_EnvironmentVariable.help.txt).
@{
    Parameters = @{
        Format       = 'Uri (docker://login:password@host, read by every Airflow) or Json (Airflow 2.3+). An existing value keeps its own form unless -Format is given; given, the value is converted, keeping its port, schema and extra.'
        Scope        = 'Process, or User / Machine (Windows only) to persist the variable.'
        Path         = 'A dotenv file (docker compose .env) whose AIRFLOW_CONN_<ID> line is added or replaced atomically, keeping every other line, comment and line ending. A new file is created owner-only. Cannot be combined with -Scope.'
        IncludeValue = 'Adds the variable''s value, in plain text, as a Value property of each result. Without it the value (which holds the ECR password) is never output.'
        CiSystem     = 'Auto (GitHub Actions when GITHUB_ENV is set, Azure Pipelines when TF_BUILD is set), GitHubActions, AzurePipelines or None. CI output is written in addition to the scope or file: GitHub Actions masks the password (::add-mask::) and appends to $GITHUB_ENV; Azure Pipelines sets a secret variable.'
    }
    About      = @{
        Synopsis    = '-Mode EnvironmentVariable: AIRFLOW_CONN_<ID> for this process, the Windows user or machine, a dotenv file, or a CI job.'
        # Plain text as Get-Help shows it (lines of at most 106 characters; the topic indents them by 4).
        Description = @'
-Mode EnvironmentVariable sets AIRFLOW_CONN_<ID> (the id upper-cased as Airflow does), which Airflow
reads before its database: for this process (-Scope Process, the default), the Windows user or machine
(-Scope User or Machine, Windows only), a dotenv file (-Path, e.g. docker compose's .env), and the CI
system's job environment.

    Get-EcrDockerCredential -Region eu-west-1 |
        Sync-AirflowEcrConnection -ConnectionId ecr -Mode EnvironmentVariable -Path ./.env

THE VALUE
    -Format Uri (the default, every Airflow 2 and 3): docker://AWS:<token>@<registry>, login, password and
    host percent-encoded outside RFC 3986's unreserved set (+, / and = included), extra as query
    parameters. -Format Json (Airflow 2.3+): {"conn_type":"docker","host":...,"login":...,"password":...}.
    The value is never output unless -IncludeValue adds it, in plain text, as a Value property.
    An id outside ASCII is refused (Python upper-cases it differently from .NET), and so are two ids that
    differ only in letter case (they would be one variable).

A REFRESH
    An existing value is read first (a dotenv file once for all ids) and merged: host, login, password and
    the description's expiry note are the refresh's; port, schema (the URI's path), extra keys (query
    parameters) and other JSON keys stay, and the value keeps its form (URI or JSON) unless -Format is
    typed. The same merged value goes to the CI system, with every form of the token in it masked. A value
    that is not a Docker connection is left alone (NotDockerConnection) unless -ReplaceNonDocker.

A DOTENV FILE (-Path)
    The AIRFLOW_CONN_<ID>= line is replaced in place or appended; every other byte stays (comments, CRLF).
    The file is rewritten through .NAME.<random>.tmp beside it and renamed over the original under the
    lock file .NAME.ecrairflow-lock, so concurrent runs keep each other's variables. A new file is 0600.
    Only a regular file that you own and can write is edited; a link is followed only when no other user
    controls it. A file others may read (a compose .env is often 0644) is written with a warning naming
    chmod 600. docker compose reads .env when it creates the containers: re-create them after a refresh
    (docker compose up -d).

CI SYSTEMS (-CiSystem Auto, the default, detects GITHUB_ENV and TF_BUILD)
    GitHub Actions: ::add-mask:: for the token and each encoded form of it, then a
    NAME<<ghadelimiter_<guid> block appended to $GITHUB_ENV: later steps of the job get the variable,
    masked in the log. Azure Pipelines: ##vso[task.setvariable variable=NAME;issecret=true]; map it into a
    later step's env explicitly (secret variables are not passed on by themselves).

RESULTS
    Action: Created (no such variable or line yet), Updated, or Unchanged (it already held this value:
    nothing was written). VariableName names the variable; Target the scope or the file.
'@
        # This mode's error ids: id, T (terminating) / N / T/N, category, when.
        Errors      = @'
Sync-AirflowEcrConnection -Mode EnvironmentVariable
  PathAndScopeTogether                        T   InvalidArgument    -Path with -Scope
  VariableNameNotAscii                        N   InvalidArgument    a connection id outside ASCII: Airflow upper-cases it with
                                                                     Python's rules (ß -> SS), which .NET's differ from
  ScopeNotSupportedOnPlatform                 T   InvalidArgument    -Scope User or Machine off Windows
  GitHubEnvNotSet                             T   InvalidOperation   -CiSystem GitHubActions without GITHUB_ENV
  GitHubEnvUnsafe                             T   SecurityError      GITHUB_ENV names a FIFO or device, a dangling link, a
                                                                     link in a folder others can write to, or a file of
                                                                     another user (allowed for root: a container job's
                                                                     steps); checked before anything is written
  AzurePipelinesValueNotRepresentable         T   InvalidData        the value holds a sequence the agent would decode
  DotEnvFolderNotFound                        T   ObjectNotFound     the folder of -Path does not exist
  DotEnvReadOnly                              T   PermissionDenied   this user cannot write the dotenv file (access(2), e.g.
                                                                     a 0464 file of ours; the owner's write bit counts for
                                                                     root too; the read-only attribute on Windows)
  DotEnvOwnedByOtherUser                      T   SecurityError      the dotenv file belongs to another user
  DotEnvNotRegularFile                        T   InvalidArgument    -Path is a folder, FIFO, device or socket (also at the
                                                                     end of a link, e.g. to /dev/zero)
  DotEnvLinkNotFollowed                       T   SecurityError      -Path is a symbolic link to a file that does not exist
                                                                     (nothing is created elsewhere), a link in a folder other
                                                                     users can write to, or a link of another user
  DotEnvTooLarge                              T   InvalidData        the dotenv file is larger than 16 MB
  DotEnvReadFailed                            T   ReadError          the dotenv file exists but cannot be read (it is read
                                                                     before the write, to keep what it holds)
  DotEnvWriteFailed                           T   WriteError         the dotenv file cannot be read or replaced (e.g. a
                                                                     folder, no rights on its folder)
  DotEnvLocked                                T   ResourceUnavailable another run held the file's lock for 20 s
  DotEnvValueNotRepresentable                 T   InvalidData        a value docker compose and python-dotenv would read
                                                                     differently
  EnvironmentScopeAccessDenied                N   PermissionDenied   (Windows) the User/Machine variable cannot be read or set
  GitHubEnvWriteFailed                        N   WriteError         GITHUB_ENV cannot be appended to (the process
                                                                     variable was set; the message says so)
'@
    }
}
