"""Test-only disk-full hook for the vault's log files, loaded by every Python process of the orchestrator
(it is put first on PYTHONPATH, which the orchestrator hands to its children). While the file `disk_full`
exists next to this one, appends to `Logs/*.json` fail as on a full disk: the first one of a pair writes half
the line and reports a short write, the next raises ENOSPC."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

_FLAG = Path(__file__).with_name("disk_full")
_real_open, _real_write, _real_close = os.open, os.write, os.close
_log_fds: set[int] = set()
_hits = [0]


def _open(path: Any, flags: int, mode: int = 0o777, *, dir_fd: int | None = None) -> int:
    fd = _real_open(path, flags, mode, dir_fd=dir_fd)
    name = os.fspath(path)
    if flags & os.O_APPEND and isinstance(name, str) and f"{os.sep}Logs{os.sep}" in name and name.endswith(".json"):
        _log_fds.add(fd)
    return fd


def _write(fd: int, data: Any) -> int:
    if fd in _log_fds and _FLAG.exists():
        _hits[0] += 1
        if _hits[0] % 2 and len(data) > 1:
            return _real_write(fd, bytes(data)[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    return _real_write(fd, data)


def _close(fd: int) -> None:
    _log_fds.discard(fd)
    _real_close(fd)


os.open, os.write, os.close = _open, _write, _close  # type: ignore[assignment]
