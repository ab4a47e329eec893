"""`ai-employee run` as a real process for the acceptance tests: start, wait, crash, stop, and orphan checks."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from mcp_servers.core.vault import APPROVED, DONE, NEEDS_ACTION, Vault
from tests.core.fake_service.client import FakeClient
from tests.orchestrator.conftest import ROOT, make_request, md_files

FAKE = "fake=tests.core.fake_service"


def cli_env(tmp: Path, vault: Vault, servers: str, **extra: str) -> dict[str, str]:
    """The environment of an `ai-employee` process: our own .env (made by init) and nothing of the developer's."""
    env_file = tmp / ".env"
    if not env_file.exists():
        subprocess.run(
            [sys.executable, "-m", "orchestrator.cli", "init", "--vault", str(vault.root), "--env-file", str(env_file)],
            check=True,
            capture_output=True,
            cwd=ROOT,
            env={**os.environ, "AI_EMPLOYEE_ENV_FILE": str(env_file)},
        )
    env = {k: v for k, v in os.environ.items() if k not in ("APPROVAL_SIGNING_KEY", "VAULT_PATH")}
    return env | {
        "AI_EMPLOYEE_ENV_FILE": str(env_file),
        "ORCHESTRATOR_SERVERS": servers,
        "HEALTH_CHECK_INTERVAL": "1",
        "PYTHONPATH": str(ROOT),
        **extra,
    }


def signing_key(env: dict[str, str]) -> bytes:
    """The key init wrote: in the per-user file (tests/conftest.py points XDG_CONFIG_HOME at tmp_path)."""
    config = Path(env["XDG_CONFIG_HOME"]) / "ai-employee" / "config.env"
    for line in config.read_text().splitlines():
        if line.startswith("APPROVAL_SIGNING_KEY="):
            return line.split("=", 1)[1].strip().encode()
    raise AssertionError("init wrote no signing key")


def start(vault: Vault, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """`ai-employee run --vault V` in its own process group (as a terminal runs it)."""
    with open(log, "ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "orchestrator.cli", "run", "--vault", str(vault.root)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_for(condition: Callable[[], Any], timeout: float = 90.0, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def status(vault: Vault) -> dict[str, Any]:
    try:
        return dict(json.loads((vault.state_dir / "status.json").read_text()))
    except (OSError, ValueError):
        return {}


def servers_up(vault: Vault, proc: subprocess.Popen[bytes]) -> bool:
    data = status(vault)
    servers = data.get("servers") or {}
    # "up" is only true with the child's pid published: `status --json` promises it to scripts
    return (
        data.get("orchestrator_pid") == proc.pid
        and bool(servers)
        and all(s["state"] == "up" and isinstance(s["pid"], int) for s in servers.values())
    )


def processes_using(vault: Vault) -> list[int]:
    """Every live process whose command line names the vault (the orchestrator's children do)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if str(vault.root).encode() in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


def stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGINT) -> int:
    """Ctrl-C (SIGINT to the process group) and wait for a clean exit."""
    os.killpg(proc.pid, sig)
    return proc.wait(timeout=60)


def crash_loop(tmp: Path, vault: Vault, count: int, kills: int, seed: int = 5) -> list[str]:
    """File `count` approvals, kill -9 the orchestrator `kills` times at random points of the burst,
    restart, and finish. Returns the request ids."""
    env = cli_env(tmp, vault, FAKE)
    key = signing_key(env)
    ids = [make_request(vault, key, f"crash {n}")[0].id for n in range(count)]
    rng = random.Random(seed)
    log = tmp / "run.log"
    for _ in range(kills):
        proc = start(vault, env, log)
        target = len(md_files(vault, DONE)) + rng.randint(1, max(1, count // (kills + 1)))
        wait_for(_progressed(vault, proc, min(target, count)), what="progress")
        proc.kill()  # SIGKILL to the orchestrator only: its children notice on their own
        proc.wait()
    proc = start(vault, env, log)
    wait_for(lambda: not md_files(vault, APPROVED), timeout=180, what="Approved/ empty")
    assert stop(proc) == 0
    wait_for(lambda: not processes_using(vault), timeout=15, what="children gone")
    return ids


def _progressed(vault: Vault, proc: subprocess.Popen[bytes], target: int) -> Callable[[], bool]:
    return lambda: len(md_files(vault, DONE)) >= target or proc.poll() is not None


def check_exactly_once(vault: Vault, ids: list[str]) -> dict[str, int]:
    """Every request in Done/ exactly once; succeeded with exactly one note, or ambiguous with a note."""
    done = md_files(vault, DONE)
    assert len(done) == len(ids), "each request has exactly one Done/ file"
    writes: dict[str, int] = {}
    for note in FakeClient(vault)._load()["notes"]:
        writes[note["ref"]] = writes.get(note["ref"], 0) + 1
    statuses: dict[str, int] = {}
    for path in done:
        data = yaml.safe_load(path.read_text().split("---\n")[1])
        statuses[data["status"]] = statuses.get(data["status"], 0) + 1
        if data["status"] == "succeeded":
            assert writes.get(data["id"]) == 1, f"{data['id']} posted {writes.get(data['id'], 0)} times"
        else:
            assert data["status"] == "ambiguous", data
            assert writes.get(data["id"], 0) <= 1
            assert list(vault.folder(NEEDS_ACTION).glob(f"*_{data['id'].rsplit('-', 1)[-1]}.md"))
    assert set(writes) <= set(ids) and all(n == 1 for n in writes.values())
    return statuses
