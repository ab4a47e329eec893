"""The Instagram token's expiry read with debug_token through the Graph emulator's transport adapter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from mcp_servers.core.service import load_service
from mcp_servers.core.vault import Vault
from mcp_servers.graph.client import FACEBOOK_HOST, INSTAGRAM_HOST
from mcp_servers.graph.sandbox import SANDBOX_APP_ID, EmulatorAdapter, set_token
from mcp_servers.instagram.client import InstagramClient, token_inspector
from mcp_servers.instagram.sandbox import build_emulator, state_for
from mcp_servers.instagram.settings import InstagramSettings

NOW = datetime.now(UTC).replace(microsecond=0)
TOKEN = "live-instagram-token"


def _client(vault: Vault, **settings: Any) -> tuple[InstagramClient, Any]:
    values: dict[str, Any] = {
        "mode": "live",
        "account_id": "17841400000000001",
        "access_token": TOKEN,
        "app_id": SANDBOX_APP_ID,
        "app_secret": "app-secret",
    } | settings
    state = state_for(vault.root, lambda: NOW)
    inspector = token_inspector(
        InstagramSettings(**values), adapter=EmulatorAdapter(build_emulator(state, lambda: NOW))
    )
    inspector.now = lambda: NOW
    return InstagramClient(None, values["account_id"], None, inspector=inspector), state  # type: ignore[arg-type]


def test_an_instagram_login_token_is_unknown_with_the_refresh_call_not_an_error(vault: Vault) -> None:
    client, state = _client(vault, base_url=INSTAGRAM_HOST)
    set_token(state, TOKEN, expires_at=NOW - timedelta(days=1))  # would read as expired if debug_token were asked
    expiry = client.token_expiry()
    assert expiry.status == "unknown" and client.token_expires_at() is None
    assert "unknown — refresh every 60 days" in expiry.describe(NOW)
    assert "refresh_access_token?grant_type=ig_refresh_token" in expiry.fix


def test_a_facebook_login_token_is_inspected_on_graph_facebook_com(vault: Vault) -> None:
    client, state = _client(vault, base_url=FACEBOOK_HOST)
    set_token(state, TOKEN, expires_at=NOW + timedelta(days=10))
    assert client.token_expires_at() == NOW + timedelta(days=10)
    assert "(in 10 days)" in client.token_expiry().describe(NOW)


def test_a_never_expiring_token(vault: Vault) -> None:
    client, state = _client(vault)
    set_token(state, TOKEN, expires_at=None)
    assert (client.token_expiry().status, client.token_expires_at()) == ("never", None)


def test_a_revoked_token_is_invalid(vault: Vault) -> None:
    client, state = _client(vault)
    set_token(state, TOKEN, expires_at=None, revoked=True)
    expiry = client.token_expiry()
    assert expiry.status == "invalid" and "invalidated" in expiry.describe(NOW)


def test_without_the_app_id_it_says_what_to_set(vault: Vault) -> None:
    client, _ = _client(vault, app_id=None)
    assert client.token_expires_at() is None
    assert client.token_expiry().describe(NOW).startswith("cannot check: set INSTAGRAM_APP_ID")


def test_sandbox_has_no_token_to_expire(vault: Vault) -> None:
    client = load_service("instagram").client(vault)
    assert client.token_expires_at() is None
    assert client.token_expiry().describe(NOW) == "sandbox: no token to expire"


def test_doctor_and_the_daily_check_report_an_instagram_login_token_as_unknown(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    from orchestrator import doctor, jobs
    from orchestrator.doctor import service_checks

    monkeypatch.setattr(doctor, "reachable", lambda url, timeout=3.0: None)  # no network in tests

    for name, value in {
        "INSTAGRAM_MODE": "live",
        "INSTAGRAM_ACCOUNT_ID": "17841400000000001",
        "INSTAGRAM_ACCESS_TOKEN": TOKEN,
        "INSTAGRAM_BASE_URL": INSTAGRAM_HOST,
    }.items():
        monkeypatch.setenv(name, value)
    token = service_checks("instagram", network=True, vault=vault, now=NOW)[-1]
    assert token.level == "warn" and "unknown — refresh every 60 days" in token.message
    assert "grant_type=ig_refresh_token" in token.fix
    report = jobs.check_tokens(str(vault.root), now=NOW)
    assert "unknown — refresh every 60 days" in report["instagram"]
    assert list(vault.folder("Needs_Action").glob("*.md")) == []
