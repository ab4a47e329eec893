"""The only module that speaks Odoo: XML-RPC (`/xmlrpc/2`, Odoo 16–21) and JSON-2 (`/json/2`, 19+)
behind one `call(model, method, ids, **params)`, chosen by probing `GET /web/version`.

Faults become the core error tree (`client_errors`) with messages for the owner, never a traceback.
Reads are retried on `Unavailable`; writes never are: a write whose answer was lost is `Ambiguous`.
A method whose `None` result Odoo cannot marshal has committed: the call returns `None` and the
caller re-reads. `rpc_count` counts every HTTP request, for tests and benchmarks.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from mcp_servers.core.errors import (
    Ambiguous,
    InvalidInput,
    ServiceError,
    Unavailable,
)
from mcp_servers.core.resilience import retry_read
from mcp_servers.odoo.client_errors import LoginProblem, MissingMethod, map_fault, map_json2

READ_METHODS = frozenset(
    {
        "search",
        "search_read",
        "search_count",
        "read",
        "fields_get",
        "default_get",
        "name_search",
        "read_group",
        "formatted_read_group",
        "context_get",
        "name_get",
    }
)


@dataclass(frozen=True)
class Connection:
    url: str
    db: str
    login: str
    secret: str  # API key or password
    protocol: str = "auto"  # auto | xmlrpc | json2
    timeout: float = 30.0
    secret_is_api_key: bool = True
    write_budget: float = 45.0  # seconds for a whole write (its reads included): see `OdooClient.bounded`


class OdooClient:
    """One Odoo database. Thread-safe; connects on the first call."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.rpc_count = 0
        self.protocol: str | None = None
        self.version: tuple[int, int] = (0, 0)
        self.version_label = ""
        self.uid: int | None = None
        self.cache: dict[str, Any] = {}  # facts that do not change while we run (company, currency)
        self._lock = threading.Lock()
        self._deadline = threading.local()
        parts = urlsplit(conn.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InvalidInput(f"ODOO_URL {conn.url!r} is not an http(s) URL", field="ODOO_URL")
        self._https, self._host, self._port = parts.scheme == "https", parts.hostname, parts.port
        self._base = parts.path.rstrip("/")

    # --- transport ---------------------------------------------------------------------------------
    def _http(
        self, verb: str, path: str, body: bytes | None, headers: dict[str, str], write: bool
    ) -> tuple[int, str, bytes]:
        import http.client

        cls = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
        where = f"Odoo at {self.conn.url}"
        conn = cls(self._host, self._port, timeout=self._timeout(where))
        with self._lock:
            self.rpc_count += 1
        try:
            try:
                conn.connect()
            except OSError as exc:  # nothing was sent: safe to say so, and to retry a read
                raise Unavailable(
                    f"{where} cannot be reached ({_reason(exc)}). Check that it is running and "
                    "ODOO_URL is right; reads were retried."
                ) from None
            try:
                conn.request(verb, self._base + path, body=body, headers={"User-Agent": "ai-employee", **headers})
                response = conn.getresponse()
                return response.status, response.getheader("Content-Type", ""), response.read()
            except (TimeoutError, http.client.HTTPException, OSError) as exc:
                if write:
                    raise Ambiguous(
                        f"{where} did not answer ({_reason(exc)}) after the request was sent: the change "
                        "may or may not have been made. It was not sent again."
                    ) from None
                raise Unavailable(f"{where} did not answer ({_reason(exc)}); the read was retried.") from None
        finally:
            conn.close()

    @contextmanager
    def bounded(self) -> Iterator[None]:
        """Bound a whole write (its reads, retries and the change itself) to `write_budget` seconds on this
        thread: a hung Odoo then ends the call within the budget (unavailable before the change is sent,
        ambiguous after), instead of each request's full timeout and the reads' retries adding up."""
        self._deadline.at = time.monotonic() + self.conn.write_budget
        try:
            yield
        finally:
            self._deadline.at = None

    def _timeout(self, where: str) -> float:
        deadline: float | None = getattr(self._deadline, "at", None)
        if deadline is None:
            return self.conn.timeout
        left = deadline - time.monotonic()
        if left <= 0.05:  # nothing is sent: safe to say so
            raise Unavailable(
                f"{where} did not answer within {self.conn.write_budget:g} s, the time a change may take; "
                "nothing more was sent (ODOO_WRITE_TIMEOUT)."
            )
        return min(self.conn.timeout, left)

    def _unavailable_status(self, status: int, write: bool) -> ServiceError:
        if write and status != 503:
            return Ambiguous(
                f"Odoo answered HTTP {status} to a change: it may or may not have been made. It was not sent again."
            )
        return Unavailable(f"Odoo answered HTTP {status} (server error or maintenance); try again later.")

    # --- XML-RPC ----------------------------------------------------------------------------------
    def _xmlrpc(self, service: str, method: str, params: tuple[Any, ...], write: bool) -> Any:
        import xmlrpc.client

        body = xmlrpc.client.dumps(params, method, allow_none=True).encode()
        status, _, raw = self._http("POST", f"/xmlrpc/2/{service}", body, {"Content-Type": "text/xml"}, write)
        if status == 404:
            raise ServiceError("This Odoo has no XML-RPC endpoint (/xmlrpc/2). Set ODOO_PROTOCOL=json2.")
        if status != 200:
            raise self._unavailable_status(status, write)
        try:
            return xmlrpc.client.loads(raw, use_builtin_types=True)[0][0]
        except xmlrpc.client.Fault as fault:
            return map_fault(fault.faultCode, str(fault.faultString))
        except Exception:
            raise Unavailable("Odoo sent an answer that is not XML-RPC; is ODOO_URL an Odoo server?") from None

    # --- JSON-2 -----------------------------------------------------------------------------------
    def _json2(self, model: str, method: str, body: dict[str, Any], write: bool) -> Any:
        headers = {
            "Authorization": f"bearer {self.conn.secret}",
            "Content-Type": "application/json; charset=utf-8",
            "X-Odoo-Database": self.conn.db,
        }
        status, ctype, raw = self._http("POST", f"/json/2/{model}/{method}", json.dumps(body).encode(), headers, write)
        payload: Any = None
        if "json" in ctype:
            try:
                payload = json.loads(raw or b"null")
            except ValueError:
                payload = None
        if status == 200:
            return payload
        if not isinstance(payload, dict) or "name" not in payload:
            if status >= 500:
                raise self._unavailable_status(status, write)
            if status == 404:  # /web/version said JSON-2 exists: Odoo's plain 404 page means no such database
                raise LoginProblem(
                    f"Odoo answered 'Not Found' for database {self.conn.db!r}: set ODOO_DB to the name shown in "
                    "Odoo's database selector (/web/database/selector); on Odoo Online it is the part of the "
                    "address before .odoo.com.",
                    "ODOO_DB",
                )
            raise ServiceError(f"Odoo answered HTTP {status} without an explanation.")
        return map_json2(status, str(payload["name"]), str(payload.get("message", "")))

    # --- session ----------------------------------------------------------------------------------
    def _connect(self) -> None:
        if self.protocol is not None:
            return
        protocol = self.conn.protocol
        info: dict[str, Any] | None = None
        if protocol in ("auto", "json2"):
            status, ctype, raw = self._http("GET", "/web/version", None, {}, write=False)
            if status == 200 and "json" in ctype:
                info = json.loads(raw)
            elif protocol == "json2":
                raise ServiceError(
                    "ODOO_PROTOCOL=json2 but this Odoo has no JSON-2 API (GET /web/version "
                    f"answered {status}); it needs Odoo 19 or later. Use ODOO_PROTOCOL=xmlrpc."
                )
        if info is not None and (protocol == "json2" or self.conn.secret_is_api_key):
            self._set_version(info.get("version_info") or [0, 0])
            self.protocol = "json2"
            self.uid = None
            return
        info = self._xmlrpc("common", "version", (), write=False)
        self._set_version(info.get("server_version_info") or [0, 0])
        uid = self._xmlrpc("common", "authenticate", (self.conn.db, self.conn.login, self.conn.secret, {}), False)
        if not uid:
            raise LoginProblem(
                f"Odoo refused the login {self.conn.login!r} on database {self.conn.db!r}: the database exists, so "
                "ODOO_USERNAME or ODOO_API_KEY (or ODOO_PASSWORD) is wrong, or the API key has expired (keys last "
                "at most 3 months: make a new one in Odoo under Preferences → Account Security).",
                "ODOO_USERNAME/ODOO_API_KEY",
            )
        self.uid, self.protocol = int(uid), "xmlrpc"

    def _set_version(self, info: Any) -> None:
        self.version = parse_version(info)
        self.version_label = f"{self.version[0]}.{self.version[1]}"

    # --- the interface ----------------------------------------------------------------------------
    def call(self, model: str, method: str, ids: list[int] | None = None, **params: Any) -> Any:
        """Run `model.method` once (never retried). `ids` for record methods; the rest by name."""
        write = method not in READ_METHODS
        self._connect()
        if self.protocol == "json2":
            body = dict(params)
            if ids is not None:
                body["ids"] = ids
            return self._json2(model, method, body, write)
        args: list[Any] = [ids] if ids is not None else []
        if method == "create" and "vals_list" in params:  # Odoo's dispatcher reads `create`'s records as args[0]
            params = dict(params)
            args.append(params.pop("vals_list"))
        return self._xmlrpc(
            "object", "execute_kw", (self.conn.db, self.uid, self.conn.secret, model, method, args, params), write
        )

    @retry_read()
    def read(self, model: str, method: str, ids: list[int] | None = None, **params: Any) -> Any:
        """A read, retried with backoff while Odoo is unreachable."""
        if method not in READ_METHODS:
            raise ValueError(f"{method} is not a read")
        return self.call(model, method, ids, **params)

    @retry_read()
    def status(self) -> dict[str, Any]:
        self._connect()
        return {"protocol": self.protocol, "version": self.version_label, "uid": self.uid}

    def search_read(
        self,
        model: str,
        domain: list[Any],
        fields: list[str],
        *,
        limit: int | None = None,
        offset: int = 0,
        order: str | None = None,
        context: dict[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        params: dict[str, Any] = {"domain": domain, "fields": fields, "offset": offset, "order": order}
        if limit:
            params["limit"] = limit
        if context:
            params["context"] = context
        rows: list[dict[str, Any]] = self.read(model, "search_read", **params)
        return rows

    def read_ids(self, model: str, ids: list[int], fields: list[str]) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self.read(model, "read", ids, fields=fields) if ids else []
        return rows

    def count(self, model: str, domain: list[Any]) -> int:
        return int(self.read(model, "search_count", domain=domain))

    def group(self, model: str, domain: list[Any], groupby: list[str], aggregates: list[str]) -> list[dict[str, Any]]:
        """Server-side grouping whatever the version: rows {spec: value, aggregate spec: value, "__count": n};
        a date group's value is its first day, a many2one's is [id, name]. One RPC."""
        self._connect()
        if self.version >= (18, 2):
            try:
                rows = self.read(
                    model, "formatted_read_group", domain=domain, groupby=groupby, aggregates=[*aggregates, "__count"]
                )
                return [_from_formatted(r, groupby) for r in rows]
            except MissingMethod:
                pass
        fields = [a for a in aggregates if a != "__count"]
        rows = self.read(model, "read_group", domain=domain, fields=fields, groupby=groupby, lazy=False)
        return [_from_read_group(r, groupby, fields) for r in rows]


def parse_version(info: Any) -> tuple[int, int]:
    """(major, minor) from any `version_info` a server sends: `[17, 0, 0, "final", 0, ""]`, Odoo Online's
    `["saas~19", 4, 0, "final", 0, ""]` (minor second) or `["saas~18.4", ...]`, or a version string such as
    `"saas~19.4+e"` / `"17.0"`. Anything unreadable is (0, 0), never an error."""
    items = list(info) if isinstance(info, list | tuple) else [info]
    head = items[0] if items else 0
    if isinstance(head, int) and not isinstance(head, bool):
        minor = items[1] if len(items) > 1 and isinstance(items[1], int) else 0
        return head, minor
    match = re.match(r"^(?:saas~)?(\d+)(?:\.(\d+))?", str(head).strip())
    if not match:
        return 0, 0
    if match.group(2) is not None:
        return int(match.group(1)), int(match.group(2))
    second = items[1] if len(items) > 1 else 0
    return int(match.group(1)), second if isinstance(second, int) and not isinstance(second, bool) else 0


def _from_formatted(row: dict[str, Any], groupby: list[str]) -> dict[str, Any]:
    out = dict(row)
    for spec in groupby:
        value = row.get(spec)
        if ":" in spec and isinstance(value, list):
            out[spec] = value[0]
    out.pop("__extra_domain", None)
    return out


def _from_read_group(row: dict[str, Any], groupby: list[str], aggregates: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"__count": row.get("__count", 0)}
    for spec in groupby:
        value = row.get(spec)
        if ":" in spec:
            bounds = (row.get("__range") or {}).get(spec)
            value = bounds["from"] if bounds else False
        out[spec] = value
    for spec in aggregates:
        out[spec] = row.get(spec.split(":")[0], 0.0)
    return out


def _reason(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError) or "timed out" in str(exc):
        return "timed out"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    return type(exc).__name__.replace("Error", " error").strip().lower()
