"""The status words of the write path, and how one becomes another, in one place.

- `WriteStatus`: what a write tool answers (`WriteResult.status`).
- `CallStatus`: how one approved call ended, as the ledger (`vault/.ai_employee/ledger`) and the request file in
  Done/ (`result[i].status`) record it; the ledger also has `running` while it runs (`LedgerStatus`).
- `RequestStatus`: a whole request in Done/ (`status:`), from its calls' statuses.

These values are stored in users' vaults: add a word if needed, never rename or remove one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

WriteStatus = Literal["preview", "filed", "executed", "replayed", "failed", "ambiguous", "in_progress"]
CallStatus = Literal["succeeded", "failed", "ambiguous"]
LedgerStatus = Literal["running", CallStatus]
RequestStatus = Literal["succeeded", "partial", "failed", "ambiguous"]


def answer_for(call: CallStatus, *, replayed: bool) -> WriteStatus:
    """What a write tool answers for a call that ended with `call` (`replayed`: it ended before this ask)."""
    if call == "succeeded":
        return "replayed" if replayed else "executed"
    return call


def call_status(answer: WriteStatus) -> CallStatus | None:
    """How a call ended, read from its tool's answer; None while it still runs elsewhere (`in_progress`).
    Any answer other than done or unknown (`preview`, `filed` to an approved call) counts as failed."""
    if answer in ("executed", "replayed"):
        return "succeeded"
    if answer == "in_progress":
        return None
    return "ambiguous" if answer == "ambiguous" else "failed"


def request_status(calls: Iterable[CallStatus]) -> RequestStatus:
    """A request's status from its calls': ambiguous if any is, else succeeded, failed or partial."""
    statuses = set(calls)
    if "ambiguous" in statuses:
        return "ambiguous"
    if statuses == {"succeeded"}:
        return "succeeded"
    return "failed" if "succeeded" not in statuses else "partial"
