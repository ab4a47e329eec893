"""Running and settling one approved call for the gate: the binding check, the call itself under the
ledger, the read that settles a lost answer, and the answer the model gets. Split from `gate.py`, which
decides whether a call may run at all."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from pydantic import BaseModel

from mcp_servers.core import action_request as ar
from mcp_servers.core.actions import CallContext, Resolution, WriteAction
from mcp_servers.core.audit_log import AuditLog
from mcp_servers.core.errors import Ambiguous, ApprovalRefused, ServiceError, describe
from mcp_servers.core.gate_rules import Answer, Rerun, binding_changes, from_record
from mcp_servers.core.ledger import CallRecord, Ledger
from mcp_servers.core.models import WriteResult
from mcp_servers.core.resilience import CircuitBreaker

ClientT = TypeVar("ClientT")
ArgsT = TypeVar("ArgsT", bound=BaseModel)


class CallRunner:
    """The part of `ApprovalGate` that runs a call it has decided may run (or settles one seen before)."""

    service: str
    mode_label: str
    ledger: Ledger
    breaker: CircuitBreaker
    log: AuditLog

    def _result(self, **fields: Any) -> WriteResult:
        return WriteResult(mode=self.mode_label, **fields)  # type: ignore[arg-type]

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
        changed = binding_changes(call.expect, now)
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
        owner: str,
    ) -> WriteResult:
        started = time.perf_counter()
        call_id = context.call_id
        try:
            result = self.breaker.call(lambda: action.execute(client(), args, context))
        except Ambiguous as exc:
            record = self._confirm_by_read(action, client, args, context, owner) or self.ledger.mark_ambiguous(
                call_id, exc.message, exc.details, owner=owner
            )
        except ServiceError as exc:
            record = self.ledger.fail(call_id, exc.message, exc.details, owner=owner)
        except Exception as exc:  # an unexpected error may come after the request was sent: not safe to re-run
            record = self.ledger.mark_ambiguous(call_id, describe(exc), owner=owner)
        else:
            record = self.ledger.succeed(call_id, result, owner=owner)
        self._log_outcome(action, args, context, record, (time.perf_counter() - started) * 1000)
        return self._from_record(record, replayed=False)

    def _confirm_by_read(
        self,
        action: WriteAction[ClientT, ArgsT],
        client: Callable[[], ClientT],
        args: ArgsT,
        context: CallContext,
        owner: str,
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
            note = resolution.note or "confirmed by a read"
            return self.ledger.succeed(context.call_id, resolution.result, note=note, owner=owner)
        return None

    def _settle(
        self,
        action: WriteAction[ClientT, ArgsT],
        client: Callable[[], ClientT],
        args: ArgsT,
        context: CallContext,
        record: CallRecord,
        rerun: Rerun,
    ) -> WriteResult:
        """A call seen before: replay a finished one; try to resolve an ambiguous one by a read, and re-run
        it only if the read proves it never happened and its request is in Approved/ and unexpired now."""
        context = replace(context, now=record.started_at)  # look for the write from when it was sent
        call_id, owner = context.call_id, record.owner
        if record.finished or record.status == "running" or action.resolve is None:
            if record.status == "ambiguous" and record.finished_at is None:
                record = self.ledger.mark_ambiguous(call_id, record.note or "interrupted", owner=owner)
            return self._from_record(record, replayed=True)
        try:
            resolution = action.resolve(client(), args, context)
        except ServiceError as exc:
            resolution = Resolution.unknown(f"the check failed: {exc.message}")
        if resolution.applied and resolution.result is not None:
            record = self.ledger.succeed(
                call_id, resolution.result, note=resolution.note or "confirmed by a read", owner=owner
            )
        else:
            note = resolution.note or record.error or "outcome unknown"
            if resolution.applied is False:
                if rerun.refused is None:
                    self._check_binding(action, client, args, rerun.call, context.request_id)
                    new = self.ledger.reclaim(call_id, record)
                    if new is not None:
                        return self._run(action, client, args, context, new)
                note += f" (not re-run: {rerun.refused or record.note or 'another process took it over'})"
            record = self.ledger.mark_ambiguous(call_id, note, owner=owner)
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
        return self._answer(from_record(record, replayed=replayed), record.call_id.split("#")[0])

    def _answer(self, answer: Answer, request_id: str) -> WriteResult:
        return self._result(
            status=answer.status,
            request_id=request_id,
            result=answer.result,
            error=answer.error,
            message=answer.message,
        )
