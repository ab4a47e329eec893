"""The Page token's expiry read with debug_token, driven through the Graph emulator's transport adapter
(the live code path: only the transport differs)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from mcp_servers.core.errors import ServiceError
from mcp_servers.core.service import load_service
from mcp_servers.core.vault import Vault
from mcp_servers.facebook.client import FacebookClient, token_inspector
from mcp_servers.facebook.sandbox import build_emulator, state_for
from mcp_servers.facebook.settings import FacebookSettings
from mcp_servers.graph.client import GraphClient
from mcp_servers.graph.sandbox import SANDBOX_APP_ID, EmulatorAdapter, set_token

NOW = datetime.now(UTC).replace(microsecond=0)
TOKEN = "live-page-token"


def _client(vault: Vault, **settings: Any) -> tuple[FacebookClient, Any]:
    values: dict[str, Any] = {
        "mode": "live",
        "page_id": "102030405060708",
        "page_access_token": TOKEN,
        "app_id": SANDBOX_APP_ID,
        "app_secret": "app-secret",
    } | settings
    state = state_for(vault.root, lambda: NOW)
    adapter = EmulatorAdapter(build_emulator(state, lambda: NOW))
    inspector = token_inspector(FacebookSettings(**values), adapter=adapter)
    inspector.now = lambda: NOW
    graph = GraphClient(label="Facebook", access_token=TOKEN, adapter=adapter, read_attempts=1)
    return FacebookClient(graph, values["page_id"], None, inspector=inspector), state  # type: ignore[arg-type]


def test_an_expiring_token_answers_its_date(vault: Vault) -> None:
    client, state = _client(vault)
    set_token(state, TOKEN, expires_at=NOW + timedelta(days=5))
    expiry = client.token_expiry()
    assert expiry.status == "expires"
    assert client.token_expires_at() == NOW + timedelta(days=5)
    assert expiry.describe(NOW).startswith("token expires ") and "(in 5 days)" in expiry.describe(NOW)
    assert "FACEBOOK_PAGE_ACCESS_TOKEN" in expiry.fix


def test_data_access_ending_first_is_the_deadline(vault: Vault) -> None:
    client, state = _client(vault)
    set_token(state, TOKEN, expires_at=None, data_access_expires_at=NOW + timedelta(days=3))
    assert client.token_expires_at() == NOW + timedelta(days=3)
    assert client.token_expiry().describe(NOW).startswith("data access expires")


def test_a_never_expiring_page_token(vault: Vault) -> None:
    client, state = _client(vault)
    set_token(state, TOKEN, expires_at=None)
    expiry = client.token_expiry()
    assert (expiry.status, client.token_expires_at()) == ("never", None)
    assert expiry.describe(NOW) == "does not expire (page token)"


def test_an_expired_token_is_reported_and_refused_by_every_call(vault: Vault) -> None:
    client, state = _client(vault)
    set_token(state, TOKEN, expires_at=NOW - timedelta(hours=1))
    expiry = client.token_expiry()
    assert expiry.status == "expired" and "EXPIRED" in expiry.describe(NOW)
    with pytest.raises(ServiceError) as raised:
        client.page()
    assert "expired" in raised.value.message.lower() or "token" in raised.value.message.lower()


def test_without_the_app_id_it_says_what_to_set(vault: Vault) -> None:
    client, _ = _client(vault, app_id=None)
    expiry = client.token_expiry()
    assert client.token_expires_at() is None
    assert expiry.describe(NOW).startswith("cannot check: set FACEBOOK_APP_ID")


def test_a_token_of_another_app_is_not_trusted(vault: Vault) -> None:
    client, state = _client(vault, app_id="999")
    set_token(state, TOKEN, expires_at=NOW + timedelta(days=5))
    expiry = client.token_expiry()  # the emulator refuses an app token of another app, as Graph does
    assert expiry.status == "unknown" and "did not match the Viewing App" in expiry.detail


def test_without_the_app_secret_the_token_inspects_itself(vault: Vault) -> None:
    client, state = _client(vault, app_secret=None)
    set_token(state, TOKEN, expires_at=NOW + timedelta(days=20))
    assert client.token_expires_at() == NOW + timedelta(days=20)


def test_sandbox_has_no_token_to_expire(vault: Vault) -> None:
    client = load_service("facebook").client(vault)
    assert client.token_expires_at() is None
    assert client.token_expiry().describe(NOW) == "sandbox: no token to expire"
