"""The briefing brings drafted work (issue 16 item 4): for the suggestions that name a payment reminder or a
reply, the audit files the request (through the services' own tools and the approval gate) and the
briefing links it next to the suggestion. Limits: at most `AUDIT_MAX_DRAFTS_PER_WEEK` per week; never
a request for something that already has one waiting; a reminder within the cooldown is refused by the
tool itself (the reason is shown); nothing is filed when the source is unavailable (no suggestion).

What was filed for a week is recorded in `vault/.ai_employee/audit_drafts.json`, so running the audit
again for the same week links the same requests and files nothing new (same bytes)."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from mcp_servers.core.errors import ServiceError
from mcp_servers.core.settings import _Base
from mcp_servers.core.untrusted import md_inline
from mcp_servers.core.vault import APPROVED, PENDING, Vault, atomic_write
from skills.audit.suggestions import Suggestion

log = logging.getLogger("ai_employee.audit")
RECORD_FILE = "audit_drafts.json"


class AuditSettings(_Base):
    """AUDIT_* variables: what the weekly audit may draft for the owner."""

    model_config = SettingsConfigDict(
        env_prefix="AUDIT_", extra="ignore", env_file_encoding="utf-8", validate_default=True
    )
    max_drafts_per_week: int = Field(default=5, ge=0, le=50, description="Requests the audit files per week")
    reply_after_hours: float = Field(default=24, ge=0, description="Draft replies to comments waiting this long")


class DraftFiler(Protocol):
    """Files one request and returns its file name without `.md`; raises ServiceError when refused."""

    def reminder(self, invoice_id: int) -> str: ...

    def reply(self, conversation: str, text: str) -> str: ...


def _key(s: Suggestion) -> str | None:
    if s.reminder_for is not None:
        return f"reminder:{s.reminder_for}"
    return f"reply:{s.reply_to}" if s.reply_to else None


def _load(vault: Vault) -> dict[str, Any]:
    path = vault.state_path(RECORD_FILE)
    return json.loads(path.read_text("utf-8")) if path.exists() else {"weeks": {}}


def _still_open(vault: Vault, stem: str) -> bool:
    return any((vault.folder(folder) / f"{stem}.md").exists() for folder in (PENDING, APPROVED))


def _open_drafts(vault: Vault, record: dict[str, Any]) -> dict[str, str]:
    """Requests filed in earlier weeks that still wait (pending or approved, not yet run)."""
    found: dict[str, str] = {}
    for week in record["weeks"].values():
        for key, outcome in week.items():
            if outcome.get("link") and _still_open(vault, outcome["link"]):
                found[key] = outcome["link"]
    return found


def _file(s: Suggestion, filer: DraftFiler, reply_text: str) -> dict[str, str]:
    try:
        if s.reminder_for is not None:
            return {"link": filer.reminder(s.reminder_for)}
        return {"link": filer.reply(str(s.reply_to), reply_text)}
    except ServiceError as exc:
        log.info("audit: not drafted (%s): %s", _key(s), exc.message)
        return {"skipped": exc.message}


def attach_drafts(
    suggestions: list[Suggestion],
    vault: Vault,
    week_label: str,
    filer: DraftFiler | None,
    replies: dict[str, str],
    limit: int,
) -> list[Suggestion]:
    """The suggestions with their filed requests linked (filing them the first time this week runs)."""
    record = _load(vault)
    outcomes: dict[str, dict[str, str]] | None = record["weeks"].get(week_label)
    if outcomes is None:
        if filer is None:
            return suggestions
        outcomes, waiting = {}, _open_drafts(vault, record)
        for s in sorted(suggestions, key=lambda s: s.rank):
            key = _key(s)
            if key is None or len([o for o in outcomes.values() if "link" in o]) >= limit:
                continue
            outcomes[key] = {"link": waiting[key]} if key in waiting else _file(s, filer, replies.get(key, ""))
        record["weeks"][week_label] = outcomes
        atomic_write(vault.state_path(RECORD_FILE), json.dumps(record, indent=1, sort_keys=True))
    return [_with(s, outcomes.get(_key(s) or "", {})) for s in suggestions]


def _with(s: Suggestion, outcome: dict[str, str]) -> Suggestion:
    if "link" in outcome:
        return replace(s, link=outcome["link"])
    if "skipped" in outcome:
        return replace(s, text=f"{s.text} Not drafted: {md_inline(outcome['skipped'], 200)}")
    return s


def reply_suggestions(vault: Vault, now: datetime, older_than: timedelta, limit: int) -> list[Suggestion]:
    """One suggestion per conversation waiting longer than `older_than` (oldest first, `limit` at most),
    and one line for the rest."""
    from skills.inbox.drafts import waiting
    from skills.inbox.model import LABELS

    rows = waiting(vault, now, older_than)
    out = []
    for w in rows[:limit]:
        hours = (now - w.since).total_seconds() / 3600
        age = f"{hours / 24:.0f} days" if hours >= 48 else f"{hours:.0f} h"
        text = f"Reply to {md_inline(w.author, 60)} on {LABELS[w.platform]} (waiting {age})."
        out.append(Suggestion(text, waiting_hours=hours, reply_to=w.key))
    if len(rows) > limit:
        out.append(Suggestion(f"{len(rows) - limit} more customers wait more than a day: run `/inbox` in Claude Code."))
    return out
