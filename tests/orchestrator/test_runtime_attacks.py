"""The running orchestrator under the attacks of issue 11: a FIFO in Approved/ and Pending_Approval/ must not
freeze it (it keeps working and stops on SIGTERM), a second `ai-employee run` is refused in one line, and
moving an auto-approved scheduled post from Approved/ to Rejected/ before its time cancels it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mcp_servers.core.vault import APPROVED, DONE, PENDING, REJECTED, Vault
from tests.core.fake_service.client import FakeClient
from tests.orchestrator import procs
from tests.orchestrator.conftest import ROOT, fake_spec, make_request, md_files, running, until

pytestmark = pytest.mark.slow


def test_fifos_do_not_freeze_the_orchestrator_and_sigterm_stops_it(tmp_path: Path) -> None:
    vault = Vault(tmp_path / "vault")
    env = procs.cli_env(tmp_path, vault, procs.FAKE)
    key = procs.signing_key(env)
    os.mkfifo(vault.folder(PENDING) / "2026-12-01_payment_fifo0001.md")  # read by the dashboard at start-up
    proc = procs.start(vault, env, tmp_path / "run.log")
    try:
        procs.wait_for(lambda: procs.servers_up(vault, proc), what="servers up")
        os.mkfifo(vault.folder(APPROVED) / "2026-12-01_payment_fifo0002.md")
        request, _ = make_request(vault, key, "after the fifo")
        procs.wait_for(lambda: (vault.folder(DONE) / request.file_name).exists(), what="the good request runs")
        procs.wait_for(lambda: not md_files(vault, APPROVED), what="the FIFO rejected")
        os.kill(proc.pid, signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    procs.wait_for(lambda: not procs.processes_using(vault), timeout=15, what="children gone")
    rejected = md_files(vault, REJECTED)
    assert [p.name for p in rejected] == ["2026-12-01_payment_fifo0002.md"] and rejected[0].is_file()
    assert "Dashboard" in (vault.root / "Dashboard.md").read_text()


def test_a_second_run_on_the_same_vault_says_so_in_one_line(tmp_path: Path) -> None:
    vault = Vault(tmp_path / "vault")
    env = procs.cli_env(tmp_path, vault, procs.FAKE)
    first = procs.start(vault, env, tmp_path / "run.log")
    try:
        procs.wait_for(lambda: procs.servers_up(vault, first), what="first orchestrator up")
        second = subprocess.run(
            [sys.executable, "-m", "orchestrator.cli", "run", "--vault", str(vault.root)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        assert procs.stop(first) == 0
    assert second.returncode == 3
    assert second.stdout == ""
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1 and "already running" in lines[0] and str(first.pid) in lines[0], second.stderr
    assert "Traceback" not in second.stderr and "ExceptionGroup" not in second.stderr


@pytest.mark.anyio
async def test_moving_a_scheduled_auto_approved_post_to_rejected_cancels_it(vault: Vault, key: bytes) -> None:
    async with running(vault, [fake_spec(vault)], schedule_early_seconds=0) as orchestrator:
        await until(lambda: orchestrator.supervisor.handles["fake"].state == "up", what="fake up")
        when = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=3)
        request, path = make_request(vault, key, "cancel me", scheduled_for=when, auto=True)
        job = f"request:{request.id}"
        await until(lambda: request.id in orchestrator.executor.scheduled, what="scheduled")
        dashboard = vault.root / "Dashboard.md"
        await until(lambda: request.short_id in dashboard.read_text(), what="listed on the dashboard")
        path.rename(vault.folder(REJECTED) / path.name)  # the owner's one move, before its time
        await until(lambda: request.id not in orchestrator.executor.scheduled, what="no longer listed")
        await until(lambda: orchestrator.scheduler.get_job(job) is None, what="its time passed and the job fired")
        await until(lambda: "## Scheduled (0)" in dashboard.read_text(), what="dashboard updated")
    assert FakeClient(vault)._load()["notes"] == []  # never executed
    assert md_files(vault, DONE) == [] and (vault.folder(REJECTED) / path.name).exists()
