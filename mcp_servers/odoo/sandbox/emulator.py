"""The Odoo emulator: a real HTTP server on 127.0.0.1 speaking XML-RPC `/xmlrpc/2` and JSON-2 as Odoo
17, 18 or 19 does, over state shared through `vault/.ai_employee/sandbox/odoo.json`.

    python -m mcp_servers.odoo.sandbox --port 8069 --odoo-version 19 [--state FILE] [--empty]

Faults for tests are read from `<state>.faults.json` (see `write_faults`): latency, a dropped
connection, HTTP 500, XML-RPC faults 1–4, and a timeout after the change was committed.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
import xmlrpc.client
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from mcp_servers.core.sandbox import LoopbackServer, SharedState
from mcp_servers.odoo.const import DEFAULT_SANDBOX_VERSION, SUPPORTED_VERSIONS
from mcp_servers.odoo.sandbox.errors import AccessDenied, OdooError, ServerError
from mcp_servers.odoo.sandbox.method import Method
from mcp_servers.odoo.sandbox.orm import Env
from mcp_servers.odoo.sandbox.registry import RULES
from mcp_servers.odoo.sandbox.rpc import bind_named, bind_positional, lookup
from mcp_servers.odoo.sandbox.seed import demo_state, empty_state

_NOT_FOUND_HTML = (
    b"<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1>"
    b"<p>The requested URL was not found on the server.</p></body></html>"
)
_FAULT_STATUS = {1: 500, 2: 422, 3: 401, 4: 403}
SAAS_VERSION = (19, 4)  # what Odoo Online sent: version_info ["saas~19", 4, 0, "final", 0, ""]


def write_faults(state_path: Path, rules: list[dict[str, Any]]) -> Path:
    """Install fault rules for the emulator serving `state_path` (read on every request).

    A rule: {"kind": "latency"|"drop"|"http500"|"fault"|"timeout_after_commit", "seconds": 1.0,
    "code": 2, "message": "...", "model": "account.move", "method": "create", "times": 1}.
    `model`/`method` narrow it; `times` limits how many requests it hits (per emulator process)."""
    path = state_path.with_name(state_path.name + ".faults.json")
    path.write_text(json.dumps({"rules": rules}), "utf-8")
    return path


@dataclass
class _Faults:
    path: Path
    stamp: float = -1.0
    rules: list[dict[str, Any]] = field(default_factory=list)
    hits: dict[int, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def match(self, model: str | None, method: str | None) -> dict[str, Any] | None:
        with self.lock:
            try:
                stamp = self.path.stat().st_mtime_ns
            except FileNotFoundError:
                return None
            if stamp != self.stamp:
                self.stamp, self.hits = stamp, {}
                self.rules = json.loads(self.path.read_text("utf-8") or "{}").get("rules", [])
            for i, rule in enumerate(self.rules):
                if rule.get("model") not in (None, model) or rule.get("method") not in (None, method):
                    continue
                if rule.get("times") is not None and self.hits.get(i, 0) >= rule["times"]:
                    continue
                self.hits[i] = self.hits.get(i, 0) + 1
                return rule
            return None


class OdooEmulator:
    """The emulated server. `execute` is the one entry point both protocols share."""

    def __init__(
        self, state_path: Path, version: int = DEFAULT_SANDBOX_VERSION, *, empty: bool = False, saas: bool = False
    ) -> None:
        if version not in SUPPORTED_VERSIONS:
            raise ValueError(f"Odoo version {version} is not emulated; choose one of {SUPPORTED_VERSIONS}")
        if saas and version != SAAS_VERSION[0]:
            raise ValueError(f"Odoo Online is emulated as Odoo {SAAS_VERSION[0]} only")
        self.version = version
        # Odoo Online: reports "saas~19" versions and runs the accountant module, so a registered payment
        # leaves the invoice `in_payment` (residual unchanged) until the bank reconciliation.
        self.saas = saas
        self.state = SharedState(state_path, self._seed_fn(empty))
        self.faults = _Faults(state_path.with_name(state_path.name + ".faults.json"))
        self._lock = threading.Lock()  # one request at a time touches the shared in-memory state
        self.server: LoopbackServer | None = None
        self._meta: dict[str, Any] | None = None

    def _seed_fn(self, empty: bool) -> Callable[[], dict[str, Any]]:
        def initial() -> dict[str, Any]:
            return empty_state(version=self.version) if empty else demo_state(self.version)

        return initial

    @property
    def meta(self) -> dict[str, Any]:
        """Credentials and database name: fixed once seeded, so read once."""
        if self._meta is None:
            with self._lock:
                meta = self.state.snapshot()["meta"]
                self._meta = {k: meta[k] for k in ("db", "login", "password", "api_key")}
        return self._meta

    @property
    def api_key(self) -> str:
        return str(self.meta["api_key"])

    def version_info(self) -> dict[str, Any]:
        serie = f"{self.version}.0"
        info: list[Any] = [self.version, 0, 0, "final", 0, ""]
        if self.saas:
            serie, info = f"saas~{SAAS_VERSION[0]}.{SAAS_VERSION[1]}+e", [f"saas~{SAAS_VERSION[0]}", SAAS_VERSION[1]]
            info += [0, "final", 0, ""]
        return {
            "server_version": serie,
            "server_version_info": info,
            "server_serie": serie,
            "protocol_version": 1,
        }

    def check_secret(self, secret: Any) -> bool:
        meta = self.meta
        return isinstance(secret, str) and secret in (meta["password"], meta["api_key"])

    def authenticate(self, db: Any, login: Any, secret: Any) -> int | bool:
        meta = self.meta
        if db != meta["db"]:
            where = 'connection to server at "localhost", port 5432 failed: '  # as psycopg2 words it
            raise ServerError(f'{where}FATAL:  database "{db}" does not exist', "psycopg2.OperationalError")
        return 2 if login == meta["login"] and self.check_secret(secret) else False

    def resolve(self, model: str, method: str) -> Method:
        with self._lock:
            return lookup(Env(self.state.snapshot(), self.version, rules=RULES), model, method)

    def execute(self, model: str, method: Method, ids: list[int] | None, params: dict[str, Any]) -> Any:
        context = params.pop("context", None) or {}
        with self._lock:
            if method.reads:
                return method.run(Env(self.state.snapshot(), self.version, context, rules=RULES), model, ids, **params)
            with self.state.transaction() as data:
                data["meta"]["accountant"] = self.saas
                return method.run(Env(data, self.version, context, rules=RULES), model, ids, **params)

    def start(self, port: int = 0) -> LoopbackServer:
        handler = type("BoundOdooHandler", (OdooHandler,), {"emulator": self})
        self.server = LoopbackServer(handler, port=port).start()
        return self.server

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None


def _keyword_only_create(method: Method, version: int) -> Method:
    """Odoo's RPC dispatcher ends `create` with `result.id if isinstance(args[0], Mapping) else result.ids`:
    records passed only by keyword are created, then `args[0]` raises and the transaction rolls back
    (seen on real 17.0/18.0: a tuple; 19.0: a list)."""
    container = "list" if version >= 19 else "tuple"

    def run(*a: Any, **kw: Any) -> Any:
        method.run(*a, **kw)
        raise ServerError(f"{container} index out of range", "IndexError")

    return replace(method, run=run)


class OdooHandler(BaseHTTPRequestHandler):
    emulator: OdooEmulator
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's signature
        pass

    # --- plumbing --------------------------------------------------------------------------------
    def _send(self, status: int, body: bytes, content_type: str) -> None:
        try:
            self._write_head(status, body, content_type)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout under test)
            self.close_connection = True

    def _write_head(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, value: Any) -> None:
        self._send(status, json.dumps(value).encode(), "application/json; charset=utf-8")

    def _not_found(self) -> None:
        self._send(404, _NOT_FOUND_HTML, "text/html; charset=utf-8")

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _pre_fault(self, rule: dict[str, Any] | None) -> bool:
        """Apply a fault that strikes before any work; True when the response is already decided."""
        if rule is None:
            return False
        kind = rule.get("kind")
        if kind == "latency":
            time.sleep(float(rule.get("seconds", 1.0)))
            return False
        if kind == "drop":
            self.close_connection = True
            self.connection.close()
            return True
        if kind == "http500":
            self._send(500, b"<html><body><h1>500 Internal Server Error</h1></body></html>", "text/html")
            return True
        return False

    # --- routes ----------------------------------------------------------------------------------
    def do_GET(self) -> None:
        if self.path.split("?")[0] == "/web/version" and self.emulator.version >= 19:
            info = self.emulator.version_info()
            self._json(200, {"version_info": info["server_version_info"], "version": info["server_version"]})
            return
        self._not_found()

    def do_POST(self) -> None:
        path = self.path.split("?")[0]
        if path in ("/xmlrpc/2/common", "/xmlrpc/2/object"):
            self._xmlrpc(path.rsplit("/", 1)[1])
        elif path.startswith("/json/2") and self.emulator.version >= 19:
            self._json2(path)
        else:
            self._not_found()

    # --- XML-RPC ---------------------------------------------------------------------------------
    def _xmlrpc(self, service: str) -> None:
        try:
            params, name = xmlrpc.client.loads(self._body(), use_builtin_types=True)
        except Exception:  # a malformed body is a client bug; Odoo answers with a fault too
            self._xml_fault(1, "Traceback (most recent call last):\nExpatError: malformed XML-RPC request")
            return
        name = str(name)
        model = str(params[3]) if service == "object" and len(params) > 4 else None
        method = str(params[4]) if service == "object" and len(params) > 4 else name
        rule = self.emulator.faults.match(model, method)
        if self._pre_fault(rule):
            return
        if rule and rule.get("kind") == "fault":
            self._xml_fault(int(rule.get("code", 1)), str(rule.get("message", "Injected fault")))
            return
        try:
            result = self._xml_dispatch(service, name, list(params))
        except OdooError as exc:
            self._xml_fault(exc.fault_code, exc.fault_string())
            return
        if rule and rule.get("kind") == "timeout_after_commit":
            time.sleep(float(rule.get("seconds", 5.0)))
        try:
            body = xmlrpc.client.dumps((result,), methodresponse=True, allow_none=False)
        except TypeError:  # Odoo's server refuses None: the change is committed, the reply is a fault
            self._xml_fault(
                1, ServerError("cannot marshal None unless allow_none is enabled", "TypeError").fault_string()
            )
            return
        self._send(200, body.encode(), "text/xml")

    def _xml_fault(self, code: int, text: str) -> None:
        body = xmlrpc.client.dumps(xmlrpc.client.Fault(code, text), methodresponse=True)
        self._send(200, body.encode(), "text/xml")

    def _xml_dispatch(self, service: str, name: str, params: list[Any]) -> Any:
        emu = self.emulator
        if service == "common":
            if name == "version":
                return emu.version_info()
            if name in ("authenticate", "login") and len(params) >= 3:
                return emu.authenticate(params[0], params[1], params[2])
            raise ServerError(f"Method not available {name}", "NameError")
        if name not in ("execute_kw", "execute") or len(params) < 5:
            raise ServerError(f"Method not available {name}", "NameError")
        db, uid, secret, model, method = params[:5]
        if db != emu.meta["db"] or uid != 2 or not emu.check_secret(secret):
            raise AccessDenied()
        if name == "execute_kw":
            args = params[5] if len(params) > 5 else []
            kwargs = params[6] if len(params) > 6 else {}
        else:
            args, kwargs = params[5:], {}
        if not isinstance(args, list) or not isinstance(kwargs, dict):
            raise ServerError("execute_kw expects a list of arguments and a dict of keyword arguments", "TypeError")
        found = emu.resolve(model, method)
        context = kwargs.pop("context", None)
        ids, bound = bind_positional(found, method, args, kwargs)
        bound["context"] = context
        if method == "create" and not args:
            found = _keyword_only_create(found, emu.version)
        return emu.execute(model, found, ids, bound)

    # --- JSON-2 ----------------------------------------------------------------------------------
    def _json2(self, path: str) -> None:
        parts = path.strip("/").split("/")
        if len(parts) != 4:
            self._json2_error(404, "werkzeug.exceptions.NotFound", "Did you mean POST /json/2/<model>/<method>?")
            return
        model, method = parts[2], parts[3]
        auth = self.headers.get("Authorization", "")
        scheme, _, key = auth.partition(" ")
        if scheme.lower() != "bearer" or key.strip() != self.emulator.api_key:
            self._json2_error(401, "werkzeug.exceptions.Unauthorized", "Invalid apikey")
            return
        database = self.headers.get("X-Odoo-Database")
        if database and database != self.emulator.meta["db"]:  # real 19.0: its plain HTML 404 page
            self._not_found()
            return
        if "json" not in self.headers.get("Content-Type", ""):
            self._json2_error(415, "werkzeug.exceptions.UnsupportedMediaType", "Content-Type must be application/json")
            return
        rule = self.emulator.faults.match(model, method)
        if self._pre_fault(rule):
            return
        if rule and rule.get("kind") == "fault":
            code = int(rule.get("code", 1))
            self._json2_error(
                _FAULT_STATUS.get(code, 500), "odoo.exceptions.UserError", str(rule.get("message", "Injected fault"))
            )
            return
        try:
            body = json.loads(self._body() or b"{}")
            if not isinstance(body, dict):
                raise ServerError("the request body must be a JSON object", "BadRequest", http_status=400)
            found = self.emulator.resolve(model, method)
            ids, bound = bind_named(found, model, method, body)
            result = self.emulator.execute(model, found, ids, bound)
        except OdooError as exc:
            self._json2_error(exc.http_status, exc.name, exc.json2_message)
            return
        except json.JSONDecodeError:
            self._json2_error(400, "werkzeug.exceptions.BadRequest", "the request body is not valid JSON")
            return
        if rule and rule.get("kind") == "timeout_after_commit":
            time.sleep(float(rule.get("seconds", 5.0)))
        self._json(200, result)

    def _json2_error(self, status: int, name: str, message: str) -> None:
        debug = ServerError(message, name.rsplit(".", 1)[-1]).fault_string()
        self._json(status, {"name": name, "message": message, "arguments": [message], "context": {}, "debug": debug})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mcp_servers.odoo.sandbox", description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8069)
    parser.add_argument("--odoo-version", type=int, choices=SUPPORTED_VERSIONS, default=DEFAULT_SANDBOX_VERSION)
    parser.add_argument("--state", type=Path, default=None, help="state file (default: a temporary one)")
    parser.add_argument("--empty", action="store_true", help="a fresh database without demo data")
    parser.add_argument("--saas", action="store_true", help="answer as Odoo Online (saas~19.4, accountant module)")
    args = parser.parse_args(argv)
    state = args.state
    if state is None:
        import tempfile

        state = Path(tempfile.mkdtemp(prefix="odoo-sandbox-")) / "odoo.json"
    emulator = OdooEmulator(state.resolve(), args.odoo_version, empty=args.empty, saas=args.saas)
    server = emulator.start(args.port)
    protocols = "XML-RPC /xmlrpc/2" + (" and JSON-2 /json/2" if args.odoo_version >= 19 else "")
    print(
        f"Odoo {args.odoo_version}.0 emulator at {server.url} ({protocols})\n"
        f"  database: sandbox   user: admin   password: admin\n  API key:  {emulator.api_key}\n"
        f"  state:    {state}",
        flush=True,
    )
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        emulator.stop()
    return 0
