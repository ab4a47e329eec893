"""Facebook settings and the Page client: the only module that knows Facebook's Graph paths.

In sandbox mode the same `GraphClient` talks to the emulator through a requests transport adapter
mounted on the configured base URL, so everything above the transport is the code a live run uses.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from mcp_servers.core.vault import Vault
from mcp_servers.facebook.const import (
    LABEL,
    PAGE_FIELDS,
    POST_FIELDS,
    SANDBOX_PAGE_ID,
    SANDBOX_TOKEN,
)
from mcp_servers.facebook.settings import FacebookSettings
from mcp_servers.graph.caps import CallCap, connect_graph
from mcp_servers.graph.client import GraphClient

if TYPE_CHECKING:
    from mcp_servers.core.tokens import TokenExpiry
    from mcp_servers.graph.tokens import TokenInspector

Clock = Callable[[], datetime]


def _utcnow() -> datetime:
    return datetime.now(UTC)


class FacebookClient:
    """One Page, one token; every Graph call counts against the client-side hourly cap."""

    def __init__(
        self,
        graph: GraphClient,
        page_id: str,
        cap: CallCap,
        clock: Clock = _utcnow,
        *,
        inspector: TokenInspector | None = None,
    ) -> None:
        self.graph, self.page_id, self.cap, self.now = graph, page_id, cap, clock
        self.inspector = inspector

    # --- the token ---------------------------------------------------------------------------------

    def token_expiry(self) -> TokenExpiry:
        """The Page token's expiry from `debug_token`, or why it cannot be read (never raises)."""
        from mcp_servers.core.tokens import TokenExpiry

        if self.inspector is None:
            return TokenExpiry("unknown", detail="this client was built without a token inspector")
        return self.inspector.expiry()

    def token_expires_at(self) -> datetime | None:
        """When the token stops working (expiry or end of data access); None when it never does, in
        sandbox, or when it cannot be read (`token_expiry()` says why)."""
        return self.token_expiry().deadline()

    # --- reads -------------------------------------------------------------------------------------

    def page(self) -> dict[str, Any]:
        return self.graph.get(self.page_id, {"fields": PAGE_FIELDS}, permission="pages_read_engagement")

    def posts(self, limit: int) -> list[dict[str, Any]]:
        body = self.graph.get(
            f"{self.page_id}/posts", {"fields": POST_FIELDS, "limit": limit}, permission="pages_read_engagement"
        )
        return list(body.get("data", []))

    def post(self, post_id: str) -> dict[str, Any]:
        return self.graph.get(post_id, {"fields": POST_FIELDS}, permission="pages_read_engagement")

    def comments(self, object_id: str, limit: int) -> list[dict[str, Any]]:
        body = self.graph.get(
            f"{object_id}/comments",
            {"fields": "id,message,from,created_time", "limit": limit, "order": "reverse_chronological"},
            permission="pages_read_engagement",
        )
        return list(body.get("data", []))

    def insights(self, metrics: list[str], since: date, until: date) -> list[dict[str, Any]]:
        params = {"metric": ",".join(metrics), "period": "day", "since": since.isoformat(), "until": until.isoformat()}
        body = self.graph.get(f"{self.page_id}/insights", params, permission="read_insights")
        return list(body.get("data", []))

    # --- writes (each sent once; see GraphClient.post) ---------------------------------------------

    def post_request(self, message: str, link: str | None, image_url: str | None) -> tuple[str, dict[str, str]]:
        """The Graph path and form a post sends: a photo post when there is an image, else a feed post."""
        if image_url:
            return f"{self.page_id}/photos", {"url": image_url, "caption": message, "published": "true"}
        data = {"message": message}
        if link:
            data["link"] = link
        return f"{self.page_id}/feed", data

    def publish(self, path: str, data: dict[str, str]) -> dict[str, Any]:
        return self.graph.post(path, data, permission="pages_manage_posts")

    def reply(self, comment_id: str, message: str) -> dict[str, Any]:
        return self.graph.post(f"{comment_id}/comments", {"message": message}, permission="pages_manage_engagement")

    def delete(self, post_id: str) -> dict[str, Any]:
        return self.graph.delete(post_id, permission="pages_manage_posts")


def make_client(settings: FacebookSettings, vault: Vault) -> FacebookClient:
    """The client factory the server calls on first use; sandbox mode starts the emulator here."""

    def sandbox() -> tuple[Any, str]:
        from mcp_servers.facebook.sandbox import build_emulator, state_for
        from mcp_servers.graph.sandbox import EmulatorAdapter

        return EmulatorAdapter(build_emulator(state_for(vault.root, _utcnow), _utcnow)), SANDBOX_TOKEN

    graph, cap = connect_graph(
        settings,
        vault,
        service="facebook",
        label=LABEL,
        token=settings.page_access_token,
        token_var="FACEBOOK_PAGE_ACCESS_TOKEN",
        sandbox=sandbox,
    )
    page_id = SANDBOX_PAGE_ID if settings.mode == "sandbox" else settings.page_id or ""
    return FacebookClient(graph, page_id, cap, inspector=token_inspector(settings, cap))


RENEW = (
    "get a new Page token: Graph API Explorer → a user token with the permissions → exchange it for a "
    "long-lived one (/oauth/access_token?grant_type=fb_exchange_token) → GET /me/accounts gives the Page token "
    "(it does not expire) → set FACEBOOK_PAGE_ACCESS_TOKEN in .env (README, Sandbox and live)"
)


def token_inspector(settings: FacebookSettings, cap: CallCap | None = None, adapter: Any = None) -> TokenInspector:
    """Reads the Page token's expiry with debug_token (needs FACEBOOK_APP_ID; sandbox: no token)."""
    from mcp_servers.graph.tokens import TokenInspector

    return TokenInspector.for_settings(
        settings,
        settings.page_access_token,
        label=LABEL,
        app_var="FACEBOOK_APP_ID",
        renew=RENEW,
        cap=cap,
        adapter=adapter,
    )
