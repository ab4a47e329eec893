"""Vault path safety, the approval policy matrix, settings and rate limits."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from mcp_servers.core.errors import ConfigError, RateLimited
from mcp_servers.core.policy import Policy, PolicyFacts
from mcp_servers.core.resilience import CircuitBreaker, RateLimiter
from mcp_servers.core.settings import CoreSettings, ServiceSettings
from mcp_servers.core.vault import PathOutsideVault, Vault


@pytest.mark.parametrize("bad", ["../outside.md", "Approved/../../x.md", "/etc/passwd", "a\x00b"])
def test_paths_escaping_the_vault_are_refused(vault: Vault, bad: str) -> None:
    with pytest.raises(PathOutsideVault):
        vault.inside(bad)


def test_a_symlink_pointing_outside_is_refused(vault: Vault, tmp_path: Path) -> None:
    (vault.root / "Approved" / "link.md").symlink_to(tmp_path)
    with pytest.raises(PathOutsideVault, match="outside the vault"):
        vault.inside("Approved/link.md")
    assert vault.inside("Approved/fine.md") == vault.root / "Approved" / "fine.md"


POLICY = Policy()


@pytest.mark.parametrize(
    ("facts", "needs_approval"),
    [
        (PolicyFacts("payment", amount=Decimal("99.99"), partner_known=True, recurring=True), False),
        (PolicyFacts("payment", amount=Decimal("100.00"), partner_known=True, recurring=True), True),
        (PolicyFacts("payment", amount=Decimal("1"), partner_known=False, recurring=True), True),
        (PolicyFacts("invoice", amount=Decimal("1"), partner_known=None, recurring=None), True),
        (PolicyFacts("payment", amount=Decimal("5"), partner_known=True, recurring=False), True),
        (PolicyFacts("payment", amount=None, partner_known=True, recurring=True), True),
        (PolicyFacts("social_media_post", scheduled=True, lead=timedelta(minutes=60)), False),
        (PolicyFacts("social_media_post", scheduled=True, lead=timedelta(minutes=59)), True),
        (PolicyFacts("social_media_post", scheduled=True), True),
        (PolicyFacts("social_media_post", scheduled=True, lead=timedelta(days=1), reply="reply_to_id"), True),
        (PolicyFacts("social_media_post", scheduled=False), True),
        (PolicyFacts("social_reply"), True),
        (PolicyFacts("social_delete", scheduled=True), True),
        (PolicyFacts("social_media_post", scheduled=True, lookup_failed=True), True),
        (PolicyFacts("partner"), True),
    ],
)
def test_policy_matrix(facts: PolicyFacts, needs_approval: bool) -> None:
    decision = POLICY.decide(facts)
    assert decision.requires_approval is needs_approval
    assert decision.reason


def test_policy_threshold_comes_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from mcp_servers.core.policy import policy_from_settings

    monkeypatch.setenv("POLICY_AUTO_APPROVE_MAX_AMOUNT", "250")
    facts = PolicyFacts("payment", amount=Decimal("200"), partner_known=True, recurring=True)
    assert policy_from_settings().decide(facts).requires_approval is False


class DemoSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DEMO_", extra="ignore")
    url: str | None = None
    api_key: SecretStr | None = None
    live_required = ("url", "api_key")


def test_sandbox_is_the_default_and_needs_no_credentials() -> None:
    settings = DemoSettings()
    assert settings.mode == "sandbox" and settings.mode_label == "SANDBOX"
    settings.check()


def test_live_without_credentials_names_each_missing_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEMO_MODE", "LIVE")
    monkeypatch.setenv("DEMO_URL", "https://example.odoo.com")
    with pytest.raises(ConfigError, match="DEMO_API_KEY") as info:
        DemoSettings().check()
    assert "DEMO_URL" not in info.value.message.split("needs")[1]


def test_unexpanded_mcp_json_variables_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEMO_URL", "${ODOO_URL}")
    with pytest.raises(ConfigError, match="DEMO_URL"):
        DemoSettings()


def test_settings_fall_back_to_the_env_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = tmp_path / ".env"
    env.write_text("DEMO_URL=https://from-file\nAPPROVAL_SIGNING_KEY=short\n")
    monkeypatch.setenv("AI_EMPLOYEE_ENV_FILE", str(env))
    monkeypatch.setenv("DEMO_MODE", "live")
    assert DemoSettings().url == "https://from-file"
    assert CoreSettings().signing_key()  # the environment wins over .env
    monkeypatch.delenv("APPROVAL_SIGNING_KEY")
    with pytest.raises(ConfigError, match="APPROVAL_SIGNING_KEY"):
        CoreSettings().signing_key()


def test_rate_limiter_reports_retry_after_instead_of_sleeping(vault: Vault) -> None:
    now = [1000.0]
    limiter = RateLimiter(vault, clock=lambda: now[0])
    for _ in range(3):
        limiter.acquire("x.posts", 3, 3600, "X posts")
    with pytest.raises(RateLimited) as info:
        limiter.acquire("x.posts", 3, 3600, "X posts")
    assert info.value.retry_after == pytest.approx(3600)
    assert "Retry after 3600 s" in info.value.message
    now[0] += 3601
    limiter.acquire("x.posts", 3, 3600, "X posts")
    assert RateLimiter(vault, clock=lambda: now[0]).remaining("x.posts", 3, 3600) == 2  # shared on disk


def test_rate_limiter_makes_room_for_several_events_at_once(vault: Vault) -> None:
    now = [0.0]
    limiter = RateLimiter(vault, clock=lambda: now[0])
    limiter.acquire("x.posts", 5, 100, "X posts", count=3)
    now[0] = 10
    with pytest.raises(RateLimited) as info:
        limiter.check("x.posts", 5, 100, "X posts", count=3)  # a 3-part thread needs the oldest to expire
    assert info.value.retry_after == pytest.approx(90)
    limiter.check("x.posts", 5, 100, "X posts", count=2)
    with pytest.raises(RateLimited):
        limiter.check("x.posts", 5, 100, "X posts", count=6)


def test_circuit_breaker_thresholds() -> None:
    from mcp_servers.core.errors import Unavailable

    t = [0.0]
    breaker = CircuitBreaker("odoo", clock=lambda: t[0])
    for _ in range(5):
        breaker.record_failure()
        t[0] += 10
    assert breaker.state == "open"
    with pytest.raises(Unavailable, match="paused"):
        breaker.before_call()
    t[0] += 30
    breaker.before_call()  # the one trial
    with pytest.raises(Unavailable):
        breaker.before_call()  # no second trial while the first runs
    breaker.record_success()
    breaker.before_call()
    breaker.record_success()
    assert breaker.state == "closed"


def test_failures_spread_over_more_than_a_minute_do_not_open_the_breaker() -> None:
    t = [0.0]
    breaker = CircuitBreaker("odoo", clock=lambda: t[0])
    for _ in range(8):
        breaker.record_failure()
        t[0] += 16
    assert breaker.state == "closed"


def test_shared_state_clears_temp_files_a_killed_writer_left(tmp_path: Path) -> None:
    from mcp_servers.core.sandbox import SharedState

    path = tmp_path / "odoo.json"
    path.write_text('{"n": 1}')
    stale = tmp_path / ".odoo.json.abc123.tmp"
    stale.write_text('{"api_key": "half-written"}')
    state = SharedState(path, seed=lambda: {})
    with state.transaction() as data:
        data["n"] += 1
    assert not stale.exists()
    assert SharedState(path, seed=lambda: {}).snapshot() == {"n": 2}
