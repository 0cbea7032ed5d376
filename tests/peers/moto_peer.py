#!/usr/bin/env python3
"""Starts moto (a real AWS emulator) on 127.0.0.1 with SigV4 and IAM checking on, and sets it up.

The first INITIAL_NO_AUTH_ACTION_COUNT requests create an admin user; everything after that, including
the rest of the set-up, is signed and checked by moto like real AWS would. The peer writes what the
tests need (endpoint, keys, role ARN) as JSON to --info, then serves until its stdin closes or it is
terminated. Usage: python3 moto_peer.py --info FILE [--port N] [--log FILE] [--ecr-token-lifetime SECONDS]

Users in the info JSON: `admin` (*), `allowed` (ECR and STS), `denied` (no ECR), `writer` (ECR token plus the
Secrets Manager, SSM Parameter Store and KMS actions the SecretsManager/ParameterStore modes need) and
`ecrOnly` (ecr:GetAuthorizationToken only); `roleArn` is a role `allowed` may assume.

One deviation from moto, on purpose: moto answers ECR GetAuthorizationToken with one fixed password per
account ("<account>-auth-token") and a fixed expiresAt in 2015. The EcrTokens middleware gives each
authorizationData entry a new token in ECR's real format instead, and fixes Content-Length:
authorizationToken = base64("AWS:" + password), where password = base64 of the compact JSON
{"payload":"<base64>","datakey":"<base64>","version":"2","type":"DATA_KEY","expiration":<epoch s>}, with random
payload and datakey (so every token differs from every other within its first 72 bytes, all bcrypt reads), and
expiresAt = expiration = now + the token lifetime (12 hours, as ECR; --ecr-token-lifetime SECONDS or the control
below shortens it). It does the same for ECR Public's SpencerFrontendService.GetAuthorizationToken, should moto
ever serve it (5.2.1 does not).

Control endpoints (loopback clients only, never SigV4-checked, never in the request log):
  GET  /_peer/ecr/tokens            the tokens issued so far, oldest first: [{"accessKeyId", "registryId",
                                    "password", "expiresAt"}] (?accessKeyId=AKIA... for one caller's)
  GET  /_peer/ecr/token-lifetime    {"seconds": N}
  PUT  /_peer/ecr/token-lifetime    {"seconds": N}: the lifetime of tokens issued from now on (1 .. 43200)
A second one makes moto as strict as AWS: PutSecretValue on a secret scheduled for deletion is refused with
InvalidRequestException (moto 5.2.1 would add a version; see DeletedSecretGuard).
"""
import argparse
import base64
import io
import json
import os
import signal
import socket
import sys
import threading
import time
import urllib.parse

NO_AUTH_SETUP_REQUESTS = 3  # CreateUser, PutUserPolicy, CreateAccessKey for the admin
os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = str(NO_AUTH_SETUP_REQUESTS)
os.environ.setdefault("MOTO_ALLOW_NONEXISTENT_REGION", "true")
# boto3 used for set-up must never find a developer's real credentials or config.
for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
    os.environ.pop(name, None)
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"

import boto3  # noqa: E402
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402
from moto import settings as moto_settings  # noqa: E402

ACCOUNT = "123456789012"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def policy(*actions):
    return json.dumps({"Version": "2012-10-17",
                       "Statement": [{"Effect": "Allow", "Action": list(actions), "Resource": "*"}]})


def make_user(iam, name, actions):
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName=name + "-policy", PolicyDocument=policy(*actions))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return {"accessKeyId": key["AccessKeyId"], "secretAccessKey": key["SecretAccessKey"]}


ECR_TOKEN_TARGETS = ("AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken",
                     "SpencerFrontendService.GetAuthorizationToken")
ECR_TOKEN_LIFETIME_SECONDS = 12 * 60 * 60


def access_key_of(environ):
    """The access key id a SigV4 Authorization header names (Credential=AKID/date/region/service/aws4_request)."""
    auth = environ.get("HTTP_AUTHORIZATION", "")
    if "Credential=" not in auth:
        return ""
    return auth.split("Credential=", 1)[1].split("/", 1)[0]


def new_ecr_password(expiration):
    """A password shaped like ECR's: base64 of the JSON document docker and EcrAirflow read the expiry from."""
    document = {"payload": base64.b64encode(os.urandom(1024)).decode(),
                "datakey": base64.b64encode(os.urandom(184)).decode(),
                "version": "2", "type": "DATA_KEY", "expiration": expiration}
    return base64.b64encode(json.dumps(document, separators=(",", ":")).encode()).decode()


class EcrTokens:
    """WSGI middleware: ECR GetAuthorizationToken answers carry real-format tokens with a chosen lifetime.

    moto decides whether the call is allowed (signature, IAM) and which registries it covers; this replaces
    only each entry's authorizationToken and expiresAt, and remembers what it issued for the control API."""

    def __init__(self, app, lifetime):
        self.app = app
        self.lifetime = lifetime
        self.issued = []
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        if environ.get("HTTP_X_AMZ_TARGET") not in ECR_TOKEN_TARGETS:
            return self.app(environ, start_response)
        seen = {}

        def capture(status, headers, exc_info=None):
            seen["status"], seen["headers"] = status, headers
            return lambda data: seen.setdefault("written", []).append(data)

        result = self.app(environ, capture)
        try:
            body = b"".join(seen.get("written", [])) + b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        headers = seen["headers"]
        if seen["status"].startswith("200"):
            try:
                answer = json.loads(body)
                data = answer.get("authorizationData", [])
                for item in data if isinstance(data, list) else [data]:
                    self._reissue(item, access_key_of(environ))
                body = json.dumps(answer).encode()
            except (ValueError, AttributeError, TypeError):
                pass  # not the JSON we expect: pass it on untouched
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"] + [("Content-Length", str(len(body)))]
        start_response(seen["status"], headers)
        return [body]

    def _reissue(self, item, access_key):
        with self.lock:
            expiration = int(time.time()) + self.lifetime
            password = new_ecr_password(expiration)
            item["authorizationToken"] = base64.b64encode(("AWS:" + password).encode()).decode()
            item["expiresAt"] = expiration
            # moto's own password was "<registry id>-auth-token"; the proxy endpoint names it too.
            endpoint = item.get("proxyEndpoint", "")
            registry_id = endpoint.split("//", 1)[-1].split(".", 1)[0] if endpoint else ""
            self.issued.append({"accessKeyId": access_key, "registryId": registry_id,
                                "password": password, "expiresAt": expiration})


class PeerControl:
    """WSGI middleware: the /_peer/ control endpoints (see the module docstring); everything else passes on."""

    def __init__(self, app, tokens):
        self.app = app
        self.tokens = tokens

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if not path.startswith("/_peer/"):
            return self.app(environ, start_response)
        if environ.get("REMOTE_ADDR") not in ("127.0.0.1", "::1"):
            return self._json(start_response, 403, {"message": "the control API answers loopback clients only"})
        method = environ.get("REQUEST_METHOD")
        if path == "/_peer/ecr/tokens" and method == "GET":
            query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
            key = (query.get("accessKeyId") or [""])[0]
            with self.tokens.lock:
                issued = [t for t in self.tokens.issued if not key or t["accessKeyId"] == key]
            return self._json(start_response, 200, issued)
        if path == "/_peer/ecr/token-lifetime" and method == "GET":
            return self._json(start_response, 200, {"seconds": self.tokens.lifetime})
        if path == "/_peer/ecr/token-lifetime" and method == "PUT":
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
                seconds = json.loads(environ["wsgi.input"].read(length) or b"{}")["seconds"]
                if not isinstance(seconds, int) or isinstance(seconds, bool) or not 1 <= seconds <= ECR_TOKEN_LIFETIME_SECONDS:
                    raise ValueError
            except (ValueError, KeyError, TypeError):
                return self._json(start_response, 400, {"message": 'send {"seconds": N} with N from 1 to 43200'})
            with self.tokens.lock:
                self.tokens.lifetime = seconds
            return self._json(start_response, 200, {"seconds": seconds})
        return self._json(start_response, 404, {"message": f"no control endpoint {method} {path}"})

    @staticmethod
    def _json(start_response, status, value):
        body = json.dumps(value).encode()
        reason = {200: "OK", 400: "Bad Request", 403: "Forbidden", 404: "Not Found"}[status]
        start_response(f"{status} {reason}", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]


class DeletedSecretGuard:
    """WSGI middleware: PutSecretValue on a secret scheduled for deletion is refused, as AWS does.

    Real Secrets Manager answers 400 InvalidRequestException ("You can't perform this operation on the secret
    because it was marked for deletion.") for every write to a secret pending deletion; moto 5.2.1 checks that
    in UpdateSecret but not in PutSecretValue, where it would add a version. The guard looks the secret up in
    moto's own backend (account and region from the signed request) and refuses the call before moto sees it.
    It answers only for a signed PutSecretValue whose key id moto knows and whose secret is pending deletion;
    it does not verify that signature itself, so a test of signature errors must use a secret that is not
    pending deletion (every other request still gets moto's signature and IAM checks).
    """

    TARGET = "secretsmanager.PutSecretValue"

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if environ.get("HTTP_X_AMZ_TARGET") != self.TARGET:
            return self.app(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        secret = self._deleted_secret(environ, body)
        if secret is None:
            return self.app(environ, start_response)
        answer = json.dumps({"__type": "InvalidRequestException",
                             "message": "You can't perform this operation on the secret because it was marked for deletion."}).encode()
        start_response("400 Bad Request", [("Content-Type", "application/x-amz-json-1.1"),
                                           ("x-amzn-RequestId", "deleted-secret-guard"),
                                           ("Content-Length", str(len(answer)))])
        return [answer]

    @staticmethod
    def _deleted_secret(environ, body):
        try:
            from moto.secretsmanager.models import secretsmanager_backends
            from moto.iam.models import get_account_id_from
            auth = environ.get("HTTP_AUTHORIZATION", "")
            scope = auth.split("Credential=", 1)[1].split(",", 1)[0].split("/")
            key_id, region = scope[0], scope[2]
            account = get_account_id_from(key_id)
            secret_id = json.loads(body)["SecretId"]
            backend = secretsmanager_backends[account][region]
            secret = backend.secrets.get(secret_id) if secret_id in backend.secrets else None
            return secret if secret is not None and secret.is_deleted() else None
        except Exception:  # not a request we can judge: let moto answer it
            return None


class RequestLog:
    """WSGI middleware: one JSON line per request (after set-up) in the log file.

    It also lets AWS's one unsigned STS call through: real STS accepts AssumeRoleWithWebIdentity without a
    signature (the web identity token is the proof; this is how GitHub Actions OIDC works), but moto with
    signature checking on would refuse it. Only that action is exempted, one request at a time.
    """

    def __init__(self, app, path):
        self.app = app
        self.path = path
        self.enabled = False
        self.lock = threading.Lock()
        self.exempt_lock = threading.Lock()

    def __call__(self, environ, start_response):
        if "HTTP_AUTHORIZATION" not in environ and environ.get("REQUEST_METHOD") == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length) if length else b""
            environ["wsgi.input"] = io.BytesIO(body)
            if b"Action=AssumeRoleWithWebIdentity" in body:
                with self.exempt_lock:
                    saved = moto_settings.INITIAL_NO_AUTH_ACTION_COUNT
                    moto_settings.INITIAL_NO_AUTH_ACTION_COUNT = float("inf")
                    try:
                        return self._logged(environ, start_response, "sts:AssumeRoleWithWebIdentity")
                    finally:
                        moto_settings.INITIAL_NO_AUTH_ACTION_COUNT = saved
        return self._logged(environ, start_response, "")

    def _logged(self, environ, start_response, action):
        if not self.enabled or not self.path:
            return self.app(environ, start_response)
        seen = {}

        def recording_start_response(status, headers, exc_info=None):
            seen["status"] = int(status.split(" ", 1)[0])
            return start_response(status, headers, exc_info)

        result = self.app(environ, recording_start_response)
        entry = {"method": environ.get("REQUEST_METHOD"), "path": environ.get("PATH_INFO"),
                 "target": environ.get("HTTP_X_AMZ_TARGET") or action, "status": seen.get("status", 0)}
        with self.lock, open(self.path, "a") as f:
            f.write(json.dumps(entry) + "\n")
        return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--info", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--log", default="")
    parser.add_argument("--ecr-token-lifetime", type=int, default=ECR_TOKEN_LIFETIME_SECONDS,
                        help="seconds an ECR token lives (default: 43200, ECR's 12 hours)")
    args = parser.parse_args()
    if not 1 <= args.ecr_token_lifetime <= ECR_TOKEN_LIFETIME_SECONDS:
        parser.error("--ecr-token-lifetime must be from 1 to 43200 seconds")
    port = args.port or free_port()
    tokens = EcrTokens(DomainDispatcherApplication(create_backend_app), args.ecr_token_lifetime)
    log = RequestLog(DeletedSecretGuard(tokens), args.log)
    server = make_server("127.0.0.1", port, PeerControl(log, tokens), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{port}"

    anonymous = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1",
                             aws_access_key_id="AKIASETUPSETUPSETUP0", aws_secret_access_key="setup")
    admin = make_user(anonymous, "ecrairflow-admin", ["*"])
    iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1",
                       aws_access_key_id=admin["accessKeyId"], aws_secret_access_key=admin["secretAccessKey"])
    allowed = make_user(iam, "ecr-puller", ["ecr:GetAuthorizationToken", "ecr-public:GetAuthorizationToken",
                                            "sts:GetServiceBearerToken", "sts:AssumeRole",
                                            "sts:GetCallerIdentity"])
    denied = make_user(iam, "no-ecr", ["s3:ListAllMyBuckets"])
    # For the SecretsManager and ParameterStore modes: a user who may write both, and one who may only get
    # an ECR token (moto checks IAM actions for these services, not resource ARNs or KMS key policies).
    writer = make_user(iam, "ecr-writer", ["ecr:GetAuthorizationToken",
                                           "secretsmanager:CreateSecret", "secretsmanager:PutSecretValue",
                                           "secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue",
                                           "secretsmanager:TagResource",
                                           "ssm:PutParameter", "ssm:GetParameter", "ssm:DescribeParameters",
                                           "ssm:AddTagsToResource",
                                           "kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"])
    ecr_only = make_user(iam, "ecr-only", ["ecr:GetAuthorizationToken"])
    trust = json.dumps({"Version": "2012-10-17", "Statement": [
        # moto compares principals literally (it does not expand :root), so name the user.
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:user/ecr-puller"},
         "Action": "sts:AssumeRole"},
        {"Effect": "Allow", "Principal": {"Federated": f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"},
         "Action": "sts:AssumeRoleWithWebIdentity"}]})
    role = iam.create_role(RoleName="ecr-cross-account", AssumeRolePolicyDocument=trust)["Role"]
    iam.put_role_policy(RoleName="ecr-cross-account", PolicyName="ecr",
                        PolicyDocument=policy("ecr:GetAuthorizationToken"))

    log.enabled = True
    info = {"endpoint": endpoint, "port": port, "accountId": ACCOUNT, "pid": os.getpid(), "log": args.log,
            "admin": admin, "allowed": allowed, "denied": denied, "roleArn": role["Arn"],
            "writer": writer, "ecrOnly": ecr_only}
    tmp = args.info + ".tmp"
    with open(tmp, "w") as f:
        json.dump(info, f)
    os.replace(tmp, args.info)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())

    def watch_stdin():
        try:
            while sys.stdin.read(1):
                pass
        except Exception:
            pass
        stop.set()

    if not sys.stdin.isatty():
        threading.Thread(target=watch_stdin, daemon=True).start()
    stop.wait()
    server.shutdown()


if __name__ == "__main__":
    main()
