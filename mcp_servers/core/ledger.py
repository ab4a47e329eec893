"""The exactly-once ledger: one record per tool call of a request (`<request id>#<n>`).

Files under `vault/.ai_employee/ledger/<request id>/`: `<n>.start` is created atomically (link(2)
fails if it exists), so of any number of processes exactly one starts a call; `<n>.end` is written
atomically when the call finishes. A call with a start and no end is `running` while the process
that started it lives, and `ambiguous` after that process died: it may or may not have reached the
service, and is never re-run blindly.
"""

from __future__ import annotations

import json
import os
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from mcp_servers.core.vault import Vault, atomic_write, create_exclusive

CallStatus = Literal["running", "succeeded", "failed", "ambiguous"]
FINAL = ("succeeded", "failed")


class CallRecord(BaseModel):
    call_id: str
    status: CallStatus
    started_at: datetime
    finished_at: datetime | None = None
    tool: str = ""
    result: dict[str, Any] | None = None
    error: str | None = None
    pid: int = 0
    host: str = ""
    note: str | None = None

    @property
    def finished(self) -> bool:
        return self.status in FINAL


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


class Ledger:
    def __init__(self, vault: Vault) -> None:
        self.root = vault.state_dir / "ledger"

    def _paths(self, call_id: str) -> tuple[Path, Path]:
        request_id, _, index = call_id.partition("#")
        if not request_id or not index.isdigit() or "/" in request_id or request_id.startswith("."):
            raise ValueError(f"not a call id: {call_id!r}")
        folder = self.root / request_id
        return folder / f"{index}.start", folder / f"{index}.end"

    def start(self, call_id: str, tool: str, now: datetime | None = None) -> CallRecord | None:
        """Claim the call. None if this process now owns it; else the existing record."""
        start, _ = self._paths(call_id)
        pid = os.getpid()
        meta = {
            "call_id": call_id,
            "tool": tool,
            "started_at": (now or datetime.now(UTC)).isoformat(),
            "pid": pid,
            "ticks": _proc_start_ticks(pid),
            "host": socket.gethostname(),
        }
        if create_exclusive(start, json.dumps(meta)):
            return None
        return self.lookup(call_id)

    def lookup(self, call_id: str) -> CallRecord | None:
        start, end = self._paths(call_id)
        if end.exists():
            return CallRecord.model_validate_json(end.read_bytes())
        if not start.exists():
            return None
        meta = json.loads(start.read_bytes())
        alive = _alive(int(meta["pid"]), meta.get("ticks"), meta.get("host", ""))
        return CallRecord(
            call_id=call_id,
            status="running" if alive else "ambiguous",
            started_at=meta["started_at"],
            tool=meta.get("tool", ""),
            pid=int(meta["pid"]),
            host=meta.get("host", ""),
            note=None if alive else "the process that started this call stopped before recording an outcome",
        )

    def _finish(self, call_id: str, status: CallStatus, **fields: Any) -> CallRecord:
        start, end = self._paths(call_id)
        meta = json.loads(start.read_bytes()) if start.exists() else {}
        record = CallRecord(
            call_id=call_id,
            status=status,
            started_at=meta.get("started_at") or datetime.now(UTC),
            finished_at=datetime.now(UTC),
            tool=meta.get("tool", ""),
            pid=int(meta.get("pid", 0)),
            host=meta.get("host", ""),
            **fields,
        )
        atomic_write(end, record.model_dump_json())
        return record

    def succeed(self, call_id: str, result: dict[str, Any], note: str | None = None) -> CallRecord:
        return self._finish(call_id, "succeeded", result=result, note=note)

    def fail(self, call_id: str, error: str, details: dict[str, Any] | None = None) -> CallRecord:
        """A call that did not do what it should; `details` keeps what it did do (e.g. posted parts)."""
        return self._finish(call_id, "failed", error=error, result=details)

    def mark_ambiguous(self, call_id: str, reason: str, details: dict[str, Any] | None = None) -> CallRecord:
        """Record that the outcome is unknown; a later read (resolve) may still settle it."""
        return self._finish(call_id, "ambiguous", error=reason, result=details)

    def reclaim(self, call_id: str, record: CallRecord) -> bool:
        """Take over an ambiguous call that a read proved never reached the service. Exactly one
        process wins (keyed by the dead owner), and the winner becomes the call's new owner."""
        start, end = self._paths(call_id)
        marker = start.with_name(f"{start.stem}.reclaim-{record.pid}-{record.started_at.timestamp():.0f}")
        if not create_exclusive(marker, str(os.getpid())):
            return False
        pid = os.getpid()
        meta = {
            "call_id": call_id,
            "tool": record.tool,
            "started_at": datetime.now(UTC).isoformat(),
            "pid": pid,
            "ticks": _proc_start_ticks(pid),
            "host": socket.gethostname(),
        }
        atomic_write(start, json.dumps(meta))
        end.unlink(missing_ok=True)
        return True
