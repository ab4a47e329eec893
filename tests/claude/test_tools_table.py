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


def test_every_tool_and_skill_is_allowed_and_nothing_asks(tools: dict[str, list[tools_table.ToolInfo]]) -> None:
    """Write tools only preview or file a request; the decision is the owner's move into Approved/."""
    allow = tools_table.permission_rules(tools)
    everything = {f"mcp__{t.server}__{t.name}" for infos in tools.values() for t in infos}
    assert {"mcp__twitter__create_post", "mcp__facebook__delete_post"} <= everything <= set(allow)
    assert "Skill(post-social-media)" in allow
    stale = {"permissions": {"allow": ["Bash(x)"], "ask": ["mcp__odoo__create_invoice", "Bash(y)"]}}
    rewritten = tools_table._with_rules(stale, allow)["permissions"]
    assert rewritten["ask"] == ["Bash(y)"] and rewritten["allow"][-1] == "Bash(x)"
