"""The Odoo report tools: revenue by day, ISO week or month, and receivables (payables) ageing on any day,
each a bounded number of reads whatever the data."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from mcp_servers.odoo.client import OdooClient
from mcp_servers.odoo.const import OPEN_PAYMENT_STATES, OPEN_RECEIVABLES
from mcp_servers.odoo.models import (
    AgingRow,
    ReceivablesAging,
    ReceivablesAgingArgs,
    RevenuePeriod,
    RevenueSummary,
    RevenueSummaryArgs,
)
from mcp_servers.odoo.tools import _m2o, _text, company, widget_entries


def revenue_summary(client: OdooClient, args: RevenueSummaryArgs) -> RevenueSummary:
    """Untaxed revenue per day, ISO week (Monday to Sunday) or month over a date range: invoiced, credit notes,
    net. One grouped read."""
    domain = [
        ["move_type", "in", ["out_invoice", "out_refund"]],
        ["state", "=", "posted"],
        ["invoice_date", ">=", args.date_from.isoformat()],
        ["invoice_date", "<=", args.date_to.isoformat()],
    ]
    # Odoo's own weeks follow the user's language (en_US: Sunday to Saturday): group by day and fold into
    # ISO weeks (Monday to Sunday) here, whatever the language.
    spec = f"invoice_date:{'day' if args.granularity == 'week' else args.granularity}"
    rows = client.group("account.move", domain, [spec, "move_type"], ["amount_untaxed_signed:sum"])
    periods: dict[str, dict[str, float]] = {}
    for row in rows:
        start = str(row[spec])
        if args.granularity == "week" and row[spec]:
            day = date.fromisoformat(start[:10])
            start = (day - timedelta(days=day.weekday())).isoformat()
        bucket = periods.setdefault(start, {"invoiced": 0.0, "refunded": 0.0, "count": 0})
        amount = row["amount_untaxed_signed:sum"] or 0.0
        if row["move_type"] == "out_refund":
            bucket["refunded"] += -amount
        else:
            bucket["invoiced"] += amount
            bucket["count"] += row["__count"]
    out = [
        RevenuePeriod(
            period_start=k,
            invoiced=round(v["invoiced"], 2),
            refunded=round(v["refunded"], 2),
            net=round(v["invoiced"] - v["refunded"], 2),
            invoices=int(v["count"]),
        )
        for k, v in sorted(periods.items())
    ]
    invoiced, refunded = sum(p.invoiced for p in out), sum(p.refunded for p in out)
    return RevenueSummary(
        periods=out,
        invoiced=round(invoiced, 2),
        refunded=round(refunded, 2),
        net=round(invoiced - refunded, 2),
        currency=company(client)["currency"],
    )


AGING_NAMES = ["current", "days_0_30", "days_31_60", "days_61_90", "days_90_plus"]
PAST_FIELDS = ["partner_id", "invoice_date_due", "amount_total", "amount_total_signed", "amount_residual_signed"]


def _aging_bucket(due: str | None, as_of: date) -> str:
    late = (as_of - date.fromisoformat(due)).days if due else 0
    if late <= 0:
        return "current"
    return "days_0_30" if late <= 30 else "days_31_60" if late <= 60 else "days_61_90" if late <= 90 else "days_90_plus"


def _open_as_of(client: OdooClient, base: list[Any], as_of: date) -> list[tuple[Any, str | None, float]]:
    """(partner, due date, amount due in company currency) on a past day: today's amount due plus what was paid
    after that day. Candidates are the moves open now and those changed since (a payment changes its invoice)."""
    domain = [*base, "|", ["payment_state", "in", [*OPEN_PAYMENT_STATES, "in_payment"]]]
    domain.append(["write_date", ">=", f"{as_of.isoformat()} 00:00:00"])
    rows = client.search_read("account.move", domain, [*PAST_FIELDS, "invoice_payments_widget"])
    out = []
    for row in rows:
        later = sum(
            float(e.get("amount") or 0)
            for e in widget_entries(row["invoice_payments_widget"])
            if str(e.get("date") or "")[:10] > as_of.isoformat()
        )
        rate = abs(row["amount_total_signed"]) / row["amount_total"] if row["amount_total"] else 1.0
        sign = 1 if row["amount_total_signed"] >= 0 else -1
        due = round(row["amount_residual_signed"] + sign * later * rate, 2)
        if due:
            out.append((row["partner_id"], _text(row["invoice_date_due"]), due))
    return out


def _open_today(client: OdooClient, base: list[Any], as_of: date) -> list[tuple[Any, str | None, float]]:
    """The same, grouped by Odoo per partner and due day (one read, whatever the number of invoices)."""
    domain = [*base, ["payment_state", "in", list(OPEN_PAYMENT_STATES)]]
    rows = client.group("account.move", domain, ["partner_id", "invoice_date_due:day"], ["amount_residual_signed:sum"])
    return [(r["partner_id"], _text(r["invoice_date_due:day"]), r["amount_residual_signed:sum"] or 0.0) for r in rows]


def receivables_aging(client: OdooClient, args: ReceivablesAgingArgs) -> ReceivablesAging:
    as_of = args.as_of or date.today()
    types = ["out_invoice", "out_refund"] if args.kind == "receivable" else ["in_invoice", "in_refund"]
    base = [["move_type", "in", types], ["state", "=", "posted"], ["invoice_date", "<=", as_of.isoformat()]]
    found = _open_as_of(client, base, as_of) if as_of < date.today() else _open_today(client, base, as_of)
    sign = 1 if args.kind == "receivable" else -1
    table: dict[int | None, dict[str, Any]] = {}
    for partner, due, amount in found:
        pid, pname = _m2o(partner)
        entry = table.setdefault(pid, {"partner_id": pid, "partner": pname} | {n: 0.0 for n in AGING_NAMES})
        bucket = _aging_bucket(due, as_of)
        entry[bucket] = round(entry[bucket] + sign * amount, 2)
    rows = [AgingRow(**e, total=round(sum(e[n] for n in AGING_NAMES), 2)) for e in table.values()]
    rows.sort(key=lambda r: -r.total)
    totals = AgingRow(
        partner_id=None,
        partner="Total",
        **{n: round(sum(getattr(r, n) for r in rows), 2) for n in [*AGING_NAMES, "total"]},
    )
    return ReceivablesAging(as_of=as_of.isoformat(), partners=rows, totals=totals, currency=company(client)["currency"])


receivables_aging.__doc__ = (
    "What each customer owes (or each vendor is owed) on a day, by days past due: current, 0–30, 31–60, 61–90, "
    f"90+. Definition: {OPEN_RECEIVABLES} (payables alike for vendor bills). A past day counts the payments made "
    "after it as not yet made."
)
