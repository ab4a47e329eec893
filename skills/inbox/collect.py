"""The scheduled inbox job: read what is new on each platform since the last run, merge it into the
stored conversations, and rewrite their notes in `Inbox/`. A platform that cannot be read is reported
and skipped; the others still run. X's reads are counted (cap per day, estimated cost per month)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from mcp_servers.core.errors import ServiceError, describe
from mcp_servers.core.vault import Vault
from skills.inbox import readers, store
from skills.inbox.notes import write_notes
from skills.inbox.settings import InboxSettings

log = logging.getLogger("ai_employee.inbox")
Source = Callable[[store.InboxState, datetime, InboxSettings], readers.Batch] | str  # a reader, or why not


@dataclass
class InboxRun:
    new_messages: dict[str, int] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)
    notes_written: int = 0
    waiting: int = 0
    x_reads_month: int = 0
    x_cost_month: Decimal = Decimal("0")


def _client_reader(name: str, reader: Callable[..., readers.Batch], vault: Vault) -> Source:
    try:
        from mcp_servers.core.service import load_service

        client = load_service(name).client(vault)
    except Exception as exc:  # not configured, not installed, emulator failed: reported, never raised
        return describe(exc)
    api = getattr(client, "api", client)  # X's tools get a bundle; the reads need its API client
    return lambda state, now, settings: reader(api, state, now, settings)


def default_sources(vault: Vault) -> dict[str, Source]:
    return {
        "facebook": _client_reader("facebook", readers.read_facebook, vault),
        "instagram": _client_reader("instagram", readers.read_instagram, vault),
        "twitter": _client_reader("twitter", readers.read_x, vault),
    }


X_PRICE_PER_READ = Decimal("0.001")  # an owned read (mentions, own posts) on X's pay-per-use, reference §7


def _price() -> Decimal:
    return X_PRICE_PER_READ


def _read_one(
    name: str, source: Source, state: store.InboxState, now: datetime, settings: InboxSettings, run: InboxRun
) -> None:
    if isinstance(source, str):
        run.unavailable[name] = source
        return
    before = {k: len(c.messages) for k, c in state.conversations.items()}
    try:
        batch = source(state, now, settings)
    except ServiceError as exc:
        run.unavailable[name] = exc.message
        return
    for conv in batch.conversations:
        state.conversations[conv.key] = conv
    for key in batch.deleted:
        state.conversations[key].deleted = True
    if batch.reads:
        state.count_x_reads(now, batch.reads, _price())
    if batch.note:
        run.unavailable[name] = batch.note
    run.new_messages[name] = sum(
        len(c.messages) - before.get(k, 0) for k, c in state.conversations.items() if c.platform == name
    )
    state.cursors.setdefault(name, {})["last_run"] = now.isoformat()


def run_inbox(
    vault: Vault, now: datetime, sources: dict[str, Source] | None = None, settings: InboxSettings | None = None
) -> InboxRun:
    settings = settings or InboxSettings()
    sources = sources if sources is not None else default_sources(vault)
    run = InboxRun()
    with store.updating(vault) as state:
        for name, source in sources.items():
            _read_one(name, source, state, now, settings, run)
        conversations = list(state.conversations.values())
        run.notes_written = len(write_notes(vault, conversations, now))
        run.waiting = sum(1 for c in conversations if c.waiting_since() is not None)
        run.x_reads_month, run.x_cost_month = state.x_month(now)
    for name, reason in run.unavailable.items():
        log.warning("inbox: %s: %s", name, reason)
    log.info("inbox: %s new, %d waiting, %d notes written", run.new_messages, run.waiting, run.notes_written)
    return run


def summary(run: InboxRun) -> dict[str, Any]:
    return {
        "new": run.new_messages,
        "waiting": run.waiting,
        "notes_written": run.notes_written,
        "unavailable": run.unavailable,
        "x_reads_month": run.x_reads_month,
        "x_cost_month_usd": str(run.x_cost_month),
    }
