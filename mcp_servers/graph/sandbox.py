"""The Graph emulator's plumbing, shared by the Facebook and Instagram sandboxes: routing, the token
and version checks, error envelopes, usage headers and fault injection, served either in-process as
a requests transport adapter or over HTTP on 127.0.0.1 (core `LoopbackServer`).

Faults live in the shared state (`state["faults"]`), so a test can arm one for a server running in
another process: `{"method": "POST", "path": "feed$", "kind": "duplicate", "times": 1}`.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from mcp_servers.core.sandbox import SharedState
from mcp_servers.graph import versions
from mcp_servers.graph.fields import project_answer

Clock = Callable[[], datetime]
SANDBOX_APP_ID = "100000000000001"  # the emulated Meta app every sandbox token belongs to


@dataclass
class GraphRequest:
    method: str
    path: str  # without the version prefix, e.g. "1234/feed"
    version: str
    query: dict[str, str]
    form: dict[str, str]
    token: str | None

    def arg(self, name: str, default: str | None = None) -> str | None:
        return self.form.get(name, self.query.get(name, default))


@dataclass
class GraphResponse:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False  # fault: the change was made but the answer never arrives

    def body_code(self) -> int | None:
        err = self.body.get("error") if isinstance(self.body, dict) else None
        code = err.get("code") if isinstance(err, dict) else None
        return code if isinstance(code, int) else None


class GraphFailure(Exception):
    """Raised by a route to answer with a Graph error envelope, shaped like the recorded real ones
    (tests/graph/fixtures/real/): `type` is OAuthException, GraphMethodException or IGApiException;
    some errors carry `is_transient`, `error_user_title` and `error_user_msg`."""

    def __init__(
        self,
        code: int,
        message: str,
        *,
        subcode: int | None = None,
        status: int = 400,
        kind: str = "OAuthException",
        user: tuple[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.code, self.subcode, self.status, self.kind, self.user = code, subcode, status, kind, user

    def response(self) -> GraphResponse:
        err: dict[str, Any] = {"message": str(self), "type": self.kind, "code": self.code}
        if self.subcode is not None:
            err["error_subcode"] = self.subcode
        if self.user is not None:
            err["is_transient"] = False
            err["error_user_title"], err["error_user_msg"] = self.user
        err["fbtrace_id"] = "SandboxTrace"
        return GraphResponse(self.status, {"error": err})


FAULTS: dict[str, GraphFailure] = {
    "expired_token": GraphFailure(
        190,
        "Error validating access token: Session has expired on Sunday, 01-Nov-26 06:00:00 PST. The current time "
        "is Sunday, 01-Nov-26 06:07:02 PST.",
        subcode=463,
    ),
    "rate_limit": GraphFailure(32, "(#32) Page request limit reached"),
    "app_rate_limit": GraphFailure(4, "(#4) Application request limit reached", status=403),
    "duplicate": GraphFailure(506, "(#506) Duplicate status message"),
    "blocked": GraphFailure(
        368, "You've already posted this. Posting the same content repeatedly on Facebook isn't allowed."
    ),
    "permission": GraphFailure(200, "(#200) Requires pages_manage_posts permission to manage the object", status=403),
    "server_error": GraphFailure(2, "An unexpected error has occurred. Please retry your request later.", status=500),
}
Route = Callable[[GraphRequest, dict[str, Any], "re.Match[str]", datetime], Any]


class GraphEmulator:
    """Dispatches Graph requests to routes over one `SharedState`; callable as a handler."""

    def __init__(self, state: SharedState, clock: Clock | None = None, buc_object: str = "0") -> None:
        self.state = state
        self.clock = clock or (lambda: datetime.now(UTC))
        self.buc_object = buc_object
        self._routes: list[tuple[str, re.Pattern[str], Route, bool, tuple[str, ...] | None]] = []
        self._calls = 0
        self._lock = threading.Lock()
        self.before: list[Callable[[SharedState, datetime], None]] = []  # e.g. new comments over time

    def route(
        self, method: str, pattern: str, *, write: bool = False, defaults: tuple[str, ...] | None = None
    ) -> Callable[[Route], Route]:
        """Register a route. With `defaults` (the fields Graph returns when none are named) the answer is
        cut down to the requested `fields`, as Graph does; without, it is returned as the route builds it."""

        def register(fn: Route) -> Route:
            self._routes.append((method, re.compile(pattern + r"\Z"), fn, write, defaults))
            return fn

        return register

    def __call__(self, req: GraphRequest) -> GraphResponse:
        try:
            self._check(req)
            fault = self._take_fault(req)
            if fault is not None and fault != "timeout_after":
                raise FAULTS[fault]
            response = self._dispatch(req)
            response.drop = fault == "timeout_after"
        except GraphFailure as failure:
            response = failure.response()
        response.headers.update(self._usage_headers(throttled=response.body_code() in (4, 32)))
        return response

    def _check(self, req: GraphRequest) -> None:
        if not req.token:
            raise GraphFailure(2500, "An active access token must be used to query information about the user.")
        if not re.fullmatch(r"v\d+\.\d+", req.version):
            raise GraphFailure(100, f"Unknown path components: /{req.version}")
        if versions.expired(req.version, self.clock().date()) is not None:
            raise GraphFailure(2635, f"You are calling a deprecated version of the Graph API ({req.version}).")
        registered = self.state.snapshot().get("tokens", {}).get(req.token)
        if registered and 0 < int(registered.get("expires_at", 0)) <= self.clock().timestamp():
            raise _expired(int(registered["expires_at"]), self.clock())

    def _take_fault(self, req: GraphRequest) -> str | None:
        if not self.state.snapshot().get("faults"):
            return None
        with self.state.transaction() as data:
            for fault in data.get("faults", []):
                if fault.get("method", req.method) == req.method and re.search(fault.get("path", ""), req.path):
                    fault["times"] = int(fault.get("times", 1)) - 1
                    data["faults"] = [f for f in data["faults"] if f["times"] > 0]
                    return str(fault["kind"])
        return None

    def _dispatch(self, req: GraphRequest) -> GraphResponse:
        for hook in self.before:
            hook(self.state, self.clock())
        for method, pattern, fn, write, defaults in self._routes:
            match = pattern.match(req.path)
            if method != req.method or not match:
                continue
            if write:
                with self.state.transaction() as data:
                    body = fn(req, data, match, self.clock())
            else:
                body = fn(req, self.state.snapshot(), match, self.clock())
            if defaults is not None:
                body = project_answer(body, req.arg("fields"), defaults)
            return GraphResponse(200, body)
        raise unsupported(req.method, req.path)

    def _usage_headers(self, throttled: bool) -> dict[str, str]:
        with self._lock:
            self._calls += 1
            pct = 100 if throttled else min(99, self._calls // 10)
        usage = {"type": "pages", "call_count": pct, "total_cputime": pct // 2, "total_time": pct // 2}
        usage["estimated_time_to_regain_access"] = 5 if throttled else 0
        return {
            "x-app-usage": json.dumps({"call_count": pct, "total_time": pct // 2, "total_cputime": pct // 2}),
            "x-business-use-case-usage": json.dumps({self.buc_object: [usage]}),
            "facebook-api-version": "v25.0",
        }


def _expired(expires_at: int, now: datetime | None = None) -> GraphFailure:
    """Graph's 190/463, worded as recorded (snarfed/bridgy#59, chatwoot/chatwoot#12989)."""
    day = datetime.fromtimestamp(expires_at, UTC)
    current = now or datetime.now(UTC)
    return GraphFailure(
        190,
        f"Error validating access token: Session has expired on {day:%A, %d-%b-%y %H:%M:%S} UTC. "
        f"The current time is {current:%A, %d-%b-%y %H:%M:%S} UTC.",
        subcode=463,
    )


def add_debug_token(emulator: GraphEmulator, *, subject_id: str, token_type: str, scopes: list[str]) -> None:
    """`GET /debug_token?input_token=...` as Graph answers it. A token registered with `set_token` answers
    its expiry; any other token is a valid, never-expiring token of the sandbox app (the emulator accepts
    every token). The caller must use the app token `<app id>|<secret>` of the token's app, or the token itself."""

    @emulator.route("GET", "debug_token")
    def debug_token(req: GraphRequest, data: dict[str, Any], m: re.Match[str], now: datetime) -> Any:
        token = req.arg("input_token")
        if not token:
            raise GraphFailure(100, "(#100) The parameter input_token is required")
        info = {
            "app_id": SANDBOX_APP_ID,
            "expires_at": 0,
            "data_access_expires_at": 0,
            **data.get("tokens", {}).get(token, {}),
        }
        viewer = req.token or ""
        if "|" in viewer:
            if viewer.split("|", 1)[0] != info["app_id"]:
                raise GraphFailure(100, "(#100) The App_id in the input_token did not match the Viewing App")
        elif viewer != token:
            raise GraphFailure(
                100,
                "(#100) You must provide an app access token, or a user access token that is an owner or "
                "developer of the app",
            )
        expires = int(info["expires_at"])
        answer: dict[str, Any] = {
            "app_id": info["app_id"],
            "type": info.get("type", token_type),
            "application": "AI Employee (sandbox)",
            "data_access_expires_at": int(info["data_access_expires_at"]),
            "expires_at": expires,
            "is_valid": not info.get("revoked") and not (0 < expires <= now.timestamp()),
            # no issued_at / profile_id: the recorded real answer (tests/facebook/fixtures/real/debug_token.json)
            # for a user token has neither
            "scopes": scopes,
            "user_id": "7000000000001",
        }
        if not answer["is_valid"]:
            failure = (
                _expired(expires)
                if expires and not info.get("revoked")
                else GraphFailure(190, "Error validating access token: The session has been invalidated.", subcode=460)
            )
            answer["error"] = {"code": 190, "message": str(failure), "subcode": failure.subcode}
        return {"data": answer}


def unsupported(method: str, object_id: str, *, kind: str = "GraphMethodException") -> GraphFailure:
    """Graph's 100/33 for an object that does not exist or cannot be seen, as recorded (roughike/
    flutter_facebook_login#44; Instagram answers it as IGApiException without the link, jstolpe/blog_code#4)."""
    message = (
        f"Unsupported {method.lower()} request. Object with ID '{object_id}' does not exist, cannot be loaded due "
        "to missing permissions, or does not support this operation"
    )
    if kind == "GraphMethodException":
        message += ". Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api"
    return GraphFailure(100, message, subcode=33, kind=kind)


def set_token(
    state: SharedState,
    token: str,
    *,
    expires_at: datetime | None,
    data_access_expires_at: datetime | None = None,
    app_id: str = SANDBOX_APP_ID,
    revoked: bool = False,
) -> None:
    """Register a token with the emulator (tests and demos): `expires_at=None` never expires. Once expired,
    every call made with it fails with code 190, subcode 463, as Graph does."""
    with state.transaction() as data:
        data.setdefault("tokens", {})[token] = {
            "app_id": app_id,
            "expires_at": int(expires_at.timestamp()) if expires_at else 0,
            "data_access_expires_at": int(data_access_expires_at.timestamp()) if data_access_expires_at else 0,
            "revoked": revoked,
        }


def parse_request(method: str, url: str, headers: Mapping[str, str], body: bytes | str | None) -> GraphRequest:
    parts = urlsplit(url)
    segments = parts.path.strip("/").split("/", 1)
    raw = body.decode() if isinstance(body, bytes) else (body or "")
    query = dict(parse_qsl(parts.query))
    auth = {k.lower(): v for k, v in headers.items()}.get("authorization", "")
    token = auth[7:] if auth.lower().startswith("bearer ") else query.get("access_token")
    return GraphRequest(
        method=method.upper(),
        path=segments[1] if len(segments) > 1 else "",
        version=segments[0],
        query=query,
        form=dict(parse_qsl(raw)),
        token=token or None,
    )


class EmulatorAdapter(BaseAdapter):
    """A requests transport adapter that answers from the emulator without any socket."""

    def __init__(self, handler: Callable[[GraphRequest], GraphResponse]) -> None:
        super().__init__()
        self.handler = handler

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        req = parse_request(request.method or "GET", request.url or "", request.headers, request.body)
        answer = self.handler(req)
        if answer.drop:
            raise requests.exceptions.ReadTimeout("sandbox fault: the answer was lost", request=request)
        response = requests.Response()
        response.status_code = answer.status
        response.headers = CaseInsensitiveDict({"content-type": "application/json", **answer.headers})
        response._content = json.dumps(answer.body).encode()
        response.url = request.url or ""
        response.request = request
        response.encoding = "utf-8"
        return response

    def close(self) -> None:
        pass


def http_handler(handler: Callable[[GraphRequest], GraphResponse]) -> type[BaseHTTPRequestHandler]:
    """A `BaseHTTPRequestHandler` class serving the emulator, for core `LoopbackServer`."""

    class GraphHTTPHandler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            url = f"http://sandbox{self.path}"
            answer = handler(parse_request(self.command, url, dict(self.headers.items()), body))
            if answer.drop:  # the change is made; close without answering, like a timeout
                self.close_connection = True
                return
            payload = json.dumps(answer.body).encode()
            self.send_response(answer.status)
            for name, value in {"content-type": "application/json", **answer.headers}.items():
                self.send_header(name, value)
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdout is MCP's
            pass

    return GraphHTTPHandler


def add_fault(state: SharedState, kind: str, *, method: str = "POST", path: str = "", times: int = 1) -> None:
    """Arm a fault for the next `times` matching requests (tests and demos)."""
    if kind not in FAULTS and kind != "timeout_after":
        raise ValueError(f"unknown fault {kind!r}; one of {sorted([*FAULTS, 'timeout_after'])}")
    with state.transaction() as data:
        data.setdefault("faults", []).append({"kind": kind, "method": method, "path": path, "times": times})


def iso(moment: datetime) -> str:
    """Graph's timestamp format: 2026-11-25T22:10:00+0000."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")
