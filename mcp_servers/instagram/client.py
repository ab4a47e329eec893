"""Instagram settings and the account client: the only module that knows Instagram's Graph paths.

Works with both token systems: a Facebook-Login token on graph.facebook.com (the default) or an
Instagram-Login token with INSTAGRAM_BASE_URL=https://graph.instagram.com.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from mcp_servers.core.errors import ServiceError
from mcp_servers.core.vault import Vault
from mcp_servers.graph.caps import CallCap, connect_graph
from mcp_servers.graph.client import INSTAGRAM_HOST, GraphClient
from mcp_servers.instagram.const import (
    ACCOUNT_FIELDS,
    LABEL,
    MEDIA_FIELDS,
    PUBLISH_WAIT_S,
    SANDBOX_ACCOUNT_ID,
    SANDBOX_TOKEN,
)
from mcp_servers.instagram.settings import InstagramSettings

if TYPE_CHECKING:
    from mcp_servers.core.tokens import TokenExpiry
    from mcp_servers.graph.tokens import TokenInspector

Clock = Callable[[], datetime]
PUBLISH_PERMISSION = "instagram_content_publish"
IG_LOGIN_PERMISSIONS = {
    "instagram_basic": "instagram_business_basic",
    "instagram_content_publish": "instagram_business_content_publish",
    "instagram_manage_insights": "instagram_business_manage_insights",
    "instagram_manage_comments": "instagram_business_manage_comments",
}


def _utcnow() -> datetime:
    return datetime.now(UTC)


class ContainerNotReady(ServiceError):
    """The container did not finish in the bounded wait, or failed; nothing was published."""


class InstagramClient:
    def __init__(
        self,
        graph: GraphClient,
        account_id: str,
        cap: CallCap,
        *,
        publish_wait_s: float = PUBLISH_WAIT_S,
        clock: Clock = _utcnow,
        sleep: Callable[[float], None] = time.sleep,
        inspector: TokenInspector | None = None,
    ) -> None:
        self.graph, self.account_id, self.cap = graph, account_id, cap
        self.publish_wait_s, self.now, self._sleep = publish_wait_s, clock, sleep
        self.inspector = inspector

    def perm(self, name: str) -> str:
        """The permission's name under the token system in use: Instagram Login (graph.instagram.com)
        names them instagram_business_* (reference §6)."""
        if self.graph.base_url.rstrip("/") != INSTAGRAM_HOST:
            return name
        return IG_LOGIN_PERMISSIONS.get(name, name)

    # --- the token ---------------------------------------------------------------------------------

    def token_expiry(self) -> TokenExpiry:
        """The token's expiry from `debug_token`, or why it cannot be read (never raises)."""
        from mcp_servers.core.tokens import TokenExpiry

        if self.inspector is None:
            return TokenExpiry("unknown", detail="this client was built without a token inspector")
        return self.inspector.expiry()

    def token_expires_at(self) -> datetime | None:
        """When the token stops working; None when it never does, in sandbox, or when it cannot be read."""
        return self.token_expiry().deadline()

    # --- reads -------------------------------------------------------------------------------------

    def account(self) -> dict[str, Any]:
        return self.graph.get(self.account_id, {"fields": ACCOUNT_FIELDS}, permission=self.perm("instagram_basic"))

    def media(self, limit: int) -> list[dict[str, Any]]:
        body = self.graph.get(
            f"{self.account_id}/media",
            {"fields": MEDIA_FIELDS, "limit": limit},
            permission=self.perm("instagram_basic"),
        )
        return list(body.get("data", []))

    def media_views(self, media_id: str) -> int | None:
        """`GET /{media-id}/insights?metric=views`: one call per item (graph.instagram.com documents no
        batch endpoint, so the same per-item call serves both hosts). None when Graph answers no value;
        a refusal for this item raises (`InvalidInput`, e.g. subcode 2108006), for the caller to note."""
        body = self.graph.get(
            f"{media_id}/insights", {"metric": "views"}, permission=self.perm("instagram_manage_insights")
        )
        for row in body.get("data") or []:
            if row.get("name") == "views":
                values = row.get("values") or []
                total = (row.get("total_value") or {}).get("value")
                value = values[0].get("value") if values else total
                return int(value) if isinstance(value, int) else None
        return None

    def quota(self) -> tuple[int, int | None, int]:
        """(used, total, window seconds), read live: the documented limit contradicts itself. Graph may
        answer without `config`: the total is then None (unknown), never 0."""
        body = self.graph.get(
            f"{self.account_id}/content_publishing_limit",
            {"fields": "quota_usage,config"},
            permission=self.perm("instagram_basic"),
        )
        row = (body.get("data") or [{}])[0]
        config = row.get("config") or {}
        total = config.get("quota_total")
        return (
            int(row.get("quota_usage") or 0),
            int(total) if isinstance(total, int | str) and str(total).isdigit() else None,
            int(config.get("quota_duration") or 86400),
        )

    def insights(self, metrics: list[str], since: date, until: date) -> list[dict[str, Any]]:
        params: dict[str, str | int] = {
            "metric": ",".join(metrics),
            "period": "day",
            "metric_type": "total_value",
            "since": int(datetime.combine(since, datetime.min.time(), UTC).timestamp()),
            "until": int(datetime.combine(until, datetime.min.time(), UTC).timestamp()),
        }
        body = self.graph.get(f"{self.account_id}/insights", params, permission=self.perm("instagram_manage_insights"))
        return list(body.get("data", []))

    def comments(self, object_id: str, edge: str = "comments") -> list[dict[str, Any]]:
        body = self.graph.get(
            f"{object_id}/{edge}",
            {"fields": "id,text,username,timestamp"},
            permission=self.perm("instagram_manage_comments"),
        )
        return list(body.get("data", []))

    def container_status(self, container_id: str) -> str:
        body = self.graph.get(container_id, {"fields": "status_code,status"}, permission=self.perm("instagram_basic"))
        return str(body.get("status_code", "UNKNOWN"))

    # --- writes ------------------------------------------------------------------------------------

    def create_container(self, data: dict[str, str]) -> str:
        return str(self.graph.post(f"{self.account_id}/media", data, permission=self.perm(PUBLISH_PERMISSION))["id"])

    def wait_until_finished(self, container_id: str) -> None:
        """Poll the container with growing pauses, never longer than `publish_wait_s` in all."""
        waited, pause = 0.0, 1.0
        while True:
            status = self.container_status(container_id)
            if status == "FINISHED":
                return
            if status in ("ERROR", "EXPIRED", "PUBLISHED"):
                raise ContainerNotReady(
                    f"Instagram container {container_id} is {status}; nothing new was published. "
                    "Check the image URL (public JPEG) and file the post again.",
                    service="instagram",
                )
            if waited + pause > self.publish_wait_s:
                raise ContainerNotReady(
                    f"Instagram is still processing container {container_id} after {waited:.0f} s; nothing was "
                    "published. Approving the same request again resumes with this container.",
                    service="instagram",
                )
            self._sleep(pause)  # processing, not a rate limit: a bounded wait is the documented flow
            waited, pause = waited + pause, min(pause * 2, 8.0)

    def publish(self, container_id: str) -> str:
        """media_publish: sent once, never retried (a retry can post twice)."""
        body = self.graph.post(
            f"{self.account_id}/media_publish", {"creation_id": container_id}, permission=self.perm(PUBLISH_PERMISSION)
        )
        return str(body["id"])

    def reply(self, comment_id: str, message: str) -> str:
        body = self.graph.post(
            f"{comment_id}/replies", {"message": message}, permission=self.perm("instagram_manage_comments")
        )
        return str(body["id"])


def make_client(settings: InstagramSettings, vault: Vault) -> InstagramClient:
    """The client factory the server calls on first use; sandbox mode starts the emulator here."""

    def sandbox() -> tuple[Any, str]:
        from mcp_servers.graph.sandbox import EmulatorAdapter
        from mcp_servers.instagram.sandbox import build_emulator, state_for

        return EmulatorAdapter(build_emulator(state_for(vault.root, _utcnow), _utcnow)), SANDBOX_TOKEN

    graph, cap = connect_graph(
        settings,
        vault,
        service="instagram",
        label=LABEL,
        token=settings.access_token,
        token_var="INSTAGRAM_ACCESS_TOKEN",
        sandbox=sandbox,
    )
    account_id = SANDBOX_ACCOUNT_ID if settings.mode == "sandbox" else settings.account_id or ""
    return InstagramClient(
        graph, account_id, cap, publish_wait_s=settings.publish_wait_s, inspector=token_inspector(settings, cap)
    )


RENEW = (
    "Instagram Login token (60 days): refresh it with GET https://graph.instagram.com/refresh_access_token"
    "?grant_type=ig_refresh_token (at least 24 h old and not yet expired; valid 60 days from the refresh) or "
    "generate a new one in the app's Instagram product; Facebook Login: get a new Page token as for Facebook. "
    "Then set INSTAGRAM_ACCESS_TOKEN in .env (README, Sandbox and live)"
)


def token_inspector(settings: InstagramSettings, cap: CallCap | None = None, adapter: Any = None) -> TokenInspector:
    """Reads the token's expiry with debug_token (needs INSTAGRAM_APP_ID; sandbox: no token)."""
    from mcp_servers.graph.tokens import TokenInspector

    return TokenInspector.for_settings(
        settings,
        settings.access_token,
        label=LABEL,
        app_var="INSTAGRAM_APP_ID",
        renew=RENEW,
        cap=cap,
        adapter=adapter,
    )
