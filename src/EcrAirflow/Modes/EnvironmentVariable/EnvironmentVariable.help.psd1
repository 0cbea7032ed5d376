# -Mode EnvironmentVariable's help: the descriptions of its own parameters (build/Help.ps1 merges them into the cmdlets' help).
@{
    Parameters = @{
        Format       = 'Uri (docker://login:password@host, read by every Airflow) or Json (Airflow 2.3+). An existing value keeps its own form unless -Format is given; given, the value is converted, keeping its port, schema and extra.'
        Scope        = 'Process, or User / Machine (Windows only) to persist the variable.'
        Path         = 'A dotenv file (docker compose .env) whose AIRFLOW_CONN_<ID> line is added or replaced atomically, keeping every other line, comment and line ending. A new file is created owner-only. Cannot be combined with -Scope.'
        IncludeValue = 'Adds the variable''s value, in plain text, as a Value property of each result. Without it the value (which holds the ECR password) is never output.'
        CiSystem     = 'Auto (GitHub Actions when GITHUB_ENV is set, Azure Pipelines when TF_BUILD is set), GitHubActions, AzurePipelines or None. CI output is written in addition to the scope or file: GitHub Actions masks the password (::add-mask::) and appends to $GITHUB_ENV; Azure Pipelines sets a secret variable.'
    }
}
