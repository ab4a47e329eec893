"""The scheduler's job functions: plain functions taking `now`, so tests call them with any time.

APScheduler stores each job by its textual reference (`orchestrator.jobs:weekly_audit`) and its
arguments in the persistent job store; the running orchestrator binds `enqueue` so a scheduled request
that comes due is handed to the executor (after a restart the rescan finds it anyway).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mcp_servers.core.audit_log import AuditLog
from mcp_servers.core.vault import Vault

log = logging.getLogger("ai_employee.jobs")
_enqueue: Callable[[str], None] | None = None


def bind(enqueue: Callable[[str], None] | None) -> None:
    """Route due scheduled requests to the running orchestrator (None unbinds)."""
    global _enqueue
    _enqueue = enqueue


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def run_scheduled_request(request_id: str, now: datetime | None = None) -> bool:
    """A scheduled request came due: hand it to the executor. False when no orchestrator is bound."""
    if _enqueue is None:
        log.info("request %s is due, but no executor is running; the next start-up scan runs it", request_id)
        return False
    _enqueue(request_id)
    return True


def audit_sources(vault: Vault) -> Any:
    """The audit's data sources: every service's client and read tools (`skills.audit.adapters`)."""
    from skills.audit.adapters import default_sources

    return default_sources(vault)


def weekly_audit(vault_root: str, now: datetime | None = None) -> Any:
    """Sunday 22:00: the weekly audit and the Monday briefing (`skills.audit`)."""
    from skills.audit import run_weekly_audit

    vault = Vault(vault_root)
    return run_weekly_audit(_now(now), vault, audit_sources(vault))


def archive_logs(vault_root: str, now: datetime | None = None) -> list[Path]:
    """Daily: compress day logs older than 90 days into Logs/Archive/ (never deletes)."""
    written = AuditLog(Vault(vault_root)).archive_old(_now(now).astimezone(UTC).date())
    if written:
        log.info("archived %d day log(s)", len(written))
    return written


def check_tokens(vault_root: str, now: datetime | None = None) -> dict[str, str]:
    """Daily: token expiry of each service. A live token that stops working within 14 days gets a note in
    Needs_Action/ (an alert once it has stopped), once per token and threshold."""
    from orchestrator.tokens import notify, token_statuses

    moment = _now(now)
    vault = Vault(vault_root)
    statuses = token_statuses(vault)
    for note in notify(vault, statuses, moment):
        log.warning("token check: wrote %s", note.name)
    report = {service: expiry.describe(moment) for service, expiry in statuses.items()}
    for service, text in report.items():
        log.info("token check %s: %s", service, text)
    return report


def social_inbox(vault_root: str, now: datetime | None = None) -> Any:
    """Every INBOX_INTERVAL_MINUTES (60): new comments and mentions into Inbox/ (issue 16, `skills.inbox`)."""
    from skills.inbox.collect import run_inbox

    return run_inbox(Vault(vault_root), _now(now))
