"""The daily token check and `doctor`'s token lines, with a live Facebook Page whose Graph calls the
emulator answers (only the transport is swapped) and `now` as an input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from mcp_servers.core.vault import NEEDS_ACTION, Vault
from mcp_servers.facebook import client as fb_client
from mcp_servers.facebook.sandbox import build_emulator, state_for
from mcp_servers.graph.sandbox import SANDBOX_APP_ID, EmulatorAdapter, set_token
from orchestrator import jobs
from orchestrator.doctor import format_checks, run_checks, service_checks

NOW = datetime.now(UTC).replace(microsecond=0)
TOKEN = "live-page-token"


@pytest.fixture
def live_facebook(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> Any:
    """FACEBOOK_MODE=live, its debug_token answered by the emulator; returns the emulator's state."""
    for name, value in {
        "FACEBOOK_MODE": "live",
        "FACEBOOK_PAGE_ID": "102030405060708",
        "FACEBOOK_PAGE_ACCESS_TOKEN": TOKEN,
        "FACEBOOK_APP_ID": SANDBOX_APP_ID,
        "FACEBOOK_APP_SECRET": "app-secret",
    }.items():
        monkeypatch.setenv(name, value)
    state = state_for(vault.root, lambda: NOW)
    original = fb_client.token_inspector

    def inspector(settings: Any, cap: Any = None, adapter: Any = None) -> Any:
        found = original(settings, cap, adapter=EmulatorAdapter(build_emulator(state, lambda: NOW)))
        found.now = lambda: NOW
        return found

    monkeypatch.setattr(fb_client, "token_inspector", inspector)
    return state


def _notes(vault: Vault) -> list[str]:
    return sorted(p.name for p in vault.folder(NEEDS_ACTION).glob("*.md"))


def test_an_expiring_token_gets_one_note_then_an_alert_when_it_expires(vault: Vault, live_facebook: Any) -> None:
    set_token(live_facebook, TOKEN, expires_at=NOW + timedelta(days=10))
    report = jobs.check_tokens(str(vault.root), now=NOW)
    assert report["facebook"].startswith("token expires") and "(in 10 days)" in report["facebook"]
    assert report["twitter"] == report["odoo"] == report["instagram"] == "sandbox: no token to expire"
    [note] = _notes(vault)
    assert "needs_action_token_facebook" in note
    text = (vault.folder(NEEDS_ACTION) / note).read_text()
    assert "The Facebook token expires soon" in text and "/me/accounts" in text
    # the next days: nothing new, even after the owner deleted the note
    (vault.folder(NEEDS_ACTION) / note).unlink()
    jobs.check_tokens(str(vault.root), now=NOW + timedelta(days=1))
    jobs.check_tokens(str(vault.root), now=NOW + timedelta(days=2))
    assert _notes(vault) == []
    # once it has expired: one alert
    jobs.check_tokens(str(vault.root), now=NOW + timedelta(days=11))
    jobs.check_tokens(str(vault.root), now=NOW + timedelta(days=12))
    [alert] = _notes(vault)
    assert "alert_token_facebook" in alert
    assert "no longer works" in (vault.folder(NEEDS_ACTION) / alert).read_text()


def test_a_token_far_from_its_end_or_never_expiring_gets_no_note(vault: Vault, live_facebook: Any) -> None:
    set_token(live_facebook, TOKEN, expires_at=NOW + timedelta(days=40))
    assert "(in 40 days)" in jobs.check_tokens(str(vault.root), now=NOW)["facebook"]
    set_token(live_facebook, TOKEN, expires_at=None)
    assert jobs.check_tokens(str(vault.root), now=NOW)["facebook"] == "does not expire (page token)"
    assert _notes(vault) == []
    assert not vault.state_path("token_notes.json").exists()


def test_doctor_shows_the_expiry_and_the_fix(vault: Vault, live_facebook: Any) -> None:
    set_token(live_facebook, TOKEN, expires_at=NOW + timedelta(days=5))
    [*_, token] = service_checks("facebook", network=False, vault=vault, now=NOW)
    assert token.message == "token expiry not checked (--offline)"
    [*_, token] = [c for c in run_checks(str(vault.root), network=False, now=NOW) if c.area == "facebook"]
    assert token.message == "token expiry not checked (--offline)"
    checks = service_checks("facebook", network=True, vault=vault, now=NOW)
    token = checks[-1]
    assert token.level == "warn" and "(in 5 days)" in token.message and "/me/accounts" in token.fix
    assert "→ get a new Page token" in format_checks([token])


def test_doctor_never_expiring_and_expired(vault: Vault, live_facebook: Any) -> None:
    set_token(live_facebook, TOKEN, expires_at=None)
    token = service_checks("facebook", network=True, vault=vault, now=NOW)[-1]
    assert (token.level, token.message) == ("ok", "token does not expire (page token)")
    set_token(live_facebook, TOKEN, expires_at=NOW - timedelta(days=1))
    token = service_checks("facebook", network=True, vault=vault, now=NOW)[-1]
    assert token.level == "fail" and "EXPIRED" in token.message


def test_doctor_without_the_app_id_says_what_to_set(
    vault: Vault, live_facebook: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FACEBOOK_APP_ID")
    token = service_checks("facebook", network=True, vault=vault, now=NOW)[-1]
    assert token.level == "warn" and token.message.startswith("cannot check: set FACEBOOK_APP_ID")
    assert "FACEBOOK_APP_ID=<app id>" in token.fix
    assert jobs.check_tokens(str(vault.root), now=NOW)["facebook"].startswith("cannot check: set FACEBOOK_APP_ID")
    assert _notes(vault) == []


def test_doctor_in_sandbox_and_for_x_and_odoo(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    assert service_checks("facebook", vault=vault, now=NOW)[-1].message == "sandbox: no token to expire"
    for name in ("API_KEY", "API_SECRET", "ACCESS_TOKEN", "ACCESS_TOKEN_SECRET"):
        monkeypatch.setenv(f"TWITTER_{name}", "x")
    monkeypatch.setenv("TWITTER_MODE", "live")
    x = service_checks("twitter", network=False, vault=None, now=NOW)[-1]  # needs no vault
    assert (x.level, x.message) == ("ok", "token does not expire (OAuth 1.0a)")
    for name, value in {
        "MODE": "live",
        "URL": "https://odoo.example",
        "DB": "d",
        "USERNAME": "u",
        "API_KEY": "k",
    }.items():
        monkeypatch.setenv(f"ODOO_{name}", value)
    odoo = service_checks("odoo", network=False, vault=vault, now=NOW)[-1]
    assert odoo.level == "ok" and "Odoo does not expose an API key's expiry" in odoo.message
    assert "Account Security" in odoo.message
