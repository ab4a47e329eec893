"""`.mcp.json`: every server starts exactly as Claude Code would start it from a fresh clone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from orchestrator import mcp_config
from tests.claude.conftest import ROOT, SERVICES


def test_registers_the_four_services_as_stdio_servers() -> None:
    data = json.loads((ROOT / ".mcp.json").read_text())
    assert list(data) == ["mcpServers"]
    assert set(data["mcpServers"]) == set(SERVICES)
    for name, entry in data["mcpServers"].items():
        assert entry["type"] == "stdio"
        assert entry["args"] == ["-m", f"mcp_servers.{name}"]
        assert entry["alwaysLoad"] is True  # claude -p waits for it before the first request


def test_claude_code_waits_for_all_four_servers_together() -> None:
    """Measured with `python -m benchmarks claude_first_request` (README, Performance)."""
    env = json.loads((ROOT / ".claude" / "settings.json").read_text())["env"]
    assert int(env["MCP_SERVER_CONNECTION_BATCH_SIZE"]) >= len(SERVICES)  # default 3: the fourth waits
    assert int(env["MCP_CONNECT_TIMEOUT_MS"]) > 5000  # the alwaysLoad wait; default 5000 is missed under load
    assert env["MCP_PROTOCOL_NEGOTIATION"] == "legacy"  # no probe for a slow start to miss


def test_every_variable_has_a_default_and_none_is_bare() -> None:
    """Claude Code passes an unset ${VAR} through literally and never expands $VAR."""
    text = (ROOT / ".mcp.json").read_text()
    found = mcp_config.variables(text)
    assert found
    assert all(default is not None for _, default in found), found
    assert "$" not in mcp_config._VARIABLE.sub("", text)


@pytest.mark.parametrize(
    ("text", "environ", "expected"),
    [
        ("${A}", {"A": "hello"}, "hello"),
        ("${A:-fallback}", {}, "fallback"),
        ("${A:-fallback}", {"A": ""}, ""),
        ("${A}", {}, "${A}"),
        ("$A", {"A": "hello"}, "$A"),
        ("${P:-.}/.venv/bin/python", {"P": "/x"}, "/x/.venv/bin/python"),
    ],
)
def test_expansion_follows_claude_code(text: str, environ: dict[str, str], expected: str) -> None:
    assert mcp_config.expand(text, environ)[0] == expected


def _params(project: Path, name: str, environ: dict[str, str]) -> StdioServerParameters:
    server, missing = mcp_config.expand_server(mcp_config.load_raw(project)[name], environ)
    assert missing == []
    # Claude Code starts servers in the folder it was launched from and hands them its environment.
    return StdioServerParameters(
        command=server.command, args=server.args, env={**environ, **server.env}, cwd=str(project)
    )


async def _list_tools(params: StdioServerParameters) -> list[str]:
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        return [tool.name for tool in (await session.list_tools()).tools]


@pytest.mark.anyio
@pytest.mark.parametrize("name", SERVICES)
@pytest.mark.parametrize("project_dir_known", [False, True], ids=["cwd-only", "CLAUDE_PROJECT_DIR"])
async def test_each_server_starts_from_a_fresh_clone_and_lists_tools(
    name: str, project_dir_known: bool, project: Path, claude_environ: dict[str, str]
) -> None:
    if project_dir_known:
        claude_environ["CLAUDE_PROJECT_DIR"] = str(project)
    tools = await _list_tools(_params(project, name, claude_environ))
    assert tools, f"{name} lists no tools"
    assert (project / "vault" / "Pending_Approval").is_dir(), "the vault defaults to the project's vault/"


@pytest.mark.anyio
async def test_the_projects_env_file_is_read(project: Path, claude_environ: dict[str, str]) -> None:
    """Settings and the vault come from the project's .env (what `ai-employee init` writes)."""
    name = SERVICES[0]
    elsewhere = project.parent / "my-obsidian-vault"
    (project / ".env").write_text(f"VAULT_PATH={elsewhere}\n")
    claude_environ["CLAUDE_PROJECT_DIR"] = str(project)
    assert await _list_tools(_params(project, name, claude_environ))
    assert (elsewhere / "Pending_Approval").is_dir()
    assert not (project / "vault").exists()


@pytest.mark.anyio
async def test_servers_find_the_secrets_in_the_per_user_file(project: Path, claude_environ: dict[str, str]) -> None:
    """No project .env and no path in .mcp.json: a server files a signed request with the key it found in
    ~/.config/ai-employee/config.env (HOME is all Claude Code hands over)."""
    assert "AI_EMPLOYEE_ENV_FILE" not in (ROOT / ".mcp.json").read_text()
    config = Path(claude_environ["HOME"]) / ".config" / "ai-employee" / "config.env"
    config.parent.mkdir(parents=True)
    config.write_text("APPROVAL_SIGNING_KEY=" + "u" * 48 + "\n")
    claude_environ.pop("APPROVAL_SIGNING_KEY", None)
    params = _params(project, "twitter", claude_environ)
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        result = await session.call_tool("create_post", {"text": "Per-user key test", "dry_run": False})
    assert not result.is_error, result.content
    filed = list((project / "vault" / "Pending_Approval").glob("*.md"))
    assert [p for p in filed if p.name != "README.md"], "no request was filed"
