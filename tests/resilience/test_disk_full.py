"""A full disk under the vault's log writes (a test hook makes appends to Logs/*.json fail, half-written or
ENOSPC, in the orchestrator and every server): the owner gets an alert, nothing crashes, every approval is
still done once and truthfully, no request file and no log line is left half-written."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest

from mcp_servers.core import action_request as ar
from mcp_servers.core.vault import APPROVED, DONE, NEEDS_ACTION, REQUEST_FOLDERS, Vault
from tests.orchestrator import procs
from tests.orchestrator.conftest import ROOT, md_files
from tests.resilience import harness

pytestmark = pytest.mark.resilience
HOOK = Path(__file__).with_name("diskfull") / "sitecustomize.py"
SERVERS = ("odoo", "twitter")


def _pids(vault: Vault) -> dict[str, int | None]:
    return {n: s.get("pid") for n, s in (procs.status(vault).get("servers") or {}).items()}


def _log_lines(vault: Vault) -> list[str]:
    return [ln for p in sorted((vault.root / "Logs").glob("*.json")) for ln in p.read_text().split("\n") if ln]


def test_disk_full_for_log_writes(tmp_path: Path) -> None:
    hook = tmp_path / "hook"
    hook.mkdir()
    shutil.copy(HOOK, hook / "sitecustomize.py")
    vault = Vault(tmp_path / "vault")
    env = harness.orchestrator_env(tmp_path, vault, ",".join(SERVERS), PYTHONPATH=f"{hook}:{ROOT}")
    burst = harness.Burst(vault, procs.signing_key(env))
    rng = random.Random(5)
    proc = procs.start(vault, env, tmp_path / "run.log")
    try:
        procs.wait_for(lambda: procs.servers_up(vault, proc), what="servers up")
        pids = _pids(vault)
        before = len(_log_lines(vault))
        (hook / "disk_full").touch()
        burst.file_many(40, rng, SERVERS)
        procs.wait_for(lambda: not md_files(vault, APPROVED), timeout=120, what="Approved/ empty (disk full)")
        alerts = sorted(vault.folder(NEEDS_ACTION).glob("*_alert_audit_log.md"))
        during = len(_log_lines(vault))
        (hook / "disk_full").unlink()  # space is freed: logging resumes
        burst.file_many(10, rng, SERVERS)
        procs.wait_for(lambda: not md_files(vault, APPROVED), timeout=120, what="Approved/ empty (disk freed)")
        procs.wait_for(lambda: len(_log_lines(vault)) >= during + 20, what="log lines after the disk is freed")
        up = proc.poll() is None and procs.servers_up(vault, proc) and _pids(vault) == pids
    finally:
        assert procs.stop(proc) == 0
    torn = [ln for ln in _log_lines(vault) if not ln.startswith("{") or not _parses(ln)]
    partial = _partial_request_files(vault, burst.key)
    row = harness.record(
        "disk full for log writes (50 approvals)",
        harness.figures(
            burst,
            log_lines_lost_while_full=40 * 2 - (during - before),
            torn_log_lines=len(torn),
            partial_request_files=len(partial),
            alert=bool(alerts),
            no_restart=up,
        ),
    )
    assert alerts and "could not be written" in alerts[0].read_text()
    assert up and row["lost"] == row["duplicated"] == row["executed_without_approval"] == 0, row
    assert row["statuses"] == {"succeeded": 50}
    assert not torn and not partial


def _parses(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def _partial_request_files(vault: Vault, key: bytes) -> list[Path]:
    """Request files that do not parse and verify, and temp files left behind, in every request folder."""
    bad = []
    for folder in REQUEST_FOLDERS:
        for path in vault.folder(folder).iterdir():
            if path.name == "README.md":
                continue
            if path.name.startswith("."):
                bad.append(path)
                continue
            try:
                ar.verify(ar.read_request_file(vault, path).request, key)
            except ar.RequestFileError:
                bad.append(path)
    return bad + [p for p in vault.folder(DONE).parent.glob("*/.*.tmp")]
