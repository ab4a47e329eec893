"""What every emulator shares: state persisted as JSON under `vault/.ai_employee/sandbox/`, safe for
several processes at once, and a loopback HTTP server on a free port.

`SharedState.transaction()` takes an exclusive file lock, reloads the file if another process changed
it, hands out the data, and writes it back atomically if the block changed it. Two MCP server
processes (Claude's and the orchestrator's) over one sandbox therefore see each other's writes.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from mcp_servers.core.vault import atomic_write, file_lock

State = dict[str, Any]


class SharedState:
    """A JSON document on disk shared by processes; `seed()` builds it the first time."""

    def __init__(self, path: Path, seed: Callable[[], State]) -> None:
        self.path = path
        self.lock_path = path.with_name(path.name + ".lock")
        self._seed = seed
        self._data: State | None = None
        self._stamp: tuple[int, int] | None = None
        self._thread_lock = threading.RLock()

    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def _load(self) -> State:
        if self._data is None:
            self._remove_stale_temp_files()
        stamp = self._file_stamp()
        if stamp is None:
            data = self._seed()
            self._save(data)
            return data
        if self._data is None or stamp != self._stamp:
            self._data = json.loads(self.path.read_text("utf-8"))
            self._stamp = stamp
        return self._data

    def _remove_stale_temp_files(self) -> None:
        """Temp files a killed process left mid-write (they may hold sandbox keys). Safe: every writer of
        this state holds the same lock we hold now."""
        for stale in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            stale.unlink(missing_ok=True)

    def _save(self, data: State) -> None:
        atomic_write(self.path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
        self._data = data
        self._stamp = self._file_stamp()

    @contextmanager
    def transaction(self) -> Iterator[State]:
        """Exclusive access for a write: the state is saved when the block exits without error, and
        dropped (re-read from disk next time) when it raises, so a half-made change never persists."""
        with self._thread_lock, file_lock(self.lock_path):
            data = self._load()
            try:
                yield data
            except BaseException:
                self._data = None
                raise
            self._save(data)

    def snapshot(self) -> State:
        """The current state for reading. Shared, not copied: callers must not change it."""
        with self._thread_lock, file_lock(self.lock_path):
            return self._load()


class LoopbackServer:
    """A threaded HTTP server on 127.0.0.1 and a free port, run on a daemon thread."""

    def __init__(self, handler: type[BaseHTTPRequestHandler], port: int = 0, host: str = "127.0.0.1") -> None:
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LoopbackServer:
        # A short poll keeps stop() quick; 10 wake-ups a second cost nothing measurable when idle.
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.1}, name="sandbox-http", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def serve_forever(self) -> None:
        self.httpd.serve_forever()


def sandbox_dir(vault_root: Path) -> Path:
    path = vault_root / ".ai_employee" / "sandbox"
    path.mkdir(parents=True, exist_ok=True)
    return path
