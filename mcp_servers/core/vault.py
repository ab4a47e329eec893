"""The vault on disk: its layout (`FOLDERS`), path helpers, atomic writes, and refusal of any path
that would escape it (`..`, absolute paths, symlinks pointing outside)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from mcp_servers.core.errors import ConfigError, InvalidInput

INBOX = "Inbox"
NEEDS_ACTION = "Needs_Action"
PLANS = "Plans"
PENDING = "Pending_Approval"
APPROVED = "Approved"
REJECTED = "Rejected"
DONE = "Done"
LOGS = "Logs"
BRIEFINGS = "Briefings"
ACCOUNTING = "Accounting"
STATE = ".ai_employee"

FOLDERS = (INBOX, NEEDS_ACTION, PLANS, PENDING, APPROVED, REJECTED, DONE, LOGS, BRIEFINGS, ACCOUNTING)
REQUEST_FOLDERS = (PENDING, APPROVED, REJECTED, DONE)


class PathOutsideVault(InvalidInput):
    """A path that resolves outside the vault (by `..`, an absolute path or a symlink)."""


class Vault:
    """A vault rooted at `root`. All paths handed out are inside it."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).expanduser().resolve()

    def __repr__(self) -> str:
        return f"Vault({str(self.root)!r})"

    def folder(self, name: str) -> Path:
        return self.root / name

    @property
    def state_dir(self) -> Path:
        return self.root / STATE

    def state_path(self, *parts: str) -> Path:
        path = self.state_dir.joinpath(*parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def linked_request_folder(self) -> str | None:
        """Why nothing may be filed or run now, if a request folder is a link rather than a folder: through
        one, a filing into Pending_Approval/ or the owner's move to Rejected/ could land in Approved/."""
        linked = [name for name in REQUEST_FOLDERS if os.path.islink(self.folder(name))]
        if not linked:
            return None
        return (
            f"{', '.join(f'{n}/' for n in linked)} in the vault {'is a link' if len(linked) == 1 else 'are links'}, "
            "not a folder, so nothing is filed or run until it is a real folder again (through a link, a request "
            "could reach Approved/ without the owner's move)."
        )

    def ensure_layout(self) -> None:
        for name in (*FOLDERS, STATE):
            try:
                (self.root / name).mkdir(parents=True, exist_ok=True)
            except (FileExistsError, NotADirectoryError):
                raise ConfigError(
                    f"{self.root / name} is a file, not a folder: rename or move it, and AI Employee creates the folder"
                ) from None

    def inside(self, relative: str | Path) -> Path:
        """`relative` resolved inside the vault, or `PathOutsideVault` naming why it is refused."""
        text = str(relative)
        if "\x00" in text:
            raise PathOutsideVault("the path contains a NUL byte", field="path")
        candidate = Path(text)
        if candidate.is_absolute():
            raise PathOutsideVault(f"{text!r} is absolute; give a path inside the vault", field="path")
        if ".." in candidate.parts:
            raise PathOutsideVault(f"{text!r} contains '..'", field="path")
        return self.check_inside(self.root / candidate)

    def check_inside(self, path: Path) -> Path:
        """`path` if it (after following symlinks) stays inside the vault."""
        resolved = path.resolve()
        if resolved != self.root and self.root not in resolved.parents:
            raise PathOutsideVault(f"{path.name!r} points outside the vault (to {resolved})", field="path")
        return path

    def atomic_write(self, path: Path, data: str | bytes) -> Path:
        """Write via a temp file in the same folder + rename: readers see the old or the new file."""
        self.check_inside(path.parent)
        return atomic_write(path, data)

    def relative(self, path: Path) -> str:
        return path.resolve().relative_to(self.root).as_posix()


def atomic_write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return path


def create_exclusive(path: Path, data: str | bytes) -> bool:
    """Create `path` only if it does not exist (atomically across processes). True if we created it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "wb") as handle:
        handle.write(raw)
        handle.flush()
        os.fsync(handle.fileno())
    tmp = Path(tmp_name)
    try:
        os.link(tmp, path)  # link() fails if `path` exists, and the file appears complete
        return True
    except FileExistsError:
        return False
    finally:
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive advisory lock (fcntl) held for the `with` block, across processes."""
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
