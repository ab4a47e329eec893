"""The supervisor: each server as a child over stdio (or a URL), health-checked by ping, restarted with backoff.

One task per server owns its connection (the SDK's `stdio_client` must be entered and left in one task)
and its health loop. A failed start, or a death before the first good health check, counts as a failed
restart; after `MAX_FAILED_RESTARTS` in a row the server is `failed`, an alert goes to Needs_Action/ and
the dashboard, and it keeps being retried slowly. Other servers are never affected.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TextIO

import anyio

from orchestrator.config import ServerSpec, child_env

log = logging.getLogger("ai_employee.supervisor")
State = Literal["starting", "up", "down", "failed"]
MAX_FAILED_RESTARTS = 3
START_TIMEOUT = 30.0


class ServerUnavailable(Exception):
    """The server is not up (starting, restarting or failed); nothing was sent to it."""


class CallInterrupted(Exception):
    """The connection broke during a call: it may or may not have reached the server."""


class CallRejected(Exception):
    """The server answered the call with a protocol error (not a tool result)."""


@dataclass
class ServerHandle:
    spec: ServerSpec
    state: State = "starting"
    pid: int | None = None
    restarts: int = 0
    failures: int = 0  # failed restarts in a row
    mode: str = "sandbox"
    last_error: str | None = None
    session: Any = None
    up: anyio.Event = field(default_factory=anyio.Event)
    restart: anyio.Event = field(default_factory=anyio.Event)

    def snapshot(self) -> dict[str, Any]:
        return {"state": self.state, "pid": self.pid, "restarts": self.restarts, "mode": self.mode}


def find_child_pid(token: str) -> int | None:
    """The pid of our child carrying `token` in its environment (the SDK keeps the Popen to itself)."""
    me = os.getpid()
    candidates: set[int] = set()
    for children in Path(f"/proc/{me}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            candidates.update(int(p) for p in children.read_text().split())
    for pid in sorted(candidates):
        with contextlib.suppress(OSError):
            if token.encode() in Path(f"/proc/{pid}/environ").read_bytes():
                return pid
    return None


class Supervisor:
    def __init__(
        self,
        specs: list[ServerSpec],
        *,
        vault_root: Path,
        signing_key: bytes,
        interval: float = 30.0,
        timeout: float = 5.0,
        backoff: float = 1.0,
        slow_retry: float | None = None,
        on_change: Callable[[], None] = lambda: None,
        on_alert: Callable[[str, str], None] = lambda name, message: None,
        log_dir: Path | None = None,
    ) -> None:
        self.handles = {spec.name: ServerHandle(spec) for spec in specs}
        self.vault_root, self.signing_key = vault_root, signing_key
        self.interval, self.timeout, self.backoff = interval, timeout, backoff
        self.slow_retry = slow_retry if slow_retry is not None else max(60.0, 2 * interval)
        self.on_change, self.on_alert = on_change, on_alert
        self.log_dir = log_dir
        for handle in self.handles.values():
            handle.mode = self._mode(handle.spec)

    def _mode(self, spec: ServerSpec) -> str:
        env = child_env(spec, self.vault_root, self.signing_key)
        return env.get(f"{spec.name.upper()}_MODE", "sandbox").strip().lower() or "sandbox"

    def snapshot(self) -> dict[str, dict[str, Any]]:
        return {name: handle.snapshot() for name, handle in self.handles.items()}

    async def run(self) -> None:
        """Supervise every server until cancelled; leaving stops every child."""
        async with anyio.create_task_group() as group:
            for handle in self.handles.values():
                group.start_soon(self._lifecycle, handle, name=f"supervise-{handle.spec.name}")

    def _set(self, handle: ServerHandle, state: State) -> None:
        if handle.state != state:
            log.info("%s: %s -> %s", handle.spec.name, handle.state, state)
            handle.state = state
            self.on_change()

    async def _lifecycle(self, handle: ServerHandle) -> None:
        while True:
            healthy = False
            if handle.state != "failed":
                self._set(handle, "starting")
            try:
                async with self._connect(handle) as session:
                    handle.session, handle.last_error = session, None
                    self._set(handle, "up")
                    handle.up.set()
                    healthy = await self._watch(handle, session)
            except Exception as exc:  # a server that cannot start or dies: restart it, never crash the rest
                handle.last_error = _describe(exc)
                log.warning("%s stopped: %s", handle.spec.name, handle.last_error)
            finally:
                handle.session, handle.pid = None, None
                handle.up = anyio.Event()
                handle.restart = anyio.Event()
            handle.failures = 0 if healthy else handle.failures + 1
            handle.restarts += 1
            await self._after_stop(handle)

    async def _after_stop(self, handle: ServerHandle) -> None:
        if handle.failures >= MAX_FAILED_RESTARTS:
            if handle.state != "failed":
                self._set(handle, "failed")
                self.on_alert(
                    handle.spec.name,
                    f"The {handle.spec.name} server failed to start {handle.failures} times in a row "
                    f"(last error: {handle.last_error or 'it exited'}). Requests for it wait in Approved/. "
                    f"Run `ai-employee doctor` to see what is wrong; it is retried every {self.slow_retry:.0f} s.",
                )
            delay = self.slow_retry
        else:
            self._set(handle, "down")
            delay = 0.0 if handle.failures == 0 else self.backoff * 2 ** (handle.failures - 1)
        await anyio.sleep(delay)

    async def _watch(self, handle: ServerHandle, session: Any) -> bool:
        """Ping every interval until a ping fails or a restart is asked for; True if it was ever healthy."""
        healthy = False
        while True:
            with anyio.move_on_after(self.interval):
                await handle.restart.wait()
            if handle.restart.is_set():
                return healthy
            try:
                with anyio.fail_after(self.timeout):
                    await session.send_ping()
            except Exception as exc:
                handle.last_error = f"health check failed: {_describe(exc)}"
                log.warning("%s: %s", handle.spec.name, handle.last_error)
                return healthy
            if not healthy:
                healthy, handle.failures = True, 0
                self.on_change()

    @contextlib.asynccontextmanager
    async def _connect(self, handle: ServerHandle) -> AsyncIterator[Any]:
        from mcp import ClientSession

        spec = handle.spec
        async with contextlib.AsyncExitStack() as stack:
            if spec.url:
                from mcp.client.streamable_http import streamable_http_client

                read, write = await stack.enter_async_context(streamable_http_client(spec.url))
            else:
                from mcp import StdioServerParameters
                from mcp.client.stdio import stdio_client

                token = f"{spec.name}-{secrets.token_hex(8)}"
                env = child_env(spec, self.vault_root, self.signing_key) | {"AI_EMPLOYEE_CHILD_ID": token}
                params = StdioServerParameters(command=spec.command, args=list(spec.args), env=env, cwd=spec.cwd)
                read, write = await stack.enter_async_context(stdio_client(params, errlog=self._errlog(stack, spec)))
            session = await stack.enter_async_context(ClientSession(read, write))
            with anyio.fail_after(START_TIMEOUT):
                await session.initialize()
            if not spec.url:
                # Only now: right after the spawn the child may not have exec'd yet, and until then its
                # environment (without the token) is ours, so a search could miss it.
                handle.pid = find_child_pid(token)
            yield session

    def _errlog(self, stack: contextlib.AsyncExitStack, spec: ServerSpec) -> TextIO:
        import sys

        if self.log_dir is None:
            return sys.stderr
        self.log_dir.mkdir(parents=True, exist_ok=True)
        return stack.enter_context(open(self.log_dir / f"{spec.name}.log", "a", encoding="utf-8"))

    async def session_for(self, name: str, wait: float) -> Any:
        """The live session of `name`, waiting up to `wait` s for it to come up."""
        handle = self.handles.get(name)
        if handle is None:
            raise ServerUnavailable(f"no server named {name!r} is configured")
        if handle.session is None and handle.state != "failed":
            with anyio.move_on_after(wait):
                await handle.up.wait()
        if handle.session is None:
            raise ServerUnavailable(f"the {name} server is {handle.state}")
        return handle.session

    async def call_tool(self, server: str, tool: str, args: dict[str, Any], *, wait: float = 10.0) -> Any:
        """`tools/call` on the server's session. A broken connection asks for a restart and raises
        `CallInterrupted` (calling again is safe: the server's ledger replays or settles it)."""
        session = await self.session_for(server, wait)
        started = time.monotonic()
        from mcp import MCPError
        from mcp.types import CONNECTION_CLOSED

        try:
            return await session.call_tool(tool, args)
        except MCPError as exc:
            if exc.code != CONNECTION_CLOSED:
                raise CallRejected(f"{server}.{tool}: {exc.error.message}") from exc
            self._broken(server, session)
            raise CallInterrupted(f"{server}.{tool}: the connection closed during the call") from exc
        except Exception as exc:
            self._broken(server, session)
            raise CallInterrupted(
                f"{server}.{tool}: {_describe(exc)} after {time.monotonic() - started:.1f} s"
            ) from exc

    def _broken(self, server: str, session: Any) -> None:
        handle = self.handles[server]
        if handle.session is session:
            handle.restart.set()


def _describe(exc: BaseException) -> str:
    if isinstance(exc, BaseExceptionGroup):
        return "; ".join(_describe(e) for e in exc.exceptions)
    text = str(exc) or type(exc).__name__
    return text if len(text) < 300 else text[:297] + "…"
