"""The benchmark's fast local responder (build.ps1 -Task Bench): canned answers on 127.0.0.1, so that
EcrAirflow and the floor module wait the same few microseconds per request and server time tilts
neither side. It checks nothing: signatures, users and bodies are the real peers' job (moto, the
Airflow API emulator), not this one's.

  POST /  X-Amz-Target: *.GetAuthorizationToken  -> ECR's reply (token AWS:<password>, now + 12 h)
  POST /auth/token                               -> Airflow 3's JWT
  GET /api/v2/connections?connection_id_pattern=<id>%  -> Airflow 3's list: that id, an existing Docker
                                                    connection (a refresh's steady state: an update)
  PATCH /api/v2/connections                      -> Airflow 3's bulk reply: every entity of every action written
  GET or PATCH /api/v1/connections/<id>          -> Airflow 2's reply: the Docker connection <id>
  anything else (the floor's GET)                -> 200 {"ok": true}

Prints "RESPONDER_LISTENING <url>" once listening; stops when its standard input closes.
"""
import base64
import json
import sys
from urllib.parse import parse_qs, unquote, urlsplit
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN = base64.b64encode(b"AWS:bench-ecr-password").decode()
JWT = ".".join(
    base64.urlsafe_b64encode(part).decode().rstrip("=")
    for part in (b'{"alg":"none"}', json.dumps({"sub": "admin", "exp": int(time.time()) + 86400}).encode(), b"sig")
)


def connection(connection_id, with_password):
    """A Docker connection as Airflow's API returns it (API v1 never returns the password; v2 masks it)."""
    item = {"connection_id": connection_id, "conn_type": "docker", "description": None,
            "host": "123456789012.dkr.ecr.us-east-1.amazonaws.com", "login": "AWS", "schema": None, "port": None, "extra": None}
    if with_password:
        item["password"] = "***"
    return item


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # TCP_NODELAY: the reply's headers and body go out as two writes, and with Nagle's algorithm the body waited
    # for the client's delayed ACK of the headers (up to 40 ms on Linux) on every request of a kept-alive
    # connection, on both sides of every comparison: server time this responder exists to keep out.
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def _answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_GET(self):
        url = urlsplit(self.path)
        if url.path == "/api/v2/connections":
            pattern = (parse_qs(url.query).get("connection_id_pattern") or ["ecr%"])[0]
            self._answer(200, {"connections": [connection(pattern.rstrip("%"), True)], "total_entries": 1})
        elif url.path.startswith("/api/v1/connections/"):
            self._answer(200, connection(unquote(url.path[len("/api/v1/connections/"):]), False))
        else:
            self._answer(200, {"ok": True})

    def do_POST(self):
        self._body()
        target = self.headers.get("X-Amz-Target") or ""
        if target.endswith("GetAuthorizationToken"):
            port = self.server.server_address[1]
            self._answer(200, {"authorizationData": [{
                "authorizationToken": TOKEN,
                "expiresAt": time.time() + 12 * 3600,
                "proxyEndpoint": "https://123456789012.dkr.ecr.us-east-1.amazonaws.com",
            }]})
        elif self.path.rstrip("/").endswith("/auth/token"):
            self._answer(201, {"access_token": JWT})
        else:
            self._answer(200, {"ok": True})

    def do_PATCH(self):
        body = self._body()
        path = urlsplit(self.path).path
        if path == "/api/v2/connections":
            results = {}
            try:
                for action in json.loads(body or b"{}").get("actions", []):
                    done = results.setdefault(action.get("action"), {"success": [], "errors": []})
                    done["success"] += [e.get("connection_id") for e in action.get("entities", [])]
            except ValueError:
                pass
            self._answer(200, results)
        elif path.startswith("/api/v1/connections/"):
            self._answer(200, connection(unquote(path[len("/api/v1/connections/"):]), False))
        else:
            self._answer(200, {"ok": True})


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print("RESPONDER_LISTENING http://127.0.0.1:%d" % server.server_address[1], flush=True)
    sys.stdin.read()  # until the bench closes the pipe (or dies)
    server.shutdown()


if __name__ == "__main__":
    main()
