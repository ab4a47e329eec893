"""The X emulator: seeded like a real account, shared by processes, and faults on demand."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from mcp_servers.core import errors
from mcp_servers.core.vault import Vault
from mcp_servers.twitter.apierrors import OutOfCredits
from mcp_servers.twitter.sandbox import XEmulator, inject_fault, open_state, state_path
from mcp_servers.twitter.sandbox.seed import seed_state
from mcp_servers.twitter.sandbox.transport import serve
from mcp_servers.twitter.server import make_service
from mcp_servers.twitter.settings import TwitterSettings


def test_seed_is_deterministic_and_ends_today() -> None:
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    one, two = seed_state(now), seed_state(now)
    assert one == two
    days = {p["created_at"][:10] for p in one["posts"]}
    assert len(one["posts"]) >= 12 and max(days) == "2026-11-24" and min(days) >= "2026-11-04"


def test_sandbox_lists_seeded_posts_with_metrics(x: Any) -> None:
    posts = x.api.list_posts(10)
    assert len(posts) == 10
    assert all(p["public_metrics"]["impression_count"] > 0 for p in posts)
    assert posts == sorted(posts, key=lambda p: p["created_at"], reverse=True)


def test_posts_made_in_sandbox_are_seen_by_another_instance(vault: Vault) -> None:
    one, two = make_service(TwitterSettings(), vault), make_service(TwitterSettings(), vault)
    made = one.api.create_post("Made by the first process")
    assert two.api.list_posts(5)[0]["id"] == made["id"]
    assert json.loads(state_path(vault.root).read_text())["posts"][-1]["text"] == "Made by the first process"


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ("expired_token", errors.AuthError),
        ("read_only_app", errors.PermissionDenied),
        ("rate_limit", errors.RateLimited),
        ("duplicate", errors.Conflict),
        ("server_error", errors.Ambiguous),  # a 500 on a post: it may have landed
        ("out_of_credits", OutOfCredits),
        ("timeout", errors.Ambiguous),
    ],
)
def test_injected_faults_surface_as_core_errors(x: Any, vault: Vault, fault: str, expected: type) -> None:
    inject_fault(vault.root, fault)
    with pytest.raises(expected):
        x.api.create_post(f"fault {fault}")
    assert x.api.create_post(f"after {fault}")["id"]  # one-shot: the next call works


def test_timeout_after_post_leaves_the_post_on_the_profile(x: Any, vault: Vault) -> None:
    inject_fault(vault.root, "timeout_after_post")
    with pytest.raises(errors.Ambiguous):
        x.api.create_post("Was it posted?")
    assert x.api.list_posts(5)[0]["text"] == "Was it posted?"


def test_real_duplicates_are_refused_like_x(x: Any) -> None:
    x.api.create_post("Same words")
    with pytest.raises(errors.Conflict, match="duplicate content"):
        x.api.create_post("Same words")


def test_metrics_spelling_can_switch_to_the_openapi_names(x: Any, vault: Vault) -> None:
    with open_state(vault.root).transaction() as state:
        state["metric_spelling"] = "openapi"
    raw = x.api.list_posts(5)[0]["public_metrics"]
    assert "repost_count" in raw and "retweet_count" not in raw


def test_emulator_also_serves_over_loopback_http(tmp_path: Path) -> None:
    server = serve(XEmulator(open_state(tmp_path)))
    try:
        ok = requests.get(
            f"{server.url}/2/users/me", headers={"Authorization": 'OAuth oauth_consumer_key="k"'}, timeout=5
        )
        anonymous = requests.get(f"{server.url}/2/users/me", timeout=5)
    finally:
        server.stop()
    assert ok.status_code == 200 and ok.json()["data"]["username"] == "harborlanecoffee"
    assert anonymous.status_code == 401
