"""The running orchestrator: supervisor, watcher, executor workers, scheduler and dashboard in one event loop.

Files reach the executor from three places (watchdog events, the start-up and periodic rescans, and
scheduled jobs coming due); a path is queued at most once at a time and `max_concurrency` workers run
requests. A request that must wait (its server is down) is tried again with backoff; nothing else blocks.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import signal
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import anyio

from mcp_servers.core import action_request as ar
from mcp_servers.core.untrusted import md_inline
from mcp_servers.core.vault import APPROVED, Vault
from orchestrator import dashboard, jobs, notes
from orchestrator.config import OrchestratorSettings, ServerSpec, default_specs
from orchestrator.executor import Executor, ignorable
from orchestrator.scheduler import build_scheduler, declare_recurring, schedule_request, zone
from orchestrator.supervisor import Supervisor
from orchestrator.watcher import Debouncer, VaultWatcher

log = logging.getLogger("ai_employee.orchestrator")
STALE_TEMP_S = 120.0


class AlreadyRunning(Exception):
    """Another orchestrator holds this vault (two would race on the same files)."""


@contextlib.contextmanager
def vault_lock(vault: Vault) -> Iterator[None]:
    """Held while an orchestrator runs on the vault; the OS drops it if the process dies."""
    import fcntl

    path = vault.state_path("orchestrator.lock")
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            other = path.read_text().strip() or "?"
            raise AlreadyRunning(f"An orchestrator is already running on {vault.root} (pid {other}).") from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        os.close(fd)


class Orchestrator:
    def __init__(
        self,
        vault: Vault,
        settings: OrchestratorSettings | None = None,
        specs: list[ServerSpec] | None = None,
        *,
        debounce: float = 0.2,
        retry_base: float = 1.0,
        slow_retry: float | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.vault, self.clock = vault, clock
        self.settings = settings or OrchestratorSettings()
        key = self.settings.signing_key()
        self.supervisor = Supervisor(
            default_specs(self.settings, vault.root) if specs is None else specs,
            vault_root=vault.root,
            signing_key=key,
            interval=self.settings.health_check_interval,
            timeout=self.settings.health_check_timeout,
            slow_retry=slow_retry,
            on_change=self.changed,
            on_alert=self._server_alert,
            log_dir=vault.state_dir / "logs",
        )
        early = timedelta(seconds=self.settings.schedule_early_seconds)
        self.executor = Executor(
            vault,
            key,
            self.supervisor,
            schedule=self._schedule,
            clock=clock,
            on_change=self.changed,
            wait_for_server=30.0,
            early=early,
        )
        self.debounce, self.retry_base = debounce, retry_base
        self.server_alerts: dict[str, str] = {}
        self.tz = zone(self.settings.timezone)
        self.scheduler: Any = None
        self._send, self._receive = anyio.create_memory_object_stream[Path](math.inf)
        self._queued: set[Path] = set()
        self._attempts: dict[Path, int] = {}
        self._dirty = anyio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self.started = anyio.Event()

    # --- intake --------------------------------------------------------------------------------

    def enqueue(self, path: Path) -> None:
        if path not in self._queued and not ignorable(path.name):
            self._queued.add(path)
            self._send.send_nowait(path)

    def rescan(self) -> int:
        """Queue every file in Approved/ (and drop our own temp files a crash left behind)."""
        folder, now, count = self.vault.folder(APPROVED), time.time(), 0
        present = set()
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".") and path.name.endswith(".tmp") and ".md." in path.name:
                if now - path.lstat().st_mtime > STALE_TEMP_S:
                    path.unlink(missing_ok=True)
                continue
            present.add(path.name)
            self.enqueue(path)
            count += 1
        for request_id, row in list(self.executor.scheduled.items()):
            if row["file"] not in present:  # moved out by the owner: no longer scheduled
                self.executor.scheduled.pop(request_id, None)
        return count

    def _due_threadsafe(self, request_id: str) -> None:
        def due() -> None:
            path = ar.find_request(self.vault, request_id, (APPROVED,))
            if path is not None:
                self.executor.scheduled.pop(request_id, None)
                self.enqueue(path)

        if self._loop is not None:
            self._loop.call_soon_threadsafe(due)

    def _schedule(self, request: ar.ActionRequest) -> None:
        if self.scheduler is not None:
            schedule_request(self.scheduler, request)

    # --- workers -------------------------------------------------------------------------------

    async def _worker(self) -> None:
        async for path in self._receive:
            self._queued.discard(path)
            try:
                outcome = await self.executor.process(path)
            except Exception:  # one bad file or a full disk must never stop the others
                log.exception("processing %s failed; it will be tried again", path.name)
                outcome = "retry"
            if outcome == "retry":
                attempt = self._attempts.get(path, 0)
                self._attempts[path] = attempt + 1
                self._later(path, min(self.retry_base * 2**attempt, 60.0))
            elif outcome == "settling":  # still being written: look again once it may have settled
                self._later(path, self.executor.settle)
            else:
                self._attempts.pop(path, None)

    def _later(self, path: Path, delay: float) -> None:
        assert self._loop is not None
        self._loop.call_later(delay, self.enqueue, path)

    async def _rescan_loop(self) -> None:
        while True:
            await anyio.sleep(self.settings.rescan_interval)
            self.rescan()

    # --- dashboard -----------------------------------------------------------------------------

    def changed(self) -> None:
        for name, handle in self.supervisor.handles.items():
            if handle.state == "up":
                self.server_alerts.pop(name, None)
        self._dirty.set()

    def _server_alert(self, name: str, message: str) -> None:
        self.server_alerts[name] = message
        text = md_inline(message)
        notes.needs_action(self.vault, f"server_{name}", f"The {name} server is down", text, self.clock(), "alert")
        self.changed()

    def publish(self) -> None:
        now = self.clock()
        snapshot = dashboard.collect(
            self.vault,
            self.supervisor.snapshot(),
            list(self.executor.scheduled.values()),
            dict(self.server_alerts),
            now,
        )
        dashboard.publish(self.vault, snapshot, now)

    async def _dashboard_loop(self) -> None:
        while True:
            await self._dirty.wait()
            self._dirty = anyio.Event()
            try:
                await anyio.to_thread.run_sync(self.publish)
            except OSError as exc:
                log.warning("could not update the dashboard: %s", exc)
            await anyio.sleep(self.settings.dashboard_debounce)

    # --- life cycle ----------------------------------------------------------------------------

    def _start_scheduler(self) -> None:
        self.scheduler = build_scheduler(self.vault, url=self.settings.scheduler_jobstore_url, tz=self.tz)
        declare_recurring(self.scheduler, self.vault, self.tz)
        jobs.bind(self._due_threadsafe)
        self.scheduler.start()

    async def run(self) -> None:
        """Run until cancelled; on the way out every child is stopped and the dashboard says so."""
        self.vault.ensure_layout()
        with vault_lock(self.vault):
            await self.run_locked()

    async def run_locked(self) -> None:
        """`run` for a caller that already holds `vault_lock` (it raises `AlreadyRunning` before any task
        group exists, so the owner gets one line, not an exception group)."""
        self._loop = asyncio.get_running_loop()
        await self._run()

    async def _run(self) -> None:
        watcher = VaultWatcher(self.vault, lambda p: debouncer.note(p), self.changed)
        debouncer = Debouncer(self.debounce, self.enqueue)
        try:
            async with anyio.create_task_group() as group:
                group.start_soon(self.supervisor.run)
                self._start_scheduler()
                watcher.start()
                self.rescan()
                for index in range(self.settings.max_concurrency):
                    group.start_soon(self._worker, name=f"worker-{index}")
                group.start_soon(debouncer.run)
                group.start_soon(self._rescan_loop)
                group.start_soon(self._dashboard_loop)
                self.changed()
                self.started.set()
        finally:
            watcher.stop()
            jobs.bind(None)
            if self.scheduler is not None and self.scheduler.running:
                self.scheduler.shutdown(wait=False)
            for handle in self.supervisor.handles.values():
                handle.state, handle.pid = "down", None
            with anyio.CancelScope(shield=True):
                try:
                    self.publish()
                except OSError:
                    pass


async def run_until_signalled(orchestrator: Orchestrator, *, locked: bool = False) -> None:
    """`ai-employee run`: until SIGINT or SIGTERM, then a clean shutdown (children stopped). Raises
    `AlreadyRunning` itself (not inside an exception group) when another orchestrator holds the vault;
    `locked` says the caller already holds `vault_lock`."""
    orchestrator.vault.ensure_layout()
    if locked:
        await _until_signalled(orchestrator)
        return
    with vault_lock(orchestrator.vault):
        await _until_signalled(orchestrator)


async def _until_signalled(orchestrator: Orchestrator) -> None:
    async with anyio.create_task_group() as group:

        async def wait_for_signal() -> None:
            with anyio.open_signal_receiver(signal.SIGINT, signal.SIGTERM) as signals:
                async for signum in signals:
                    log.warning("received %s; stopping the servers", signal.Signals(signum).name)
                    group.cancel_scope.cancel()
                    return

        group.start_soon(wait_for_signal)
        await orchestrator.run_locked()
