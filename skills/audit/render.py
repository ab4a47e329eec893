"""The briefing note: typed front matter (numbers agreeing with the text), then the sections."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from skills.audit import sections
from skills.audit.facts import Goals, LogFacts, OdooFacts, PlatformFacts, Unavailable, VaultFacts
from skills.audit.figures import Figures
from skills.audit.fmt import long_day, number
from skills.audit.period import Week
from skills.audit.suggestions import Suggestion
from skills.inbox.drafts import Waiting

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class Briefing:
    """Everything the note is made from."""

    week: Week
    now: datetime
    goals: Goals
    vault: VaultFacts
    logs: LogFacts
    odoo: OdooFacts | Unavailable
    social: dict[str, PlatformFacts | Unavailable]
    figures: Figures
    suggestions: list[Suggestion]
    waiting: list[Waiting] | None = None  # the inbox's unanswered conversations; None: it never ran


def _money(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _scalar(value: object) -> str:
    """One YAML value Obsidian types correctly: numbers bare, dates ISO, text quoted when needed."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return number(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    text = str(value)
    return text if _PLAIN.fullmatch(text) else json.dumps(text, ensure_ascii=False)


def yaml_front(fields: dict[str, Any]) -> str:
    lines = []
    for key, value in fields.items():
        if isinstance(value, list):
            lines.append(f"{key}: [{', '.join(_scalar(v) for v in value)}]")
        else:
            lines.append(f"{key}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


def front_matter(b: Briefing) -> dict[str, Any]:
    f, odoo = b.figures, b.odoo if isinstance(b.odoo, OdooFacts) else None
    return {
        "type": "ceo_briefing",
        "period_start": b.week.start,
        "period_end": b.week.end,
        "week": b.week.label,
        "generated": b.now.astimezone(b.week.tz).replace(tzinfo=None, microsecond=0),
        "currency": b.goals.currency,
        "revenue_week": _money(f.revenue_week),
        "revenue_month_to_date": _money(f.revenue_mtd),
        "revenue_target": _money(b.goals.weekly_revenue_target),
        "revenue_target_month": _money(b.goals.monthly_revenue_target),
        "target_progress_pct": f.target_pct,
        "invoices_issued": odoo.invoices_issued if odoo else None,
        "cash_received": _money(odoo.cash.received) if odoo else None,
        "receivables_open": _money(odoo.receivables.open_amount) if odoo else None,
        "receivables_overdue": _money(odoo.receivables.overdue_amount) if odoo else None,
        "actions": b.logs.entries,
        "errors": b.logs.errors,
        "requests_done": f.done,
        "requests_failed": f.failed,
        "requests_ambiguous": f.ambiguous,
        "requests_rejected": f.rejected,
        "pending_approvals": f.pending,
        "posts": f.posts,
        "engagement": f.engagement,
        "emails_processed": b.logs.emails,
        "status": f.status,
        "sources_unavailable": f.unavailable,
        "tags": ["briefing", "weekly"],
    }


def _footer(b: Briefing) -> str:
    read = ["the vault", "the logs"]
    read += ["Odoo"] if isinstance(b.odoo, OdooFacts) else []
    read += [name for name, p in b.social.items() if isinstance(p, PlatformFacts)]
    rpc = f" Odoo was read in {b.odoo.rpcs} calls." if isinstance(b.odoo, OdooFacts) else ""
    return (
        "---\n"
        f"*Written by AI Employee from {', '.join(read)}, with no model involved.{rpc} Run "
        f"`ai-employee audit --week {b.week.label}` to rewrite it; Claude can add commentary below.*"
    )


def render(b: Briefing) -> str:
    front = yaml_front(front_matter(b))
    monday = b.week.briefing_date
    title = f"# Monday Briefing: {monday.day} {monday:%B} {monday.year}"
    period = (
        f"Week {b.week.label}, {long_day(b.week.start)} to {long_day(b.week.end)} ({b.week.tz.key}); "
        f"generated {b.now.astimezone(b.week.tz):%Y-%m-%d %H:%M}."
    )
    down = {"Odoo": b.odoo.reason} if isinstance(b.odoo, Unavailable) else {}
    down |= {name: p.reason for name, p in b.social.items() if isinstance(p, Unavailable)}
    parts = [
        f"---\n{front}---",
        title,
        period,
        sections.glance(b.figures, b.goals, b.odoo, b.logs, b.vault),
        sections.revenue(b.odoo, b.goals, b.figures),
        sections.receivables(b.odoo, b.goals),
        sections.social_media(b.social),
        sections.bottlenecks(b.vault, b.goals, b.now, down),
        sections.customers_waiting(b.waiting, b.now),
        sections.suggestions(b.suggestions),
        sections.project_status(b.vault, b.goals),
        _footer(b),
    ]
    return "\n\n".join(parts) + "\n"
