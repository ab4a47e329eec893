"""The weekly business and accounting audit, written as the Monday CEO briefing (no model involved).

`run_weekly_audit(now, vault)` is what the scheduler's Sunday 22:00 job and `ai-employee audit` call."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from mcp_servers.core.settings import CoreSettings
from mcp_servers.core.vault import BRIEFINGS, Vault
from skills.audit.drafting import AuditSettings, DraftFiler, attach_drafts, reply_suggestions
from skills.audit.facts import OdooFacts, PlatformFacts, Unavailable
from skills.audit.figures import Figures, compute
from skills.audit.goals import read_goals
from skills.audit.log_facts import gather_logs
from skills.audit.odoo_facts import gather_odoo
from skills.audit.period import Week, last_complete_week, parse_week, scheduled_week, week_containing, zone
from skills.audit.render import Briefing, render
from skills.audit.social_facts import gather_social
from skills.audit.sources import OdooSource, SocialSource, Sources
from skills.audit.suggestions import suggest
from skills.audit.vault_facts import gather_vault
from skills.inbox.drafts import Waiting, default_text, waiting

__all__ = [
    "AuditResult",
    "OdooSource",
    "SocialSource",
    "Sources",
    "Week",
    "briefing_path",
    "last_complete_week",
    "parse_week",
    "run_weekly_audit",
    "scheduled_week",
    "week_containing",
    "zone",
]


@dataclass(frozen=True)
class AuditResult:
    path: Path
    week: Week
    figures: Figures
    odoo_rpcs: int | None
    written: bool  # False when the note already had exactly this content


def briefing_path(vault: Vault, week: Week) -> Path:
    return vault.folder(BRIEFINGS) / f"{week.briefing_date.isoformat()}_Monday_Briefing.md"


def build_briefing(now: datetime, vault: Vault, sources: Sources, week: Week) -> Briefing:
    goals = read_goals(vault)
    vault_facts = gather_vault(vault, week, now)
    logs = gather_logs(vault, week, now)
    odoo: OdooFacts | Unavailable = gather_odoo(sources.odoo, week, now, sources.unavailable.get("Odoo", ""))
    social: dict[str, PlatformFacts | Unavailable] = dict(gather_social(sources.social, week, now))
    for name, reason in sources.unavailable.items():
        if name != "Odoo":
            social.setdefault(name, Unavailable(reason))
    social = dict(sorted(social.items()))
    figures = compute(week, now, goals, vault_facts, logs, odoo, social)
    ideas = suggest(week, now, goals, vault_facts, logs, odoo, social, figures)
    waiting = inbox_waiting(vault, now)
    if waiting is not None:
        settings = AuditSettings()
        older = timedelta(hours=settings.reply_after_hours)
        ideas += reply_suggestions(vault, now, older, max(settings.max_drafts_per_week, 1))
    return Briefing(week, now, goals, vault_facts, logs, odoo, social, figures, ideas, waiting)


def inbox_waiting(vault: Vault, now: datetime) -> list[Waiting] | None:
    """The social inbox's waiting conversations, or None when it has never run."""
    from skills.inbox.store import STATE_FILE

    if not vault.state_path(STATE_FILE).exists():
        return None
    return sorted(waiting(vault, now), key=lambda w: w.since)


def with_drafts(b: Briefing, vault: Vault, filer: DraftFiler | None) -> Briefing:
    """File (once per week) the requests the suggestions name, and link them."""
    replies = {f"reply:{w.key}": default_text(w) for w in b.waiting or []}
    limit = AuditSettings().max_drafts_per_week
    linked = attach_drafts(b.suggestions, vault, b.week.label, filer, replies, limit)
    return replace(b, suggestions=linked)


def run_weekly_audit(
    now: datetime, vault: Vault | str | Path, sources: Sources | None = None, *, week: Week | None = None
) -> AuditResult:
    """Write `Briefings/<Monday>_Monday_Briefing.md` for `week` (default: the week that ends on the
    latest Sunday on or before `now`, local time) and return where. Same inputs, same bytes."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    vault = vault if isinstance(vault, Vault) else Vault(vault)
    week = week or scheduled_week(now, zone(CoreSettings().timezone))
    if sources is None:
        from skills.audit.adapters import default_sources

        sources = default_sources(vault)
    briefing = with_drafts(build_briefing(now, vault, sources, week), vault, sources.filer)
    text = render(briefing)
    path = briefing_path(vault, week)
    try:
        unchanged = path.read_text("utf-8") == text
    except (OSError, UnicodeDecodeError):
        unchanged = False
    if not unchanged:
        vault.atomic_write(path, text)
    rpcs = briefing.odoo.rpcs if isinstance(briefing.odoo, OdooFacts) else None
    return AuditResult(path, week, briefing.figures, rpcs, not unchanged)
