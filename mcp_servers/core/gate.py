"""The one path every write takes (DESIGN §2): preview, file a signed request, or execute an approved
one exactly once. Services describe a write as a `WriteAction`; nothing here knows any service.

    dry_run=True                    → `preview()`; no file, no API write
    dry_run=False, no approval_id   → `file()`: policy decides Pending_Approval/ or Approved/
    dry_run=False, approval_id=X    → `execute()`: X must be in Approved/, signed, unexpired, with these
                                      exact arguments, and never started before; else a refusal
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from pydantic import BaseModel

from mcp_servers.core import action_request as ar
from mcp_servers.core.actions import CallContext, Resolution, WriteAction
from mcp_servers.core.audit_log import AuditLog
from mcp_servers.core.errors import Ambiguous, ApprovalRefused, ServiceError, describe
from mcp_servers.core.filing import file_request
from mcp_servers.core.ledger import CallRecord, Ledger
from mcp_servers.core.models import WriteResult
from mcp_servers.core.policy import Policy
from mcp_servers.core.resilience import CircuitBreaker
from mcp_servers.core.vault import APPROVED, DONE, PENDING, REJECTED, Vault

ClientT = TypeVar("ClientT")
ArgsT = TypeVar("ArgsT", bound=BaseModel)
EARLY_TOLERANCE = timedelta(seconds=60)


class ApprovalGate:
    """Runs a `WriteAction` for one service under the dry-run / approval / exactly-once rules."""

    def __init__(
        self,
        service: str,
        vault: Vault,
        *,
        key: bytes,
        policy: Policy,
        tag: str,
        expiry: timedelta = timedelta(days=7),
        mode_label: str = "SANDBOX",
        breaker: CircuitBreaker | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.service, self.vault, self.key, self.policy, self.tag = service, vault, key, policy, tag
        self.expiry, self.mode_label, self.clock = expiry, mode_label, clock
        self.breaker = breaker or CircuitBreaker(service)
        self.ledger = Ledger(vault)
        self.log = AuditLog(vault)

    def _result(self, **fields: Any) -> WriteResult:
        return WriteResult(mode=self.mode_label, **fields)  # type: ignore[arg-type]

    def preview(self, action: WriteAction[ClientT, ArgsT], client: ClientT, args: ArgsT) -> WriteResult:
        preview = action.preview(client, args)
        return self._result(
            status="preview",
            preview=preview,
            message=f"Preview only ({self.mode_label}); nothing was sent. Call again with dry_run=false to file "
            "it for the owner's approval.",
        )

    def file(self, action: WriteAction[ClientT, ArgsT], client: ClientT, args: ArgsT) -> WriteResult:
        preview = action.preview(client, args)
        call = ar.ToolCall(server=self.service, tool=action.name, args=args.model_dump(mode="json"))
        request, path = file_request(
            self.vault,
            key=self.key,
            policy=self.policy,
            action_type=preview.action_type or action.action_type,
            tag=self.tag,
            calls=[(call, preview)],
            now=self.clock(),
            expiry=self.expiry,
        )
        self.log.record(
            f"{self.service}.{action.name}",
            actor=f"mcp:{self.service}",
            parameters=call.args,
            result={"status": "filed", "request": path},
            approval_status="pending" if request.requires_approval else "auto_approved",
            request_id=request.id,
            mode=self.mode_label,
        )
        if request.requires_approval:
            message = f"Filed for approval: {path}. The owner approves by moving it to Approved/; nothing was sent."
        else:
            message = f"{request.auto_approve_reason}. Filed in {path}; the orchestrator runs it" + (
                f" at {request.scheduled_for:%Y-%m-%d %H:%M} UTC." if request.scheduled_for else " shortly."
            )
        return self._result(
            status="filed",
            preview=preview,
            request_id=request.id,
            request_path=path,
            requires_approval=request.requires_approval,
            message=message,
        )

    # --- execution of an approved request ---------------------------------------------------------

    def _refuse(self, action: WriteAction[Any, Any], approval_id: str, reason: str) -> ApprovalRefused:
        self.log.record(
            f"{self.service}.{action.name}",
            actor=f"mcp:{self.service}",
            result={"status": "refused"},
            approval_status="refused",
            error=reason,
            request_id=approval_id,
            mode=self.mode_label,
        )
        return ApprovalRefused(f"Not run: {reason}", service=self.service)

    def _approved_call(
        self, action: WriteAction[Any, Any], args: BaseModel, approval_id: str
    ) -> tuple[ar.ActionRequest, int, str]:
        """The verified request, the index of this call in it, and the folder it is in."""
        path = ar.find_request(self.vault, approval_id, (APPROVED, DONE, PENDING, REJECTED))
        if path is None:
            raise self._refuse(
                action, approval_id, f"no request {approval_id!r} in the vault (deleting it cancels it)."
            )
        folder = path.parent.name
        if folder == PENDING:
            raise self._refuse(
                action, approval_id, f"{path.name} is still waiting in {PENDING}/; move it to {APPROVED}/."
            )
        if folder == REJECTED:
            raise self._refuse(action, approval_id, f"{path.name} was rejected by the owner.")
        try:
            parsed = ar.read_request_file(self.vault, path)
            request = parsed.request
            ar.verify(request, self.key)
            if folder == APPROVED:
                ar.check_body(parsed)
        except ar.RequestFileError as exc:
            raise self._refuse(action, approval_id, f"{path.name}: {exc.reason}") from None
        if request.id != approval_id:
            raise self._refuse(action, approval_id, f"{path.name} holds request {request.id}, not {approval_id}.")
        given = args.model_dump(mode="json")
        for index, call in enumerate(request.calls):
            if call.server == self.service and call.tool == action.name and ar.args_equal(call.args, given):
                return request, index, folder
        raise self._refuse(
            action,
            approval_id,
            f"request {approval_id} does not approve {self.service}.{action.name} with these arguments "
            "(they must equal the approved ones exactly).",
        )

    def execute(
        self,
        action: WriteAction[ClientT, ArgsT],
        client: Callable[[], ClientT],
        args: ArgsT,
        approval_id: str,
    ) -> WriteResult:
        request, index, folder = self._approved_call(action, args, approval_id)
        call_id = request.call_id(index)
        now = self.clock()
        context = CallContext(request.id, call_id, now, request.scheduled_for, self.vault)
        record = self.ledger.lookup(call_id)
        if record is not None:
            return self._settle(action, client, args, context, record)
        if folder != APPROVED:
            raise self._refuse(action, approval_id, f"request {approval_id} is in {folder}/, no longer approved.")
        if request.is_expired(now):
            raise self._refuse(
                action, approval_id, f"request {approval_id} expired at {request.expires:%Y-%m-%d %H:%M} UTC."
            )
        if request.scheduled_for and now < request.scheduled_for - EARLY_TOLERANCE:
            raise self._refuse(
                action,
                approval_id,
                f"request {approval_id} is scheduled for {request.scheduled_for:%Y-%m-%d %H:%M} UTC.",
            )
        self._check_binding(action, client, args, request.calls[index], approval_id)
        existing = self.ledger.start(call_id, action.name, now)
        if existing is not None:  # another process claimed it first
            return self._settle(action, client, args, context, existing)
        return self._run(action, client, args, context)

    def _check_binding(
        self,
        action: WriteAction[ClientT, ArgsT],
        client: Callable[[], ClientT],
        args: ArgsT,
        call: ar.ToolCall,
        approval_id: str,
    ) -> None:
        """Refuse if the remote state the owner saw when approving (the signed `expect`) has changed."""
        if not call.expect:
            return
        try:
            now = action.preview(client(), args).binding or {}
        except ServiceError as exc:
            reason = f"what the owner approved could not be checked: {exc.message}"
            raise self._refuse(action, approval_id, reason) from None
        changed = [
            f"{key} was {call.expect.get(key, 'missing')}, now {now.get(key, 'missing')}"
            for key in sorted(call.expect.keys() | now.keys())
            if now.get(key) != call.expect.get(key)
        ]
        if changed:
            raise self._refuse(
                action,
                approval_id,
                f"what the owner approved has changed in {self.service} since it was filed: {', '.join(changed)}. "
                "File a new request.",
            )

    def _run(
        self,
        action: WriteAction[ClientT, ArgsT],
        client: Callable[[], ClientT],
        args: ArgsT,
        context: CallContext,
    ) -> WriteResult:
        started = time.perf_counter()
        try:
            result = self.breaker.call(lambda: action.execute(client(), args, context))
        except Ambiguous as exc:
            record = self._confirm_by_read(action, client, args, context) or self.ledger.mark_ambiguous(
                context.call_id, exc.message, exc.details
            )
        except ServiceError as exc:
            record = self.ledger.fail(context.call_id, exc.message, exc.details)
        except Exception as exc:  # an unexpected error may come after the request was sent: not safe to re-run
            record = self.ledger.mark_ambiguous(context.call_id, describe(exc))
        else:
            record = self.ledger.succeed(context.call_id, result)
        self._log_outcome(action, args, context, record, (time.perf_counter() - started) * 1000)
        return self._from_record(record, replayed=False)

    def _confirm_by_read(
        self, action: WriteAction[ClientT, ArgsT], client: Callable[[], ClientT], args: ArgsT, context: CallContext
    ) -> CallRecord | None:
        """Right after a lost answer, a read may already show the write landed. Only that is accepted
        here: "not applied" so soon may just mean "not visible yet", so it never triggers a re-run."""
        if action.resolve is None:
            return None
        try:
            resolution = action.resolve(client(), args, context)
        except ServiceError:
            return None
        if resolution.applied and resolution.result is not None:
            return self.ledger.succeed(
                context.call_id, resolution.result, note=resolution.note or "confirmed by a read"
            )
        return None

    def _settle(
        self,
        action: WriteAction[ClientT, ArgsT],
        client: Callable[[], ClientT],
        args: ArgsT,
        context: CallContext,
        record: CallRecord,
    ) -> WriteResult:
        """A call seen before: replay a finished one; try to resolve an ambiguous one by a read."""
        context = replace(context, now=record.started_at)  # look for the write from when it was sent
        if record.finished or record.status == "running" or action.resolve is None:
            if record.status == "ambiguous" and record.finished_at is None:
                record = self.ledger.mark_ambiguous(context.call_id, record.note or "interrupted")
            return self._from_record(record, replayed=True)
        try:
            resolution = action.resolve(client(), args, context)
        except ServiceError as exc:
            resolution = Resolution.unknown(f"the check failed: {exc.message}")
        if resolution.applied and resolution.result is not None:
            record = self.ledger.succeed(
                context.call_id, resolution.result, note=resolution.note or "confirmed by a read"
            )
        elif resolution.applied is False and self.ledger.reclaim(context.call_id, record):
            return self._run(action, client, args, context)
        else:
            record = self.ledger.mark_ambiguous(context.call_id, resolution.note or record.error or "outcome unknown")
        self._log_outcome(action, args, context, record, None)
        return self._from_record(record, replayed=True)

    def _log_outcome(
        self,
        action: WriteAction[Any, Any],
        args: BaseModel,
        context: CallContext,
        record: CallRecord,
        ms: float | None,
    ) -> None:
        self.log.record(
            f"{self.service}.{action.name}",
            actor=f"mcp:{self.service}",
            parameters=args.model_dump(mode="json"),
            result={"status": record.status, **(record.result or {})},
            approval_status="approved",
            duration_ms=ms,
            error=record.error,
            request_id=context.request_id,
            call_id=context.call_id,
            mode=self.mode_label,
        )

    def _from_record(self, record: CallRecord, *, replayed: bool) -> WriteResult:
        reason = (record.error or record.note or "no reason recorded").rstrip(". ")
        messages = {
            "succeeded": "Done."
            if not replayed
            else "Already done earlier; this is the stored result (not sent again).",
            "failed": f"Failed: {reason}. Nothing is retried automatically; file a new request to try again.",
            "ambiguous": f"Outcome unknown: {reason}. It was not retried; check the service "
            "and tell AI Employee what happened (see Needs_Action/).",
            "running": "Another process is executing this call right now; ask again in a moment.",
        }
        status = {
            "succeeded": "replayed" if replayed else "executed",
            "failed": "failed",
            "ambiguous": "ambiguous",
            "running": "in_progress",
        }[record.status]
        return self._result(
            status=status,
            request_id=record.call_id.split("#")[0],
            result=record.result,
            error=record.error,
            message=messages[record.status]
            + (f" ({record.note})" if record.note and record.status == "succeeded" else ""),
        )
