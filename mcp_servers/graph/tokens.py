"""Reads a Graph token's expiry the documented way: `GET /debug_token?input_token=<token>`
(reference/social_apis.md §3), answered with `data.expires_at` and `data.data_access_expires_at`
(unix seconds, 0 = never) and `data.is_valid`.

The call is made with the app token `<app id>|<app secret>` when the app secret is set, else with the
token itself, on graph.facebook.com. The app id is required: the answer names the app the token belongs
to, and a token of another app is refused rather than trusted.

Instagram Login tokens (base URL graph.instagram.com) cannot be inspected: `debug_token` works only for
Facebook Login tokens, and graph.instagram.com documents only `refresh_access_token`, which mints a new
token and is not a read. Their expiry is reported as unknown with the 60-day refresh call, not as an error.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from mcp_servers.core.errors import ServiceError
from mcp_servers.core.redaction import install_log_redaction, redact_text, register
from mcp_servers.core.tokens import TokenExpiry, from_unix
from mcp_servers.graph.client import DEFAULT_VERSION, FACEBOOK_HOST, INSTAGRAM_HOST, GraphClient

Clock = Callable[[], datetime]
INSTAGRAM_LOGIN_DETAIL = (
    "unknown — refresh every 60 days (an Instagram Login token: debug_token reads only Facebook Login tokens)"
)
INSTAGRAM_LOGIN_REFRESH = (
    "refresh it before 60 days are over: GET https://graph.instagram.com/refresh_access_token"
    "?grant_type=ig_refresh_token&access_token=<the token> (the token must be at least 24 h old and not expired; "
    "the new one is valid 60 days), then set INSTAGRAM_ACCESS_TOKEN in .env"
)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class TokenInspector:
    """Asks `debug_token` about one service's token; never raises (a failure is an `unknown` expiry)."""

    def __init__(
        self,
        *,
        label: str,
        token: str,
        app_id: str | None,
        app_secret: str | None,
        app_var: str,
        renew: str,
        base_url: str = FACEBOOK_HOST,
        api_version: str = DEFAULT_VERSION,
        sandbox: bool = False,
        adapter: Any | None = None,
        before_request: Callable[[], None] | None = None,
        clock: Clock = _utcnow,
    ) -> None:
        self.label, self.token, self.app_id, self.app_secret = label, token, (app_id or "").strip(), app_secret
        self.app_var, self.renew, self.sandbox, self.now = app_var, renew, sandbox, clock
        self.base_url = base_url.rstrip("/")
        self.api_version, self.adapter, self.before_request = api_version, adapter, before_request

    @classmethod
    def for_settings(
        cls,
        settings: Any,
        token: Any,
        *,
        label: str,
        app_var: str,
        renew: str,
        cap: Any = None,
        adapter: Any | None = None,
    ) -> TokenInspector:
        """The inspector for a Facebook or Instagram service's settings (`token` is its SecretStr field)."""
        return cls(
            label=label,
            token=token.get_secret_value() if token else "",
            app_id=settings.app_id,
            app_secret=settings.app_secret.get_secret_value() if settings.app_secret else None,
            app_var=app_var,
            renew=renew,
            base_url=settings.base_url,
            api_version=settings.api_version,
            sandbox=settings.mode == "sandbox",
            adapter=adapter,
            before_request=cap.acquire if cap is not None else None,
        )

    def __repr__(self) -> str:  # never the token
        return f"TokenInspector({self.label!r}, app_id={self.app_id!r})"

    def expiry(self) -> TokenExpiry:
        if self.sandbox:
            return TokenExpiry("sandbox", detail="sandbox tokens never expire")
        if self.base_url == INSTAGRAM_HOST:
            return TokenExpiry("unknown", detail=INSTAGRAM_LOGIN_DETAIL, fix=INSTAGRAM_LOGIN_REFRESH)
        if not self.app_id:
            return TokenExpiry(
                "unknown",
                detail=f"set {self.app_var} (the id of the Meta app the token was made with) so debug_token can "
                "be asked",
                fix=f"add {self.app_var}=<app id> to .env (developers.facebook.com → your app → App settings)",
            )
        if not self.token:
            return TokenExpiry("unknown", detail="no token is set", fix=self.renew)
        viewer = f"{self.app_id}|{self.app_secret}" if self.app_secret else self.token
        graph = GraphClient(
            label=self.label,
            access_token=viewer,
            base_url=self.base_url,
            api_version=self.api_version,
            adapter=self.adapter,
            before_request=self.before_request,
            read_attempts=2,
        )
        register(self.token, self.app_secret)  # the query carries the token: no log line or message may
        install_log_redaction(logging.getLogger("urllib3.connectionpool"))  # (urllib3 logs each URL)
        try:
            body = graph.get("debug_token", {"input_token": self.token})
        except ServiceError as exc:
            return TokenExpiry("unknown", detail=redact_text(f"debug_token failed: {exc.message}"), fix=self.renew)
        return self._parse(body.get("data") if isinstance(body, dict) else None)

    def _parse(self, data: Any) -> TokenExpiry:
        if not isinstance(data, dict):
            return TokenExpiry("unknown", detail="debug_token answered without data", fix=self.renew)
        app = str(data.get("app_id") or "")
        if app and app != self.app_id:
            return TokenExpiry(
                "unknown",
                detail=f"the token belongs to app {app}, not {self.app_var}={self.app_id}",
                fix=f"set {self.app_var} to the app the token was made with, or make a token with this app",
            )
        expires = from_unix(data.get("expires_at"))
        data_access = from_unix(data.get("data_access_expires_at"))
        if not data.get("is_valid", False):
            raw = data.get("error")
            error: dict[str, Any] = raw if isinstance(raw, dict) else {}
            message = redact_text(str(error.get("message") or "debug_token says it is not valid"))
            if expires is not None and expires <= self.now():
                return TokenExpiry("expired", expires, data_access, detail=message, fix=self.renew)
            return TokenExpiry("invalid", expires, data_access, detail=message, fix=self.renew)
        if expires is None and data_access is None:
            return TokenExpiry("never", detail=f"{str(data.get('type') or 'the').lower()} token", fix=self.renew)
        deadline = min(d for d in (expires, data_access) if d is not None)
        if deadline <= self.now():
            return TokenExpiry("expired", expires, data_access, fix=self.renew)
        return TokenExpiry("expires", expires, data_access, fix=self.renew)
