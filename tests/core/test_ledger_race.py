"""Askers racing over an interrupted call: exactly one runs it, every time (issue 11, item 2). The loser of
a takeover must never record an outcome for the call its winner is running."""

from __future__ import annotations

import multiprocessing as mp
import shutil
import time
from dataclasses import replace
from typing import Any

from mcp_servers.core.actions import CallContext, Resolution
from mcp_servers.core.gate import ApprovalGate
from mcp_servers.core.ledger import Ledger
from mcp_servers.core.policy import Policy
from mcp_servers.core.vault import APPROVED, Vault
from tests.conftest import TEST_KEY
from tests.core.fake_service import tools
from tests.core.fake_service.client import FakeClient
from tests.core.fake_service.models import AddNoteArgs

ASKERS = 8
ASKS = 3  # each asker asks again, as an orchestrator retrying and a second MCP client do


def _slow_add(client: FakeClient, args: AddNoteArgs, call: CallContext) -> dict[str, Any]:
    time.sleep(0.05)  # a slow service: the window in which the others ask
    return tools.add_note(client, args, call)


def _slow_resolve(client: FakeClient, args: AddNoteArgs, call: CallContext) -> Resolution:
    time.sleep(0.01)
    return tools.resolve_note(client, args, call)


SLOW = replace(tools.ADD_NOTE, execute=_slow_add, resolve=_slow_resolve)


def _gate(root: str) -> ApprovalGate:
    return ApprovalGate("fake", Vault(root), key=TEST_KEY.encode(), policy=Policy(), tag="fk")


def _ask(root: str, request_id: str, text: str, barrier: Any, results: Any) -> None:
    gate, client = _gate(root), FakeClient(Vault(root))
    barrier.wait()
    statuses = [gate.execute(SLOW, lambda: client, AddNoteArgs(text=text), request_id).status for _ in range(ASKS)]
    results.put(statuses)


def _interrupted_call(vault: Vault, text: str) -> str:
    """An approved request whose call was started by a process that died before recording an outcome."""
    filed = _gate(str(vault.root)).file(SLOW, FakeClient(vault), AddNoteArgs(text=text))
    assert filed.request_path and filed.request_id
    source = vault.root / filed.request_path
    shutil.move(source, vault.folder(APPROVED) / source.name)
    ctx = mp.get_context("fork")
    dead = ctx.Process(target=Ledger(vault).start, args=(f"{filed.request_id}#0", SLOW.name))
    dead.start()
    dead.join(10)
    return filed.request_id


def race(vault: Vault, rounds: int) -> tuple[list[int], list[str]]:
    """For each round, how many times the note was really written (must be 1); and every answer given."""
    ctx = mp.get_context("fork")
    writes, statuses = [], []
    for n in range(rounds):
        text = f"race {n}"
        request_id = _interrupted_call(vault, text)
        barrier, results = ctx.Barrier(ASKERS), ctx.Queue()
        askers = [
            ctx.Process(target=_ask, args=(str(vault.root), request_id, text, barrier, results)) for _ in range(ASKERS)
        ]
        for p in askers:
            p.start()
        answers = [results.get(timeout=60) for _ in askers]
        for p in askers:
            p.join(10)
        statuses += [s for answer in answers for s in answer]
        writes.append(sum(note["text"] == text for note in FakeClient(vault).notes()))
    return writes, statuses


def test_eight_askers_over_an_interrupted_call_run_it_exactly_once(vault: Vault) -> None:
    writes, statuses = race(vault, rounds=8)
    assert writes == [1] * 8
    # nobody reports a call another process is running as "ambiguous" (a false alarm for the owner)
    assert set(statuses) <= {"executed", "replayed", "in_progress"}, statuses
