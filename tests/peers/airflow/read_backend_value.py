#!/usr/bin/env python3
"""Reads a connection from moto the way Airflow's AWS secrets backends do, and prints it as JSON.

A real-peer check of the SecretsManager and ParameterStore modes: the value is fetched with boto3 (signed,
so moto's IAM checks apply to this reader too) and parsed as Airflow parses a backend value.

- Secrets Manager (amazon provider's SecretsManagerBackend.get_conn_value): GetSecretValue(SecretId=name);
  a JSON secret keeps only the keys the backend standardises (conn_type, host, login, password, schema, port,
  extra and their aliases), then Connection.from_json; anything else is a URI (Connection(uri=...)).
- Parameter Store (SystemsManagerParameterStoreBackend): GetParameter(Name=name, WithDecryption=True).

    read_backend_value.py secretsmanager NAME    -> {"raw", "binary", "connection", "versions": [{"id", "stages"}],
                                                     "description", "kmsKeyId", "tags"}
    read_backend_value.py ssm NAME               -> {"raw", "connection", "version", "type", "tier", "keyId",
                                                     "description", "history", "tags"}

"connection" is null for a value Airflow would not read as a connection (a SecretBinary, a URI that does not
parse); "binary" is a SecretBinary, base64-encoded.
    read_backend_value.py delete-secret NAME     -> schedules the secret for deletion (7-day recovery window)

Endpoint, region and keys come from the environment: READER_ENDPOINT, READER_REGION, READER_KEY_ID, READER_SECRET.
Exit code 4 when the secret or parameter does not exist.
"""
import base64
import json
import os
import sys

# The reader's boto3 must never pick up a profile or config from the test's (or a developer's) environment.
for _name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
    os.environ.pop(_name, None)
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from read_conn_env import parse  # noqa: E402

import boto3  # noqa: E402

# Airflow's SecretsManagerBackend._standardize_secret_keys: these names, and only these, are kept.
BACKEND_WORDS = {
    "login": ["login", "user", "username", "user_name"],
    "password": ["password", "pass", "key"],
    "host": ["host", "remote_host", "server"],
    "port": ["port"],
    "schema": ["database", "schema"],
    "conn_type": ["conn_type", "conn_id", "connection_type", "engine"],
    "extra": ["extra"],
}


def standardize(secret):
    out = {}
    for field, words in BACKEND_WORDS.items():
        matches = [v for k, v in secret.items() if k in words]
        out[field] = matches[0] if matches else None
    return out


def parse_or_none(value):
    if value is None:
        return None
    try:
        return parse(value)
    except ValueError:
        return None


def client(service):
    return boto3.client(service, endpoint_url=os.environ["READER_ENDPOINT"], region_name=os.environ["READER_REGION"],
                        aws_access_key_id=os.environ["READER_KEY_ID"], aws_secret_access_key=os.environ["READER_SECRET"])


def secrets_manager(name):
    sm = client("secretsmanager")
    try:
        got = sm.get_secret_value(SecretId=name)
    except sm.exceptions.ResourceNotFoundException:
        sys.exit(4)
    raw = got.get("SecretString")
    binary = base64.b64encode(got["SecretBinary"]).decode() if "SecretBinary" in got else None
    value = json.dumps(standardize(json.loads(raw))) if raw is not None and raw.strip().startswith("{") else raw
    versions = [{"id": v["VersionId"], "stages": v.get("VersionStages", [])}
                for v in sm.list_secret_version_ids(SecretId=name, IncludeDeprecated=True)["Versions"]]
    described = sm.describe_secret(SecretId=name)
    return {"raw": raw, "binary": binary, "connection": parse_or_none(value), "versions": versions,
            "description": described.get("Description"), "kmsKeyId": described.get("KmsKeyId"),
            "tags": {t["Key"]: t["Value"] for t in described.get("Tags", [])}}


def ssm(name):
    c = client("ssm")
    try:
        p = c.get_parameter(Name=name, WithDecryption=True)["Parameter"]
    except c.exceptions.ParameterNotFound:
        sys.exit(4)
    history = c.get_parameter_history(Name=name, WithDecryption=False)["Parameters"]
    tags = c.list_tags_for_resource(ResourceType="Parameter", ResourceId=name).get("TagList", [])
    return {"raw": p["Value"], "connection": parse_or_none(p["Value"]), "version": p["Version"], "type": p["Type"],
            "tier": history[-1].get("Tier"), "keyId": history[-1].get("KeyId"), "description": history[-1].get("Description"),
            "history": len(history),
            "tags": {t["Key"]: t["Value"] for t in tags}}


def main():
    service, name = sys.argv[1], sys.argv[2]
    if service == "delete-secret":
        client("secretsmanager").delete_secret(SecretId=name, RecoveryWindowInDays=7)
        return
    print(json.dumps(secrets_manager(name) if service == "secretsmanager" else ssm(name)))


if __name__ == "__main__":
    main()
