"""The audit log: `Logs/YYYY-MM-DD.json`, one JSON object per line (UTC day files).

Appends are safe across processes (one `write()` of a whole line under an exclusive lock). Content is
referenced by `sha256:` hash; anything that looks like a secret, and every configured secret value, is
redacted before it is written.
Day files older than 90 days are compressed into `Logs/Archive/`; nothing is ever deleted. A line that
cannot be written (a full disk) never stops an action: `record()` leaves the file whole and alerts the owner.
"""

from __future__ import annotations

import errno
import gzip
import hashlib
import json
import logging
import os
import re
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from mcp_servers.core.redaction import scrub
from mcp_servers.core.vault import LOGS, NEEDS_ACTION, Vault, create_exclusive, file_lock

log = logging.getLogger("ai_employee.audit_log")
ARCHIVE_AFTER_DAYS = 90
_SECRET_KEYS = re.compile(r"(token|secret|password|passwd|api_?key|authorization|signature|cookie)", re.I)
_CONTENT_KEYS = frozenset({"message", "text", "texts", "caption", "body", "content", "comment", "note"})
_DAY_FILE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.json$")


def content_hash(value: Any) -> str:
    data = value if isinstance(value, str) else json.dumps(value, sort_keys=True, ensure_ascii=False)
    return "sha256:" + hashlib.sha256(data.encode("utf-8")).hexdigest()


def redact(value: Any, key: str = "") -> Any:
    """Secrets become "[redacted]"; free text becomes its sha256 (logs keep no content)."""
    if key and _SECRET_KEYS.search(key):
        return "[redacted]" if value not in (None, "") else value
    if key in _CONTENT_KEYS and value not in (None, ""):
        return content_hash(value)
    if isinstance(value, dict):
        return {k: redact(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(item) for item in value]
    return value


class AuditLog:
    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self.folder = vault.folder(LOGS)
        self.lock_path = vault.state_dir / "locks" / "logs.lock"

    def day_file(self, day: date) -> Path:
        return self.folder / f"{day.isoformat()}.json"

    def append(
        self,
        action: str,
        *,
        actor: str,
        parameters: dict[str, Any] | None = None,
        result: Any = None,
        approval_status: str | None = None,
        duration_ms: float | None = None,
        error: str | None = None,
        now: datetime | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        moment = (now or datetime.now(UTC)).astimezone(UTC)
        entry = {
            "timestamp": moment.isoformat().replace("+00:00", "Z"),
            "action": action,
            "actor": actor,
            "parameters": redact(parameters or {}),
            "result": redact(result),
            "approval_status": approval_status,
            "duration_ms": round(duration_ms, 1) if duration_ms is not None else None,
            "error": error,
            **{k: redact(v, k) for k, v in extra.items()},
        }
        entry = dict(scrub(entry))
        line = (json.dumps(entry, ensure_ascii=False, default=str) + "\n").encode("utf-8")
        path = self.day_file(moment.date())
        self.folder.mkdir(parents=True, exist_ok=True)
        with file_lock(self.lock_path):
            fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                size = os.fstat(fd).st_size
                if size and os.pread(fd, 1, size - 1) != b"\n":  # a torn line left by a crash: end it
                    line = b"\n" + line
                written = os.write(fd, line)
                if written != len(line):  # a short write (disk full) must not leave half a line
                    os.ftruncate(fd, size)
                    raise OSError(errno.ENOSPC, f"{os.strerror(errno.ENOSPC)} (a short write, undone)")
            finally:
                os.close(fd)
        return entry

    def record(self, action: str, **fields: Any) -> dict[str, Any] | None:
        """`append`, except that a line that cannot be written (disk full, read-only) never stops the
        caller: the action has happened and its result is in the vault; the owner is told the log has a gap."""
        try:
            return self.append(action, **fields)
        except OSError as exc:
            self.alert(action, exc)
            return None

    def alert(self, action: str, exc: OSError) -> None:
        reason = exc.strerror or str(exc) or type(exc).__name__
        log.error("could not write the audit log line for %s: %s", action, reason)
        folder = self.vault.folder(NEEDS_ACTION)
        now = datetime.now(UTC)
        try:
            if any(folder.glob("*_alert_audit_log.md")):  # one note until the owner deletes it
                return
            create_exclusive(
                folder / f"{now:%Y-%m-%d}_alert_audit_log.md",
                f'---\ntype: alert\ncreated: {now.isoformat()}\nkey: "audit_log"\n---\n'
                f"# The audit log could not be written\n\n"
                f"AI Employee could not add a line to `Logs/{now:%Y-%m-%d}.json` ({reason}; first for `{action}`). "
                "Approved actions still run and their results are written into Done/, but the log misses "
                "those lines. Free space on the vault's disk (or make Logs/ writable again), then delete "
                "this note.\n",
            )
        except OSError:  # the disk is full for notes too: the process log above is all that is left
            pass

    def read_day(self, day: date) -> Iterator[dict[str, Any]]:
        """Entries of one day (skipping a damaged line rather than failing the whole day)."""
        path = self.day_file(day)
        if path.exists():
            opener = open
        else:
            path = self.folder / "Archive" / f"{day.isoformat()}.json.gz"
            if not path.exists():
                return
            opener = gzip.open  # type: ignore[assignment]
        with opener(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if isinstance(entry, dict):
                    yield entry

    def archive_old(self, today: date, days: int = ARCHIVE_AFTER_DAYS) -> list[Path]:
        """Compress day files older than `days` into Logs/Archive/ (the original goes only once the
        compressed copy is complete). Returns the archive files written."""
        archive = self.folder / "Archive"
        cutoff = today - timedelta(days=days)
        written = []
        for path in sorted(self.folder.glob("*.json")):
            match = _DAY_FILE.match(path.name)
            if not match or date.fromisoformat(match.group(1)) >= cutoff:
                continue
            archive.mkdir(exist_ok=True)
            target = archive / f"{path.name}.gz"
            tmp = target.with_name(target.name + ".tmp")
            with file_lock(self.lock_path):
                if target.exists():  # a late line for an archived day: keep both, as two gzip members
                    shutil.copyfile(target, tmp)
                with open(path, "rb") as src, gzip.open(tmp, "ab") as dst:
                    shutil.copyfileobj(src, dst)
                os.replace(tmp, target)
                path.unlink()
            written.append(target)
        return written
