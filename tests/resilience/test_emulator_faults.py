"""Emulator faults during a burst to Odoo, Facebook and X (sandbox), armed across processes through the
emulators' state: 10% HTTP 500s, timeouts after the write was committed, dropped connections before it,
and an access token that expires mid-run. Nothing runs twice, every failure is visible, all stays up."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from mcp_servers.core.vault import APPROVED, Vault
from mcp_servers.odoo.sandbox import write_faults
from mcp_servers.twitter.sandbox import inject_fault, open_state
from tests.orchestrator import procs
from tests.orchestrator.conftest import md_files
from tests.resilience import harness

pytestmark = pytest.mark.resilience
PER_WAVE = 10  # requests per service in a wave; one armed fault per wave = 10%
# phase -> (waves, faults per service per wave); each emulator's names for it below
PHASES = {"http500": (3, 1), "timeout_after_commit": (2, 1), "refused": (2, 1), "expired_token": (1, 3)}
ODOO: dict[str, dict[str, Any]] = {
    "http500": {"kind": "http500"},
    "timeout_after_commit": {"kind": "timeout_after_commit", "seconds": 3.0},  # ODOO_TIMEOUT is 2 s
    "refused": {"kind": "drop"},
    "expired_token": {"kind": "fault", "code": 3, "message": "Access Denied"},
}
X = {"http500": "server_error", "timeout_after_commit": "timeout_after_post", "refused": "timeout"}
X["expired_token"] = "expired_token"
GRAPH = {"http500": "server_error", "timeout_after_commit": "timeout_after", "expired_token": "expired_token"}


def _graph_faults(vault: Vault) -> list[dict[str, Any]]:
    from mcp_servers.core.sandbox import SharedState

    return list(SharedState(vault.state_dir / "sandbox" / "facebook.json", dict).snapshot().get("faults") or [])


def arm(vault: Vault, phase: str, times: int, rng: random.Random) -> int:
    """Arm `times` faults of `phase` in each emulator for the next wave; returns how many were armed."""
    odoo_state = vault.state_dir / "sandbox" / "odoo.json"
    write_faults(odoo_state, [{**ODOO[phase], "model": "res.partner", "method": "create", "times": times}])
    inject_fault(vault.root, X[phase], on="create_post", skip=rng.randint(0, PER_WAVE - times - 1), times=times)
    armed = 2 * times
    if phase in GRAPH:
        from mcp_servers.core.sandbox import SharedState

        with SharedState(vault.state_dir / "sandbox" / "facebook.json", dict).transaction() as data:
            data.setdefault("faults", []).append(
                {"method": "POST", "path": "feed$", "kind": GRAPH[phase], "times": times}
            )
        armed += times
    return armed


def test_emulator_faults_during_a_burst(tmp_path: Path) -> None:
    vault = Vault(tmp_path / "vault")
    env = harness.orchestrator_env(tmp_path, vault)
    burst = harness.Burst(vault, procs.signing_key(env))
    rng = random.Random(3)
    proc = procs.start(vault, env, tmp_path / "run.log")
    armed = 0
    try:
        procs.wait_for(lambda: procs.servers_up(vault, proc), what="servers up")
        for server in harness.SERVERS:  # the emulators' state exists before faults are armed in it
            burst.file(server)
        procs.wait_for(lambda: not md_files(vault, APPROVED), what="first requests done")
        for phase, (waves, times) in PHASES.items():
            for _ in range(waves):
                armed += arm(vault, phase, times, rng)
                for _ in range(PER_WAVE):
                    for server in harness.SERVERS:
                        burst.file(server)
                procs.wait_for(lambda: not md_files(vault, APPROVED), timeout=180, what=f"{phase} wave done")
        write_faults(vault.state_dir / "sandbox" / "odoo.json", [])
        procs.wait_for(lambda: procs.servers_up(vault, proc), what="servers up at the end")
        up = proc.poll() is None
    finally:
        assert procs.stop(proc) == 0
    left = len(open_state(vault.root).snapshot().get("faults") or []) + len(_graph_faults(vault))
    row = harness.record(
        "emulator faults (500s, timeout after commit, drops, expired token)",
        harness.figures(burst, faults_armed=armed, faults_unfired=left, orchestrator_up=up),
    )
    assert up and row["lost"] == row["duplicated"] == row["executed_without_approval"] == 0, row
    assert row["left_in_approved"] == 0 and left == 0
    assert row["statuses"].get("succeeded", 0) < row["attempts"]  # the faults were seen, not swallowed
