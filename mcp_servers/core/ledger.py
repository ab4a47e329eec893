"""The exactly-once ledger: one record per tool call of a request (`<request id>#<n>`).

Files under `vault/.ai_employee/ledger/<request id>/`: `<n>.start` is created atomically (link(2)
fails if it exists), so of any number of processes exactly one starts a call; `<n>.end` is written
atomically when the call finishes. A call with a start and no end is `running` while the process
that started it lives, and `ambiguous` after that process died (or, on another machine, after
`stale_after` without news): it may or may not have reached the service, and is never re-run blindly.

Each start carries a random owner token. An outcome is written only on behalf of the token the start
file holds at that moment, under a per-call lock, and never over a final one: a process that lost a
race to take over an interrupted call can never record an outcome for the call its winner is running.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from mcp_servers.core.redaction import scrub
from mcp_servers.core.status import LedgerStatus
from mcp_servers.core.vault import Vault, atomic_write, create_exclusive, file_lock

FINAL = ("succeeded", "failed")
STALE_AFTER = timedelta(hours=1)


class CallRecord(BaseModel):
    call_id: str
    status: LedgerStatus
    started_at: datetime
    finished_at: datetime | None = None
    tool: str = ""
    result: dict[str, Any] | None = None
    error: str | None = None
    pid: int = 0
    host: str = ""
    note: str | None = None
    owner: str = ""

    @property
    def finished(self) -> bool:
        return self.status in FINAL

    @property
    def elsewhere(self) -> bool:
        """Started on another machine (or before this one was renamed): its process cannot be checked."""
        return bool(self.host) and self.host != socket.gethostname()


def _proc_start_ticks(pid: int) -> str | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]  # field 22: start time, tells a reused pid apart


def _alive(pid: int, ticks: str | None, host: str) -> bool:
    if host != socket.gethostname():
        return True  # cannot tell for another machine: treat as running, never as safe to re-run
    if ticks is not None:
        return _proc_start_ticks(pid) == ticks
    return process_alive(pid)


def process_alive(pid: object) -> bool:
    """Whether a process with this pid exists on this machine (one of another user counts)."""
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def new_owner() -> str:
    return secrets.token_hex(8)


def _start_meta(call_id: str, tool: str, started_at: datetime, owner: str) -> str:
    pid = os.getpid()
    meta = {
        "call_id": call_id,
        "tool": tool,
        "started_at": started_at.isoformat(),
        "pid": pid,
        "ticks": _proc_start_ticks(pid),
        "host": socket.gethostname(),
        "owner": owner,
    }
    return json.dumps(meta)


class Ledger:
    def __init__(
        self,
        vault: Vault,
        *,
        stale_after: timedelta = STALE_AFTER,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.root = vault.state_dir / "ledger"
        self.stale_after = stale_after
        self.clock = clock
        self.born  # noqa: B018 - mark the ledger's start now, before anything is filed against it

    @property
    def born(self) -> datetime:
        """When this ledger was first used (a call it does not know may have run just before then). Read
        each time, so a ledger folder deleted while a server runs is noticed as a new ledger at once."""
        marker = self.root / ".born"
        try:
            if not marker.exists():
                create_exclusive(marker, self.clock().replace(microsecond=0).isoformat())
            return datetime.fromisoformat(marker.read_text().strip())
        except (OSError, ValueError):  # unreadable or read-only: treat the ledger as new (more reads, never fewer)
            return self.clock().replace(microsecond=0)

    def note_filed(self, request_id: str) -> None:
        """Remember that this ledger saw the request filed: if the ledger is lost later, the mark goes with it."""
        try:
            folder = self.root / request_id
            folder.mkdir(parents=True, exist_ok=True)
            create_exclusive(folder / "filed", self.clock().isoformat())
        except OSError:  # no mark only means one more read before the request runs
            pass

    def may_have_missed(self, request_id: str) -> bool:
        """Whether the request's calls may have run without this ledger knowing: it was not filed under this ledger
        (the ledger was lost or is new on this machine, or the request predates the mark)."""
        return not (self.root / request_id / "filed").exists()

    def _paths(self, call_id: str) -> tuple[Path, Path]:
        request_id, _, index = call_id.partition("#")
        if not request_id or not index.isdigit() or "/" in request_id or request_id.startswith("."):
            raise ValueError(f"not a call id: {call_id!r}")
        folder = self.root / request_id
        return folder / f"{index}.start", folder / f"{index}.end"

    @contextmanager
    def _locked(self, call_id: str) -> Iterator[tuple[Path, Path]]:
        start, end = self._paths(call_id)
        with file_lock(start.with_suffix(".lock")):
            yield start, end

    def start(self, call_id: str, tool: str, now: datetime | None = None, *, owner: str = "") -> CallRecord | None:
        """Claim the call for `owner` (a `new_owner()` token). None if it is now ours; else the existing record."""
        start, _ = self._paths(call_id)
        if create_exclusive(start, _start_meta(call_id, tool, now or datetime.now(UTC), owner or new_owner())):
            return None
        return self.lookup(call_id)

    def lookup(self, call_id: str) -> CallRecord | None:
        start, end = self._paths(call_id)
        if end.exists():
            return CallRecord.model_validate_json(end.read_bytes())
        if not start.exists():
            return None
        meta = json.loads(start.read_bytes())
        record = CallRecord(
            call_id=call_id,
            status="running",
            started_at=meta["started_at"],
            tool=meta.get("tool", ""),
            pid=int(meta["pid"]),
            host=meta.get("host", ""),
            owner=meta.get("owner", ""),
        )
        if not _alive(record.pid, meta.get("ticks"), record.host):
            note = "the process that started this call stopped before recording an outcome"
            return record.model_copy(update={"status": "ambiguous", "note": note})
        if record.elsewhere and datetime.now(UTC) - record.started_at > self.stale_after:
            note = (
                f"it was started on machine {record.host!r} (process {record.pid}) at "
                f"{record.started_at:%Y-%m-%d %H:%M} UTC and has not finished since; that machine may be gone "
                "or renamed, so it is not re-run"
            )
            return record.model_copy(update={"status": "ambiguous", "note": note})
        return record

    def _finish(self, call_id: str, status: LedgerStatus, owner: str | None, **fields: Any) -> CallRecord:
        """Record the outcome for the start held by `owner` (None: a start this process made). Anyone
        else's start, or an outcome already final, is left alone and returned as it is."""
        with self._locked(call_id) as (start, end):
            meta = json.loads(start.read_bytes()) if start.exists() else {}
            mine = meta.get("owner", "") == owner if owner is not None else _started_here(meta)
            current = self.lookup(call_id)
            if current is None:
                raise LookupError(f"call {call_id} was never started, so it has no outcome to record")
            if not mine or current.finished:
                return current
            record = CallRecord(
                call_id=call_id,
                status=status,
                started_at=meta.get("started_at") or datetime.now(UTC),
                finished_at=datetime.now(UTC),
                tool=meta.get("tool", ""),
                pid=int(meta.get("pid", 0)),
                host=meta.get("host", ""),
                owner=meta.get("owner", ""),
                **scrub(fields),
            )
            atomic_write(end, record.model_dump_json())
            return record

    def succeed(
        self, call_id: str, result: dict[str, Any], note: str | None = None, *, owner: str | None = None
    ) -> CallRecord:
        return self._finish(call_id, "succeeded", owner, result=result, note=note)

    def fail(
        self, call_id: str, error: str, details: dict[str, Any] | None = None, *, owner: str | None = None
    ) -> CallRecord:
        """A call that did not do what it should; `details` keeps what it did do (e.g. posted parts)."""
        return self._finish(call_id, "failed", owner, error=error, result=details)

    def mark_ambiguous(
        self, call_id: str, reason: str, details: dict[str, Any] | None = None, *, owner: str | None = None
    ) -> CallRecord:
        """Record that the outcome is unknown; a later read (resolve) may still settle it."""
        return self._finish(call_id, "ambiguous", owner, error=reason, result=details)

    def reclaim(self, call_id: str, record: CallRecord) -> str | None:
        """Take over an ambiguous call that a read proved never reached the service: the new owner token,
        or None if it is not ours to take (someone took it first, it finished, it is still running, or
        its owner is on another machine and might still be)."""
        with self._locked(call_id) as (start, end):
            current = self.lookup(call_id)
            if current is None or current.status != "ambiguous" or current.owner != record.owner:
                return None
            if current.elsewhere:
                return None
            owner = new_owner()
            atomic_write(start, _start_meta(call_id, record.tool, datetime.now(UTC), owner))
            end.unlink(missing_ok=True)
            return owner


def _started_here(meta: dict[str, Any]) -> bool:
    return meta.get("pid") == os.getpid() and meta.get("host") == socket.gethostname()
