"""The audit's Facebook and Instagram sources take the token expiry from their client."""

from __future__ import annotations

from datetime import UTC, datetime

from skills.audit.adapters import FacebookSource, InstagramSource

WHEN = datetime(2026, 12, 1, tzinfo=UTC)


class _Client:
    def __init__(self, when: datetime | None) -> None:
        self.when = when

    def token_expires_at(self) -> datetime | None:
        return self.when


def test_instagram_and_facebook_sources_ask_the_client() -> None:
    assert InstagramSource(_Client(WHEN)).token_expires_at() == WHEN
    assert FacebookSource(_Client(WHEN)).token_expires_at() == WHEN
    assert InstagramSource(_Client(None)).token_expires_at() is None
    assert InstagramSource(object()).token_expires_at() is None
