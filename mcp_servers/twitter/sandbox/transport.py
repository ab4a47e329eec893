"""Ways to reach the X emulator: a requests transport adapter (in-process) and a loopback HTTP server."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler
from typing import Any

from mcp_servers.core.sandbox import LoopbackServer
from mcp_servers.twitter.sandbox.emulator import TimeoutAfterSend, XEmulator


def make_adapter(emulator: XEmulator) -> Any:
    """A `requests` adapter that answers every request from `emulator` without a socket."""
    import requests
    from requests.adapters import BaseAdapter
    from requests.structures import CaseInsensitiveDict

    class EmulatorAdapter(BaseAdapter):
        def send(self, request: Any, *args: Any, **kwargs: Any) -> Any:
            body = request.body.encode() if isinstance(request.body, str) else request.body
            try:
                status, headers, payload = emulator.handle(request.method, request.url, dict(request.headers), body)
            except TimeoutAfterSend:
                raise requests.exceptions.ReadTimeout("X emulator: read timed out", request=request) from None
            response = requests.Response()
            response.status_code = status
            response.reason = _REASONS.get(status, "")
            response.headers = CaseInsensitiveDict({"content-type": "application/json; charset=utf-8", **headers})
            response._content = b"" if payload is None else json.dumps(payload).encode()
            response.url = request.url
            response.request = request
            response.encoding = "utf-8"
            return response

        def close(self) -> None:
            return None

    return EmulatorAdapter()


_REASONS = {200: "OK", 201: "Created", 400: "Bad Request", 401: "Unauthorized", 402: "Payment Required"}
_REASONS.update({403: "Forbidden", 404: "Not Found", 429: "Too Many Requests", 500: "Internal Server Error"})


def serve(emulator: XEmulator, port: int = 0) -> LoopbackServer:
    """The emulator over real HTTP on 127.0.0.1 (point TWITTER_API_HOST at `server.url`)."""

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            try:
                status, headers, payload = emulator.handle(
                    self.command, f"http://127.0.0.1{self.path}", dict(self.headers.items()), body
                )
            except TimeoutAfterSend:
                self.close_connection = True  # the client sees the answer lost, as on a real timeout
                return
            raw = b"" if payload is None else json.dumps(payload).encode()
            self.send_response(status)
            for name, value in {"Content-Type": "application/json", **headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        do_GET = do_POST = do_DELETE = _answer

        def log_message(self, fmt: str, *args: Any) -> None:  # keep stderr for the MCP server's log
            return None

    return LoopbackServer(Handler, port=port).start()
