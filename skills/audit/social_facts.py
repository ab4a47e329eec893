"""Facts from the social accounts: the week's posts per platform, their engagement, token expiry."""

from __future__ import annotations

from datetime import datetime

from mcp_servers.core.errors import describe
from skills.audit.facts import PlatformFacts, Unavailable
from skills.audit.period import Week
from skills.audit.sources import SocialSource


def gather_platform(source: SocialSource, week: Week, now: datetime) -> PlatformFacts | Unavailable:
    end = min(week.end_utc, now)
    try:
        seen = source.posts(week.start_utc, end)
        expires = source.token_expires_at()
    except Exception as exc:  # one platform down leaves the others in the note
        return Unavailable(f"{source.platform} could not be read: {describe(exc)}")
    posts = sorted((p for p in seen if week.start_utc <= p.created < end), key=lambda p: (p.created, p.id))
    before_end = [p.created for p in seen if p.created < end]
    return PlatformFacts(source.platform, posts, max(before_end) if before_end else None, expires)


def gather_social(sources: list[SocialSource], week: Week, now: datetime) -> dict[str, PlatformFacts | Unavailable]:
    return {source.platform: gather_platform(source, week, now) for source in sources}
