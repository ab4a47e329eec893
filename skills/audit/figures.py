"""The headline figures, computed once so the front matter and the text always agree."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime

from skills.audit.facts import Goals, LogFacts, OdooFacts, PlatformFacts, Unavailable, VaultFacts
from skills.audit.odoo_facts import data_end
from skills.audit.period import Week
from skills.audit.vault_facts import age_hours


@dataclass(frozen=True)
class Figures:
    revenue_week: float | None
    revenue_mtd: float | None
    target_pct: float | None  # revenue_week as a % of the weekly target
    month_pace: float | None  # the monthly target pro rata to the days of the month with data
    status: str  # on_track | at_risk | behind | no_target | unknown
    done: int
    failed: int
    ambiguous: int
    rejected: int
    pending: int
    pending_late: int
    error_rate: float | None
    posts: int | None
    engagement: int | None
    turnaround_h: float | None
    unavailable: list[str]


def _status(pct: float | None, has_odoo: bool) -> str:
    if not has_odoo:
        return "unknown"
    if pct is None:
        return "no_target"
    return "on_track" if pct >= 100 else "at_risk" if pct >= 80 else "behind"


def compute(
    week: Week,
    now: datetime,
    goals: Goals,
    vault: VaultFacts,
    logs: LogFacts,
    odoo: OdooFacts | Unavailable,
    social: dict[str, PlatformFacts | Unavailable],
) -> Figures:
    books = odoo if isinstance(odoo, OdooFacts) else None
    revenue = books.revenue_week if books else None
    target = goals.weekly_revenue_target
    pct = round(100 * revenue / target, 1) if revenue is not None and target else None
    pace = None
    if books and goals.monthly_revenue_target:
        last = data_end(week, now)
        days_in_month = calendar.monthrange(last.year, last.month)[1]
        pace = round(goals.monthly_revenue_target * last.day / days_in_month, 2)
    platforms = [p for p in social.values() if isinstance(p, PlatformFacts)]
    statuses = [i.status for i in vault.finished]
    turnaround = vault.turnaround_hours
    return Figures(
        revenue_week=revenue,
        revenue_mtd=books.month_to_date if books else None,
        target_pct=pct,
        month_pace=pace,
        status=_status(pct, books is not None),
        done=sum(1 for s in statuses if s in ("succeeded", "partial")),
        failed=statuses.count("failed"),
        ambiguous=statuses.count("ambiguous"),
        rejected=statuses.count("rejected"),
        pending=len(vault.pending),
        pending_late=sum(1 for i in vault.pending if age_hours(i, now) > goals.max_approval_wait_hours),
        error_rate=round(logs.errors / logs.entries, 4) if logs.entries else None,
        posts=sum(len(p.posts) for p in platforms) if platforms else None,
        engagement=sum(p.engagement for p in platforms) if platforms else None,
        turnaround_h=round(sum(turnaround) / len(turnaround), 1) if turnaround else None,
        unavailable=sorted(
            ["Odoo"] * (books is None) + [name for name, p in social.items() if isinstance(p, Unavailable)]
        ),
    )
