#!/usr/bin/env python3
"""A local Amazon MWAA API (moto has none) for tests, on 127.0.0.1.

Contract: botocore's `mwaa` 2020-07-01 model. Routes, HTTP methods, host prefixes, required members and
length/pattern/enum constraints are read from it, and every GetEnvironment answer is checked against it.
Implemented: GetEnvironment and InvokeRestApi; every other operation of the model answers 404
UnknownOperationException (so does any path the model does not have).

Each API request goes through, in this order:
  1. routing (method + path against the model's requestUri; host prefix `api.`/`env.` optional). Note that
     botocore adds the prefix even to a custom endpoint (api.127.0.0.1 does not resolve): boto3 clients need
     Config(inject_host_prefix=False), the AWS CLI AWS_DISABLE_HOST_PREFIX_INJECTION=true;
  2. SigV4 verification by AWS's own botocore (`botocore.auth.SigV4Auth`): the request is rebuilt as an
     AWSRequest from what arrived (Host header as sent, raw path, the headers listed in SignedHeaders, body)
     and signed again with the key's secret at the client's X-Amz-Date; signing name `airflow`; the
     credential scope's region picks the region; X-Amz-Date more than 15 minutes off → "Signature expired"
     / "Signature not yet current"; a key configured with a sessionToken needs X-Amz-Security-Token;
  3. input validation against the model (400 ValidationException, Coral's wording);
  4. an IAM-like allow list per key: actions and resource ARN globs (403 AccessDeniedException):
     GetEnvironment on arn:aws:airflow:<region>:<account>:environment/<name>, InvokeRestApi on
     arn:aws:airflow:<region>:<account>:role/<name>/<airflowRole> (airflowRole per environment, default Admin);
  5. the environment, looked up in the caller's account and the signed region (404 ResourceNotFoundException);
  6. InvokeRestApi only: forwarded to the environment's Airflow (e.g. the project's Airflow API emulator):
     `<airflowUrl>/api/v1<Path>` (Airflow 2.x, Basic auth) or `<airflowUrl>/api/v2<Path>` (Airflow 3.x, a JWT
     from POST <airflowUrl>/auth/token, cached), QueryParameters as the query string, Body as a JSON body.
     Airflow 2xx → 200 {"RestApiStatusCode", "RestApiResponse"}; 4xx → RestApiClientException, 5xx →
     RestApiServerException, both HTTP 400 (as the model says) with the same two members.

Errors are rest-json: JSON body with the model's message member (`message`, or `Message` for
AccessDeniedException) and the code in `x-amzn-ErrorType` (authentication errors carry Coral's
`:http://internal.amazon.com/coral/com.amazon.coral.service/` suffix, which botocore strips).

Control API (unsigned, answered to loopback clients only, never logged):
  GET  /_peer/health                  {"status": "ok"}
  GET  /_peer/environments            environments (passwords left out)
  POST /_peer/environments            add or replace one (body: an environment, see below) → 201
  POST /_peer/keys                    add or replace one access key (body: a key, see below) → 201
  GET  /_peer/requests                the request log (below), oldest first; DELETE clears it (204)
  POST /_peer/reset                   back to the --config file's keys and environments, empty log (204)

--config FILE (optional): {"keys": [key...], "environments": [environment...]}
  key:         {accessKeyId, secretAccessKey, sessionToken?, actions: ["airflow:GetEnvironment", ...]
                (IAM-style, "airflow:*" and "*" allowed), resources?: ARN globs (default ["*"]),
                accountId? (default 123456789012), userName? / arn? (for AccessDenied messages)}
  environment: {name, region (default us-east-1), airflowVersion ("2.10.3", "3.0.6", ...), airflowUrl,
                airflowUser, airflowPassword (default admin/admin), status (default AVAILABLE),
                airflowRole (default Admin), accountId?, webserverUrl?}

Request log (memory and --log FILE, one JSON line per API request): time, method, path, operation,
accessKeyId, status, errorType, and for InvokeRestApi restApiMethod, restApiPath, restApiStatusCode.
Bodies are never logged (they carry passwords and tokens).

Start: python3 mwaa_peer.py --info FILE [--port 0] [--log FILE] [--config FILE]. Once listening it writes
{endpoint, port, pid, log} atomically to --info, then serves until stdin closes or SIGTERM.
"""
import argparse
import base64
import copy
import datetime
import fnmatch
import hashlib
import hmac
import http.client
import ipaddress
import json
import os
import re
import signal
import sys
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import botocore.loaders
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.compat import HTTPHeaders
from botocore.credentials import Credentials

MODEL = botocore.loaders.Loader().load_service_model("mwaa", "service-2")
SHAPES = MODEL["shapes"]
SIGNING_NAME = MODEL["metadata"]["signingName"]  # "airflow"
IMPLEMENTED = ("GetEnvironment", "InvokeRestApi")
DEFAULT_ACCOUNT = "123456789012"
MAX_SKEW = datetime.timedelta(minutes=15)  # what AWS allows between X-Amz-Date and its clock
SIGV4_TIMESTAMP = "%Y%m%dT%H%M%SZ"
CORAL = ":http://internal.amazon.com/coral/com.amazon.coral.service/"
# Real MWAA offers the Airflow REST API through InvokeRestApi from Airflow 2.4.3 on. The error for an
# older environment is a guess (400 ValidationException with this text); no such environment is left to try.
MIN_REST_API_VERSION = (2, 4, 3)
MIN_REST_API_MESSAGE = "InvokeRestApi is supported only for environments running Apache Airflow v2.4.3 or later."
AIRFLOW_TIMEOUT_SECONDS = 30


class ApiError(Exception):
    """An AWS error answer: HTTP status, error code, message and any modeled members."""

    def __init__(self, status, code, message=None, members=None, coral=False):
        super().__init__(message or code)
        self.status, self.code, self.message, self.members, self.coral = status, code, message, members or {}, coral


def modeled_error(code, message=None, members=None):
    """An error whose HTTP status and message member come from the model's exception shape."""
    shape = SHAPES[code]
    body = dict(members or {})
    if message is not None:
        # The model spells it `message` for most exceptions and `Message` for AccessDeniedException.
        name = "Message" if "Message" in shape["members"] else "message"
        body[name] = message
    return ApiError(shape["error"]["httpStatusCode"], code, message, body)


def auth_error(code, message, status=403):
    return ApiError(status, code, message, {"message": message}, coral=True)


# ---- the model: routes and validation ----

def compile_route(op):
    path = op["http"]["requestUri"].split("?", 1)[0]
    pattern = "^"
    for part in re.split(r"(\{[^}]+\})", path):
        if part.startswith("{"):
            label = part[1:-1]
            greedy = label.endswith("+")
            pattern += f"(?P<{label.rstrip('+')}>{'.+' if greedy else '[^/]+'})"
        else:
            pattern += re.escape(part)
    return re.compile(pattern + "$")


ROUTES = [(name, op["http"]["method"], compile_route(op), op.get("endpoint", {}).get("hostPrefix", ""))
          for name, op in MODEL["operations"].items()]
HOST_PREFIXES = {prefix for _, _, _, prefix in ROUTES if prefix}


def route(method, path):
    for name, op_method, regex, prefix in ROUTES:
        match = regex.match(path)
        if match and op_method == method:
            return name, {k: urllib.parse.unquote(v) for k, v in match.groupdict().items()}, prefix
    return None, None, None


def lower_camel(name):
    return name[:1].lower() + name[1:]


def java_pattern(pattern):
    """A model pattern for Python's re, or None when it uses what re lacks (\\p{..} classes).

    AWS's Coral matches model patterns against the whole value (Java's Pattern.matches), so callers fullmatch.
    """
    if "\\p{" in pattern:
        return None
    return re.compile(pattern)


def show(value):
    return "null" if value is None else f"'{value}'"


def validate(shape_name, value, where, errors):
    """Appends Coral-style constraint messages for value against the model shape; raises SerializationException
    when a JSON type does not fit the shape at all (as Coral's deserialiser would)."""
    shape = SHAPES[shape_name]
    kind = shape["type"]
    if shape.get("document"):
        return  # a document is any JSON value
    if kind == "structure":
        if not isinstance(value, dict):
            raise modeled_or_serialization(f"Expected a JSON object at '{where or 'body'}'")
        for member in shape.get("required", []):
            if value.get(member) is None:
                errors.append(f"Value null at '{join(where, member)}' failed to satisfy constraint: Member must not be null")
        for member, ref in shape["members"].items():
            if value.get(member) is not None:
                validate(ref["shape"], value[member], join(where, member), errors)
        return
    if kind == "list":
        if not isinstance(value, list):
            raise modeled_or_serialization(f"Expected a JSON array at '{where}'")
        length_checks(shape, len(value), value, where, errors)
        for i, item in enumerate(value):
            validate(shape["member"]["shape"], item, f"{where}.{i + 1}.member", errors)
        return
    if kind == "map":
        if not isinstance(value, dict):
            raise modeled_or_serialization(f"Expected a JSON object at '{where}'")
        length_checks(shape, len(value), value, where, errors)
        for k, v in value.items():
            validate(shape["key"]["shape"], k, f"{where}.key", errors)
            validate(shape["value"]["shape"], v, f"{where}.{k}.value", errors)
        return
    if kind == "string":
        if not isinstance(value, str):
            raise modeled_or_serialization(f"Expected a string at '{where}'")
        if "enum" in shape and value not in shape["enum"]:
            errors.append(f"Value {show(value)} at '{where}' failed to satisfy constraint: "
                          f"Member must satisfy enum value set: [{', '.join(shape['enum'])}]")
        if "pattern" in shape:
            regex = java_pattern(shape["pattern"])
            if regex is not None and not regex.fullmatch(value):
                errors.append(f"Value {show(value)} at '{where}' failed to satisfy constraint: "
                              f"Member must satisfy regular expression pattern: {shape['pattern']}")
        length_checks(shape, len(value), value, where, errors)
        return
    if kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise modeled_or_serialization(f"Expected an integer at '{where}'")
        if "min" in shape and value < shape["min"]:
            errors.append(f"Value '{value}' at '{where}' failed to satisfy constraint: Member must have value greater than or equal to {shape['min']}")
        if "max" in shape and value > shape["max"]:
            errors.append(f"Value '{value}' at '{where}' failed to satisfy constraint: Member must have value less than or equal to {shape['max']}")
        return
    if kind == "boolean" and not isinstance(value, bool):
        raise modeled_or_serialization(f"Expected a boolean at '{where}'")
    if kind == "timestamp" and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise modeled_or_serialization(f"Expected a timestamp (epoch seconds) at '{where}'")


def length_checks(shape, length, value, where, errors):
    text = show(value) if isinstance(value, str) else "'[...]'"
    if "min" in shape and length < shape["min"]:
        errors.append(f"Value {text} at '{where}' failed to satisfy constraint: Member must have length greater than or equal to {shape['min']}")
    if "max" in shape and length > shape["max"]:
        errors.append(f"Value {text} at '{where}' failed to satisfy constraint: Member must have length less than or equal to {shape['max']}")


def join(where, member):
    return f"{where}.{lower_camel(member)}" if where else lower_camel(member)


def modeled_or_serialization(message):
    return ApiError(400, "SerializationException", message, {"message": message})


def raise_if_invalid(errors):
    if errors:
        noun = "error" if len(errors) == 1 else "errors"
        raise modeled_error("ValidationException", f"{len(errors)} validation {noun} detected: " + "; ".join(errors))


def operation_input(op_name, path_params, query, headers, body):
    """The operation's input as a dict of model members, from the URI, query string, headers and JSON body."""
    input_name = MODEL["operations"][op_name].get("input", {}).get("shape")
    if not input_name:
        return {}
    shape = SHAPES[input_name]
    params, body_members = {}, {}
    if body:
        try:
            body_members = json.loads(body)
        except ValueError:
            raise modeled_or_serialization("The request body is not valid JSON")
        if not isinstance(body_members, dict):
            raise modeled_or_serialization("Expected a JSON object as the request body")
    for member, ref in shape["members"].items():
        location, name = ref.get("location"), ref.get("locationName", member)
        if location == "uri":
            if name in path_params:
                params[member] = path_params[name]
        elif location == "querystring":
            if name in query:
                params[member] = query[name][0]
        elif location == "header":
            if headers.get(name) is not None:
                params[member] = headers.get(name)
        elif member in body_members:
            params[member] = body_members[member]
    errors = []
    validate(input_name, params, "", errors)
    raise_if_invalid(errors)
    return params


# ---- SigV4, verified with botocore's signer ----

class ListedHeadersSigV4(SigV4Auth):
    """botocore's SigV4Auth, signing exactly the headers the client listed in SignedHeaders (botocore would
    drop a few it never signs itself, such as Expect or User-Agent, which other SDKs may sign)."""

    def __init__(self, credentials, service_name, region_name, signed_names):
        super().__init__(credentials, service_name, region_name)
        self._signed_names = signed_names

    def headers_to_sign(self, request):
        header_map = HTTPHeaders()
        for name, value in request.headers.items():
            if name.lower() in self._signed_names:
                header_map[name.lower()] = value
        return header_map


def parse_authorization(value):
    algorithm, _, rest = value.partition(" ")
    parts = {}
    for item in rest.split(","):
        key, sep, val = item.strip().partition("=")
        if sep:
            parts[key.strip()] = val.strip()
    missing = [p for p in ("Credential", "Signature", "SignedHeaders") if p not in parts]
    if algorithm != "AWS4-HMAC-SHA256" or missing:
        names = missing or ["Credential", "Signature", "SignedHeaders"]
        raise auth_error("IncompleteSignatureException",
                         " ".join(f"Authorization header requires '{n}' parameter." for n in names), status=400)
    return parts


def authenticate(state, method, raw_path, headers, body):
    """Returns (key, region) for a correctly signed request, else raises the AWS error."""
    authorization = headers.get("Authorization")
    if not authorization:
        raise auth_error("MissingAuthenticationTokenException", "Missing Authentication Token")
    parts = parse_authorization(authorization)
    scope = parts["Credential"].split("/")
    if len(scope) != 5:
        raise auth_error("IncompleteSignatureException",
                         f"Credential should be scoped to a valid region, not '{scope[2] if len(scope) > 2 else ''}'. ", status=400)
    access_key, scope_date, region, service, terminator = scope
    if terminator != "aws4_request":
        raise auth_error("InvalidSignatureException", f"Credential should be scoped with a valid terminator: 'aws4_request', not '{terminator}'. ")
    if service != SIGNING_NAME:
        raise auth_error("InvalidSignatureException", f"Credential should be scoped to correct service: '{SIGNING_NAME}'. ")
    if not re.fullmatch(r"[a-z]{2}(-[a-z]+)+-\d+", region):
        raise auth_error("InvalidSignatureException", f"Credential should be scoped to a valid region, not '{region}'. ")
    amz_date = headers.get("X-Amz-Date")
    if not amz_date:
        raise auth_error("IncompleteSignatureException",
                         "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.", status=400)
    try:
        signed_at = datetime.datetime.strptime(amz_date, SIGV4_TIMESTAMP).replace(tzinfo=datetime.timezone.utc)
    except ValueError:
        raise auth_error("IncompleteSignatureException", f"Date must be in ISO-8601 'basic format'. Got '{amz_date}'.", status=400)
    if scope_date != amz_date[:8]:
        raise auth_error("InvalidSignatureException",
                         "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
                         f"'{scope_date}' != '{amz_date[:8]}', from '{amz_date}'.")
    now = datetime.datetime.now(datetime.timezone.utc)
    if signed_at < now - MAX_SKEW:
        raise auth_error("InvalidSignatureException",
                         f"Signature expired: {amz_date} is now earlier than {(now - MAX_SKEW).strftime(SIGV4_TIMESTAMP)} "
                         f"({now.strftime(SIGV4_TIMESTAMP)} - 15 min.)")
    if signed_at > now + MAX_SKEW:
        raise auth_error("InvalidSignatureException",
                         f"Signature not yet current: {amz_date} is still later than {(now + MAX_SKEW).strftime(SIGV4_TIMESTAMP)} "
                         f"({now.strftime(SIGV4_TIMESTAMP)} + 15 min.)")
    signed_names = [n.strip().lower() for n in parts["SignedHeaders"].split(";") if n.strip()]
    if "host" not in signed_names:
        raise auth_error("InvalidSignatureException", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")

    key = state.key(access_key)
    token = headers.get("X-Amz-Security-Token")
    if key is None or (key.get("sessionToken") or None) != (token or None):
        raise auth_error("UnrecognizedClientException", "The security token included in the request is invalid.")

    # Rebuild the request as the client signed it and let botocore sign it again at the client's time.
    payload_hash = hashlib.sha256(body).hexdigest()
    claimed = headers.get("X-Amz-Content-SHA256")
    if claimed is not None and claimed != payload_hash:
        raise auth_error("InvalidSignatureException", "The provided 'x-amz-content-sha256' header does not match what was computed.")
    request = AWSRequest(method=method, url=f"http://{headers.get('Host', '')}{raw_path}", data=body)
    for name, value in headers.items():
        if name.lower() in signed_names:
            request.headers[name] = value
    request.context["timestamp"] = amz_date
    signer = ListedHeadersSigV4(Credentials(key["accessKeyId"], key["secretAccessKey"], token), SIGNING_NAME, region,
                                set(signed_names))
    canonical = signer.canonical_request(request)
    expected = signer.signature(signer.string_to_sign(request, canonical), request)
    if not hmac.compare_digest(expected, parts["Signature"]):
        raise auth_error("InvalidSignatureException",
                         "The request signature we calculated does not match the signature you provided. Check your AWS "
                         "Secret Access Key and signing method. Consult the service documentation for details.")
    return key, region


# ---- IAM-like authorisation ----

def authorize(key, action, resource):
    actions = [a.lower() for a in key.get("actions", [])]
    allowed_action = any(fnmatch.fnmatchcase(action.lower(), a) for a in actions)
    allowed_resource = any(fnmatch.fnmatchcase(resource, r) for r in key.get("resources", ["*"]))
    if not (allowed_action and allowed_resource):
        account = key.get("accountId", DEFAULT_ACCOUNT)
        principal = key.get("arn") or f"arn:aws:iam::{account}:user/{key.get('userName') or key['accessKeyId']}"
        raise modeled_error("AccessDeniedException",
                            f"User: {principal} is not authorized to perform: {action} on resource: {resource} "
                            f"because no identity-based policy allows the {action} action")


# ---- the environments ----

def version_tuple(text):
    return tuple(int(p) for p in re.findall(r"\d+", text)[:3])


def environment_arn(env):
    return f"arn:aws:airflow:{env['region']}:{env['accountId']}:environment/{env['name']}"


def describe(env):
    """GetEnvironment's Environment member, filled plausibly and checked against the model."""
    name, region, account = env["name"], env["region"], env["accountId"]
    created = env["createdAt"]
    log_group = f"arn:aws:logs:{region}:{account}:log-group:airflow-{name}"
    logging = {kind: {"Enabled": kind == "TaskLogs", "LogLevel": "INFO", "CloudWatchLogGroupArn": f"{log_group}-{kind[:-4]}"}
               for kind in ("DagProcessingLogs", "SchedulerLogs", "WebserverLogs", "WorkerLogs", "TaskLogs")}
    environment = {
        "Name": name,
        "Status": env["status"],
        "Arn": environment_arn(env),
        "CreatedAt": created,
        "WebserverUrl": env.get("webserverUrl") or f"https://{uuid.uuid5(uuid.NAMESPACE_URL, environment_arn(env))}.c1.{region}.airflow.amazonaws.com",
        "ExecutionRoleArn": f"arn:aws:iam::{account}:role/service-role/AmazonMWAA-{name}-exec",
        "ServiceRoleArn": f"arn:aws:iam::{account}:role/aws-service-role/airflow.amazonaws.com/AWSServiceRoleForAmazonMWAA",
        "AirflowVersion": env["airflowVersion"],
        "SourceBucketArn": f"arn:aws:s3:::airflow-{name.lower()}-{account}",
        "DagS3Path": "dags",
        "AirflowConfigurationOptions": {},
        "EnvironmentClass": "mw1.small",
        "MaxWorkers": 10,
        "MinWorkers": 1,
        "Schedulers": 2,
        "MinWebservers": 2,
        "MaxWebservers": 2,
        "NetworkConfiguration": {"SubnetIds": ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
                                 "SecurityGroupIds": ["sg-0a1b2c3d4e5f60001"]},
        "LoggingConfiguration": logging,
        "LastUpdate": {"Status": "SUCCESS", "CreatedAt": created, "Source": "SERVICE"},
        "WeeklyMaintenanceWindowStart": "SUN:03:30",
        "Tags": dict(env.get("tags") or {"Project": "ecrairflow-tests"}),
        "WebserverAccessMode": "PUBLIC_ONLY",
        "EndpointManagement": "SERVICE",
    }
    output = {"Environment": environment}
    errors = []
    validate(MODEL["operations"]["GetEnvironment"]["output"]["shape"], output, "", errors)
    if errors or set(environment) - set(SHAPES["Environment"]["members"]):
        raise RuntimeError(f"mwaa peer bug: GetEnvironment output does not fit the model: {errors}")
    return output


def normalise_environment(env):
    env = dict(env)
    for field in ("name", "airflowVersion", "airflowUrl"):
        if not env.get(field):
            raise ValueError(f"an environment needs '{field}'")
    env.setdefault("region", "us-east-1")
    env.setdefault("accountId", DEFAULT_ACCOUNT)
    env.setdefault("airflowUser", "admin")
    env.setdefault("airflowPassword", "admin")
    env.setdefault("status", "AVAILABLE")
    env.setdefault("airflowRole", "Admin")
    env.setdefault("createdAt", int(time.time()))
    return env


def normalise_key(key):
    key = dict(key)
    for field in ("accessKeyId", "secretAccessKey"):
        if not key.get(field):
            raise ValueError(f"a key needs '{field}'")
    key.setdefault("actions", [])
    key.setdefault("accountId", DEFAULT_ACCOUNT)
    return key


class State:
    """Keys, environments, the request log and cached Airflow tokens, shared by the request threads."""

    def __init__(self, config, log_path):
        self.config = config
        self.log_path = log_path
        self.lock = threading.Lock()
        self.tokens = {}
        self.reset()

    def reset(self):
        with self.lock:
            self.keys = {k["accessKeyId"]: k for k in map(normalise_key, self.config.get("keys", []))}
            self.environments = {}
            for env in map(normalise_environment, self.config.get("environments", [])):
                self.environments[(env["accountId"], env["region"], env["name"])] = env
            self.requests = []
        self.truncate_log()

    def truncate_log(self):
        if self.log_path:
            with self.lock, open(self.log_path, "w"):
                pass

    def key(self, access_key):
        with self.lock:
            return copy.deepcopy(self.keys.get(access_key))

    def add_key(self, key):
        key = normalise_key(key)
        with self.lock:
            self.keys[key["accessKeyId"]] = key
        return key

    def environment(self, account, region, name):
        with self.lock:
            return copy.deepcopy(self.environments.get((account, region, name)))

    def add_environment(self, env):
        env = normalise_environment(env)
        with self.lock:
            self.environments[(env["accountId"], env["region"], env["name"])] = env
        return env

    def record(self, entry):
        with self.lock:
            self.requests.append(entry)
            if self.log_path:
                with open(self.log_path, "a") as f:
                    f.write(json.dumps(entry) + "\n")

    def clear_requests(self):
        with self.lock:
            self.requests = []
        self.truncate_log()


def public_environment(env):
    return {k: v for k, v in env.items() if k != "airflowPassword"}


# ---- InvokeRestApi: forwarding to Airflow ----

def airflow_call(base, method, path, headers, body=None):
    parts = urllib.parse.urlsplit(base)
    conn_type = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = conn_type(parts.hostname, parts.port, timeout=AIRFLOW_TIMEOUT_SECONDS)
    try:
        conn.request(method, parts.path.rstrip("/") + path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def airflow3_token(state, env, refresh=False):
    cache_key = (env["airflowUrl"], env["airflowUser"], env["airflowPassword"])
    with state.lock:
        token = None if refresh else state.tokens.get(cache_key)
    if token:
        return token
    body = json.dumps({"username": env["airflowUser"], "password": env["airflowPassword"]}).encode()
    status, answer = airflow_call(env["airflowUrl"], "POST", "/auth/token", {"Content-Type": "application/json"}, body)
    if status not in (200, 201):
        raise modeled_error("InternalServerException", f"mwaa peer: the environment's Airflow refused its user at /auth/token (HTTP {status})")
    token = json.loads(answer)["access_token"]
    with state.lock:
        state.tokens[cache_key] = token
    return token


def query_string(params):
    """QueryParameters (a JSON object) as a query string: lists repeat the key, booleans read true/false.
    How MWAA itself renders non-string values is not documented; this is a guess."""
    pairs = []
    for name, value in (params or {}).items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, bool):
                item = "true" if item else "false"
            elif item is None:
                item = ""
            elif isinstance(item, (dict, list)):
                item = json.dumps(item)
            pairs.append((name, str(item)))
    return urllib.parse.urlencode(pairs)


def invoke_rest_api(state, env, params, entry):
    version = version_tuple(env["airflowVersion"])
    if version < MIN_REST_API_VERSION:
        raise modeled_error("ValidationException", MIN_REST_API_MESSAGE)
    if params.get("QueryParameters") is not None and not isinstance(params["QueryParameters"], dict):
        raise modeled_error("ValidationException", "QueryParameters must be a JSON object.")  # wording is a guess
    path = params["Path"]
    # Path is relative to the API root; quote what is not already URL-safe, keep what the caller encoded.
    target = ("/api/v2" if version[0] >= 3 else "/api/v1") + urllib.parse.quote(path if path.startswith("/") else "/" + path,
                                                                                 safe="/%:@!$&'()*+,;=-._~")
    query = query_string(params.get("QueryParameters"))
    if query:
        target += "?" + query
    body = None
    headers = {"Accept": "application/json"}
    if params.get("Body") is not None:
        body = json.dumps(params["Body"]).encode()
        headers["Content-Type"] = "application/json"
    try:
        if version[0] >= 3:
            for attempt in range(2):
                headers["Authorization"] = "Bearer " + airflow3_token(state, env, refresh=attempt > 0)
                status, answer = airflow_call(env["airflowUrl"], params["Method"], target, headers, body)
                if status != 401:
                    break
        else:
            basic = base64.b64encode(f"{env['airflowUser']}:{env['airflowPassword']}".encode()).decode()
            headers["Authorization"] = "Basic " + basic
            status, answer = airflow_call(env["airflowUrl"], params["Method"], target, headers, body)
    except (OSError, http.client.HTTPException) as e:
        raise modeled_error("InternalServerException", f"mwaa peer: the environment's Airflow did not answer ({type(e).__name__})")
    entry["restApiStatusCode"] = status
    # An empty answer (204) becomes {}, a non-JSON one a JSON string: MWAA's own handling is not documented.
    text = answer.decode("utf-8", "replace")
    try:
        document = json.loads(text) if text.strip() else {}
    except ValueError:
        document = text
    members = {"RestApiStatusCode": status, "RestApiResponse": document}
    if 200 <= status < 300:
        return members
    raise modeled_error("RestApiClientException" if status < 500 else "RestApiServerException", None, members)


# ---- HTTP ----

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def version_string(self):
        return "mwaa-peer"

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_GET

    def read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline().strip():
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def send_json(self, status, document, headers=None):
        payload = b"" if document is None else json.dumps(document).encode()
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if document is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def dispatch(self):
        state = self.server.state
        body = self.read_body()
        split = urllib.parse.urlsplit(self.path)
        if split.path.startswith("/_peer/"):
            return self.control(state, split, body)
        request_id = str(uuid.uuid4())
        entry = {"time": datetime.datetime.now(datetime.timezone.utc).isoformat(), "method": self.command,
                 "path": split.path, "operation": None, "accessKeyId": None, "status": 0, "errorType": None}
        try:
            status, document = self.api(state, split, body, entry)
            self.send_json(status, document, {"x-amzn-RequestId": request_id})
        except ApiError as e:
            status = e.status
            entry["errorType"] = e.code
            self.send_json(e.status, e.members,
                           {"x-amzn-RequestId": request_id, "x-amzn-ErrorType": e.code + (CORAL if e.coral else "")})
        except Exception as e:  # a peer bug: say so as AWS would, never hang the client
            status = 500
            entry["errorType"] = "InternalServerException"
            self.send_json(500, {"message": f"mwaa peer error: {type(e).__name__}: {e}"},
                           {"x-amzn-RequestId": request_id, "x-amzn-ErrorType": "InternalServerException"})
        entry["status"] = status
        state.record(entry)

    def api(self, state, split, body, entry):
        op_name, path_params, prefix = route(self.command, split.path)
        host = (self.headers.get("Host") or "").lower()
        host_prefix = next((p for p in HOST_PREFIXES if host.startswith(p)), "")
        if op_name is None or op_name not in IMPLEMENTED or (host_prefix and host_prefix != prefix):
            entry["operation"] = op_name
            # Real AWS answers an unknown route with an empty message; a model operation the peer lacks says so.
            message = f"mwaa peer: {op_name} is not implemented here" if op_name and op_name not in IMPLEMENTED else None
            raise ApiError(404, "UnknownOperationException", message, {"message": message} if message else {})
        entry["operation"] = op_name
        parts = self.headers.get("Authorization", "").split("Credential=", 1)
        if len(parts) == 2:
            entry["accessKeyId"] = parts[1].split("/", 1)[0]
        key, region = authenticate(state, self.command, self.path, self.headers, body)
        params = operation_input(op_name, path_params, urllib.parse.parse_qs(split.query), self.headers, body)
        account = key["accountId"]
        name = params["Name"]
        if op_name == "GetEnvironment":
            authorize(key, "airflow:GetEnvironment", f"arn:aws:airflow:{region}:{account}:environment/{name}")
            env = state.environment(account, region, name)
            if env is None:
                raise modeled_error("ResourceNotFoundException", f"Environment {name} not found.")
            return 200, describe(env)
        entry["restApiMethod"], entry["restApiPath"] = params["Method"], params["Path"]
        env = state.environment(account, region, name)
        role = env["airflowRole"] if env else "Admin"
        authorize(key, "airflow:InvokeRestApi", f"arn:aws:airflow:{region}:{account}:role/{name}/{role}")
        if env is None:
            raise modeled_error("ResourceNotFoundException", f"Environment {name} not found.")
        return 200, invoke_rest_api(state, env, params, entry)

    def control(self, state, split, body):
        if not ipaddress.ip_address(self.client_address[0]).is_loopback:
            return self.send_json(403, {"message": "the control API answers loopback clients only"})
        try:
            document = json.loads(body) if body else None
            path, method = split.path.rstrip("/"), self.command
            if path == "/_peer/health" and method == "GET":
                return self.send_json(200, {"status": "ok"})
            if path == "/_peer/environments" and method == "GET":
                with state.lock:
                    envs = [public_environment(e) for e in state.environments.values()]
                return self.send_json(200, envs)
            if path == "/_peer/environments" and method == "POST":
                return self.send_json(201, public_environment(state.add_environment(document or {})))
            if path == "/_peer/keys" and method == "POST":
                key = state.add_key(document or {})
                return self.send_json(201, {"accessKeyId": key["accessKeyId"], "actions": key["actions"]})
            if path == "/_peer/requests" and method == "GET":
                with state.lock:
                    return self.send_json(200, list(state.requests))
            if path == "/_peer/requests" and method == "DELETE":
                state.clear_requests()
                return self.send_json(204, None)
            if path == "/_peer/reset" and method == "POST":
                state.reset()
                return self.send_json(204, None)
            return self.send_json(404, {"message": f"no control endpoint {method} {split.path}"})
        except (ValueError, TypeError, AttributeError) as e:
            return self.send_json(400, {"message": str(e)})


def main():
    parser = argparse.ArgumentParser(description="A local Amazon MWAA API for tests.")
    parser.add_argument("--info", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--log", default="")
    parser.add_argument("--config", default="")
    args = parser.parse_args()
    config = {}
    if args.config:
        with open(args.config) as f:
            config = json.load(f)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.state = State(config, args.log)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()

    info = {"endpoint": f"http://127.0.0.1:{port}", "port": port, "pid": os.getpid(), "log": args.log}
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

    if sys.stdin is not None and not sys.stdin.isatty():
        threading.Thread(target=watch_stdin, daemon=True).start()
    stop.wait()
    server.shutdown()


if __name__ == "__main__":
    main()
