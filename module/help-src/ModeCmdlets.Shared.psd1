# The parameters every cmdlet that takes -Mode shares (Sync-AirflowEcrConnection, Test-AirflowEcrConnection),
# described once: build/Help.ps1 reads this file for a help source that names it as SharedParameters. A mode's own
# parameters are described in its folder (src/EcrAirflow.Core/Modes/<Mode>/<Mode>.help.psd1).
@{
    Parameters = @{
        Mode                           = 'Where Airflow keeps the connection: Rest (the Airflow REST API, the default), Cli (the Airflow command line), EnvironmentVariable (AIRFLOW_CONN_* variables), SecretsManager or ParameterStore (where Airflow''s AWS secrets backends read connections), or Mwaa (an Amazon MWAA environment''s Airflow, through InvokeRestApi). Each mode takes its own parameters (listed under PARAMETERS PER MODE in the description, one syntax per mode, and in about_EcrAirflow_<Mode>); a parameter of another mode is an error (ParameterNotValidForMode). Tab completion after -Mode offers the modes that take every parameter already typed.'
        Region                         = 'The AWS region of the secret, parameter or MWAA environment. Without it: AWS_REGION, AWS_DEFAULT_REGION, the profile''s region, and last a piped object''s Region (so each registry''s connection lands in its own region). Press Tab for region names.'
        AwsCredential                  = 'Explicit AWS keys: user name = access key id, password = secret access key. Without it the AWS default credential chain is used (environment, web identity, profile, SSO, container, instance metadata).'
        SessionToken                   = 'The session token of temporary keys given with -AwsCredential.'
        ProfileName                    = 'An AWS profile (static keys, SSO, role_arn with source_profile, credential_process).'
        ProfileLocation                = 'A credentials file to read -ProfileName from instead of the default files.'
        RoleArn                        = 'A role to assume through STS first, e.g. one that may read and write exactly these secrets.'
        RoleSessionName                = 'The role session name with -RoleArn (default EcrAirflow-<unix time>).'
        ExternalId                     = 'The external id the role''s trust policy requires, with -RoleArn.'
        EndpointUrl                    = 'A custom endpoint for the mode''s AWS service (a VPC endpoint or an emulator); also AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL_SSM / AWS_ENDPOINT_URL_MWAA, then AWS_ENDPOINT_URL. Cannot be combined with -UseFipsEndpoint or -UseDualStackEndpoint.'
        UseFipsEndpoint                = 'Uses the service''s FIPS endpoint (e.g. secretsmanager-fips.<region>.amazonaws.com). Defaults to AWS_USE_FIPS_ENDPOINT.'
        UseDualStackEndpoint           = 'Uses the service''s dual-stack (IPv6) endpoint. Defaults to AWS_USE_DUALSTACK_ENDPOINT.'
        AllowUnencryptedAuthentication = 'Allows a secret to cross plain http:// to a host that is not loopback: an -AirflowUrl or custom AWS endpoint (every write carries the ECR password, and the Airflow credential in its headers; a signed AWS reply may carry the token), an http:// proxy such a request goes through, and the proxy password to an http:// proxy. Without it each of these is refused before any request (UnencryptedAuthenticationRefused). Loopback (localhost, 127.0.0.0/8, ::1) needs no switch.'
        Proxy                          = 'The proxy every request to Airflow or AWS (and STS or SSO, when the credential source calls them) goes through, e.g. http://proxy.example.com:3128. Without it the system proxy applies: HTTPS_PROXY / HTTP_PROXY and NO_PROXY on Linux and macOS, the WinINET settings on Windows. A request to a loopback address goes direct unless the proxy is itself on this machine. A URL with user:password@ is refused (ProxyUrlContainsCredentials).'
        ProxyCredential                = 'The proxy''s user and password (Basic), for -Proxy or the system proxy. Never printed. Basic sends the password in clear text, so to an http:// proxy that is not loopback it needs -AllowUnencryptedAuthentication (UnencryptedAuthenticationRefused).'
        ProxyUseDefaultCredentials     = 'Answers the proxy with the logged-on user''s credentials (Windows integrated authentication). Not with -ProxyCredential.'
    }
}
