"""Money policy loopholes (issue 11 item 5): never more than is due, a rolling per-payee daily cap that holds
across processes, and the cap from settings."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from mcp_servers.core.policy import PayeeSpend, Policy, PolicyFacts, policy_from_settings

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _pay(amount: str, payee: str = "odoo:res.partner:7", due: str | None = None) -> PolicyFacts:
    return PolicyFacts(
        action_type="payment",
        amount=Decimal(amount),
        partner_known=True,
        recurring=True,
        payee=payee,
        amount_due=Decimal(due) if due else None,
    )


def test_never_auto_approves_more_than_is_due() -> None:
    decision = Policy().decide(_pay("60", due="40"))
    assert decision.requires_approval and "more than the 40 due" in decision.reason
    assert not Policy().decide(_pay("40", due="40")).requires_approval


def test_rolling_daily_cap_per_payee(tmp_path: Path) -> None:
    policy, spend = Policy(), PayeeSpend(tmp_path)
    results = [policy.decide_all([_pay("60")], spend, NOW + timedelta(minutes=i))[0] for i in range(6)]
    assert [d.requires_approval for d in results] == [False, True, True, True, True, True]
    assert "daily cap of 100" in results[1].reason
    other = policy.decide_all([_pay("60", payee="odoo:res.partner:8")], spend, NOW)[0]
    assert not other.requires_approval  # the cap is per payee
    later = policy.decide_all([_pay("60")], spend, NOW + timedelta(hours=24, minutes=1))[0]
    assert not later.requires_approval  # rolling: the first 60 left the window
    assert spend.total("odoo:res.partner:7", NOW + timedelta(hours=24, minutes=1)) == Decimal("60")


def test_a_request_with_several_calls_counts_them_together(tmp_path: Path) -> None:
    decisions = Policy().decide_all([_pay("60"), _pay("50")], PayeeSpend(tmp_path), NOW)
    assert all(d.requires_approval for d in decisions)


def test_a_request_that_needs_approval_reserves_nothing(tmp_path: Path) -> None:
    spend = PayeeSpend(tmp_path)
    Policy().decide_all([_pay("150")], spend, NOW)
    assert spend.total("odoo:res.partner:7", NOW) == 0


def _reserve(root: str, start: object) -> bool:
    start.wait()  # type: ignore[attr-defined]
    return PayeeSpend(Path(root)).reserve({"odoo:res.partner:7": Decimal("30")}, Decimal("100"), NOW) is None


def test_the_cap_holds_across_processes(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager:
        start = manager.Event()
        with ctx.Pool(8) as pool:
            pending = [pool.apply_async(_reserve, (str(tmp_path), start)) for _ in range(8)]
            start.set()
            granted = [p.get(timeout=60) for p in pending]
    assert granted.count(True) == 3  # 3 × 30 ≤ 100 < 4 × 30
    assert PayeeSpend(tmp_path).total("odoo:res.partner:7", NOW) == Decimal("90")


def test_the_cap_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICY_PAYEE_DAILY_CAP", "250")
    assert policy_from_settings().payee_daily_cap == Decimal("250")
