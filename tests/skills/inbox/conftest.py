"""The inbox against the real emulators, in-process, on a clock the test moves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from mcp_servers.core.service import load_service
from mcp_servers.core.vault import Vault
from skills.inbox import readers
from skills.inbox.collect import Source

START = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def stamp(self) -> float:
        return self.now.timestamp()


class Platforms:
    """The three clients over their emulators, all on `clock`."""

    def __init__(self, vault: Vault, clock: Clock) -> None:
        from mcp_servers.twitter.client import TwitterClient
        from mcp_servers.twitter.sandbox import XEmulator, open_state
        from mcp_servers.twitter.sandbox.transport import make_adapter

        self.clock = clock
        self.facebook = load_service("facebook").client(vault)
        self.instagram = load_service("instagram").client(vault)
        self.x_emulator = XEmulator(open_state(vault.root, clock.stamp), clock.stamp)
        self.x = TwitterClient(
            api_key="k", api_secret="s", access_token="t", access_token_secret="ts",
            api_host="https://api.x.com", adapter=make_adapter(self.x_emulator),
        )  # fmt: skip

    def sources(self) -> dict[str, Source]:
        def bind(reader: Callable[..., readers.Batch], client: Any) -> Source:
            return lambda state, now, settings: reader(client, state, now, settings)

        return {
            "facebook": bind(readers.read_facebook, self.facebook),
            "instagram": bind(readers.read_instagram, self.instagram),
            "twitter": bind(readers.read_x, self.x),
        }


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    c = Clock()
    monkeypatch.setattr("mcp_servers.facebook.client._utcnow", c)
    monkeypatch.setattr("mcp_servers.instagram.client._utcnow", c)
    monkeypatch.setenv("FACEBOOK_RATE_LIMIT_PER_HOUR", "5000")
    monkeypatch.setenv("INSTAGRAM_RATE_LIMIT_PER_HOUR", "5000")
    return c


@pytest.fixture
def platforms(vault: Vault, clock: Clock) -> Platforms:
    return Platforms(vault, clock)
