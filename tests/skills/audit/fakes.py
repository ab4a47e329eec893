"""Fixture implementations of the audit's sources, over the JSON files in fixtures/."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from mcp_servers.core.errors import Unavailable as ServiceUnavailable
from skills.audit.facts import Cash, DayRevenue, Debtor, OpenInvoice, Receivables, SocialPost
from skills.audit.odoo_rpc import BUCKETS

FIXTURES = Path(__file__).parent / "fixtures"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text("utf-8"))


def _d(text: str) -> date:
    return date.fromisoformat(text)


class FixtureOdoo:
    """The books as a list of posted moves and payments; each method counts as one RPC."""

    def __init__(self, data: dict[str, Any] | None = None, down: bool = False) -> None:
        self.data = data if data is not None else load("odoo.json")
        self.down = down
        self.rpc_count = 0

    def _tick(self) -> None:
        self.rpc_count += 1
        if self.down:
            raise ServiceUnavailable("Odoo did not answer at http://127.0.0.1:8069 (connection refused)")

    def revenue_by_day(self, start: date, end: date) -> list[DayRevenue]:
        self._tick()
        days: dict[date, DayRevenue] = {}
        for m in self.data["moves"]:
            day = _d(m["date"])
            if m["type"] not in ("out_invoice", "out_refund") or not start <= day <= end:
                continue
            r = days.get(day, DayRevenue(day))
            if m["type"] == "out_invoice":
                r = DayRevenue(day, r.invoiced + m["untaxed"], r.refunded, r.invoices + 1, r.refunds)
            else:
                r = DayRevenue(day, r.invoiced, r.refunded + m["untaxed"], r.invoices, r.refunds + 1)
            days[day] = r
        return [days[d] for d in sorted(days)]

    def _id(self, move: dict[str, Any]) -> int:
        return int(move.get("id", self.data["moves"].index(move) + 1))

    def _open(self, kind: str) -> list[dict[str, Any]]:
        return [m for m in self.data["moves"] if m["type"] == kind and m["residual"] > 0]

    def receivables(self, as_of: date) -> Receivables:
        self._tick()
        open_ = self._open("out_invoice")
        late = [m for m in open_ if _d(m["due"]) < as_of]
        partners = sorted({m["partner"] for m in open_})
        debtors = [
            Debtor(
                p,
                round(sum(m["residual"] for m in open_ if m["partner"] == p), 2),
                round(sum(m["residual"] for m in late if m["partner"] == p), 2),
                sum(1 for m in open_ if m["partner"] == p),
            )
            for p in partners
        ]
        debtors.sort(key=lambda d: (-d.open_amount, d.partner))
        buckets = []
        for label, low, high in BUCKETS:
            rows = [
                m
                for m in late
                if (as_of - _d(m["due"])).days >= low and (high is None or (as_of - _d(m["due"])).days <= high)
            ]
            buckets.append((label, round(sum(m["residual"] for m in rows), 2), len(rows)))
        oldest = sorted(late, key=lambda m: (m["due"], m["number"]))[:10]
        return Receivables(
            as_of,
            round(sum(m["residual"] for m in open_), 2),
            len(open_),
            round(sum(m["residual"] for m in late), 2),
            len(late),
            buckets,
            debtors[:5],
            [OpenInvoice(m["number"], m["partner"], _d(m["due"]), m["residual"], self._id(m)) for m in oldest],
        )

    def vendor_bills_due(self, until: date) -> list[OpenInvoice]:
        self._tick()
        bills = sorted((m for m in self._open("in_invoice") if _d(m["due"]) <= until), key=lambda m: m["due"])
        return [OpenInvoice(m["number"], m["partner"], _d(m["due"]), m["residual"]) for m in bills]

    def cash_received(self, start: date, end: date) -> Cash:
        self._tick()
        rows = [p for p in self.data["payments"] if start <= _d(p["date"]) <= end]
        return Cash(round(sum(p["amount"] for p in rows), 2), len(rows), len({i for p in rows for i in p["invoices"]}))


class FixtureSocial:
    def __init__(self, platform: str, data: dict[str, Any], down: bool = False) -> None:
        self.platform = platform
        self.data = data
        self.down = down

    def posts(self, start: datetime, end: datetime) -> list[SocialPost]:
        if self.down:
            raise ServiceUnavailable(f"{self.platform} did not answer")
        return [
            SocialPost(
                self.platform,
                p["id"],
                datetime.fromisoformat(p["created"].replace("Z", "+00:00")),
                p["text"],
                p["url"],
                p["likes"],
                p["comments"],
                p["shares"],
                p["impressions"],
            )
            for p in self.data["posts"]
        ]

    def token_expires_at(self) -> datetime | None:
        raw = self.data.get("token_expires_at")
        return datetime.fromisoformat(raw.replace("Z", "+00:00")) if raw else None


def social_sources(data: dict[str, Any] | None = None) -> list[FixtureSocial]:
    data = data if data is not None else load("social.json")
    return [FixtureSocial(name, value) for name, value in data.items()]
