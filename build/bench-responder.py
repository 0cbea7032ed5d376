"""The benchmark's fast local responder (build.ps1 -Task Bench): canned answers on 127.0.0.1, so that
EcrAirflow and the floor module wait the same few microseconds per request and server time tilts
neither side. It checks nothing: signatures, users and bodies are the real peers' job (moto, the
Airflow API emulator), not this one's.

  POST /  X-Amz-Target: *.GetAuthorizationToken  -> ECR's reply (token AWS:<password>, now + 12 h)
  POST /auth/token                               -> Airflow 3's JWT
  GET /api/v2/connections?...                    -> Airflow 3's list: no connection yet (so Sync creates)
  PATCH /api/v2/connections                      -> Airflow 3's bulk reply: every entity written
  GET /api/v1/connections/<id>                   -> Airflow 2's 404 (Sync then POSTs)
  POST /api/v1/connections, PATCH .../<id>       -> Airflow 2's reply: the connection
  anything else (the floor's GET)                -> 200 {"ok": true}
Sync reads before it writes (issue 22), so a cold Get | Sync -Mode Rest -ApiVersion V2 makes four requests here:
ECR, token, list, bulk.

Prints "RESPONDER_LISTENING <url>" once listening; stops when its standard input closes.
"""
import base64
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN = base64.b64encode(b"AWS:bench-ecr-password").decode()
JWT = ".".join(
    base64.urlsafe_b64encode(part).decode().rstrip("=")
    for part in (b'{"alg":"none"}', json.dumps({"sub": "admin", "exp": int(time.time()) + 86400}).encode(), b"sig")
)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

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
        if self.path.startswith("/api/v2/connections"):
            self._answer(200, {"connections": [], "total_entries": 0})
        elif self.path.startswith("/api/v1/connections/"):
            self._answer(404, {"detail": "The Connection was not found", "status": 404, "title": "Connection not found", "type": "about:blank"})
        else:
            self._answer(200, {"ok": True})

    def do_POST(self):
        body = self._body()
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
        elif self.path.rstrip("/").endswith("/api/v1/connections"):
            try:
                self._answer(200, json.loads(body or b"{}"))
            except ValueError:
                self._answer(200, {})
        else:
            self._answer(200, {"ok": True})

    def do_PATCH(self):
        body = self._body()
        if self.path.startswith("/api/v2/connections"):
            ids = []
            try:
                for action in json.loads(body or b"{}").get("actions", []):
                    ids += [e.get("connection_id") for e in action.get("entities", [])]
            except ValueError:
                pass
            self._answer(200, {"create": {"success": ids, "errors": []}})
        elif self.path.startswith("/api/v1/connections/"):
            try:
                self._answer(200, json.loads(body or b"{}"))
            except ValueError:
                self._answer(200, {})
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
