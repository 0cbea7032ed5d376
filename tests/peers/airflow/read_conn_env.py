#!/usr/bin/env python3
"""Reads an AIRFLOW_CONN_* variable the way Airflow does and prints the connection as JSON.

Used by the Pester suites as a real-peer check of EnvironmentVariable mode: the variable is read from
this process's environment (so it proves the value reached a child process), a value starting with "{"
is parsed as JSON (Connection.from_json), anything else as a URI with Python's own urllib: urlsplit,
unquote for login/password/host/schema (not unquote_plus), parse_qsl for extras (Connection._parse_from_uri).

    read_conn_env.py AIRFLOW_CONN_ECR            -> from the environment
    read_conn_env.py --dotenv FILE NAME          -> from a dotenv file via python-dotenv (exit 3 if missing)
"""
import json
import os
import sys
from urllib.parse import parse_qsl, unquote, urlsplit


def hostname_of(parts):
    host = unquote(parts.hostname or "")
    if "/" in host:
        host = parts.netloc
        if "@" in host:
            host = host.rsplit("@", 1)[1]
        if ":" in host:
            host = host.split(":", 1)[0]
        host = unquote(host)
    return host


def parse_uri(uri):
    if uri.count("://") > 2:
        raise ValueError(f"Invalid connection string: {uri}.")
    scheme = urlsplit(uri).scheme
    parts = urlsplit(uri.replace(f"{scheme}://", "//"))
    conn = {
        "conn_type": scheme.replace("-", "_"),
        "host": hostname_of(parts),
        "login": unquote(parts.username) if parts.username else parts.username,
        "password": unquote(parts.password) if parts.password else parts.password,
        "schema": unquote(parts.path[1:]) if parts.path[1:] else parts.path[1:],
        "port": parts.port,
        "extra": None,
    }
    if parts.query:
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        conn["extra"] = json.loads(query["__extra__"]) if "__extra__" in query else query
    return conn


def parse(value):
    if value.startswith("{"):
        data = json.loads(value)
        extra = data.get("extra")
        return {
            "conn_type": data.get("conn_type"),
            "host": data.get("host"),
            "login": data.get("login"),
            "password": data.get("password"),
            "schema": data.get("schema"),
            "port": data.get("port"),
            "description": data.get("description"),
            "extra": json.loads(extra) if isinstance(extra, str) else extra,
        }
    return parse_uri(value)


def main():
    if sys.argv[1] == "--dotenv":
        try:
            from dotenv import dotenv_values
        except ImportError:
            sys.exit(3)
        value = dotenv_values(sys.argv[2])[sys.argv[3]]
        print(json.dumps({"raw": value, "connection": parse(value)}))
        return
    value = os.environ[sys.argv[1]]
    print(json.dumps({"raw": value, "connection": parse(value)}))


if __name__ == "__main__":
    main()
