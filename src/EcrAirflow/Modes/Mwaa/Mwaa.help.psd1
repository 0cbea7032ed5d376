# -Mode Mwaa's help: the descriptions of its own parameters (build/Help.ps1 merges them into the cmdlets' help).
@{
    Parameters = @{
        MwaaEnvironmentName = 'The name of the Amazon MWAA environment (as aws mwaa list-environments shows it): a letter, then letters, digits, - and _, at most 80 characters; checked before any call. Its region is -Region, else AWS_REGION, AWS_DEFAULT_REGION or the profile''s region, else the piped credential''s Region; the endpoint is -EndpointUrl or AWS_ENDPOINT_URL_MWAA when given.'
        ApiVersion          = 'V1 (Airflow 2), V2 (Airflow 3) or Auto, which reads the environment''s AirflowVersion with GetEnvironment (needs airflow:GetEnvironment), once per environment per session; V1 or V2 skip that call.'
    }
}
