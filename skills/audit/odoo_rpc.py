"""`OdooSource` over Odoo's ORM methods: seven grouped or bounded reads per audit, whatever the data.

It needs only an `execute(model, method, args, kwargs)` callable, so it runs over the Odoo server's
own client (XML-RPC or JSON-2, sandbox or live) and, in tests, over plain XML-RPC to the emulator."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from skills.audit.facts import Cash, DayRevenue, Debtor, OpenInvoice, Receivables

Execute = Callable[[str, str, list[Any], dict[str, Any]], Any]
MOVE = "account.move"
TOP_DEBTORS = 5
OLDEST_OVERDUE = 10
MAX_BILLS = 20
BUCKETS = (("1–30 days", 1, 30), ("31–60 days", 31, 60), ("61–90 days", 61, 90), ("over 90 days", 91, None))
_OPEN_INVOICES = [["move_type", "=", "out_invoice"], ["state", "=", "posted"], ["amount_residual", ">", 0]]
_DONE_PAYMENT_STATES = ["draft", "cancel", "canceled", "rejected"]


def _name(value: Any) -> str:
    """The display name of a many2one value `[id, name]` (False when empty)."""
    return str(value[1]) if isinstance(value, list | tuple) and len(value) > 1 else "(no partner)"


def _day(value: Any) -> date | None:
    return date.fromisoformat(value[:10]) if isinstance(value, str) and value else None


def _group_day(row: dict[str, Any], spec: str, field: str) -> date | None:
    """The first day of a date group: from `__range` (Odoo 17+) or the group's `__domain`."""
    bounds = (row.get("__range") or {}).get(spec)
    if isinstance(bounds, dict) and bounds.get("from"):
        return _day(bounds["from"])
    for leaf in row.get("__domain") or []:
        if isinstance(leaf, list | tuple) and len(leaf) == 3 and leaf[0] == field and leaf[1] == ">=":
            return _day(leaf[2])
    return None


class OdooRpcSource:
    """The audit's reads; `rpc_count` counts every call made through it."""

    def __init__(self, execute: Execute) -> None:
        self._execute = execute
        self.rpc_count = 0

    def call(self, model: str, method: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        self.rpc_count += 1
        return self._execute(model, method, args, kwargs)

    def _group(self, domain: list[Any], aggregate: str, groupby: list[str], model: str = MOVE) -> list[dict[str, Any]]:
        rows = self.call(model, "read_group", [domain, [aggregate], groupby], {"lazy": False})
        return list(rows or [])

    def revenue_by_day(self, start: date, end: date) -> list[DayRevenue]:
        domain = [
            ["move_type", "in", ["out_invoice", "out_refund"]],
            ["state", "=", "posted"],
            ["invoice_date", ">=", start.isoformat()],
            ["invoice_date", "<=", end.isoformat()],
        ]
        days: dict[date, dict[str, float]] = {}
        for row in self._group(domain, "amount_untaxed_signed:sum", ["invoice_date:day", "move_type"]):
            day = _group_day(row, "invoice_date:day", "invoice_date")
            if day is None:
                continue
            slot = days.setdefault(day, {"invoiced": 0.0, "refunded": 0.0, "invoices": 0, "refunds": 0})
            amount, count = float(row.get("amount_untaxed_signed") or 0.0), int(row.get("__count") or 0)
            if row.get("move_type") == "out_refund":
                slot["refunded"] += -amount
                slot["refunds"] += count
            else:
                slot["invoiced"] += amount
                slot["invoices"] += count
        return [
            DayRevenue(d, round(s["invoiced"], 2), round(s["refunded"], 2), int(s["invoices"]), int(s["refunds"]))
            for d, s in sorted(days.items())
        ]

    def receivables(self, as_of: date) -> Receivables:
        overdue = [*_OPEN_INVOICES, ["invoice_date_due", "<", as_of.isoformat()]]
        by_partner = self._group(_OPEN_INVOICES, "amount_residual_signed:sum", ["partner_id"])
        late_by_partner = self._group(overdue, "amount_residual_signed:sum", ["partner_id"])
        by_due = self._group(overdue, "amount_residual_signed:sum", ["invoice_date_due:day"])
        oldest = self.call(
            MOVE,
            "search_read",
            [overdue],
            {
                "fields": ["name", "partner_id", "invoice_date_due", "amount_residual_signed"],
                "order": "invoice_date_due asc, id asc",
                "limit": OLDEST_OVERDUE,
            },
        )
        late = {_name(r.get("partner_id")): float(r.get("amount_residual_signed") or 0) for r in late_by_partner}
        debtors = sorted(
            (
                Debtor(
                    _name(r.get("partner_id")),
                    round(float(r.get("amount_residual_signed") or 0), 2),
                    round(late.get(_name(r.get("partner_id")), 0.0), 2),
                    int(r.get("__count") or 0),
                )
                for r in by_partner
            ),
            key=lambda d: (-d.open_amount, d.partner),
        )
        return Receivables(
            as_of=as_of,
            open_amount=round(sum(d.open_amount for d in debtors), 2),
            open_count=sum(d.invoices for d in debtors),
            overdue_amount=round(sum(late.values()), 2),
            overdue_count=sum(int(r.get("__count") or 0) for r in late_by_partner),
            buckets=_buckets(by_due, as_of),
            debtors=debtors[:TOP_DEBTORS],
            oldest=[_open(r) for r in oldest or []],
        )

    def vendor_bills_due(self, until: date) -> list[OpenInvoice]:
        domain = [
            ["move_type", "=", "in_invoice"],
            ["state", "=", "posted"],
            ["amount_residual", ">", 0],
            ["invoice_date_due", "<=", until.isoformat()],
        ]
        rows = self.call(
            MOVE,
            "search_read",
            [domain],
            {
                "fields": ["name", "partner_id", "invoice_date_due", "amount_residual_signed"],
                "order": "invoice_date_due asc, id asc",
                "limit": MAX_BILLS,
            },
        )
        return [_open(r) for r in rows or []]

    def cash_received(self, start: date, end: date) -> Cash:
        domain = [
            ["payment_type", "=", "inbound"],
            ["partner_type", "=", "customer"],
            ["state", "not in", _DONE_PAYMENT_STATES],
            ["date", ">=", start.isoformat()],
            ["date", "<=", end.isoformat()],
        ]
        rows = self.call("account.payment", "search_read", [domain], {"fields": ["amount", "reconciled_invoice_ids"]})
        settled = {i for r in rows or [] for i in r.get("reconciled_invoice_ids") or []}
        total = round(sum(float(r.get("amount") or 0) for r in rows or []), 2)
        return Cash(received=total, payments=len(rows or []), invoices_paid=len(settled))


def _open(row: dict[str, Any]) -> OpenInvoice:
    return OpenInvoice(
        str(row.get("name") or row.get("id")),
        _name(row.get("partner_id")),
        _day(row.get("invoice_date_due")),
        round(abs(float(row.get("amount_residual_signed") or 0)), 2),
    )


def _buckets(rows: list[dict[str, Any]], as_of: date) -> list[tuple[str, float, int]]:
    sums = {label: [0.0, 0] for label, _, _ in BUCKETS}
    for row in rows:
        due = _group_day(row, "invoice_date_due:day", "invoice_date_due")
        if due is None:
            continue
        late = (as_of - due).days
        for label, low, high in BUCKETS:
            if late >= low and (high is None or late <= high):
                sums[label][0] += float(row.get("amount_residual_signed") or 0)
                sums[label][1] += int(row.get("__count") or 0)
    return [(label, round(float(s[0]), 2), int(s[1])) for label, s in sums.items()]
