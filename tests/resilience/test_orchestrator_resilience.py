"""Full-size orchestrator resilience (`make test-resilience`): 300 approvals with kill -9 of the orchestrator
five times (on the test service, and on Odoo, Facebook and X in sandbox), and 1,000 bad files in Approved/
while it runs."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from mcp_servers.core.vault import APPROVED, DONE, REJECTED, Vault
from orchestrator.notes import WHY_HEADING
from tests.orchestrator import badfiles, procs
from tests.orchestrator.conftest import make_request, md_files
from tests.resilience import badkinds, harness

pytestmark = pytest.mark.resilience
COUNT, KILLS = 300, 5


def test_300_approvals_with_five_kill_9s_of_the_orchestrator_test_service(tmp_path: Path) -> None:
    vault = Vault(tmp_path / "vault")
    harness.VAULTS.append(vault.root)
    ids = procs.crash_loop(tmp_path, vault, count=COUNT, kills=KILLS, seed=300)
    row = harness.record(
        "orchestrator kill -9 x5, 300 approvals (test service)",
        harness.figures_of(vault, ids, harness.fake_applied(vault), kills=KILLS),
    )
    assert row["attempts"] == COUNT and row["lost"] == row["duplicated"] == row["executed_without_approval"] == 0, row
    assert row["left_in_approved"] == 0
    procs.check_exactly_once(vault, ids)


def test_300_approvals_with_five_kill_9s_of_the_orchestrator_real_services(tmp_path: Path) -> None:
    vault = Vault(tmp_path / "vault")
    env = harness.orchestrator_env(tmp_path, vault)
    burst = harness.Burst(vault, procs.signing_key(env))
    rng = random.Random(305)
    burst.file_many(COUNT, rng)
    log = tmp_path / "run.log"
    for _ in range(KILLS):
        proc = procs.start(vault, env, log)
        target = min(COUNT, len(md_files(vault, DONE)) + rng.randint(1, COUNT // (KILLS + 1)))
        done = lambda t=target, p=proc: len(md_files(vault, DONE)) >= t or p.poll() is not None  # noqa: E731
        procs.wait_for(done, what="progress")
        proc.kill()  # SIGKILL to the orchestrator only: its children notice on their own
        proc.wait()
    proc = procs.start(vault, env, log)
    try:
        procs.wait_for(lambda: not md_files(vault, APPROVED), timeout=300, what="Approved/ empty")
        procs.wait_for(lambda: procs.servers_up(vault, proc), what="servers up at the end")
    finally:
        assert procs.stop(proc) == 0
    procs.wait_for(lambda: not procs.processes_using(vault), timeout=15, what="children gone")
    row = harness.record(
        "orchestrator kill -9 x5, 300 approvals (Odoo, Facebook, X)", harness.figures(burst, kills=KILLS)
    )
    assert row["attempts"] == COUNT and row["lost"] == row["duplicated"] == row["executed_without_approval"] == 0, row
    assert row["left_in_approved"] == 0


def _rejected_with_reason(vault: Vault) -> int:
    folder, count = vault.folder(REJECTED), 0
    for path in md_files(vault, REJECTED) + sorted(p for p in folder.iterdir() if p.suffix != ".md"):
        if path.name.endswith(".why.md"):
            continue
        why = folder / (path.name + ".why.md")
        text = why.read_text() if why.exists() else path.read_text(errors="replace")
        count += WHY_HEADING in text
    return count


def test_1000_bad_files_are_rejected_and_none_executed_while_serving(tmp_path: Path) -> None:
    vault = Vault(tmp_path / "vault")
    harness.VAULTS.append(vault.root)
    env = procs.cli_env(tmp_path, vault, procs.FAKE)
    key = procs.signing_key(env)
    proc = procs.start(vault, env, tmp_path / "run.log")
    try:
        procs.wait_for(lambda: procs.servers_up(vault, proc), what="up")
        bad = badkinds.generate(vault, key, 1000)
        bad["huge"] = [badfiles.huge(vault, key, 1000)]
        good = [make_request(vault, key, f"good {n}")[0].id for n in range(10)]
        procs.wait_for(lambda: not md_files(vault, APPROVED), timeout=300, what="Approved/ empty")
        procs.wait_for(lambda: len(md_files(vault, DONE)) >= len(good), what="good ones done")
        up = proc.poll() is None and procs.servers_up(vault, proc)
    finally:
        assert procs.stop(proc) == 0
    attempts = sum(len(paths) for paths in bad.values())
    refused_by_server = [
        p for p in md_files(vault, DONE) if harness.front_matter(p)["status"] == "failed"
    ]  # validly signed, but no such tool / arguments of the wrong type: the server refused, nothing ran
    signed_bad = sum(len(bad[k]) for k in badkinds.SIGNED_BUT_REFUSED)
    rejected = _rejected_with_reason(vault)
    executed = sum(harness.fake_applied(vault).values()) - len(good)
    row = harness.record(
        "1,000 malformed or tampered request files",
        {
            "attempts": attempts,
            "survived": rejected + len(refused_by_server),
            "lost": attempts - rejected - len(refused_by_server),
            "duplicated": 0,
            "executed_without_approval": executed,
            "rejected_to_Rejected": rejected,
            "refused_by_server": len(refused_by_server),
            "kinds": len(bad),
            "orchestrator_up": up,
        },
    )
    assert up and row["lost"] == 0 and executed == 0, row
    assert len(refused_by_server) == signed_bad
    served = harness.figures_of(vault, good, harness.fake_applied(vault))
    assert served["survived"] == len(good) and served["statuses"] == {"succeeded": len(good)}, served
