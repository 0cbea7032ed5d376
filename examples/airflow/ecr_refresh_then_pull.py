"""Refresh the Amazon ECR login right before the task that pulls from ECR, in the same DAG run.

The refresh task runs Update-AirflowEcrConnection.ps1 (EcrAirflow's scheduling script) with -SkipIfValidFor 1h:
it reads the Docker connection first and writes a new ECR token only when the stored one has less than an
hour left, so putting it in front of every DockerOperator task costs one read in the steady state, and the
connection DockerOperator logs in with is never older than the task that uses it. No separate batch job.
A failed refresh fails the run before the pull, with the reason in the task log; the task retries first.

Set up each worker once:
- PowerShell 7 (pwsh) and the EcrAirflow module: pwsh -c "Install-PSResource EcrAirflow -Scope AllUsers";
- Update-AirflowEcrConnection.ps1 from EcrAirflow's examples/ in /opt/ecrairflow (or where
  ECRAIRFLOW_SCRIPTS says);
- an AWS identity allowed ecr:GetAuthorizationToken (the worker's instance or pod role, or AWS_PROFILE);
- AIRFLOW_API_USER and AIRFLOW_API_PASSWORD in the worker's environment (e.g. from a Kubernetes secret), for
  an Airflow user allowed to edit connections, and AIRFLOW_API_URL when Airflow's API is not at the default
  below. The password is never in this file, on the command line or in the task log.

The refresh writes the connection through Airflow's REST API (Airflow 2 and 3). An Airflow that reads
connections from AWS Secrets Manager or SSM Parameter Store: give the script -Mode SecretsManager or
-Mode ParameterStore instead of -AirflowUrl; it then needs no Airflow credential at all.
"""

from __future__ import annotations

from datetime import datetime, timedelta

try:  # Airflow 3
    from airflow.sdk import DAG
except ImportError:  # Airflow 2
    from airflow import DAG

try:  # Airflow 3 (and Airflow 2 with apache-airflow-providers-standard)
    from airflow.providers.standard.operators.bash import BashOperator
except ImportError:  # Airflow 2
    from airflow.operators.bash import BashOperator

from airflow.providers.docker.operators.docker import DockerOperator

REGION = "eu-west-1"
REGISTRY = "123456789012.dkr.ecr.eu-west-1.amazonaws.com"
# The Docker connection the refresh writes and DockerOperator logs in with.
CONNECTION_ID = "ecr"

# ${NAME:-default}: the worker's environment may say where the script and Airflow's API are. BashOperator runs
# this with bash, in the worker's environment (AIRFLOW_API_USER and AIRFLOW_API_PASSWORD included).
REFRESH_COMMAND = (
    'pwsh -NoProfile -NonInteractive -File "${ECRAIRFLOW_SCRIPTS:-/opt/ecrairflow}/Update-AirflowEcrConnection.ps1"'
    + " -Region " + REGION
    + ' -AirflowUrl "${AIRFLOW_API_URL:-http://airflow-apiserver:8080}"'
    + " -ConnectionId " + CONNECTION_ID
    + " -SkipIfValidFor 1h"
)

with DAG(
    dag_id="ecr_refresh_then_pull",
    schedule="@daily",
    start_date=datetime(2025, 1, 1),
    catchup=False,
    tags=["ecr", "docker"],
) as dag:
    refresh_ecr_login = BashOperator(
        task_id="refresh_ecr_login",
        bash_command=REFRESH_COMMAND,
        retries=2,
        retry_delay=timedelta(minutes=1),
        # Long enough for a slow Airflow API, short enough to free the slot when something hangs.
        execution_timeout=timedelta(minutes=5),
    )

    run_etl = DockerOperator(
        task_id="run_etl",
        image=REGISTRY + "/etl:latest",
        docker_conn_id=CONNECTION_ID,
        # Pull on every run, so the tag's newest image runs and the refreshed login is what pulls it.
        force_pull=True,
        command="python -m etl --date {{ ds }}",
    )

    refresh_ecr_login >> run_etl
