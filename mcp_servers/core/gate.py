"""The one path every write takes (docs/architecture.md): preview, file a signed request, or execute an approved
one exactly once. Services describe a write as a `WriteAction`; nothing here knows any service.

    dry_run=True                    → `preview()`; no file, no API write
    dry_run=False, no approval_id   → `file()`: policy decides Pending_Approval/ or Approved/
    dry_run=False, approval_id=X    → `execute()`: X must be in Approved/, signed, with the body as filed,
                                      unexpired, with these exact arguments, the remote state the owner
                                      saw (`expect`), and never started before; else a refusal

A call seen before is answered from the ledger in any folder. One whose outcome is unknown is re-run only
if a read proves it never happened and its request is in Approved/ and unexpired at that moment; never
from Done/. A call the ledger does not know is checked against Done/ and, for a request older than the
ledger, against a read of the service first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from pydantic import BaseModel

from mcp_servers.core import action_request as ar
from mcp_servers.core.actions import CallContext, WriteAction
from mcp_servers.core.audit_log import AuditLog
from mcp_servers.core.errors import ServiceError
from mcp_servers.core.filing import file_request
from mcp_servers.core.gate_rules import (
    LEDGER_MISSED,
    RERUN_AFTER,
    Rerun,
    not_runnable,
    recorded_in_done,
    too_soon_to_rerun,
)
from mcp_servers.core.gate_run import CallRunner
from mcp_servers.core.ledger import STALE_AFTER, Ledger, new_owner
from mcp_servers.core.models import WriteResult
from mcp_servers.core.policy import Policy
from mcp_servers.core.resilience import CircuitBreaker
from mcp_servers.core.vault import APPROVED, DONE, PENDING, REJECTED, Vault

ClientT = TypeVar("ClientT")
ArgsT = TypeVar("ArgsT", bound=BaseModel)


class ApprovalGate(CallRunner):
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
        stale_after: timedelta = STALE_AFTER,
        mode_label: str = "SANDBOX",
        breaker: CircuitBreaker | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.service, self.vault, self.key, self.policy, self.tag = service, vault, key, policy, tag
        self.expiry, self.mode_label, self.clock = expiry, mode_label, clock
        self.breaker = breaker or CircuitBreaker(service)
        self.ledger = Ledger(vault, stale_after=stale_after, clock=lambda: self.clock())
        self.log = AuditLog(vault)

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
        args_json = args.model_dump(mode="json")
        call = ar.ToolCall(server=self.service, tool=action.name, args=args_json, mode=self.mode_label)
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

    def _approved_call(
        self,
        action: WriteAction[Any, Any],
        args: BaseModel,
        approval_id: str,
        now: datetime,
    ) -> tuple[ar.ActionRequest, int, str | None]:
        """The verified request, the index of this call in it, and why it may not start now (None if it may:
        in Approved/ with the body as filed, unexpired, due)."""
        linked = self.vault.linked_request_folder()
        if linked:
            raise self._refuse(action, approval_id, linked)
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
        except ar.RequestFileError as exc:
            raise self._refuse(action, approval_id, f"{path.name}: {exc.reason}") from None
        refused = not_runnable(request, folder, now)
        if refused is None:
            try:  # a replay runs nothing, so only a call that may start needs the body as the owner read it
                ar.check_body(parsed, ran=ar.RESULT_HEADING in parsed.body and self._has_run(request))
            except ar.RequestFileError as exc:
                refused = f"{path.name}: {exc.reason}"
        if request.id != approval_id:
            raise self._refuse(action, approval_id, f"{path.name} holds request {request.id}, not {approval_id}.")
        given = args.model_dump(mode="json")
        for index, call in enumerate(request.calls):
            if call.server == self.service and call.tool == action.name and ar.args_equal(call.args, given):
                if call.mode not in (None, self.mode_label):
                    reason = (
                        f"request {approval_id} was filed in {call.mode} mode and {self.service} now runs in "
                        f"{self.mode_label} mode: what the owner approved was not this. File it again."
                    )
                    raise self._refuse(action, approval_id, reason)
                return request, index, refused
        raise self._refuse(
            action,
            approval_id,
            f"request {approval_id} does not approve {self.service}.{action.name} with these arguments "
            "(they must equal the approved ones exactly).",
        )

    def _has_run(self, request: ar.ActionRequest) -> bool:
        """Whether the orchestrator may have added a result section: a call started, or it is in Done/."""
        started = any(self.ledger.lookup(request.call_id(i)) for i in range(len(request.calls)))
        return started or ar.find_request(self.vault, request.id, (DONE,)) is not None

    def execute(
        self,
        action: WriteAction[ClientT, ArgsT],
        client: Callable[[], ClientT],
        args: ArgsT,
        approval_id: str,
    ) -> WriteResult:
        now = self.clock()
        # a call is only ever started, or re-started, for a file in Approved/ now and unexpired (`refused`)
        request, index, refused = self._approved_call(action, args, approval_id, now)
        call_id, call = request.call_id(index), request.calls[index]
        context = CallContext(request.id, call_id, now, request.scheduled_for, self.vault)
        rerun = Rerun(call, refused)
        record = self.ledger.lookup(call_id)
        if record is not None:  # replays of a call seen before are answered in any folder
            rerun = Rerun(call, refused or too_soon_to_rerun(record, now))
            return self._settle(action, client, args, context, record, rerun)
        if refused:
            raise self._refuse(action, approval_id, refused)
        earlier = recorded_in_done(self.vault, self.key, request, index, self.service)
        if earlier is not None:
            return self._answer(earlier, request.id)
        self._check_binding(action, client, args, call, approval_id)
        found = self._found_before(action, client, args, request, context)
        if found is None and (wait := self._too_soon_after_reset(action, request, now)):
            return self._result(status="in_progress", request_id=request.id, message=wait)
        owner = new_owner()
        existing = self.ledger.start(call_id, action.name, now, owner=owner)
        if existing is not None:  # another process claimed it first
            return self._settle(action, client, args, context, existing, rerun)
        if found is not None:
            record = self.ledger.succeed(call_id, found, note=LEDGER_MISSED, owner=owner)
            self._log_outcome(action, args, context, record, None)
            return self._from_record(record, replayed=True)
        return self._run(action, client, args, context, owner)

    def _too_soon_after_reset(self, action: WriteAction[Any, Any], request: ar.ActionRequest, now: datetime) -> str:
        """A ledger that did not see the request filed (lost, or synced without it) may have missed a run made just
        before it began; a read that soon may not show that write yet, so "not found" is not proof until
        `RERUN_AFTER` has passed since the ledger began. The orchestrator asks again later; nothing runs meanwhile."""
        if action.resolve is None or not self.ledger.may_have_missed(request.id):
            return ""
        ready = self.ledger.born + RERUN_AFTER
        if now >= ready:
            return ""
        return (
            f"Not run yet: the ledger began at {self.ledger.born:%H:%M:%S} UTC without a record of request "
            f"{request.id}, and {self.service} shows no earlier run of it yet; a run made just before may not be "
            f"visible so soon. Ask again after {ready:%H:%M:%S} UTC (the orchestrator does so by itself)."
        )

    def _found_before(
        self,
        action: WriteAction[ClientT, ArgsT],
        client: Callable[[], ClientT],
        args: ArgsT,
        request: ar.ActionRequest,
        context: CallContext,
    ) -> dict[str, Any] | None:
        """For a request older than the ledger (which may have lost its record), the service's read:
        the result of the write if it already happened since the request was filed."""
        if action.resolve is None or not self.ledger.may_have_missed(request.id):
            return None
        try:
            resolution = action.resolve(client(), args, replace(context, now=request.timestamp))
        except ServiceError as exc:
            reason = (
                f"the ledger has no record of request {request.id}, which is older than it, and {self.service} "
                f"could not be checked for an earlier run ({exc.message}). Try again when {self.service} answers."
            )
            raise self._refuse(action, request.id, reason) from None
        return resolution.result if resolution.applied else None
