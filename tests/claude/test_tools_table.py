"""The README's tools table and the MCP permission rules are generated from the servers: drift fails."""

from __future__ import annotations

import pytest

from orchestrator import tools_table


@pytest.fixture(scope="module")
def tools() -> dict[str, list[tools_table.ToolInfo]]:
    return tools_table.list_all()


def test_readme_and_settings_match_the_servers(tools: dict[str, list[tools_table.ToolInfo]]) -> None:
    for path, expected in tools_table.expected_files(tools).items():
        assert path.read_text("utf-8") == expected, (
            f"{path.name} is out of date with the servers: run `python -m orchestrator.tools_table --write`"
        )


def test_every_read_tool_is_allowed_and_every_write_tool_asks(tools: dict[str, list[tools_table.ToolInfo]]) -> None:
    allow, ask = tools_table.permission_rules(tools)
    writes = {f"mcp__{t.server}__{t.name}" for infos in tools.values() for t in infos if not t.read_only}
    assert writes and writes <= set(ask) and not writes & set(allow)
    assert {"mcp__twitter__create_post", "mcp__facebook__delete_post"} & writes
