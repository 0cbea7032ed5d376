#!/usr/bin/env python3
"""Puts a value where Airflow's AWS secrets backends read connections, the way a user or another tool would.

The set-up half of the SecretsManager and ParameterStore tests: what a refresh finds at the name before it
runs (a connection with port, schema and extra, something that is not a connection, a SecretBinary, a String
parameter with its own description, key, tier and tags). Written with boto3 (signed, so moto's IAM checks
apply), never with the module under test. The spec comes as JSON on stdin, so no value is on a command line.

    seed_backend_value.py secret     <- {"name", "string" | "binary" (base64), "kmsKeyId", "description", "tags"}
    seed_backend_value.py parameter  <- {"name", "value", "type", "keyId", "description", "tier", "tags"}

A secret that exists gets a new version (PutSecretValue); a parameter that exists is overwritten (its tags are
added with AddTagsToResource, as Parameter Store refuses Tags with Overwrite). Prints {"versionId"} or
{"version"}. Endpoint, region and keys come from READER_ENDPOINT, READER_REGION, READER_KEY_ID, READER_SECRET.
"""
import base64
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from read_backend_value import client  # noqa: E402  (also clears the profile and config variables)


def tag_list(tags):
    return [{"Key": k, "Value": v} for k, v in (tags or {}).items()]


def secret(spec):
    sm = client("secretsmanager")
    value = {"SecretBinary": base64.b64decode(spec["binary"])} if "binary" in spec else {"SecretString": spec["string"]}
    try:
        sm.describe_secret(SecretId=spec["name"])
        return {"versionId": sm.put_secret_value(SecretId=spec["name"], **value)["VersionId"]}
    except sm.exceptions.ResourceNotFoundException:
        pass
    extra = {}
    if spec.get("kmsKeyId"):
        extra["KmsKeyId"] = spec["kmsKeyId"]
    if spec.get("description"):
        extra["Description"] = spec["description"]
    if spec.get("tags"):
        extra["Tags"] = tag_list(spec["tags"])
    return {"versionId": sm.create_secret(Name=spec["name"], **value, **extra)["VersionId"]}


def parameter(spec):
    ssm = client("ssm")
    args = {"Name": spec["name"], "Value": spec["value"], "Type": spec.get("type", "SecureString")}
    for key, name in (("keyId", "KeyId"), ("description", "Description"), ("tier", "Tier")):
        if spec.get(key):
            args[name] = spec[key]
    try:
        ssm.get_parameter(Name=spec["name"])
        exists = True
    except ssm.exceptions.ParameterNotFound:
        exists = False
    if exists:
        version = ssm.put_parameter(Overwrite=True, **args)["Version"]
        if spec.get("tags"):
            ssm.add_tags_to_resource(ResourceType="Parameter", ResourceId=spec["name"], Tags=tag_list(spec["tags"]))
    else:
        if spec.get("tags"):
            args["Tags"] = tag_list(spec["tags"])
        version = ssm.put_parameter(**args)["Version"]
    return {"version": version}


def main():
    kind = sys.argv[1]
    spec = json.load(sys.stdin)
    print(json.dumps(secret(spec) if kind == "secret" else parameter(spec)))


if __name__ == "__main__":
    main()
