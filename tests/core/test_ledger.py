"""The exactly-once ledger across processes."""

from __future__ import annotations

import multiprocessing as mp
import os
from pathlib import Path

from mcp_servers.core.ledger import Ledger
from mcp_servers.core.vault import Vault

CALL = "20261125-221000-fb-7f3a9c12#0"


def _race(root: str, barrier: mp.synchronize.Barrier, results: mp.Queue) -> None:  # type: ignore[name-defined]
    ledger = Ledger(Vault(root))
    barrier.wait()
    results.put((os.getpid(), ledger.start(CALL, "create_post") is None))


def test_eight_processes_racing_to_start_a_call_exactly_one_wins(vault: Vault) -> None:
    ctx = mp.get_context("fork")
    barrier, results = ctx.Barrier(8), ctx.Queue()
    procs = [ctx.Process(target=_race, args=(str(vault.root), barrier, results)) for _ in range(8)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(30)
    outcomes = [results.get(timeout=5) for _ in procs]
    assert sum(won for _, won in outcomes) == 1


def test_a_finished_call_is_looked_up_with_its_result(vault: Vault) -> None:
    ledger = Ledger(vault)
    assert ledger.start(CALL, "create_post") is None
    assert ledger.lookup(CALL).status == "running"
    ledger.succeed(CALL, {"post_id": "1_2"})
    record = ledger.start(CALL, "create_post")
    assert record is not None and record.status == "succeeded" and record.result == {"post_id": "1_2"}


def test_a_call_whose_process_died_is_ambiguous_not_running(vault: Vault) -> None:
    ctx = mp.get_context("fork")
    p = ctx.Process(target=lambda: Ledger(Vault(vault.root)).start(CALL, "create_post"))
    p.start()
    p.join(10)
    record = Ledger(vault).lookup(CALL)
    assert record is not None and record.status == "ambiguous"
    assert Ledger(vault).start(CALL, "create_post") is not None  # never re-run blindly


def test_only_one_process_reclaims_an_ambiguous_call(vault: Vault) -> None:
    ctx = mp.get_context("fork")
    p = ctx.Process(target=lambda: Ledger(Vault(vault.root)).start(CALL, "create_post"))
    p.start()
    p.join(10)
    ledger = Ledger(vault)
    record = ledger.lookup(CALL)
    assert ledger.reclaim(CALL, record) is not None
    assert ledger.reclaim(CALL, record) is None
    assert ledger.lookup(CALL).status == "running"


def test_the_loser_of_a_takeover_records_nothing_for_the_winners_call(vault: Vault) -> None:
    ctx = mp.get_context("fork")
    p = ctx.Process(target=lambda: Ledger(Vault(vault.root)).start(CALL, "create_post"))
    p.start()
    p.join(10)
    winner, loser = Ledger(vault), Ledger(vault)
    seen = loser.lookup(CALL)  # both saw the dead owner
    assert seen is not None and seen.status == "ambiguous"
    owner = winner.reclaim(CALL, seen)
    assert owner is not None
    after = loser.mark_ambiguous(CALL, "lost the race", owner=seen.owner)
    assert after.status == "running" and after.owner == owner  # nothing written over the winner's call
    assert not (winner.root / CALL.replace("#", "/").rsplit("/", 1)[0] / "0.end").exists()
    done = winner.succeed(CALL, {"post_id": "1"}, owner=owner)
    assert loser.mark_ambiguous(CALL, "late", owner=owner) == done  # a final outcome is never overwritten


def test_call_ids_cannot_escape_the_ledger(vault: Vault, tmp_path: Path) -> None:
    import pytest

    with pytest.raises(ValueError):
        Ledger(vault).start("../../x#0", "t")


def test_process_alive_tells_a_running_process_from_a_finished_one() -> None:
    from mcp_servers.core.ledger import process_alive

    ctx = mp.get_context("fork")
    p = ctx.Process(target=lambda: None)
    p.start()
    p.join(10)
    assert process_alive(os.getpid())
    assert not process_alive(p.pid)
    assert not process_alive(None) and not process_alive(0) and not process_alive("123")
