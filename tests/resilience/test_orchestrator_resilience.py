"""Full-size orchestrator resilience (`make test-resilience`): 200 approvals with kill -9 of the orchestrator
five times, and 500 bad files in Approved/ while it runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from mcp_servers.core.vault import APPROVED, DONE, REJECTED, Vault
from tests.orchestrator import badfiles, procs
from tests.orchestrator.conftest import make_request, md_files

pytestmark = pytest.mark.resilience


def test_200_approvals_with_five_kill_9s_are_each_done_exactly_once(tmp_path: Path) -> None:
    vault = Vault(tmp_path / "vault")
    ids = procs.crash_loop(tmp_path, vault, count=200, kills=5, seed=200)
    statuses = procs.check_exactly_once(vault, ids)
    assert sum(statuses.values()) == 200
    assert not md_files(vault, APPROVED)


def test_500_bad_files_are_rejected_and_none_executed_while_serving(tmp_path: Path) -> None:
    vault = Vault(tmp_path / "vault")
    env = procs.cli_env(tmp_path, vault, procs.FAKE)
    key = procs.signing_key(env)
    proc = procs.start(vault, env, tmp_path / "run.log")
    try:
        procs.wait_for(lambda: procs.servers_up(vault, proc), what="up")
        bad = badfiles.generate(vault, key, 500)
        good = [make_request(vault, key, f"good {n}")[0].id for n in range(10)]
        procs.wait_for(lambda: not md_files(vault, APPROVED), timeout=300, what="Approved/ empty")
        procs.wait_for(lambda: len(md_files(vault, DONE)) == len(good), what="good ones done")
        assert proc.poll() is None and procs.servers_up(vault, proc)
    finally:
        assert procs.stop(proc) == 0
    assert procs.check_exactly_once(vault, good) == {"succeeded": len(good)}
    rejected = [p for p in md_files(vault, REJECTED) if not p.name.endswith(".why.md")]
    assert len(rejected) == len(bad)
