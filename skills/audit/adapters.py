"""The default sources, built from settings: each service's own client and read tools, in-process, reached
through its `ServiceDefinition` (`load_service`).

A service that is not configured or fails to start becomes a reason in `Sources.unavailable`; building
sources never raises."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from mcp_servers.core.errors import describe
from mcp_servers.core.service import load_service
from mcp_servers.core.vault import Vault
from skills.audit.facts import SocialPost
from skills.audit.sources import OdooSource, SocialSource, Sources

MAX_POSTS = 100


def _when(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str) and value:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


class TwitterSource:
    """X through its read tool `list_posts` (OAuth 1.0a tokens do not expire)."""

    platform = "X"

    def __init__(self, service: Any) -> None:
        self.service = service

    def posts(self, start: datetime, end: datetime) -> list[SocialPost]:
        listed = load_service("twitter").read_tool("list_posts")(self.service, max_results=MAX_POSTS)
        out = []
        for p in listed.posts:
            created = _when(p.created_at)
            if created is None or created >= end:
                continue
            m = p.metrics
            out.append(
                SocialPost("X", p.id, created, p.text, p.url, m.likes, m.replies, m.reposts + m.quotes, m.impressions)
            )
        return out

    def token_expires_at(self) -> datetime | None:
        return None


class FacebookSource:
    """The Facebook Page through its read tool `list_posts`."""

    platform = "Facebook"

    def __init__(self, client: Any) -> None:
        self.client = client

    def posts(self, start: datetime, end: datetime) -> list[SocialPost]:
        listed = load_service("facebook").read_tool("list_posts")(self.client, limit=MAX_POSTS)
        out = []
        for p in listed.posts:
            created = _when(p.created_time)
            if created is None or created >= end:
                continue
            out.append(
                SocialPost(
                    "Facebook", p.id, created, p.message, p.permalink_url or "", p.reactions, p.comments, p.shares
                )
            )
        return out

    def token_expires_at(self) -> datetime | None:
        expires = getattr(self.client, "token_expires_at", None)
        return _when(expires() if callable(expires) else expires)


class InstagramSource:
    """The Instagram account through its read tool `list_media` (the newest 50 posts)."""

    platform = "Instagram"

    def __init__(self, client: Any) -> None:
        self.client = client

    def posts(self, start: datetime, end: datetime) -> list[SocialPost]:
        listed = load_service("instagram").read_tool("list_media")(self.client, limit=50)
        out = []
        for m in listed.media:
            created = _when(m.timestamp)
            if created is None or created >= end:
                continue
            out.append(
                SocialPost(
                    "Instagram", m.id, created, m.caption, m.permalink or "", m.likes, m.comments, 0, m.views or 0
                )
            )
        return out

    def token_expires_at(self) -> datetime | None:
        expires = getattr(self.client, "token_expires_at", None)
        return _when(expires() if callable(expires) else expires)


def _instagram(vault: Vault) -> SocialSource:
    return InstagramSource(load_service("instagram").client(vault))


def _twitter(vault: Vault) -> SocialSource:
    return TwitterSource(load_service("twitter").client(vault))


def _facebook(vault: Vault) -> SocialSource:
    return FacebookSource(load_service("facebook").client(vault))


def _odoo(vault: Vault) -> OdooSource:
    """The Odoo server's own client (the sandbox emulator or the live Odoo, as configured)."""
    from skills.audit.odoo_rpc import OdooRpcSource

    return OdooRpcSource(load_service("odoo").client(vault))


SOCIAL: tuple[tuple[str, Callable[[Vault], SocialSource]], ...] = (
    ("Facebook", _facebook),
    ("Instagram", _instagram),
    ("X", _twitter),
)


class GateFiler:
    """Files the audit's drafts through the services' own write tools and the approval gate, in-process,
    exactly as a tool call with dry_run=false would (issue 16)."""

    def __init__(self, vault: Vault, key: bytes, odoo_client: Any | None = None) -> None:
        self.vault, self.key, self.odoo_client = vault, key, odoo_client

    def reminder(self, invoice_id: int) -> str:
        from pathlib import Path

        from mcp_servers.core.gate import ApprovalGate
        from mcp_servers.core.policy import policy_from_settings

        service = load_service("odoo")
        action = service.write_action("send_payment_reminder")
        settings = service.settings_cls()
        client = self.odoo_client or service.make_client(settings, self.vault)
        gate = ApprovalGate(
            "odoo",
            self.vault,
            key=self.key,
            policy=policy_from_settings(),
            tag=service.tag,
            mode_label=settings.mode_label,
        )
        result = gate.file(action, client, action.args(invoice_id=invoice_id))
        return Path(str(result.request_path)).stem

    def reply(self, conversation: str, text: str) -> str:
        from pathlib import Path

        from skills.inbox.drafts import file_reply

        result = file_reply(self.vault, self.key, conversation, text, datetime.now(UTC))
        return Path(str(result.request_path)).stem


def _filer(vault: Vault, sources: Sources) -> GateFiler | None:
    from mcp_servers.core.settings import CoreSettings

    try:
        key = CoreSettings().signing_key()
    except Exception:  # no signing key: the briefing is still written, nothing is filed
        return None
    return GateFiler(vault, key, getattr(sources.odoo, "reader", None))


def default_sources(vault: Vault) -> Sources:
    sources = Sources()
    try:
        sources.odoo = _odoo(vault)
    except Exception as exc:  # not configured, or the emulator failed to start: reported, not raised
        sources.unavailable["Odoo"] = describe(exc)
    for name, build in SOCIAL:
        try:
            sources.social.append(build(vault))
        except Exception as exc:
            sources.unavailable[name] = describe(exc)
    sources.filer = _filer(vault, sources)
    return sources
