"""Drive a real server process over stdio, as Claude and the orchestrator do (shared by the FB/IG suites)."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from mcp_servers.core.vault import APPROVED, Vault
from tests.conftest import TEST_KEY

ROOT = Path(__file__).resolve().parents[2]
SECRETS = {
    "FACEBOOK_PAGE_ACCESS_TOKEN": "fake-fb-token-never-in-the-vault-0001",
    "FACEBOOK_APP_SECRET": "fbAppSecretNeverInTheVault0002",
    "INSTAGRAM_ACCESS_TOKEN": "IGQVJigTokenNeverInTheVault0003",
    "INSTAGRAM_APP_SECRET": "igAppSecretNeverInTheVault0004",
}


def server_env(vault: Vault) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "APPROVAL_SIGNING_KEY": TEST_KEY,
        "VAULT_PATH": str(vault.root),
        "AI_EMPLOYEE_ENV_FILE": str(vault.root / "no.env"),
        **SECRETS,
    }


@asynccontextmanager
async def spawn(service: str, vault: Vault) -> AsyncIterator[ClientSession]:
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", f"mcp_servers.{service}", "--vault", str(vault.root)],
        env=server_env(vault),
        cwd=str(ROOT),
    )
    log = (vault.root.parent / f"{service}-stderr.log").open("a")  # checked for secrets afterwards
    try:
        async with stdio_client(params, errlog=log) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            yield session
    finally:
        log.close()


async def call(session: ClientSession, tool: str, **args: Any) -> dict[str, Any]:
    """The structured result; a tool error comes back as {"error": text}."""
    result = await session.call_tool(tool, args)
    if result.is_error:
        return {"error": " ".join(getattr(c, "text", "") for c in result.content)}
    assert result.structured_content is not None
    return dict(result.structured_content)


def approve(vault: Vault, rel_path: str) -> None:
    source = vault.root / rel_path
    shutil.move(source, vault.folder(APPROVED) / source.name)


def tool_snapshot(tools: Any) -> list[dict[str, Any]]:
    return [
        {
            "name": t.name,
            "title": t.title,
            "annotations": t.annotations.model_dump(mode="json", by_alias=True, exclude_none=True)
            if t.annotations
            else None,
            "input_schema": t.input_schema,
        }
        for t in tools.tools
    ]


def check_snapshot(path: Path, snapshot: list[dict[str, Any]]) -> None:
    """Compare with the reviewed fixture; UPDATE_SNAPSHOTS=1 rewrites it (then review the diff)."""
    text = json.dumps(snapshot, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1" or not path.exists():
        path.write_text(text)
    assert json.loads(path.read_text()) == json.loads(text), f"tool surface changed; review {path.name}"


def leaked_secrets(vault: Vault) -> list[str]:
    """Every file under the vault that contains one of the secret values."""
    hits = []
    for path in [*vault.root.rglob("*"), *vault.root.parent.glob("*-stderr.log")]:
        if path.is_file():
            data = path.read_bytes()
            hits += [f"{path}: {name}" for name, value in SECRETS.items() if value.encode() in data]
    return hits
