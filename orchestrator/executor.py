"""The executor: one approved request file in, its calls run through the supervised servers, the file out.

Bad, edited, expired or unknown files go to Rejected/ with the reason and nothing runs. Otherwise each
call is sent with `dry_run=False, approval_id=<id>`; the server's ledger makes it exactly once, so after
any crash the same file is simply processed again and the finished calls come back `replayed`. The file
is written (atomically) into Done/ with the results and `status`, then removed from Approved/.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, Protocol

from mcp_servers.core import action_request as ar
from mcp_servers.core.audit_log import AuditLog
from mcp_servers.core.ledger import Ledger
from mcp_servers.core.vault import APPROVED, DONE, Vault
from orchestrator import notes
from orchestrator.notes import CallOutcome
from orchestrator.supervisor import CallInterrupted, CallRejected, ServerUnavailable

log = logging.getLogger("ai_employee.executor")
Outcome = Literal["ignored", "gone", "busy", "rejected", "scheduled", "done", "retry"]
EARLY_TOLERANCE = timedelta(seconds=60)  # the server accepts a scheduled call up to 60 s early
_TEMP_SUFFIXES = (".tmp", ".swp", ".swx", ".part", ".crdownload", "~", ".kate-swp")


class ToolCaller(Protocol):
    handles: dict[str, Any]

    async def call_tool(self, server: str, tool: str, args: dict[str, Any], *, wait: float = ...) -> Any: ...


def ignorable(name: str) -> bool:
    """Files in Approved/ that are not requests: the folder's README, dotfiles and editors' temp files."""
    return name == "README.md" or name.startswith((".", "~$")) or name.endswith(_TEMP_SUFFIXES)


class RetryLater(Exception):
    """A server is not available right now; the file stays in Approved/ and is tried again."""


class Executor:
    def __init__(
        self,
        vault: Vault,
        key: bytes,
        servers: ToolCaller,
        *,
        schedule: Callable[[ar.ActionRequest], None] = lambda request: None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        on_change: Callable[[], None] = lambda: None,
        wait_for_server: float = 10.0,
        early: timedelta = EARLY_TOLERANCE,
    ) -> None:
        self.vault, self.key, self.servers, self.clock = vault, key, servers, clock
        self.schedule, self.on_change, self.wait_for_server = schedule, on_change, wait_for_server
        self.early = early
        self.ledger, self.log = Ledger(vault), AuditLog(vault)
        self.scheduled: dict[str, dict[str, Any]] = {}  # request id -> {when, file, summary}
        self._busy: set[str] = set()

    async def process(self, path: Path) -> Outcome:
        """Handle one file of Approved/ (safe to call twice at once, or again after a crash)."""
        if ignorable(path.name) or path.parent != self.vault.folder(APPROVED):
            return "ignored"
        if path.name in self._busy:
            return "busy"
        self._busy.add(path.name)
        try:
            return await self._process(path)
        finally:
            self._busy.discard(path.name)

    async def _process(self, path: Path) -> Outcome:
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            return "gone"
        if os.path.isdir(path) and not path.is_symlink():
            return "ignored"
        now = self.clock()
        raw, parsed, reason = self._read(path, info.st_size)
        if parsed is not None and reason is None:
            reason = self._refusal(parsed.request, now)
        if reason is not None:
            target = notes.reject(self.vault, path, reason, parsed, raw, now)
            self._log("orchestrator.reject", parsed, {"status": "rejected", "file": target.name}, reason)
            self.on_change()
            return "rejected"
        assert parsed is not None
        request = parsed.request
        if path.name != request.file_name:  # renamed or copied by hand: the servers find it by its name
            proper = path.with_name(request.file_name)
            if proper.exists():
                return "busy"
            os.rename(path, proper)
            path = proper
        if self._is_future(request, now) and not self._started(request):
            self.scheduled[request.id] = {"when": request.scheduled_for, "file": path.name, "summary": request.summary}
            self.schedule(request)
            self.on_change()
            return "scheduled"
        try:
            outcomes = [await self._call(request, call) for call in request.calls]
        except RetryLater as exc:
            log.info("%s waits: %s", path.name, exc)
            return "retry"
        self._finish(path, parsed, outcomes)
        return "done"

    def _read(self, path: Path, size: int) -> tuple[bytes | None, ar.ParsedRequest | None, str | None]:
        if path.is_symlink():
            return None, None, f"{path.name!r} is a link, not a request file; only files filed by AI Employee run"
        if size > ar.MAX_REQUEST_BYTES:
            return None, None, f"the file is {size:,} bytes; requests are at most {ar.MAX_REQUEST_BYTES:,}"
        try:
            raw = path.read_bytes()
        except OSError as exc:
            return None, None, f"the file could not be read ({exc.strerror or type(exc).__name__})"
        try:
            parsed = ar.read_request_file(self.vault, path)
            ar.verify(parsed.request, self.key)
        except ar.RequestFileError as exc:
            return raw, None, exc.reason
        return raw, parsed, None

    def _refusal(self, request: ar.ActionRequest, now: datetime) -> str | None:
        unknown = sorted({c.server for c in request.calls} - set(self.servers.handles))
        if unknown:
            return (
                f"it asks for server(s) {', '.join(unknown)}, which this orchestrator does not run "
                f"(configured: {', '.join(sorted(self.servers.handles)) or 'none'})"
            )
        if request.is_expired(now) and not self._started(request):
            return f"the request expired at {request.expires:%Y-%m-%d %H:%M} UTC before it was approved"
        return None

    def _started(self, request: ar.ActionRequest) -> bool:
        return any(self.ledger.lookup(request.call_id(i)) is not None for i in range(len(request.calls)))

    def _is_future(self, request: ar.ActionRequest, now: datetime) -> bool:
        return request.scheduled_for is not None and request.scheduled_for - self.early > now

    async def _call(self, request: ar.ActionRequest, call: ar.ToolCall) -> CallOutcome:
        args = {**call.args, "dry_run": False, "approval_id": request.id}
        try:
            result = await self.servers.call_tool(call.server, call.tool, args, wait=self.wait_for_server)
        except (ServerUnavailable, CallInterrupted) as exc:
            raise RetryLater(str(exc)) from None
        except CallRejected as exc:
            return CallOutcome(call.server, call.tool, "failed", str(exc))
        return _outcome(call, result)

    def _finish(self, path: Path, parsed: ar.ParsedRequest, outcomes: list[CallOutcome]) -> None:
        request, now = parsed.request, self.clock()
        status = notes.overall_status(outcomes)
        state = {
            **parsed.state,
            "status": status,
            "executed_at": now.isoformat(),
            "result": [o.state() for o in outcomes],
        }
        body = notes.strip_sections(parsed.body) + "\n\n" + notes.result_section(status, outcomes, now)
        # same name in Done/: a replay after a crash replaces its own earlier copy, never adds a second
        target = notes.move_with_content(path, ar.render(request, body, state), self.vault.folder(DONE) / path.name)
        if status in ("failed", "ambiguous", "partial"):
            notes.needs_action(
                self.vault,
                request.short_id,
                f"{status.title()}: {request.summary}",
                notes.call_note(request, target, outcomes, now),
                now,
                kind=f"request_{status}",
            )
        self.scheduled.pop(request.id, None)
        self._log("orchestrator.execute", parsed, {"status": status, "file": target.name}, None)
        self.on_change()

    def _log(self, action: str, parsed: ar.ParsedRequest | None, result: dict[str, Any], error: str | None) -> None:
        # a full disk must not stop execution (the file itself records the outcome); `record` alerts the owner
        self.log.record(
            action,
            actor="orchestrator",
            parameters={"type": parsed.request.type} if parsed else {},
            result=result,
            approval_status="rejected" if error else "approved",
            error=error,
            request_id=parsed.request.id if parsed else None,
        )


def _outcome(call: ar.ToolCall, result: Any) -> CallOutcome:
    if getattr(result, "is_error", False):
        text = " ".join(getattr(block, "text", "") for block in result.content).strip()
        return CallOutcome(call.server, call.tool, "failed", text or "the server refused the call")
    data: dict[str, Any] = getattr(result, "structured_content", None) or {}
    status, message = data.get("status"), str(data.get("message") or "")
    if status in ("executed", "replayed"):
        return CallOutcome(call.server, call.tool, "succeeded", message, data.get("result"), status == "replayed")
    if status == "ambiguous":
        return CallOutcome(call.server, call.tool, "ambiguous", message, data.get("result"))
    if status == "in_progress":
        raise RetryLater(f"{call.server}.{call.tool} is still running in another process")
    return CallOutcome(call.server, call.tool, "failed", message or f"unexpected answer {status!r}")
