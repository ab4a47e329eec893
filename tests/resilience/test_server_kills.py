"""kill -9 of a random server child 20 times during a burst of 300 approvals to Odoo, Facebook and X
(sandbox): the supervisor restarts it, and every request ends in Done/ once, true to the emulator's state."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from mcp_servers.core.vault import APPROVED, DONE, Vault
from tests.orchestrator import procs
from tests.orchestrator.conftest import md_files
from tests.resilience import harness

pytestmark = pytest.mark.resilience
KILLS, WAVE = 20, 15  # 20 waves of 15 approvals = 300, one kill -9 in each


def _pid(vault: Vault, name: str) -> int | None:
    server = (procs.status(vault).get("servers") or {}).get(name) or {}
    return server.get("pid") if server.get("state") == "up" else None


def _done_at_least(vault: Vault, count: int) -> Callable[[], bool]:
    return lambda: len(md_files(vault, DONE)) >= count


def _new_pid(vault: Vault, name: str, old: int | None) -> Callable[[], int | None]:
    """The pid of `name` once it is up with a pid other than `old`."""
    return lambda: pid if (pid := _pid(vault, name)) != old else None


def test_300_approvals_with_20_server_kill_9s(tmp_path: Path) -> None:
    vault = Vault(tmp_path / "vault")
    env = harness.orchestrator_env(tmp_path, vault)
    burst = harness.Burst(vault, procs.signing_key(env))
    rng = random.Random(20)
    proc = procs.start(vault, env, tmp_path / "run.log")
    killed: list[str] = []
    try:
        procs.wait_for(lambda: procs.servers_up(vault, proc), what="servers up")
        for _ in range(KILLS):
            target = len(md_files(vault, DONE)) + rng.randint(1, WAVE - 5)
            burst.file_many(WAVE, rng)
            procs.wait_for(_done_at_least(vault, target), what="progress")
            # never the one killed last: a child killed again before its first health check counts as a
            # failed start, and three in a row is a crash loop (the alert path, tested elsewhere)
            name = rng.choice([s for s in harness.SERVERS if not killed or s != killed[-1]])
            pid = procs.wait_for(_new_pid(vault, name, None), what=f"{name} up")
            harness.kill9(pid)
            killed.append(name)
            procs.wait_for(_new_pid(vault, name, pid), what=f"{name} restarted")
        procs.wait_for(lambda: not md_files(vault, APPROVED), timeout=300, what="Approved/ empty")
        procs.wait_for(lambda: procs.servers_up(vault, proc), what="servers up at the end")
        up = proc.poll() is None
    finally:
        assert procs.stop(proc) == 0
    restarts = {n: s["restarts"] for n, s in (procs.status(vault).get("servers") or {}).items()}
    row = harness.record(
        "server kill -9 x20, 300 approvals",
        harness.figures(burst, kills=len(killed), restarts=sum(restarts.values()), orchestrator_up=up),
    )
    assert row["attempts"] == KILLS * WAVE and len(killed) == KILLS and up
    assert row["lost"] == row["duplicated"] == row["executed_without_approval"] == 0, row
    assert row["left_in_approved"] == 0
