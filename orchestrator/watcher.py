"""The watcher: watchdog events from the vault's request folders, debounced, handed to the event loop.

Each folder is watched on its own (not the whole vault: `.ai_employee/` and `Logs/` change constantly).
A file can arrive in Approved/ by creation, a move from another folder (Obsidian's move), a copy, or an
editor's temp file renamed over it; all of them end as a created, moved-to or modified path in
Approved/, and every such path is handed on once it has been quiet for the debounce delay.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio

from mcp_servers.core.vault import APPROVED, BRIEFINGS, DONE, NEEDS_ACTION, PENDING, REJECTED, Vault

log = logging.getLogger("ai_employee.watcher")
# Done/ too: watchdog holds an unpaired "moved from" for 0.5 s (to pair it), and every event behind it
# waits, so moves out of Approved/ must land in a watched folder to keep the latency low.
WATCHED = (APPROVED, PENDING, REJECTED, DONE, NEEDS_ACTION, BRIEFINGS)


class Debouncer:
    """Paths noted (on the event loop) are released once none of them changed for `delay` seconds."""

    def __init__(self, delay: float, release: Callable[[Path], None]) -> None:
        self.delay, self.release = delay, release
        self._due: dict[Path, float] = {}
        self._wake = anyio.Event()

    def note(self, path: Path) -> None:
        self._due[path] = time.monotonic() + self.delay
        self._wake.set()

    async def run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake = anyio.Event()
            while self._due:
                now = time.monotonic()
                ready = [p for p, due in self._due.items() if due <= now]
                for path in ready:
                    del self._due[path]
                    self.release(path)
                if self._due:
                    await anyio.sleep(max(0.0, min(self._due.values()) - now))


class VaultWatcher:
    """A watchdog observer over the request folders; callbacks run on the event loop."""

    def __init__(self, vault: Vault, on_approved: Callable[[Path], None], on_change: Callable[[], None]) -> None:
        self.vault, self.on_approved, self.on_change = vault, on_approved, on_change
        self.approved = vault.folder(APPROVED)
        self._observer: Any = None

    def start(self) -> None:
        from watchdog.events import FileSystemEvent, FileSystemEventHandler
        from watchdog.observers import Observer

        loop = asyncio.get_running_loop()
        watcher = self

        class Handler(FileSystemEventHandler):  # type: ignore[misc]
            def on_any_event(self, event: FileSystemEvent) -> None:
                if event.event_type in ("opened", "closed_no_write"):
                    return
                paths = [event.src_path, getattr(event, "dest_path", "")]
                loop.call_soon_threadsafe(watcher._dispatch, [Path(str(p)) for p in paths if p], event.is_directory)

        self._observer = Observer()
        for name in WATCHED:
            folder = self.vault.folder(name)
            folder.mkdir(parents=True, exist_ok=True)
            self._observer.schedule(Handler(), str(folder), recursive=False)
        self._observer.daemon = True
        self._observer.start()

    def _dispatch(self, paths: list[Path], is_directory: bool) -> None:
        self.on_change()
        for path in paths:
            if path.parent == self.approved and not is_directory:
                self.on_approved(path)

    def stop(self) -> None:
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
            self._observer = None
