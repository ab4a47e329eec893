"""`main()` as every service's `__main__` runs it: a real stdio process, and refusal of bad config."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from mcp_servers.core.vault import Vault
from tests.conftest import TEST_KEY

ROOT = Path(__file__).resolve().parents[2]


def server_env(vault: Vault, **extra: str) -> dict[str, str]:
    return {
        "APPROVAL_SIGNING_KEY": TEST_KEY,
        "VAULT_PATH": str(vault.root),
        "PYTHONPATH": str(ROOT),
        "AI_EMPLOYEE_ENV_FILE": "/nonexistent.env",
        **extra,
    }


@pytest.mark.anyio
async def test_a_service_runs_over_stdio_and_pings(vault: Vault) -> None:
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "tests.core.fake_service"], env=server_env(vault), cwd=str(ROOT)
    )
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        init = await session.initialize()
        assert init.server_info.name == "fake"
        await session.send_ping()
        tools = {t.name for t in (await session.list_tools()).tools}
        result = await session.call_tool("add_note", {"text": "hi", "dry_run": False})
    assert tools == {"list_notes", "add_note"}
    assert result.structured_content["status"] == "filed"
    assert len(list(vault.folder("Pending_Approval").glob("*.md"))) == 1


def test_live_mode_without_credentials_refuses_to_start_naming_the_variable(vault: Vault) -> None:
    env = {**os.environ, **server_env(vault, FAKE_MODE="live")}
    proc = subprocess.run(
        [sys.executable, "-m", "tests.core.fake_service"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 2
    assert "FAKE_TOKEN" in proc.stderr and "Traceback" not in proc.stderr


def test_a_bad_mode_is_refused_with_the_field(vault: Vault) -> None:
    env = {**os.environ, **server_env(vault, FAKE_MODE="production")}
    proc = subprocess.run(
        [sys.executable, "-m", "tests.core.fake_service"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 2
    assert "mode" in proc.stderr and "Traceback" not in proc.stderr
