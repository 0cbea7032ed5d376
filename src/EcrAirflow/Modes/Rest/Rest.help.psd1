# -Mode Rest's help: the descriptions of its own parameters (build/Help.ps1 merges them into the cmdlets' help).
@{
    Parameters = @{
        AirflowUrl           = 'The base URL of the Airflow webserver (Airflow 2) or API server (Airflow 3), e.g. https://airflow.example.com or https://example.com/airflow. A URL with user:password@ inside is refused.'
        AirflowCredential    = 'The Airflow user and password (basic auth on Airflow 2, a JWT from /auth/token on Airflow 3).'
        AccessToken          = 'A bearer token to use instead of -AirflowCredential.'
        ApiVersion           = 'V1 (Airflow 2), V2 (Airflow 3) or Auto, which asks /api/v2/version, then /api/v1/version, once per URL per session.'
        TimeoutSec           = 'How long one HTTP attempt may take, in seconds.'
        MaximumRetryCount    = 'How many times 429, 5xx and network failures are retried, with backoff and jitter, honouring Retry-After.'
        SkipCertificateCheck = 'Accepts any TLS certificate (test servers only).'
    }
}
