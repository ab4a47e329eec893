"""A recording HTTP proxy between our client and a real Odoo (standard library only).

Every request is forwarded unchanged to the target and the answer returned unchanged; each pair is
kept as a raw `Exchange` (path, the headers that matter, bodies, status) under the label of the scenario
step that sent it. `contract_wire` parses and normalises them; see tests/odoo/contract/README.md.
"""

from __future__ import annotations

import http.client
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

KEPT_HEADERS = ("Content-Type", "Authorization", "X-Odoo-Database")


@dataclass
class Exchange:
    step: str
    verb: str
    path: str
    headers: dict[str, str]
    body: bytes
    status: int
    content_type: str
    answer: bytes


class RecordingProxy:
    """`with RecordingProxy("http://127.0.0.1:8017") as proxy:` → point the client at `proxy.url`."""

    def __init__(self, target: str) -> None:
        parts = urlsplit(target)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.exchanges: list[Exchange] = []
        self.step = ""
        self._lock = threading.Lock()
        handler = type("BoundProxyHandler", (_Handler,), {"proxy": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> RecordingProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def forward(self, verb: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, str, bytes]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
        try:
            conn.request(verb, path, body=body or None, headers=headers)
            response = conn.getresponse()
            result = response.status, response.getheader("Content-Type", ""), response.read()
        finally:
            conn.close()
        with self._lock:
            self.exchanges.append(Exchange(self.step, verb, path, headers, body, *result))
        return result


class _Handler(BaseHTTPRequestHandler):
    proxy: RecordingProxy
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's signature
        pass

    def _relay(self, verb: str) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k: v for k in KEPT_HEADERS if (v := self.headers.get(k)) is not None}
        status, ctype, answer = self.proxy.forward(verb, self.path, headers, body)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def do_GET(self) -> None:
        self._relay("GET")

    def do_POST(self) -> None:
        self._relay("POST")
