"""A scripted stand-in for the Anthropic Messages API, for running the real Claude Code CLI offline.

`FakeAnthropic(script)` serves `POST /v1/messages` (SSE streaming or plain JSON) and
`POST /v1/messages/count_tokens` on 127.0.0.1. Every request body is kept in `requests` (the tests
search them for secrets); `script(request)` decides each reply from what the request contains and
returns the content blocks of the assistant's turn (`text(...)`, `tool_use(...)`).
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Block = dict[str, Any]
Script = Callable[[dict[str, Any]], list[Block]]
_ids = itertools.count(1)


def text(value: str) -> Block:
    return {"type": "text", "text": value}


def tool_use(name: str, arguments: dict[str, Any]) -> Block:
    return {"type": "tool_use", "id": f"toolu_{next(_ids):06d}", "name": name, "input": arguments}


def _events(message_id: str, model: str, blocks: list[Block]) -> list[tuple[str, dict[str, Any]]]:
    usage = {"input_tokens": 10, "output_tokens": 0}
    start = {"id": message_id, "type": "message", "role": "assistant", "model": model, "content": []}
    events: list[tuple[str, dict[str, Any]]] = [
        ("message_start", {"type": "message_start", "message": {**start, "stop_reason": None, "usage": usage}})
    ]
    for index, block in enumerate(blocks):
        if block["type"] == "text":
            opening, delta = {"type": "text", "text": ""}, {"type": "text_delta", "text": block["text"]}
        else:
            opening = {**block, "input": {}}
            delta = {"type": "input_json_delta", "partial_json": json.dumps(block["input"])}
        events += [
            ("content_block_start", {"type": "content_block_start", "index": index, "content_block": opening}),
            ("content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta}),
            ("content_block_stop", {"type": "content_block_stop", "index": index}),
        ]
    stop = "tool_use" if any(b["type"] == "tool_use" for b in blocks) else "end_turn"
    events += [
        ("message_delta", {"type": "message_delta", "delta": {"stop_reason": stop}, "usage": {"output_tokens": 5}}),
        ("message_stop", {"type": "message_stop"}),
    ]
    return events


class FakeAnthropic:
    """The fake API server; use as a context manager. `url` is the ANTHROPIC_BASE_URL to set."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.requests: list[dict[str, Any]] = []
        self.raw: list[bytes] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FakeAnthropic:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reply(self, body: dict[str, Any]) -> list[Block]:
        with self._lock:
            self.requests.append(body)
        return self.script(body)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: object) -> None:
                return

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                with fake._lock:
                    fake.raw.append(raw)
                path = self.path.split("?", 1)[0]
                if path.endswith("/count_tokens"):
                    return self._json({"input_tokens": 100})
                if not path.endswith("/v1/messages"):
                    return self._json({}, 404)
                body = json.loads(raw or b"{}")
                blocks = fake.reply(body)
                message_id = f"msg_{next(_ids):06d}"
                events = _events(message_id, str(body.get("model", "claude")), blocks)
                if not body.get("stream"):
                    stop = events[-2][1]["delta"]["stop_reason"]
                    usage = {"input_tokens": 10, "output_tokens": 5}
                    message = {"id": message_id, "type": "message", "role": "assistant", "model": body.get("model")}
                    return self._json({**message, "content": blocks, "stop_reason": stop, "usage": usage})
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.send_header("cache-control", "no-cache")
                self.end_headers()
                for name, data in events:
                    self.wfile.write(f"event: {name}\ndata: {json.dumps(data)}\n\n".encode())
                self.wfile.flush()

            def do_GET(self) -> None:
                self._json({}, 404)

            def _json(self, data: dict[str, Any], status: int = 200) -> None:
                payload = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        return Handler
