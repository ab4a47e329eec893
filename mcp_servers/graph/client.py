"""The one module that speaks the Graph API over HTTP (requests, imported on first use).

Reads are retried on `Unavailable` (core `retry_read`); writes are sent exactly once, and a write whose
answer was lost (read timeout, dropped connection) is `Ambiguous`, never retried. The token travels
in the Authorization header, never in a URL, so it cannot leak through an error or a log line.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from mcp_servers.core.errors import Ambiguous, RateLimited, ServiceError, Unavailable
from mcp_servers.core.resilience import retry_read
from mcp_servers.graph.errors import map_graph_error
from mcp_servers.graph.usage import USAGE_HEADERS, UsageState, parse_usage
from mcp_servers.graph.versions import DEFAULT_VERSION

if TYPE_CHECKING:
    import requests
    from requests.adapters import BaseAdapter

__all__ = ["DEFAULT_VERSION", "FACEBOOK_HOST", "INSTAGRAM_HOST", "GraphClient"]
FACEBOOK_HOST = "https://graph.facebook.com"
INSTAGRAM_HOST = "https://graph.instagram.com"
Params = Mapping[str, str | int | float | bool]


class GraphClient:
    """A small Graph client for one token (a Page token, or an Instagram token)."""

    def __init__(
        self,
        *,
        label: str,
        access_token: str,
        base_url: str = FACEBOOK_HOST,
        api_version: str = DEFAULT_VERSION,
        app_secret: str | None = None,
        token_var: str = "the access token",
        version_var: str = "the API version",
        adapter: BaseAdapter | None = None,
        timeout: tuple[float, float] = (5.0, 30.0),
        read_attempts: int = 3,
        before_request: Callable[[], None] | None = None,
        on_rate_limited: Callable[[float], None] | None = None,
    ) -> None:
        self.label = label
        self.base_url = base_url.rstrip("/")
        self.api_version = api_version if api_version.startswith("v") else f"v{api_version}"
        self.timeout = timeout
        self.usage = UsageState()
        self._token = access_token
        # graph.instagram.com (Instagram Login) does not support appsecret_proof: send none there.
        sign = bool(app_secret) and self.base_url != INSTAGRAM_HOST
        self._proof = (
            hmac.new((app_secret or "").encode(), access_token.encode(), hashlib.sha256).hexdigest() if sign else None
        )
        self._names = {"token_var": token_var, "version_var": version_var}
        self._adapter = adapter
        # Hooks for the service: count each call against the client-side cap (may raise RateLimited
        # before anything is sent), and remember a throttle Meta reported so other processes see it.
        self._before_request = before_request
        self._on_rate_limited = on_rate_limited
        self._session: requests.Session | None = None
        self._lock = threading.Lock()
        self._read = retry_read(attempts=read_attempts)(self._send_read)

    def __repr__(self) -> str:  # never the token
        return f"GraphClient({self.label!r}, {self.base_url!r}, {self.api_version!r})"

    @property
    def session(self) -> requests.Session:
        with self._lock:
            if self._session is None:
                import requests

                session = requests.Session()
                session.headers["Authorization"] = f"Bearer {self._token}"
                session.headers["User-Agent"] = "ai-employee-graph/1"
                if self._adapter is not None:
                    session.mount(self.base_url + "/", self._adapter)
                self._session = session
            return self._session

    def url(self, path: str) -> str:
        return f"{self.base_url}/{self.api_version}/{path.lstrip('/')}"

    def describe(self, method: str, path: str, data: Params | None = None) -> dict[str, Any]:
        """The request as it would be sent, for previews (the token is in a header, shown redacted)."""
        out: dict[str, Any] = {"method": method, "url": self.url(path), "auth": "Bearer ***"}
        if data:
            out["body"] = dict(data)
        if self._proof:
            out["appsecret_proof"] = "*** (HMAC-SHA256 of the token)"
        return out

    def get(self, path: str, params: Params | None = None, *, permission: str | None = None) -> dict[str, Any]:
        """A read, retried with backoff on temporary failures."""
        return self._read(path, params or {}, permission)

    def post(self, path: str, data: Params, *, permission: str | None = None) -> dict[str, Any]:
        """A write, sent once. Lost answer → `Ambiguous`."""
        return self._send("POST", path, {}, data, permission, write=True)

    def delete(self, path: str, *, permission: str | None = None) -> dict[str, Any]:
        return self._send("DELETE", path, {}, None, permission, write=True)

    def _send_read(self, path: str, params: Params, permission: str | None) -> dict[str, Any]:
        return self._send("GET", path, params, None, permission, write=False)

    def _send(
        self,
        method: str,
        path: str,
        params: Params,
        data: Params | None,
        permission: str | None,
        *,
        write: bool,
    ) -> dict[str, Any]:
        import requests

        query = {k: _form(v) for k, v in params.items()}
        if self._proof:
            query["appsecret_proof"] = self._proof
        body = {k: _form(v) for k, v in data.items()} if data is not None else None
        if self._before_request is not None:
            self._before_request()
        try:
            response = self.session.request(method, self.url(path), params=query, data=body, timeout=self.timeout)
        except requests.RequestException as exc:
            raise self._transport_error(exc, method, path, write) from None
        return self._parse(response, method, path, write, permission)

    def _parse(
        self, response: requests.Response, method: str, path: str, write: bool, permission: str | None
    ) -> dict[str, Any]:
        if any(h in response.headers for h in (*USAGE_HEADERS, "facebook-api-version")):
            self.usage = parse_usage(response.headers)
        try:
            body: Any = response.json()
        except ValueError:
            body = None
        if 200 <= response.status_code < 300:
            if body is None:
                if write:
                    raise Ambiguous(self._lost(method, path, "an unreadable answer"), service=self.label.lower())
                raise Unavailable(f"{self.label} sent an unreadable answer. Try again.", service=self.label.lower())
            return body if isinstance(body, dict) else {"success": body}
        error = map_graph_error(
            response.status_code, body, self.usage, label=self.label, permission=permission, **self._names
        )
        if isinstance(error, RateLimited) and error.retry_after and self._on_rate_limited is not None:
            self._on_rate_limited(error.retry_after)
        if write and isinstance(error, Unavailable) and response.status_code >= 500 and response.status_code != 503:
            # Graph answers 500 (codes 1/2) after some posts were in fact published: only a read can tell.
            raise Ambiguous(self._lost(method, path, f"HTTP {response.status_code}"), service=self.label.lower())
        raise error

    def _transport_error(self, exc: Exception, method: str, path: str, write: bool) -> ServiceError:
        if not write or _never_sent(exc):
            return Unavailable(
                f"Could not reach {self.label} ({type(exc).__name__}). Check the connection and try again.",
                service=self.label.lower(),
            )
        return Ambiguous(self._lost(method, path, type(exc).__name__), service=self.label.lower())

    def _lost(self, method: str, path: str, what: str) -> str:
        return (
            f"{self.label} got the {method} to /{path.lstrip('/')} but the answer was lost ({what}): it "
            "may or may not have been applied. It was not retried; check the account before doing it again."
        )


def _form(value: str | int | float | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _never_sent(exc: Exception) -> bool:
    """True when the request certainly did not reach the service (connect failed or timed out)."""
    import requests
    from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, NewConnectionError | ConnectTimeoutError)
