"""Reading a file someone may have dropped into the vault, without trusting what it is.

Only a regular file with exactly one name is read. A FIFO, socket or device is refused without being
read (a FIFO would block the reader forever), a symlink is not followed, and a hard link is refused: its
content belongs to another file (a link to `.env` must never be read, let alone copied). The open is
non-blocking and checked again on the open descriptor, so swapping the file in between changes nothing.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

_KINDS = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFDIR: "a folder",
    stat.S_IFLNK: "a symbolic link",
}
_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)


class IrregularFile(Exception):
    """Not read: `reason` says why, for the owner. `may_settle` is true for a file with several names,
    which a writer creating it by link() has for a moment (then it may be read once it has settled)."""

    def __init__(self, reason: str, *, may_settle: bool = False) -> None:
        super().__init__(reason)
        self.reason, self.may_settle = reason, may_settle


class TooLarge(IrregularFile):
    """A regular file over the size limit (not read)."""


def irregularity(info: os.stat_result) -> IrregularFile | None:
    """Why a file with this `lstat`/`fstat` must not be read, or None for a regular file with one name."""
    kind = stat.S_IFMT(info.st_mode)
    if kind != stat.S_IFREG:
        what = _KINDS.get(kind, "not a regular file")
        return IrregularFile(f"it is {what}, not a request file; it was not read")
    if info.st_nlink != 1:
        return IrregularFile(
            f"it is a hard link ({info.st_nlink} names for one file): its content belongs to another file, "
            "so it was not read or copied",
            may_settle=True,
        )
    return None


def read_regular(path: Path, max_bytes: int) -> bytes:
    """The content of `path` if it is a regular file with one name and at most `max_bytes`; otherwise
    `IrregularFile` (or `OSError` when it cannot be opened, e.g. `FileNotFoundError`)."""
    try:
        fd = os.open(path, _FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise IrregularFile("it is a symbolic link, not a request file; it was not followed") from None
        if exc.errno == errno.ENXIO:
            raise IrregularFile("it is a socket, not a request file; it was not read") from None
        raise
    try:
        info = os.fstat(fd)
        problem = irregularity(info)
        if problem is not None:
            raise problem
        if info.st_size > max_bytes:
            raise TooLarge(f"the file is {info.st_size:,} bytes; requests are at most {max_bytes:,}")
        chunks, total = [], 0
        while total <= max_bytes:
            chunk = os.read(fd, min(1 << 16, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > max_bytes:
            raise TooLarge(f"the file grew past {max_bytes:,} bytes while it was read; requests are smaller")
        return b"".join(chunks)
    finally:
        os.close(fd)
