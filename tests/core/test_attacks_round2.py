"""Red-team round 2 on the merged issue-11 work: each test is an attack that worked on the merged main."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import pytest

from mcp_servers.core import action_request as ar
from mcp_servers.core.errors import ApprovalRefused, ServiceError
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
