"""The executor: one approved request file in, its calls run through the supervised servers, the file out.

Bad, edited, expired or unknown files go to Rejected/ with the reason and nothing runs. Files are read in a
worker thread and only if regular with one name (`core/regular_file.py`): a FIFO, device or link is
rejected unread, a hard link unread and never copied. A file that fails to parse while it is still
changing (a sync client copying it) is looked at again once quiet for `settle` seconds. An expired
request is never run; its reason says whether the owner approved it late or the orchestrator saw it late.

Otherwise each call is sent with `dry_run=False, approval_id=<id>`; the server's ledger makes it exactly
once, so after any crash the same file is simply processed again and the finished calls come back
`replayed`. The file is written (atomically) into Done/ with the results and `status`, then removed from
Approved/.
"""

from __future__ import annotations

import logging
import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, Protocol

import anyio
from pydantic import ValidationError

from mcp_servers.core import action_request as ar
from mcp_servers.core.audit_log import AuditLog
from mcp_servers.core.gate_rules import EARLY_TOLERANCE
from mcp_servers.core.ledger import Ledger
from mcp_servers.core.models import WriteResult
from mcp_servers.core.regular_file import IrregularFile, read_regular
from mcp_servers.core.status import call_status
from mcp_servers.core.vault import APPROVED, DONE, Vault
from orchestrator import notes
from orchestrator.notes import CallOutcome
from orchestrator.supervisor import CallInterrupted, CallRejected, ServerUnavailable

log = logging.getLogger("ai_employee.executor")
Outcome = Literal["ignored", "gone", "busy", "rejected", "scheduled", "done", "retry", "settling"]
SETTLE_S = 5.0  # a file that fails to parse but changed this recently may still be being written
_TEMP_SUFFIXES = (".tmp", ".swp", ".swx", ".part", ".crdownload", "~", ".kate-swp")


class ToolCaller(Protocol):
    handles: dict[str, Any]

    async def call_tool(self, server: str, tool: str, args: dict[str, Any], *, wait: float = ...) -> Any: ...


def ignorable(name: str) -> bool:
    """Files in Approved/ that are not requests: the folder's README, dotfiles and editors' temp files."""
    return name == "README.md" or name.startswith((".", "~$")) or name.endswith(_TEMP_SUFFIXES)


@dataclass(frozen=True)
class _Read:
    raw: bytes | None = None
    parsed: ar.ParsedRequest | None = None
    reason: str | None = None
    may_settle: bool = False  # a failure that may only mean the file is still being written


def expired_reason(request: ar.ActionRequest, arrived: datetime) -> str:
    """Why an expired request is not run, told truthfully: approved too late, or approved in time but seen
    only after its expiry (the orchestrator was not running). Either way it is not run."""
    expired = f"{request.expires:%Y-%m-%d %H:%M} UTC"
    if arrived < request.expires:
        return (
            f"it was approved in time (it arrived in {APPROVED}/ at {arrived:%Y-%m-%d %H:%M} UTC), but the "
            f"orchestrator only saw it after it expired at {expired} (it was not running); an expired request "
            "is never run. Ask AI Employee to file it again if it is still wanted"
        )
    return f"the request expired at {expired} before it was approved (it arrived in {APPROVED}/ later)"


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
        settle: float = SETTLE_S,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.vault, self.key, self.servers, self.clock = vault, key, servers, clock
        self.schedule, self.on_change, self.wait_for_server = schedule, on_change, wait_for_server
        self.early, self.settle, self.wall = early, settle, wall  # wall: the clock file times are compared with
        self.ledger, self.log = Ledger(vault), AuditLog(vault)
        self.scheduled: dict[str, dict[str, Any]] = {}  # request id -> {when, file, summary}
        self._busy: set[str] = set()

    async def process(self, path: Path) -> Outcome:
        """Handle one file of Approved/ (safe to call twice at once, or again after a crash)."""
        if ignorable(path.name) or path.parent != self.vault.folder(APPROVED):
            return "ignored"
        linked = self.vault.linked_request_folder()
        if linked:  # e.g. Approved/ linked to Pending_Approval/, or Rejected/ to Approved/: no move is the owner's
            log.warning("%s", linked)
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
            self._forget(path.name)
            return "gone"
        if stat.S_ISDIR(info.st_mode):
            return "ignored"
        now = self.clock()
        read = await anyio.to_thread.run_sync(self._read, path)  # never on the event loop
        if read is None:
            self._forget(path.name)
            return "gone"
        if read.reason is not None and read.may_settle and self._changing(path):
            return "settling"  # still being written (a sync client, a slow copy): looked at again later
        reason = read.reason if read.parsed is None else self._refusal(read.parsed.request, now, info)
        if reason is not None:
            target = await anyio.to_thread.run_sync(notes.reject, self.vault, path, reason, read.parsed, read.raw, now)
            self._log("orchestrator.reject", read.parsed, {"status": "rejected", "file": target.name}, reason)
            self.on_change()
            return "rejected"
        assert read.parsed is not None
        return await self._accept(path, read.parsed, now)

    async def _accept(self, path: Path, parsed: ar.ParsedRequest, now: datetime) -> Outcome:
        request = parsed.request
        if path.name != request.file_name:  # renamed or copied by hand: the servers find it by its name
            proper = path.with_name(request.file_name)
            if proper.exists():
                return "busy"
            os.rename(path, proper)
            path = proper
        if self._is_future(request, now) and not self._started(request):
            self.scheduled[request.id] = {
                "when": request.scheduled_for,
                "file": path.name,
                "summary": request.summary,
                "auto": not request.requires_approval,
            }
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

    def _forget(self, name: str) -> None:
        """A file gone from Approved/ (moved to Rejected/ by the owner, or run): no longer scheduled."""
        for request_id, row in list(self.scheduled.items()):
            if row["file"] == name:
                self.scheduled.pop(request_id, None)
                self.on_change()

    def _changing(self, path: Path) -> bool:
        """Changed (content, links or name) within the settle window: a writer may still be at it."""
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            return False
        return self.wall() - max(info.st_mtime, info.st_ctime) < self.settle

    def _read(self, path: Path) -> _Read | None:
        """The file's bytes and request, or why not; None when it is gone. Runs in a worker thread."""
        try:
            if os.path.islink(path):
                return _Read(reason=f"{path.name!r} is a link, not a request file; only files filed by AI Employee run")
            raw = read_regular(path, ar.MAX_REQUEST_BYTES)
        except FileNotFoundError:
            return None
        except IrregularFile as exc:
            return _Read(reason=exc.reason, may_settle=exc.may_settle)
        except OSError as exc:
            return _Read(reason=f"the file could not be read ({exc.strerror or type(exc).__name__})", may_settle=True)
        if ".." in path.name or not path.name.endswith(".md"):
            return _Read(raw, reason=f"{path.name!r} is not a request file name (<date>_<type>_<id>.md)")
        try:
            parsed = ar.parse(raw)
            ar.verify(parsed.request, self.key)
        except ar.RequestFileError as exc:
            return _Read(raw, reason=exc.reason, may_settle=True)
        return _Read(raw, parsed)

    def _refusal(self, request: ar.ActionRequest, now: datetime, info: os.stat_result) -> str | None:
        unknown = sorted({c.server for c in request.calls} - set(self.servers.handles))
        if unknown:
            return (
                f"it asks for server(s) {', '.join(unknown)}, which this orchestrator does not run "
                f"(configured: {', '.join(sorted(self.servers.handles)) or 'none'})"
            )
        if request.is_expired(now) and not self._started(request):
            return expired_reason(request, arrived=datetime.fromtimestamp(info.st_ctime, UTC))
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
    try:
        answer = WriteResult.model_validate(getattr(result, "structured_content", None) or {})
    except ValidationError as exc:
        problem = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'answer'}: {e['msg']}" for e in exc.errors()[:3])
        # unreadable, so whether it ran is unknown: the owner checks, nothing is re-run on a guess
        why = f"the server's answer could not be read ({problem}); check whether it happened before asking again"
        return CallOutcome(call.server, call.tool, "ambiguous", why)
    status = call_status(answer.status)
    if status is None:
        raise RetryLater(f"{call.server}.{call.tool} is still running in another process")
    if status == "failed":
        return CallOutcome(call.server, call.tool, status, answer.message or f"unexpected answer {answer.status!r}")
    return CallOutcome(call.server, call.tool, status, answer.message, answer.result, answer.status == "replayed")
