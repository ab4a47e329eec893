"""Facts from the books: revenue by day and month to date, receivables, bills due, cash received."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

from mcp_servers.core.errors import describe
from skills.audit.facts import DayRevenue, OdooFacts, Unavailable
from skills.audit.period import Week
from skills.audit.sources import OdooSource


def data_end(week: Week, now: datetime) -> date:
    """The last day with data: the week's Sunday, or today while the week is still running."""
    return min(week.end, now.astimezone(week.tz).date())


def month_label(day: date) -> str:
    return f"{calendar.month_name[day.month]} {day.year}"


def gather_odoo(source: OdooSource | None, week: Week, now: datetime, reason: str = "") -> OdooFacts | Unavailable:
    if source is None:
        return Unavailable(reason or "Odoo is not configured")
    last = data_end(week, now)
    month_start = last.replace(day=1)
    before = source.rpc_count
    try:
        rows = {r.day: r for r in source.revenue_by_day(min(week.start, month_start), last)}
        receivables = source.receivables(now.astimezone(week.tz).date())
        bills = source.vendor_bills_due(week.briefing_date + timedelta(days=6))
        cash = source.cash_received(week.start, last)
    except Exception as exc:  # a source that is down is reported, never fatal to the audit
        return Unavailable(f"Odoo could not be read: {describe(exc)}")
    return OdooFacts(
        days=[rows.get(day) or DayRevenue(day) for day in week.days],
        month_to_date=round(sum(r.net for d, r in rows.items() if month_start <= d <= last), 2),
        month_label=month_label(month_start),
        month_start=month_start,
        receivables=receivables,
        bills_due=bills,
        cash=cash,
        rpcs=source.rpc_count - before,
    )
