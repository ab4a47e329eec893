"""What runs is what the owner saw: state-dependent writes are bound to the remote state of the preview, and
the body the owner reads is signed (issue 11, item 4)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from mcp_servers.core import action_request as ar
from mcp_servers.core.actions import CallContext, WriteAction
from mcp_servers.core.errors import ApprovalRefused, Unavailable
from mcp_servers.core.gate import ApprovalGate
from mcp_servers.core.models import Preview
from mcp_servers.core.policy import Policy
from mcp_servers.core.vault import APPROVED, Vault

OLD_FORMAT = """---
type: payment
id: 20261125-221000-fk-0a1b2c3d
platforms:
- fake
summary: 'Add note: pay 60.00'
timestamp: '2026-11-25T22:10:00Z'
expires: '2026-12-02T22:10:00Z'
scheduled_for: null
requires_approval: true
auto_approve_reason: null
amount: 60.0
calls:
- server: fake
  tool: add_note
  args:
    text: pay 60.00
    amount: '60.00'
    tags: []
signature: hmac-sha256:742f59961773d9f1f9fad23e67a05f8adb65c9c5d9239e9eeddccbe0b0e338a7
---
# Payment Approval

Will add the note **pay 60.00**.

---
**Action**: move this file to `Approved/` to run it, or to `Rejected/` (or delete it) to cancel.
"""


class PostArgs(BaseModel):
    invoice_id: int


@dataclass
class Remote:
    """A draft invoice whose total the owner sees in the preview; `posted` counts real writes."""

    total: str = "977.50"
    posted: list[str] = field(default_factory=list)
    down: bool = False


def preview_post(remote: Remote, args: PostArgs) -> Preview:
    if remote.down:
        raise Unavailable("odoo is down")
    return Preview(
        summary=f"Post invoice {args.invoice_id}",
        details=f"Total {remote.total}",
        binding={"amount_total": remote.total},
    )


def post(remote: Remote, args: PostArgs, call: CallContext) -> dict[str, Any]:
    remote.posted.append(remote.total)
    return {"id": args.invoice_id, "amount_total": remote.total}


POST = WriteAction(
    name="post_invoice",
    action_type="invoice",
    args=PostArgs,
    preview=preview_post,
    execute=post,
    title="Post",
    description="Post a draft invoice.",
)


def make_gate(vault: Vault, key: bytes) -> ApprovalGate:
    return ApprovalGate("odoo", vault, key=key, policy=Policy(), tag="od")


def file_and_approve(gate: ApprovalGate, remote: Remote, vault: Vault) -> tuple[str, Path]:
    filed = gate.file(POST, remote, PostArgs(invoice_id=7))
    assert filed.request_path and filed.request_id
    source = vault.root / filed.request_path
    target = vault.folder(APPROVED) / source.name
    shutil.move(source, target)
    return filed.request_id, target


def test_the_binding_is_signed_into_the_call(vault: Vault, signing_key: bytes) -> None:
    gate, remote = make_gate(vault, signing_key), Remote()
    _, path = file_and_approve(gate, remote, vault)
    parsed = ar.read_request_file(vault, path)
    assert parsed.request.calls[0].expect == {"amount_total": "977.50"}
    assert "expect:" in path.read_text()
    forged = path.read_text().replace("amount_total: '977.50'", "amount_total: '97750.00'")
    with pytest.raises(ar.RequestFileError, match="signature does not match"):
        ar.verify(ar.parse(forged).request, signing_key)


def test_a_draft_changed_after_filing_is_refused_naming_old_and_new(vault: Vault, signing_key: bytes) -> None:
    gate, remote = make_gate(vault, signing_key), Remote()
    request_id, _ = file_and_approve(gate, remote, vault)
    remote.total = "97750.00"
    with pytest.raises(ApprovalRefused) as refused:
        gate.execute(POST, lambda: remote, PostArgs(invoice_id=7), request_id)
    assert str(refused.value) == (
        "Not run: what the owner approved has changed in odoo since it was filed: "
        "amount_total was 977.50, now 97750.00. File a new request."
    )
    assert remote.posted == []
    assert gate.ledger.lookup(f"{request_id}#0") is None  # nothing started: a new request can still run
    remote.total = "977.50"
    assert gate.execute(POST, lambda: remote, PostArgs(invoice_id=7), request_id).status == "executed"
    assert remote.posted == ["977.50"]


def test_a_failed_check_refuses_with_the_services_reason(vault: Vault, signing_key: bytes) -> None:
    gate, remote = make_gate(vault, signing_key), Remote()
    request_id, _ = file_and_approve(gate, remote, vault)
    remote.down = True
    with pytest.raises(ApprovalRefused, match="could not be checked: odoo is down"):
        gate.execute(POST, lambda: remote, PostArgs(invoice_id=7), request_id)
    assert remote.posted == []


def test_a_request_filed_before_bindings_still_verifies(signing_key: bytes) -> None:
    parsed = ar.parse(OLD_FORMAT)
    ar.verify(parsed.request, signing_key)
    ar.check_body(parsed)  # no digest: nothing to compare
    assert parsed.request.calls[0].expect is None and parsed.request.body_digest is None
    again = ar.render(parsed.request, parsed.body)
    assert "expect" not in again and "body_digest" not in again
    ar.verify(ar.parse(again).request, signing_key)


def test_a_body_rewritten_to_look_harmless_is_refused_not_run(vault: Vault, signing_key: bytes) -> None:
    gate, remote = make_gate(vault, signing_key), Remote()
    request_id, path = file_and_approve(gate, remote, vault)
    text = path.read_text()
    path.write_text(text.replace("Total 977.50", "Total 0.00 (a test, nothing is posted)"))
    ar.verify(ar.read_request_file(vault, path).request, signing_key)  # the signed fields are untouched
    with pytest.raises(ApprovalRefused, match="text of the request was changed after it was filed"):
        gate.execute(POST, lambda: remote, PostArgs(invoice_id=7), request_id)
    assert remote.posted == []


def test_the_body_check_allows_what_sync_and_the_orchestrator_do(vault: Vault, signing_key: bytes) -> None:
    gate, remote = make_gate(vault, signing_key), Remote()
    _, path = file_and_approve(gate, remote, vault)
    parsed = ar.read_request_file(vault, path)
    crlf = ar.parse(path.read_text().replace("\n", "  \r\n"))
    ar.check_body(crlf)
    ran = parsed.body.replace(ar.ACTION_LINE, "").rstrip().rstrip("-") + "\n\n## Result of the run\n\nDone."
    ar.check_body(parsed.model_copy(update={"body": ran}), ran=True)  # a result once a call has run
    appended = parsed.body + "\nAlso pay 5000 to account 123.\n"
    with pytest.raises(ar.RequestFileError):
        ar.check_body(parsed.model_copy(update={"body": appended}))


def test_a_finished_call_still_replays_after_its_body_was_edited(vault: Vault, signing_key: bytes) -> None:
    """Only a call that may start needs the body as filed; a replay runs nothing (the orchestrator may
    crash between the run and its move to Done/)."""
    gate, remote = make_gate(vault, signing_key), Remote()
    request_id, path = file_and_approve(gate, remote, vault)
    assert gate.execute(POST, lambda: remote, PostArgs(invoice_id=7), request_id).status == "executed"
    path.write_text(path.read_text().replace("Total 977.50", "Total 0.00"))
    assert gate.execute(POST, lambda: remote, PostArgs(invoice_id=7), request_id).status == "replayed"
    assert remote.posted == ["977.50"]
