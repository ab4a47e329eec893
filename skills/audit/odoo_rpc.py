"""`OdooSource` over the Odoo server's client: seven grouped or bounded reads per audit, whatever the data.

It needs only `group` and `search_read` (what `mcp_servers.odoo.client.OdooClient` offers, over
XML-RPC or JSON-2, sandbox or live, with `formatted_read_group` on 18.2+), so tests can stand in."""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from mcp_servers.odoo.const import OPEN_PAYMENT_STATES
from skills.audit.facts import Cash, DayRevenue, Debtor, OpenInvoice, Receivables


class OdooReader(Protocol):
    rpc_count: int

    def group(self, model: str, domain: list[Any], groupby: list[str], aggregates: list[str]) -> list[dict[str, Any]]:
        """Rows {groupby spec: value (a date group's first day), aggregate spec: value, "__count": n}."""
        ...

    def search_read(
        self,
        model: str,
        domain: list[Any],
        fields: list[str],
        *,
        limit: int | None = None,
        offset: int = 0,
        order: str | None = None,
        context: dict[str, Any] | None = None,
    ) -> list[dict[str, Any]]: ...


MOVE = "account.move"
RESIDUAL = "amount_residual_signed:sum"
OPEN_FIELDS = ["name", "partner_id", "invoice_date_due", "amount_residual_signed"]
TOP_DEBTORS = 5
OLDEST_OVERDUE = 10
MAX_BILLS = 20
BUCKETS = (("1–30 days", 1, 30), ("31–60 days", 31, 60), ("61–90 days", 61, 90), ("over 90 days", 91, None))
# Open receivables as `receivables_aging` defines them (OPEN_RECEIVABLES): invoices net of credit notes, and an
# invoice `in_payment` (its payment waits for the bank reconciliation, residual unchanged) is not open money.
_OPEN_INVOICES = [
    ["move_type", "in", ["out_invoice", "out_refund"]],
    ["state", "=", "posted"],
    ["payment_state", "in", list(OPEN_PAYMENT_STATES)],
]
_DONE_PAYMENT_STATES = ["draft", "cancel", "canceled", "rejected"]


def _name(value: Any) -> str:
    """The display name of a many2one value `[id, name]` (False when empty)."""
    return str(value[1]) if isinstance(value, list | tuple) and len(value) > 1 else "(no partner)"


def _day(value: Any) -> date | None:
    return date.fromisoformat(value[:10]) if isinstance(value, str) and value else None


def _group_day(row: dict[str, Any], spec: str) -> date | None:
    return _day(row.get(spec))


class OdooRpcSource:
    """The audit's reads; `rpc_count` counts every call made through it."""

    def __init__(self, reader: OdooReader) -> None:
        self.reader = reader
        self._start = reader.rpc_count

    @property
    def rpc_count(self) -> int:
        return self.reader.rpc_count - self._start

    def _group(self, domain: list[Any], aggregate: str, groupby: list[str]) -> list[dict[str, Any]]:
        return list(self.reader.group(MOVE, domain, groupby, [aggregate]) or [])

    def _search(self, model: str, domain: list[Any], fields: list[str], **kw: Any) -> list[dict[str, Any]]:
        return list(self.reader.search_read(model, domain, fields, **kw) or [])

    def revenue_by_day(self, start: date, end: date) -> list[DayRevenue]:
        domain = [
            ["move_type", "in", ["out_invoice", "out_refund"]],
            ["state", "=", "posted"],
            ["invoice_date", ">=", start.isoformat()],
            ["invoice_date", "<=", end.isoformat()],
        ]
        days: dict[date, dict[str, float]] = {}
        for row in self._group(domain, "amount_untaxed_signed:sum", ["invoice_date:day", "move_type"]):
            day = _group_day(row, "invoice_date:day")
            if day is None:
                continue
            slot = days.setdefault(day, {"invoiced": 0.0, "refunded": 0.0, "invoices": 0, "refunds": 0})
            amount = float(row.get("amount_untaxed_signed:sum") or 0.0)
            count = int(row.get("__count") or 0)
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
        oldest = self._search(MOVE, overdue, OPEN_FIELDS, order="invoice_date_due asc, id asc", limit=OLDEST_OVERDUE)
        late = {_name(r.get("partner_id")): float(r.get(RESIDUAL) or 0) for r in late_by_partner}
        debtors = sorted(
            (
                Debtor(
                    _name(r.get("partner_id")),
                    round(float(r.get(RESIDUAL) or 0), 2),
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
            ["payment_state", "in", list(OPEN_PAYMENT_STATES)],
            ["invoice_date_due", "<=", until.isoformat()],
        ]
        rows = self._search(MOVE, domain, OPEN_FIELDS, order="invoice_date_due asc, id asc", limit=MAX_BILLS)
        return [_open(r) for r in rows]

    def cash_received(self, start: date, end: date) -> Cash:
        domain = [
            ["payment_type", "=", "inbound"],
            ["partner_type", "=", "customer"],
            ["state", "not in", _DONE_PAYMENT_STATES],
            ["date", ">=", start.isoformat()],
            ["date", "<=", end.isoformat()],
        ]
        rows = self._search("account.payment", domain, ["amount", "reconciled_invoice_ids"])
        settled = {i for r in rows for i in r.get("reconciled_invoice_ids") or []}
        total = round(sum(float(r.get("amount") or 0) for r in rows), 2)
        return Cash(received=total, payments=len(rows), invoices_paid=len(settled))


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
        due = _group_day(row, "invoice_date_due:day")
        if due is None:
            continue
        late = (as_of - due).days
        for label, low, high in BUCKETS:
            if late >= low and (high is None or late <= high):
                sums[label][0] += float(row.get(RESIDUAL) or 0)
                sums[label][1] += int(row.get("__count") or 0)
    return [(label, round(float(s[0]), 2), int(s[1])) for label, s in sums.items()]
