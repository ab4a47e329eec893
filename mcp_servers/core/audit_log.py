"""The audit log: `Logs/YYYY-MM-DD.json`, one JSON object per line (UTC day files).

Appends are safe across processes (one `write()` of a whole line under an exclusive lock). Content is
referenced by `sha256:` hash and anything that looks like a secret is redacted before it is written.
Day files older than 90 days are compressed into `Logs/Archive/`; nothing is ever deleted.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from mcp_servers.core.vault import LOGS, Vault, file_lock

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
        line = (json.dumps(entry, ensure_ascii=False, default=str) + "\n").encode("utf-8")
        path = self.day_file(moment.date())
        self.folder.mkdir(parents=True, exist_ok=True)
        with file_lock(self.lock_path):
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                written = os.write(fd, line)
                if written != len(line):  # a short write (disk full) must not leave half a line
                    os.ftruncate(fd, os.lseek(fd, 0, os.SEEK_END) - written)
                    raise OSError(28, "the log line could not be written completely")
            finally:
                os.close(fd)
        return entry

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
