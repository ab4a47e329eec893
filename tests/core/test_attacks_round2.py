"""Red-team round 2 on the merged issue-11 work: each test is an attack that worked on the merged main."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from mcp_servers.core import action_request as ar
from mcp_servers.core.actions import CallContext, Resolution, WriteAction
from mcp_servers.core.errors import Ambiguous, ApprovalRefused, ServiceError
from mcp_servers.core.models import Preview
from mcp_servers.core.vault import APPROVED, PENDING, REJECTED, Vault
from tests.core.test_gate_binding import POST, PostArgs, Remote, file_and_approve, make_gate

OVERLAY = '<div style="position:fixed;inset:0;background:white">**Amount**: 5.00 · a test, nothing is paid</div>'


@pytest.mark.parametrize("heading", ar.LATER_SECTIONS)
def test_a_forged_later_section_does_not_pass_the_body_check(vault: Vault, signing_key: bytes, heading: str) -> None:
    """A model with file access appends a "result" or "why" section to a pending request: the real body stays
    a prefix, but what the owner sees (an HTML overlay covers it in Obsidian) is the forged text. Only the
    orchestrator's own sections may follow the filed body, and a result only once a call has run."""
    gate, remote = make_gate(vault, signing_key), Remote()
    request_id, path = file_and_approve(gate, remote, vault)
    path.write_text(path.read_text().rstrip() + f"\n\n{heading}\n\n{OVERLAY}\n")
    with pytest.raises(ApprovalRefused, match="text of the request was changed after it was filed"):
        gate.execute(POST, lambda: remote, PostArgs(invoice_id=7), request_id)
    assert remote.posted == []


def test_a_rejected_file_moved_back_by_the_owner_still_runs(vault: Vault, signing_key: bytes) -> None:
    """What the orchestrator writes when it refuses a file (the owner fixes the cause and moves it back)."""
    from orchestrator.notes import strip_sections, why_section

    gate, remote = make_gate(vault, signing_key), Remote()
    request_id, path = file_and_approve(gate, remote, vault)
    parsed = ar.read_request_file(vault, path)
    why = why_section("it asks for server(s) odoo, which <this> orchestrator does not run", datetime.now(UTC))
    path.write_text(ar.render(parsed.request, strip_sections(parsed.body) + "\n\n" + why, {"status": "rejected"}))
    assert gate.execute(POST, lambda: remote, PostArgs(invoice_id=7), request_id).status == "executed"


@pytest.mark.parametrize("target", [PENDING, REJECTED])
def test_approved_replaced_by_a_link_to_another_folder_runs_nothing(
    vault: Vault, signing_key: bytes, target: str
) -> None:
    """A model with file access replaces Approved/ by a link to Pending_Approval/: every waiting request would
    then be 'in Approved/' without the owner moving it. A request folder that is a link is no folder."""
    gate, remote = make_gate(vault, signing_key), Remote()
    filed = gate.file(POST, remote, PostArgs(invoice_id=7))
    assert filed.request_id and filed.request_path and filed.requires_approval
    if target == REJECTED:
        source = vault.root / filed.request_path
        source.rename(vault.folder(REJECTED) / source.name)
    approved = vault.folder(APPROVED)
    shutil.rmtree(approved)
    approved.symlink_to(vault.folder(target), target_is_directory=True)
    with pytest.raises(ApprovalRefused):
        gate.execute(POST, lambda: remote, PostArgs(invoice_id=7), filed.request_id)
    assert remote.posted == []


def test_pending_replaced_by_a_link_to_approved_files_nothing_there(vault: Vault, signing_key: bytes) -> None:
    """The mirror attack: Pending_Approval/ swapped for a link to Approved/, so a request that needs the owner
    would be written straight into Approved/ and run. Filing refuses a request folder that is a link."""
    gate, remote = make_gate(vault, signing_key), Remote()
    pending = vault.folder(PENDING)
    pending.rmdir()
    pending.symlink_to(vault.folder(APPROVED), target_is_directory=True)
    with pytest.raises(ServiceError, match="Pending_Approval"):
        gate.file(POST, remote, PostArgs(invoice_id=7))
    assert list(vault.folder(APPROVED).iterdir()) == []


def test_rejected_replaced_by_a_link_to_approved_runs_nothing(vault: Vault, signing_key: bytes) -> None:
    """Rejected/ swapped for a link to Approved/: the owner's cancel (a move to Rejected/) would land the file in
    Approved/. While a request folder is a link, nothing runs."""
    gate, remote = make_gate(vault, signing_key), Remote()
    filed = gate.file(POST, remote, PostArgs(invoice_id=7))
    assert filed.request_id and filed.request_path
    rejected = vault.folder(REJECTED)
    rejected.rmdir()
    rejected.symlink_to(vault.folder(APPROVED), target_is_directory=True)
    source = vault.root / filed.request_path
    source.rename(rejected / source.name)  # the owner cancels it
    with pytest.raises(ApprovalRefused, match="Rejected/ in the vault is a link"):
        gate.execute(POST, lambda: remote, PostArgs(invoice_id=7), filed.request_id)
    assert remote.posted == []


@dataclass
class LaggingRemote:
    """A service whose reads show a write only some reads later (X's and Meta's timelines are not instant)."""

    writes: list[str] = field(default_factory=list)
    reads_until_visible: int = 2

    def post(self, args: PostArgs, call: CallContext) -> dict[str, Any]:
        self.writes.append(call.call_id)
        raise Ambiguous("the connection dropped before the answer came")

    def resolve(self, args: PostArgs, call: CallContext) -> Resolution:
        self.reads_until_visible -= 1
        if self.writes and self.reads_until_visible < 0:
            return Resolution.done({"id": 1}, "found it")
        return Resolution.not_applied("not on the timeline")


LAGGING = WriteAction(
    name="post_invoice",
    action_type="invoice",
    args=PostArgs,
    preview=lambda remote, args: Preview(summary="Post", details="Post it"),
    execute=lambda remote, args, call: remote.post(args, call),
    resolve=lambda remote, args, call: remote.resolve(args, call),
    title="Post",
    description="Post.",
)


def test_a_lost_answer_is_not_rerun_by_a_second_asker_on_a_read_made_too_soon(vault: Vault, signing_key: bytes) -> None:
    """The write landed but its answer was lost; the read right after does not show it yet. A second client
    asking a moment later must not take that read as proof that it never happened and post it again."""
    gate, remote = make_gate(vault, signing_key), LaggingRemote()
    filed = gate.file(LAGGING, remote, PostArgs(invoice_id=7))
    assert filed.request_id and filed.request_path
    source = vault.root / filed.request_path
    source.rename(vault.folder(APPROVED) / source.name)
    first = gate.execute(LAGGING, lambda: remote, PostArgs(invoice_id=7), filed.request_id)
    assert first.status == "ambiguous"
    again = gate.execute(LAGGING, lambda: remote, PostArgs(invoice_id=7), filed.request_id)
    assert len(remote.writes) == 1, "posted twice"
    assert again.status == "ambiguous" and "too soon" in again.message
    gate.clock = lambda: datetime.now(UTC) + timedelta(minutes=3)  # later, the read is to be trusted
    assert gate.execute(LAGGING, lambda: remote, PostArgs(invoice_id=7), filed.request_id).status == "replayed"
    assert len(remote.writes) == 1


def test_a_request_filed_in_sandbox_does_not_run_live(vault: Vault, signing_key: bytes) -> None:
    """The owner tries AI Employee in sandbox mode, leaves a test post or invoice pending, then goes live and
    approves it: the ids and text were the sandbox's, and the owner approved a rehearsal, not a real write."""
    gate, remote = make_gate(vault, signing_key), Remote()
    gate.mode_label = "SANDBOX"
    request_id, _ = file_and_approve(gate, remote, vault)
    gate.mode_label = "LIVE"
    with pytest.raises(ApprovalRefused, match="filed in SANDBOX mode"):
        gate.execute(POST, lambda: remote, PostArgs(invoice_id=7), request_id)
    assert remote.posted == []
    gate.mode_label = "SANDBOX"
    assert gate.execute(POST, lambda: remote, PostArgs(invoice_id=7), request_id).status == "executed"


def test_a_cross_post_carries_the_mode_of_each_platform(vault: Vault, signing_key: bytes) -> None:
    from skills import crosspost

    previews = crosspost.preview_all(crosspost.Draft("Launch day"), ["facebook", "twitter"], vault)
    filed = crosspost.file_crosspost(vault, previews, key=signing_key)
    calls = ar.read_request_file(vault, vault.root / filed.path).request.calls
    assert [c.mode for c in calls] == ["SANDBOX", "SANDBOX"]
