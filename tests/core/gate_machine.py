"""A hypothesis state machine over the real gate + ledger and an in-memory service (issue 11 acceptance).

Rules: file, approve (move), edit the file (signed fields or body), edit the remote state the preview is
bound to, crash mid-call (a start without an end, left by a dead process, before or after the write
reached the service), replay from any folder, concurrent askers, move to Done/ (and back), expire, lost
answers. Invariant: every write that reached the service belongs to a request the owner approved, in the
form filed (untampered, same arguments, the remote state the owner saw, unexpired), and happened at most once.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from pydantic import BaseModel

from mcp_servers.core import action_request as ar
from mcp_servers.core.actions import CallContext, Resolution, WriteAction
from mcp_servers.core.errors import Ambiguous, ServiceError
from mcp_servers.core.gate import ApprovalGate
from mcp_servers.core.ledger import Ledger
from mcp_servers.core.models import Preview
from mcp_servers.core.policy import Policy
from mcp_servers.core.vault import APPROVED, DONE, PENDING, Vault
from tests.conftest import TEST_KEY

START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
FAULTS = (None, None, None, "drop", "lost", "lost_unseen", "crash_before", "crash_after")
READ_LAG = timedelta(minutes=1)  # "lost_unseen": the write shows in reads only this long after


def _dead_pid() -> int:
    proc = subprocess.run([sys.executable, "-c", "pass"], check=True)
    del proc
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


DEAD_PID = _dead_pid()


class Crash(BaseException):
    """The process dies mid-call: nothing after this point runs (not even `except Exception`)."""


class NoteArgs(BaseModel):
    text: str


@dataclass
class Remote:
    """The service: a price the preview is bound to, and every note really written."""

    price: str = "10.00"
    notes: list[dict[str, Any]] = field(default_factory=list)
    fault: str | None = None
    now: datetime = START
    lock: threading.Lock = field(default_factory=threading.Lock)

    def write(self, args: NoteArgs, call: CallContext) -> dict[str, Any]:
        fault, self.fault = self.fault, None
        if fault == "drop":
            raise Ambiguous("the connection dropped before the answer")
        if fault == "crash_before":
            raise Crash
        with self.lock:
            note = {"ref": call.request_id, "text": args.text, "price": self.price, "at": self.now}
            note["seen_from"] = self.now + (READ_LAG if fault == "lost_unseen" else timedelta(0))
            self.notes.append(note)
        if fault in ("lost", "lost_unseen"):
            raise Ambiguous("the answer was lost after the write")
        if fault == "crash_after":
            raise Crash
        return {"id": len(self.notes), "ref": call.request_id}


def _preview(remote: Remote, args: NoteArgs) -> Preview:
    return Preview(
        summary=f"Note {args.text}", details=f"Adds **{args.text}** at {remote.price}", binding={"price": remote.price}
    )


def _resolve(remote: Remote, args: NoteArgs, call: CallContext) -> Resolution:
    with remote.lock:
        found = [n for n in remote.notes if n["ref"] == call.request_id and remote.now >= n["seen_from"]]
    return Resolution.done({"ref": call.request_id}) if found else Resolution.not_applied("no note has this ref")


NOTE = WriteAction(
    name="add_note",
    action_type="payment",
    args=NoteArgs,
    preview=_preview,
    execute=lambda remote, args, call: remote.write(args, call),
    resolve=_resolve,
    title="Note",
    description="Add a note.",
)


@dataclass
class Filed:
    request_id: str
    text: str
    price: str  # what the preview showed the owner
    expires: datetime
    path: Path
    approved: bool = False
    tampered_after: int | None = None  # notes count when the file was edited (no later write may happen)


class GateMachine(RuleBasedStateMachine):
    asks = 0  # execution attempts over every run (the resilience suite reports it)

    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="gate-machine-"))
        self.vault = Vault(self.tmp / "vault")
        self.vault.ensure_layout()
        self.remote = Remote()
        self.gate = self._gate()
        self.filed: list[Filed] = []

    def teardown(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _gate(self) -> ApprovalGate:
        # the machine's clock from the start: the ledger marks when it began with it
        return ApprovalGate(
            "fake", self.vault, key=TEST_KEY.encode(), policy=Policy(), tag="fk", clock=lambda: self.remote.now
        )

    def _ask(self, filed: Filed, gate: ApprovalGate | None = None) -> None:
        GateMachine.asks += 1
        try:
            (gate or self.gate).execute(NOTE, lambda: self.remote, NoteArgs(text=filed.text), filed.request_id)
        except ServiceError:
            pass  # a refusal: nothing ran
        except Crash:
            self._die(filed)

    def _die(self, filed: Filed) -> None:
        """The process that held the call is gone: its start file names a dead process."""
        start = Ledger(self.vault).root / filed.request_id / "0.start"
        meta = json.loads(start.read_text()) | {"pid": DEAD_PID, "ticks": None}
        start.write_text(json.dumps(meta))

    def _move(self, filed: Filed, folder: str) -> None:
        target = self.vault.folder(folder) / filed.path.name
        if filed.path.exists():
            shutil.move(filed.path, target)
            filed.path = target

    # --- rules -------------------------------------------------------------------------------------

    @rule(text=st.sampled_from(["pay rent", "pay rent", "buy paper"]))
    def file(self, text: str) -> None:
        result = self.gate.file(NOTE, self.remote, NoteArgs(text=text))
        assert result.request_id and result.request_path
        request = ar.read_request_file(self.vault, self.vault.root / result.request_path).request
        path = self.vault.root / result.request_path
        self.filed.append(Filed(result.request_id, text, self.remote.price, request.expires, path))

    @precondition(lambda self: self.filed)
    @rule(data=st.data())
    def approve(self, data: st.DataObject) -> None:
        filed = data.draw(st.sampled_from(self.filed))
        if filed.path.parent.name == PENDING:
            self._move(filed, APPROVED)
            filed.approved = True

    @precondition(lambda self: self.filed)
    @rule(data=st.data(), how=st.sampled_from(["args", "expect", "body", "body_crlf", "forged_section"]))
    def edit_file(self, data: st.DataObject, how: str) -> None:
        filed = data.draw(st.sampled_from(self.filed))
        if not filed.path.exists() or (how == "forged_section" and filed.path.parent.name != PENDING):
            return  # a forged "result" or "why" section is written while the owner has yet to read the file
        text = filed.path.read_text()
        edited = {
            "args": text.replace(f"text: {filed.text}", "text: pay the attacker"),
            "expect": text.replace(f"price: '{filed.price}'", "price: '0.01'"),
            "body": text.replace(f"at {filed.price}", "at 0.00 (a test, nothing is paid)"),
            "body_crlf": text.replace("\n", "\r\n"),  # a sync client's line endings: not a change
            "forged_section": text + f"\n{ar.LATER_SECTIONS[len(text) % 2]}\n\n<div>at 0.00, a test</div>\n",
        }[how]
        if edited != text and how != "body_crlf":
            filed.tampered_after = len(self.remote.notes) if filed.tampered_after is None else filed.tampered_after
        filed.path.write_bytes(edited.encode())

    @rule(price=st.sampled_from(["10.00", "10.00", "1000.00"]))
    def edit_remote(self, price: str) -> None:
        self.remote.price = price

    @precondition(lambda self: self.filed)
    @rule(data=st.data(), fault=st.sampled_from(FAULTS))
    def ask(self, data: st.DataObject, fault: str | None) -> None:
        """The orchestrator, or any MCP client, asks to run a request (in whatever folder it is)."""
        self.remote.fault = fault
        self._ask(data.draw(st.sampled_from(self.filed)))
        self.remote.fault = None

    @precondition(lambda self: self.filed)
    @rule(data=st.data(), askers=st.integers(2, 4))
    def concurrent_askers(self, data: st.DataObject, askers: int) -> None:
        filed = data.draw(st.sampled_from(self.filed))
        gates = [self._gate() for _ in range(askers)]
        barrier = threading.Barrier(askers)

        def one(gate: ApprovalGate) -> None:
            barrier.wait()
            self._ask(filed, gate)

        threads = [threading.Thread(target=one, args=(g,)) for g in gates]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    @precondition(lambda self: self.filed)
    @rule(data=st.data(), folder=st.sampled_from([DONE, DONE, APPROVED]))
    def move(self, data: st.DataObject, folder: str) -> None:
        """The orchestrator moves a request to Done/; or someone moves a Done/ file back to Approved/."""
        filed = data.draw(st.sampled_from(self.filed))
        if filed.path.parent.name in (APPROVED, DONE) and filed.path.parent.name != folder:
            self._move(filed, folder)

    @precondition(lambda self: self.filed)
    @rule(data=st.data())
    def approved_is_a_link_to_pending(self, data: st.DataObject) -> None:
        """Someone with file access swaps Approved/ for a link to Pending_Approval/ while a client asks."""
        approved = self.vault.folder(APPROVED)
        aside = approved.with_name(".approved-aside")
        approved.rename(aside)
        approved.symlink_to(self.vault.folder(PENDING), target_is_directory=True)
        try:
            self._ask(data.draw(st.sampled_from(self.filed)))
        finally:
            approved.unlink()
            aside.rename(approved)

    @rule(days=st.sampled_from([1, 8]))
    def time_passes(self, days: int) -> None:
        self.remote.now += timedelta(days=days)

    @rule(seconds=st.sampled_from([30, 90, 150]))
    def moments_pass(self, seconds: int) -> None:
        """Between a lost answer and the next ask: the read may show the write only after `READ_LAG`."""
        self.remote.now += timedelta(seconds=seconds)

    @rule()
    def ledger_lost(self) -> None:
        """The ledger folder is lost (a sync without dot-folders); a new one starts from now."""
        shutil.rmtree(self.vault.state_dir / "ledger", ignore_errors=True)
        self.gate = self._gate()

    # --- the promise -------------------------------------------------------------------------------

    @invariant()
    def every_write_was_approved_as_filed_and_ran_at_most_once(self) -> None:
        by_id = {f.request_id: f for f in self.filed}
        refs = [n["ref"] for n in self.remote.notes]
        assert len(refs) == len(set(refs)), f"a request ran twice: {refs}"
        for index, note in enumerate(self.remote.notes):
            filed = by_id[note["ref"]]
            assert filed.approved, f"{filed.request_id} ran without the owner's approval"
            assert note["text"] == filed.text, "what ran is not what was approved"
            assert note["price"] == filed.price, "the remote state changed since the owner saw it"
            assert note["at"] < filed.expires, "it ran after it expired"
            assert filed.tampered_after is None or index < filed.tampered_after, "an edited request ran"
