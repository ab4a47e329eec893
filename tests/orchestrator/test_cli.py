"""Acceptance with real processes: `ai-employee run` on a fresh vault, Ctrl-C, kill -9 during a burst, status."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import anyio
import pytest
import yaml

from mcp_servers.core.vault import APPROVED, DONE, Vault
from tests.orchestrator import procs
from tests.orchestrator.conftest import ROOT, make_request, md_files

pytestmark = pytest.mark.slow
STATUS_SHAPE = {"servers", "pending", "approved", "scheduled", "last_briefing"}


def cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "orchestrator.cli", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


async def _file_and_list_posts(vault: Vault, env: dict[str, str], text: str) -> str:
    """File a post through our own X server process (as Claude would) and return the request path."""
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    params = StdioServerParameters(
        command=sys.executable, args=["-m", "mcp_servers.twitter", "--vault", str(vault.root)], env=env, cwd=ROOT
    )
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        result = await session.call_tool("create_post", {"text": text, "dry_run": False})
        assert not result.is_error, result.content
        return str(result.structured_content["request_path"])


async def _posts(vault: Vault, env: dict[str, str]) -> list[str]:
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    params = StdioServerParameters(
        command=sys.executable, args=["-m", "mcp_servers.twitter", "--vault", str(vault.root)], env=env, cwd=ROOT
    )
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        result = await session.call_tool("list_posts", {"max_results": 100})
        return [p["text"] for p in result.structured_content["posts"]]


def test_run_on_a_fresh_vault_executes_a_filed_post_once_and_ctrl_c_leaves_no_orphans(tmp_path: Path) -> None:
    vault = Vault(tmp_path / "vault")
    env = procs.cli_env(tmp_path, vault, "twitter")
    proc = procs.start(vault, env, tmp_path / "run.log")
    try:
        procs.wait_for(lambda: procs.servers_up(vault, proc), what="twitter up")
        text = f"Launch day {datetime.now(UTC):%H%M%S}: thanks to every early customer"
        relative = anyio.run(_file_and_list_posts, vault, env, text)
        pending = vault.root / relative
        shutil.move(pending, vault.folder(APPROVED) / pending.name)
        done = procs.wait_for(lambda: (vault.folder(DONE) / pending.name).exists(), what="Done/")
        assert done
        data = yaml.safe_load((vault.folder(DONE) / pending.name).read_text().split("---\n")[1])
        assert data["status"] == "succeeded"
        assert anyio.run(_posts, vault, env).count(text) == 1
        shown = json.loads(cli("status", "--json", "--vault", str(vault.root), env=env).stdout)
        assert set(shown) == STATUS_SHAPE
        assert set(shown["servers"]["twitter"]) == {"state", "pid", "restarts", "mode"}
        assert shown["servers"]["twitter"]["state"] == "up" and shown["servers"]["twitter"]["mode"] == "sandbox"
        child = shown["servers"]["twitter"]["pid"]
        assert isinstance(child, int) and child in procs.processes_using(vault)
        table = cli("status", "--vault", str(vault.root), env=env).stdout
        assert "twitter" in table and "up" in table
    finally:
        rc = procs.stop(proc)
    assert rc == 0
    procs.wait_for(lambda: not procs.processes_using(vault), timeout=10, what="no orphans")
    after = json.loads(cli("status", "--json", "--vault", str(vault.root), env=env).stdout)
    assert after["servers"]["twitter"]["state"] == "down"


def test_a_scheduled_request_runs_at_its_time_across_a_restart(tmp_path: Path) -> None:
    vault = Vault(tmp_path / "vault")
    env = procs.cli_env(tmp_path, vault, procs.FAKE, SCHEDULE_EARLY_SECONDS="0")
    key = procs.signing_key(env)
    proc = procs.start(vault, env, tmp_path / "run.log")
    procs.wait_for(lambda: procs.servers_up(vault, proc), what="up")
    when = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=6)
    request, path = make_request(vault, key, "scheduled", scheduled_for=when)
    procs.wait_for(lambda: procs.status(vault).get("scheduled") == 1, what="listed as scheduled")
    assert procs.stop(proc) == 0  # the job is persisted; the next run still runs it
    proc = procs.start(vault, env, tmp_path / "run.log")
    try:
        procs.wait_for(lambda: (vault.folder(DONE) / path.name).exists(), what="run at its time")
    finally:
        procs.stop(proc)
    assert datetime.now(UTC) >= when
    assert procs.check_exactly_once(vault, [request.id]) == {"succeeded": 1}


def test_kill_9_during_a_burst_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    vault = Vault(tmp_path / "vault")
    ids = procs.crash_loop(tmp_path, vault, count=40, kills=2)
    procs.check_exactly_once(vault, ids)
    assert not md_files(vault, APPROVED)


def test_approve_reject_logs_and_doctor(tmp_path: Path) -> None:
    vault = Vault(tmp_path / "vault")
    env = procs.cli_env(tmp_path, vault, procs.FAKE)
    key = procs.signing_key(env)
    first, _ = make_request(vault, key, "one", folder="Pending_Approval")
    second, _ = make_request(vault, key, "two", folder="Pending_Approval")
    ok = cli("approve", first.short_id, "--vault", str(vault.root), env=env)
    assert ok.returncode == 0 and (vault.folder(APPROVED) / first.file_name).exists()
    no = cli("reject", second.id, "--reason", "wrong amount", "--vault", str(vault.root), env=env)
    assert no.returncode == 0
    assert "rejected by the owner: wrong amount" in (vault.folder("Rejected") / second.file_name).read_text()
    missing = cli("approve", "deadbeef", "--vault", str(vault.root), env=env)
    assert missing.returncode == 1 and "No pending request" in missing.stderr
    logs = cli("logs", "--days", "30", "--vault", str(vault.root), env=env)
    assert logs.returncode == 0
    doctor = cli("doctor", "--offline", "--vault", str(vault.root), env=env)
    assert "signing key" in doctor.stdout and "SANDBOX" in doctor.stdout, doctor.stdout
    broken = cli("doctor", "--offline", "--vault", str(vault.root), env=env | {"TWITTER_MODE": "live"})
    assert broken.returncode == 1 and "TWITTER_API_KEY" in broken.stdout and "→" in broken.stdout
    assert os.path.exists(env["AI_EMPLOYEE_ENV_FILE"])
