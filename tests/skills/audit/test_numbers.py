"""Every number in the note, recomputed here straight from the fixture tables (not from the audit's
own facts), must be what the front matter says and what the text shows."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from skills.audit.fmt import money
from tests.skills.audit import build_vault
from tests.skills.audit.conftest import SCENARIOS, TZ, Scenario


def _t(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class Expected:
    """The figures a careful bookkeeper would write down for the scenario."""

    def __init__(self, s: Scenario) -> None:
        tz = ZoneInfo(TZ)
        year, week = int(s.week[:4]), int(s.week[-2:])
        self.start = date.fromisocalendar(year, week, 1)
        self.end = self.start + timedelta(days=6)
        lo = datetime(self.start.year, self.start.month, self.start.day, tzinfo=tz).astimezone(UTC)
        hi = lo + timedelta(days=7)
        self.in_week = lambda moment: lo <= moment < hi and moment <= s.now
        books = s.odoo_moves()
        sign = {"out_invoice": 1, "out_refund": -1}
        sales = [m for m in books["moves"] if m["type"] in sign]
        self.daily = {
            self.start + timedelta(days=i): sum(
                sign[m["type"]] * m["untaxed"] for m in sales if m["date"] == str(self.start + timedelta(days=i))
            )
            for i in range(7)
        }
        self.revenue = round(sum(self.daily.values()), 2)
        month = str(self.end)[:7]
        self.mtd = round(sum(sign[m["type"]] * m["untaxed"] for m in sales if m["date"][:7] == month), 2)
        self.issued = sum(
            1 for m in sales if m["type"] == "out_invoice" and self.start <= date.fromisoformat(m["date"]) <= self.end
        )
        paid = [p for p in books["payments"] if self.start <= date.fromisoformat(p["date"]) <= self.end]
        self.cash, self.payments = round(sum(p["amount"] for p in paid), 2), len(paid)
        today = s.now.astimezone(tz).date()
        unpaid = [m for m in sales if m["type"] == "out_invoice" and m["residual"] > 0]
        self.open = round(sum(m["residual"] for m in unpaid), 2)
        self.overdue = round(sum(m["residual"] for m in unpaid if date.fromisoformat(m["due"]) < today), 2)
        self.pct = round(100 * self.revenue / 10500, 1)
        self.status = "on_track" if self.pct >= 100 else "at_risk" if self.pct >= 80 else "behind"
        if s.odoo_down:
            self.status = "unknown"
        self._vault(s)
        self._social(s)

    def _vault(self, s: Scenario) -> None:
        rows = [] if s.empty_vault else build_vault.REQUESTS
        finished = [
            r[5]["status"]
            for r in rows
            if r[0] in ("Done", "Rejected") and self.in_week(_t(r[5].get("executed_at") or r[5]["rejected_at"]))
        ]
        self.done = sum(1 for x in finished if x in ("succeeded", "partial"))
        self.failed, self.ambiguous, self.rejected = (finished.count(x) for x in ("failed", "ambiguous", "rejected"))
        self.pending = sum(1 for r in rows if r[0] == "Pending_Approval")
        lines = [] if s.empty_vault else [line for line in build_vault.LOG if self.in_week(_t(line[0]))]
        self.actions = len(lines)
        self.errors = sum(1 for line in lines if line[4] or line[2] in ("failed", "ambiguous"))
        self.emails = sum(1 for line in lines if line[1].startswith(("gmail.", "email.")))

    def _social(self, s: Scenario) -> None:
        posts = {
            name: [p for p in data["posts"] if self.in_week(_t(p["created"]))] for name, data in s.social().items()
        }
        self.engagement = {
            name: sum(p["likes"] + p["comments"] + p["shares"] for p in ps) for name, ps in posts.items()
        }
        self.posts = sum(len(ps) for ps in posts.values())


def _front(text: str) -> dict[str, Any]:
    return dict(yaml.safe_load(text.split("---\n")[1]))


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_front_matter_and_text_agree_with_the_fixture(
    name: str, run_scenario: Callable[[Scenario], tuple[str, Any]]
) -> None:
    s = SCENARIOS[name]
    text, _ = run_scenario(s)
    front, e = _front(text), Expected(s)
    assert (front["type"], front["period_start"], front["period_end"]) == ("ceo_briefing", e.start, e.end)
    assert front["generated"] == s.now.astimezone(ZoneInfo(TZ)).replace(tzinfo=None)
    assert front["status"] == e.status
    operations = {
        "actions": e.actions,
        "errors": e.errors,
        "requests_done": e.done,
        "requests_failed": e.failed,
        "requests_ambiguous": e.ambiguous,
        "requests_rejected": e.rejected,
        "pending_approvals": e.pending,
        "posts": e.posts,
        "engagement": sum(e.engagement.values()),
        "emails_processed": e.emails,
    }
    assert {k: front[k] for k in operations} == operations
    assert f"**Actions logged**: {e.actions}," in text
    assert f"**Requests**: {e.done} done, {e.failed} failed, {e.ambiguous} ambiguous, {e.rejected} rejected" in text
    assert f"**Approvals waiting**: {e.pending}" in text
    assert f"**Emails processed**: {e.emails}" in text
    if s.odoo_down:
        assert front["revenue_week"] is None and front["sources_unavailable"] == ["Odoo"]
        assert text.count("> [!warning] Not available\n> Odoo could not be read: Odoo did not answer") == 2
        assert "Service down or not configured: Odoo" in text
        return
    books = {
        "revenue_week": e.revenue,
        "revenue_month_to_date": e.mtd,
        "invoices_issued": e.issued,
        "cash_received": e.cash,
        "receivables_open": e.open,
        "receivables_overdue": e.overdue,
        "target_progress_pct": e.pct,
    }
    assert {k: front[k] for k in books} == books
    assert f"**Revenue**: {money(e.revenue, 'USD')}, {e.pct:.1f}% of the $10,500.00 weekly target" in text
    assert f"**Month to date** ({date(e.end.year, e.end.month, 1):%B %Y}): {money(e.mtd, 'USD')}" in text
    assert f"**Cash received**: {money(e.cash, 'USD')} from {e.payments} payment" in text
    assert f"Open: {money(e.open, 'USD')}" in text
    assert "**Week** | " in text and f"**{money(e.revenue, 'USD')}** |" in text
    for day, net in e.daily.items():
        assert re.search(rf"\| {day:%a} {day.day} {day:%b} \|.*\| {re.escape(money(net, 'USD'))} \|", text)
    bars = re.search(r"bar \[(.*)\]", text)
    assert bars and [float(v) for v in bars.group(1).split(", ")] == [round(v, 2) for v in e.daily.values()]


@pytest.mark.parametrize("name", ["normal_week", "month_boundary"])
def test_social_table_and_pie(name: str, run_scenario: Callable[[Scenario], tuple[str, Any]]) -> None:
    s = SCENARIOS[name]
    text, _ = run_scenario(s)
    e = Expected(s)
    pie = dict(re.findall(r'^    "(\w+)" : (\d+)$', text, re.M))
    assert {k: int(v) for k, v in pie.items()} == {k: v for k, v in e.engagement.items() if v}
    for platform, engagement in e.engagement.items():
        assert re.search(rf"^\| {platform} \| .* \| {engagement} \|$", text, re.M)


def test_month_boundary_counts_month_to_date_from_the_first(
    run_scenario: Callable[[Scenario], tuple[str, Any]],
) -> None:
    text, _ = run_scenario(SCENARIOS["month_boundary"])
    front = _front(text)
    assert front["period_start"] == date(2026, 1, 26) and front["period_end"] == date(2026, 2, 1)
    assert front["revenue_month_to_date"] == 1500  # only 1 February's invoice
    assert front["revenue_week"] == 900 - 100 + 1500
    assert "**Month to date** (February 2026)" in text
