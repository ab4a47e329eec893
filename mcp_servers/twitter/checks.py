"""What every X write checks and shows before anything is filed or sent: schedule window (the core rule),
client-side post cap (shared across processes), pay-per-use cost; and the bundle the tools receive."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from mcp_servers.core import schedule
from mcp_servers.core.errors import RateLimited
from mcp_servers.core.resilience import RateLimiter
from mcp_servers.core.text_match import same_text
from mcp_servers.core.vault import Vault
from mcp_servers.twitter.client import TwitterClient
from mcp_servers.twitter.const import RATE_KEY_POSTS
from mcp_servers.twitter.settings import TwitterSettings
from mcp_servers.twitter.text import TextCheck


@dataclass
class XService:
    """What the tools work with: the API client plus this account's settings, vault and caps."""

    api: TwitterClient
    settings: TwitterSettings
    vault: Vault
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    limiter: RateLimiter = field(init=False)

    def __post_init__(self) -> None:
        self.limiter = RateLimiter(self.vault)

    @property
    def window_s(self) -> float:
        return self.settings.post_window_hours * 3600

    def posts_left(self) -> int:
        return self.limiter.remaining(RATE_KEY_POSTS, self.settings.post_limit, self.window_s)

    def check_room(self, posts: int) -> None:
        """Refuse when the client-side cap has no room for `posts` more posts (never sleeps)."""
        self.limiter.check(RATE_KEY_POSTS, self.settings.post_limit, self.window_s, "X post cap reached")
        left = self.posts_left()
        if left < posts:
            raise RateLimited(
                f"Only {left} of the {self.settings.post_limit} posts allowed per "
                f"{self.settings.post_window_hours:g} h are left, and this needs {posts}. "
                "Shorten the thread or wait.",
                retry_after=self.window_s / self.settings.post_limit,
            )

    def take_post(self) -> None:
        """Count one post against the cap just before sending it (atomic across processes)."""
        self.limiter.acquire(RATE_KEY_POSTS, self.settings.post_limit, self.window_s, "X post cap reached")

    def remember_block(self, error: RateLimited) -> None:
        """X itself said 429: every process on this vault stops posting until its reset time."""
        if error.retry_after:
            self.limiter.block_until(RATE_KEY_POSTS, self.clock().timestamp() + error.retry_after)

    def quota_line(self, posts: int = 1) -> str:
        return (
            f"{self.posts_left()} of {self.settings.post_limit} posts left in the last "
            f"{self.settings.post_window_hours:g} h (client-side cap); this uses {posts}."
        )


def check_schedule(x: XService, when: datetime | None, field_name: str = "scheduled_for") -> None:
    """The one scheduling rule of every platform (`core/schedule.py`): up to the approval period ahead."""
    schedule.check_schedule(when, x.clock(), field=field_name)


def post_cost(settings: TwitterSettings, check: TextCheck, reply: bool) -> Decimal:
    if check.has_url:
        return settings.price_post_with_url
    return settings.price_reply if reply else settings.price_post


def cost_line(total: Decimal, detail: str) -> str:
    return f"${total:.3f} pay-per-use ({detail}); charged by X to the account's prepaid credits."


def post_url(username: str, post_id: str) -> str:
    return f"https://x.com/{username or 'i/web'}/status/{post_id}"


def find_own_post(x: XService, text: str, after: datetime, reply_to_id: str | None = None) -> dict[str, Any] | None:
    """A post of ours with exactly this text made after `after` (X has no client reference field)."""
    for raw in x.api.list_posts(100):
        created = raw.get("created_at")
        if not same_text(text, raw.get("text", "")) or not created:
            continue
        if datetime.fromisoformat(created.replace("Z", "+00:00")) < after - timedelta(minutes=5):
            continue
        replied = [r["id"] for r in raw.get("referenced_tweets") or [] if r.get("type") == "replied_to"]
        if reply_to_id is None or reply_to_id in replied:
            return raw
    return None
