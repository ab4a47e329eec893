"""Facts from the audit log: actions by type and outcome, errors, server restarts, emails handled.

Only the day files the week touches are read (7 or 8 UTC days), archived ones included."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime
from typing import Any

from mcp_servers.core.audit_log import AuditLog
from mcp_servers.core.vault import Vault
from skills.audit.facts import LogFacts
from skills.audit.period import Week

EMAIL_SERVERS = ("email", "gmail", "outlook", "imap")
ERROR_STATUSES = ("failed", "error", "ambiguous")


def _moment(entry: dict[str, Any]) -> datetime | None:
    raw = entry.get("timestamp")
    if not isinstance(raw, str):
        return None
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def status_of(entry: dict[str, Any]) -> str:
    """The outcome a line records: the result's status, else its approval status, else error/ok."""
    result = entry.get("result")
    if isinstance(result, dict) and isinstance(result.get("status"), str):
        return str(result["status"])
    if isinstance(entry.get("approval_status"), str):
        return str(entry["approval_status"])
    return "error" if entry.get("error") else "ok"


def is_restart(action: str) -> bool:
    return "restart" in action.rsplit(".", 1)[-1]


def is_email(action: str) -> bool:
    server, _, verb = action.partition(".")
    return server in EMAIL_SERVERS or (bool(verb) and "email" in verb)


def gather_logs(vault: Vault, week: Week, now: datetime) -> LogFacts:
    log = AuditLog(vault)
    by_action: dict[str, Counter[str]] = defaultdict(Counter)
    restarts: Counter[str] = Counter()
    entries = errors = emails = days = 0
    for day in week.utc_days():
        if day > now.astimezone(UTC).date():
            break
        days += 1
        for entry in log.read_day(day):
            moment = _moment(entry)
            if moment is None or not week.contains(moment) or moment > now:
                continue
            action = str(entry.get("action") or "unknown")
            status = status_of(entry)
            entries += 1
            by_action[action][status] += 1
            if entry.get("error") or status in ERROR_STATUSES:
                errors += 1
            if is_restart(action):
                params = entry.get("parameters")
                server = params.get("server") if isinstance(params, dict) else None
                restarts[str(server or action.split(".", 1)[0])] += 1
            if is_email(action):
                emails += 1
    return LogFacts(
        entries=entries,
        by_action={a: dict(sorted(c.items())) for a, c in sorted(by_action.items())},
        errors=errors,
        restarts=dict(sorted(restarts.items())),
        emails=emails,
        days_read=days,
    )
