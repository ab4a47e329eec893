"""The Graph emulator also serves real HTTP on 127.0.0.1 (core LoopbackServer), with the same faults."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mcp_servers.core.errors import Ambiguous, AuthError, ConfigError, Conflict
from mcp_servers.core.sandbox import LoopbackServer
from mcp_servers.facebook.sandbox import PAGE, build_emulator, state_for
from mcp_servers.graph.client import GraphClient
from mcp_servers.graph.sandbox import add_fault, http_handler


def clock() -> datetime:
    return datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[GraphClient, object]]:
    state = state_for(tmp_path, clock)
    server = LoopbackServer(http_handler(build_emulator(state, clock))).start()
    client = GraphClient(label="Facebook", access_token="t", base_url=server.url, read_attempts=1)
    yield client, state
    server.stop()


def test_seed_is_deterministic_and_reaches_today(tmp_path: Path) -> None:
    one = state_for(tmp_path / "a", clock).snapshot()
    two = state_for(tmp_path / "b", clock).snapshot()
    assert one == two
    assert max(p["created_time"] for p in one["posts"]) >= "2026-11-2"


def test_post_then_list_over_http(served: tuple[GraphClient, object]) -> None:
    client, _ = served
    made = client.post(f"{PAGE}/feed", {"message": "over the wire"})
    newest = client.get(f"{PAGE}/posts", {"limit": 1})["data"][0]
    assert newest["id"] == made["id"] and newest["message"] == "over the wire"
    assert client.usage.summary()["api_version_served"] == "v25.0"
    with pytest.raises(Conflict, match="duplicate"):
        client.post(f"{PAGE}/feed", {"message": "over the wire"})


def test_timeout_after_the_post_was_made_is_ambiguous(served: tuple[GraphClient, object]) -> None:
    client, state = served
    add_fault(state, "timeout_after", path="feed$")  # type: ignore[arg-type]
    with pytest.raises(Ambiguous):
        client.post(f"{PAGE}/feed", {"message": "did it go?"})
    assert client.get(f"{PAGE}/posts", {"limit": 1})["data"][0]["message"] == "did it go?"


def test_expired_token_fault_and_expired_version(served: tuple[GraphClient, object], tmp_path: Path) -> None:
    client, state = served
    add_fault(state, "expired_token", method="GET", path="posts$")  # type: ignore[arg-type]
    with pytest.raises(AuthError, match="expired"):
        client.get(f"{PAGE}/posts")
    old = GraphClient(label="Facebook", access_token="t", base_url=client.base_url, api_version="v19.0")
    with pytest.raises(ConfigError, match="live version"):
        old.get(PAGE)
