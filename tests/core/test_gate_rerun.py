"""Nothing runs twice: an ambiguous call is re-run only for its file in Approved/ (issue 11, item 1); a call
left by another machine is surfaced, not stuck (item 9); a lost ledger does not let a Done/ request run
again (item 10)."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from mcp_servers.core import action_request as ar
from mcp_servers.core.gate import ApprovalGate
from mcp_servers.core.ledger import Ledger
from mcp_servers.core.policy import Policy
from mcp_servers.core.vault import APPROVED, DONE, Vault
from orchestrator import notes
from tests.conftest import TEST_KEY
from tests.core.fake_service.server import make_app

pytestmark = pytest.mark.anyio
BILL = {"text": "pay bill 42", "amount": "60.00", "recurring": True}


async def file_approved(client: Client, vault: Vault, **args: Any) -> tuple[str, Path]:
    r = await client.call_tool("add_note", {**BILL, **args, "dry_run": False})
    data = r.structured_content
    assert data["status"] == "filed", r.content
    source = vault.root / data["request_path"]
    target = vault.folder(APPROVED) / source.name
    if source != target:
        shutil.move(source, target)
    return data["request_id"], target


async def run(client: Client, request_id: str, **args: Any) -> dict[str, Any]:
    r = await client.call_tool("add_note", {**BILL, **args, "dry_run": False, "approval_id": request_id})
    assert not r.is_error, r.content
    return dict(r.structured_content)


def to_done(path: Path, vault: Vault, outcomes: list[notes.CallOutcome] | None = None) -> Path:
    """What the orchestrator does after a run: the request, with its outcome, in Done/."""
    parsed = ar.read_request_file(vault, path)
    state = {"status": "ran", "result": [o.state() for o in outcomes or []]}
    target = vault.folder(DONE) / path.name
    target.write_text(ar.render(parsed.request, notes.strip_sections(parsed.body) + "\n\n## Result of the run", state))
    path.unlink()
    return target


async def test_an_ambiguous_payment_in_done_is_never_paid_again_after_the_owner_refiled_it(vault: Vault) -> None:
    """The issue's sequence: a dropped answer, the owner files the payment again, then any MCP client asks
    for the old request: the bill must be paid once."""
    app = make_app(vault)
    async with Client(app.mcp) as client:
        old_id, path = await file_approved(client, vault)
        app.client().fail_next = "ambiguous"  # the answer is dropped before the write
        assert (await run(client, old_id))["status"] == "ambiguous"
        to_done(path, vault)
        new_id, _ = await file_approved(client, vault)
        assert (await run(client, new_id))["status"] == "executed"
        again = await run(client, old_id)
    assert app.client().writes() == 1
    assert again["status"] == "ambiguous"
    assert "not re-run" in again["message"] and "Done/" in again["message"]


async def test_an_expired_ambiguous_call_is_not_rerun_even_in_approved(vault: Vault) -> None:
    app = make_app(vault)
    async with Client(app.mcp) as client:
        request_id, _ = await file_approved(client, vault)
        app.client().fail_next = "ambiguous"
        await run(client, request_id)
        app.gate.clock = lambda: datetime.now(UTC) + timedelta(days=8)
        again = await run(client, request_id)
    assert again["status"] == "ambiguous" and "expired" in again["message"]
    assert app.client().writes() == 0


async def test_the_owner_is_told_to_file_a_new_request_and_that_the_old_one_stays_put(vault: Vault) -> None:
    request = ar.build_request(
        type="payment",
        tag="fk",
        calls=[ar.ToolCall(server="fake", tool="add_note")],
        summary="Pay bill",
        now=datetime.now(UTC),
        expiry=timedelta(days=7),
    )
    outcome = notes.CallOutcome("fake", "add_note", "ambiguous", "Outcome unknown: dropped.")
    text = notes.call_note(request, vault.folder(DONE) / "x.md", [outcome], datetime.now(UTC))
    assert "nothing is duplicated" not in text
    assert "file a new request" in text and "never runs again" in text


def _left_by(vault: Vault, call_id: str, host: str, started: datetime) -> None:
    """A start file as another machine (or this one under its old name) leaves it after a crash."""
    ledger = Ledger(vault)
    assert ledger.start(call_id, "add_note") is None
    path = ledger.root / call_id.replace("#", "/") / ""
    start = Path(str(path).rstrip("/") + ".start")
    meta = json.loads(start.read_text()) | {"host": host, "started_at": started.isoformat(), "pid": 1}
    start.write_text(json.dumps(meta))


async def test_a_call_left_on_another_machine_is_surfaced_after_an_hour_and_not_rerun(vault: Vault) -> None:
    app = make_app(vault)
    async with Client(app.mcp) as client:
        request_id, _ = await file_approved(client, vault)
        _left_by(vault, f"{request_id}#0", "old-container", datetime.now(UTC) - timedelta(minutes=10))
        recent = await run(client, request_id)
        _left_by_again = Ledger(vault).root / request_id / "0.start"
        meta = json.loads(_left_by_again.read_text())
        meta["started_at"] = (datetime.now(UTC) - timedelta(hours=2)).isoformat()
        _left_by_again.write_text(json.dumps(meta))
        stale = await run(client, request_id)
        later = await run(client, request_id)
    assert recent["status"] == "in_progress"
    assert stale["status"] == "ambiguous" and "old-container" in stale["message"]
    assert later["status"] == "ambiguous"  # recorded: the owner is asked, it is never re-run
    assert app.client().writes() == 0


def test_the_stale_time_is_configurable(vault: Vault) -> None:
    call_id = "20261125-221000-fk-0a1b2c3d#0"
    _left_by(vault, call_id, "old-container", datetime.now(UTC) - timedelta(minutes=10))
    assert Ledger(vault).lookup(call_id).status == "running"  # type: ignore[union-attr]
    assert Ledger(vault, stale_after=timedelta(minutes=5)).lookup(call_id).status == "ambiguous"  # type: ignore[union-attr]


async def test_a_done_request_put_back_after_the_ledger_was_lost_is_not_run_again(vault: Vault) -> None:
    app = make_app(vault)
    async with Client(app.mcp) as client:
        request_id, path = await file_approved(client, vault)
        first = await run(client, request_id)
        outcome = notes.CallOutcome("fake", "add_note", "succeeded", "Done.", first["result"])
        done = to_done(path, vault, [outcome])
        shutil.rmtree(vault.state_dir / "ledger")
        shutil.copy(done, vault.folder(APPROVED) / done.name)
        again = await run(client, request_id)
    assert app.client().writes() == 1
    assert again["status"] == "replayed" and again["result"] == first["result"]


async def test_a_request_older_than_the_ledger_is_checked_by_a_read_before_it_runs(vault: Vault) -> None:
    """The ledger and the Done/ file are both gone (a crash before the move, a vault synced without its
    dot-folders): the service's read finds the earlier write."""
    app = make_app(vault)
    app.gate.clock = lambda: datetime.now(UTC) - timedelta(hours=2)
    (vault.state_dir / "ledger" / ".born").unlink()  # this server, and its ledger, began two hours ago
    async with Client(app.mcp) as client:
        request_id, _ = await file_approved(client, vault)
        first = await run(client, request_id)
    shutil.rmtree(vault.state_dir / "ledger")
    fresh = make_app(vault)  # e.g. the second machine: a new, empty ledger
    async with Client(fresh.mcp) as client:
        again = await run(client, request_id)
    assert fresh.client().writes() == 1
    assert again["status"] == "replayed" and again["result"] == first["result"]
    assert "ledger had no record" in again["message"]


def test_a_lost_ledger_right_after_a_write_reads_cannot_show_yet_waits_instead_of_running_again(
    tmp_path: Path,
) -> None:
    """Found by the long generated run: a write whose answer was lost and which reads show only a minute later,
    then the ledger is lost and a server starts again, then the call is asked again at once. "Not found" is no
    proof yet: the gate answers in_progress (the orchestrator asks again later), and once reads can show the
    write it is replayed, not re-run."""
    from mcp_servers.core.gate_rules import RERUN_AFTER
    from tests.core.gate_machine import NOTE, START, NoteArgs, Remote

    vault = Vault(tmp_path / "vault")
    vault.ensure_layout()
    remote = Remote(now=START + timedelta(days=8))

    def server() -> ApprovalGate:
        return ApprovalGate("fake", vault, key=TEST_KEY.encode(), policy=Policy(), tag="fk", clock=lambda: remote.now)

    gate = server()
    args = NoteArgs(text="pay rent")
    filed = gate.file(NOTE, remote, args)
    pending = vault.root / (filed.request_path or "")
    shutil.move(pending, vault.folder("Approved") / pending.name)
    request_id = filed.request_id or ""

    remote.fault = "lost_unseen"
    assert gate.execute(NOTE, lambda: remote, args, request_id).status == "ambiguous"
    shutil.rmtree(vault.state_dir / "ledger")  # at once, before reads can show the write
    gate = server()  # e.g. the orchestrator's server restarted on the synced vault
    assert gate.execute(NOTE, lambda: remote, args, request_id).status == "in_progress"
    assert len(remote.notes) == 1
    remote.now += RERUN_AFTER
    again = gate.execute(NOTE, lambda: remote, args, request_id)
    assert again.status == "replayed" and len(remote.notes) == 1
