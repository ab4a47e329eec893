"""The gate's rules that need no service: when a call may (re)start, what changed since the owner saw
it, what a Done/ file recorded for a call the ledger lost, and how a ledger record reads for the model."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from mcp_servers.core import action_request as ar
from mcp_servers.core.ledger import CallRecord
from mcp_servers.core.status import WriteStatus, answer_for
from mcp_servers.core.vault import APPROVED, DONE, Vault

EARLY_TOLERANCE = timedelta(seconds=60)
RERUN_AFTER = timedelta(minutes=2)  # a lost answer is re-run on a "not found" read only this long after it was sent
LEDGER_MISSED = "it had already run: a read of the service found it, though the ledger had no record of it"


@dataclass(frozen=True)
class Rerun:
    """Whether a call that a read proves never happened may run again: `refused` says why not."""

    call: ar.ToolCall
    refused: str | None


def not_runnable(request: ar.ActionRequest, folder: str, now: datetime) -> str | None:
    """Why a call of `request` may not start (or re-start) now; None if it may: in Approved/, unexpired."""
    if folder != APPROVED:
        return f"request {request.id} is in {folder}/, no longer approved."
    if request.is_expired(now):
        return f"request {request.id} expired at {request.expires:%Y-%m-%d %H:%M} UTC."
    if request.scheduled_for and now < request.scheduled_for - EARLY_TOLERANCE:
        return f"request {request.id} is scheduled for {request.scheduled_for:%Y-%m-%d %H:%M} UTC."
    return None


def too_soon_to_rerun(record: CallRecord, now: datetime) -> str | None:
    """Why a read may not yet prove that a call whose answer was lost never happened: services show a new
    post or record in their reads only after a moment, so "not found" right after is not proof."""
    if record.finished_at is None or now >= record.started_at + RERUN_AFTER:
        return None  # an interrupted call (its process died) or one long enough ago: the read decides
    return (
        f"it was sent at {record.started_at:%H:%M:%S} UTC and a read this soon may not show it yet (too soon to "
        f"re-run it: ask again after {record.started_at + RERUN_AFTER:%H:%M:%S} UTC)"
    )


def binding_changes(expected: dict[str, str], now: dict[str, str]) -> list[str]:
    """Each key whose value differs between what the owner saw and what the service shows now."""
    return [
        f"{key} was {expected.get(key, 'missing')}, now {now.get(key, 'missing')}"
        for key in sorted(expected.keys() | now.keys())
        if now.get(key) != expected.get(key)
    ]


@dataclass(frozen=True)
class Answer:
    """What the gate answers, before the mode label is added."""

    status: WriteStatus
    message: str
    result: dict[str, Any] | None = None
    error: str | None = None


def recorded_in_done(vault: Vault, key: bytes, request: ar.ActionRequest, index: int, service: str) -> Answer | None:
    """For a call the ledger does not know (lost, or the vault synced without it): if its request is
    already in Done/, the outcome recorded there; it is never run again."""
    path = ar.find_request(vault, request.id, (DONE,))
    if path is None:
        return None
    try:
        done = ar.read_request_file(vault, path)
        ar.verify(done.request, key)
    except ar.RequestFileError:
        return None
    if done.request.id != request.id:
        return None
    results = done.state.get("result")
    entry = results[index] if isinstance(results, list) and index < len(results) else None
    entry = entry if isinstance(entry, dict) else {}
    outcome = entry.get("result") if isinstance(entry.get("result"), dict) else None
    if entry.get("status") == "succeeded":
        message = f"Already done earlier ({DONE}/{path.name} records it); this is that result (not sent again)."
        return Answer(answer_for("succeeded", replayed=True), message, outcome)
    error = f"it already ran once and {DONE}/{path.name} records it as {entry.get('status') or 'unknown'}"
    status = answer_for("ambiguous" if entry.get("status") == "ambiguous" else "failed", replayed=True)
    message = f"Not run again: {error}. Check {service}; file a new request if it is still needed."
    return Answer(status, message, outcome, error)


def from_record(record: CallRecord, *, replayed: bool) -> Answer:
    reason = (record.error or record.note or "no reason recorded").rstrip(". ")
    if record.status == "succeeded":
        message = "Already done earlier; this is the stored result (not sent again)." if replayed else "Done."
        message += f" ({record.note})" if record.note else ""
        return Answer(answer_for(record.status, replayed=replayed), message, record.result, record.error)
    if record.status == "failed":
        message = f"Failed: {reason}. Nothing is retried automatically; file a new request to try again."
        return Answer(answer_for(record.status, replayed=replayed), message, record.result, record.error)
    if record.status == "ambiguous":
        message = (
            f"Outcome unknown: {reason}. It was not retried; check the service and tell AI Employee what "
            "happened (see Needs_Action/)."
        )
        return Answer(answer_for(record.status, replayed=replayed), message, record.result, record.error)
    return Answer("in_progress", "Another process is executing this call right now; ask again in a moment.")
