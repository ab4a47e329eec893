"""`ai-employee install-desktop`: absolute paths only, merged without touching the user's other servers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orchestrator.cli import main
from orchestrator.commands import desktop
from tests.claude.conftest import ROOT, SERVICES

OTHER = {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/Users/me/Documents"]}


def test_print_gives_absolute_paths_and_no_variables(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["install-desktop", "--print", "--vault", str(tmp_path / "v")]) == 0
    servers = json.loads(capsys.readouterr().out)["mcpServers"]
    assert list(servers) == list(SERVICES)
    for name, entry in servers.items():
        assert entry["command"] == str(ROOT / ".venv" / "bin" / "python")
        assert entry["args"] == ["-m", f"mcp_servers.{name}", "--vault", str(tmp_path / "v")]
        assert entry["env"]["AI_EMPLOYEE_ENV_FILE"] == str(ROOT / ".env")
        assert "$" not in json.dumps(entry)


def test_merges_without_clobbering_other_servers_and_keeps_a_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "claude_desktop_config.json"
    original = {"mcpServers": {"filesystem": OTHER}, "globalShortcut": "Ctrl+Space"}
    config.write_text(json.dumps(original))
    assert main(["install-desktop", "--config", str(config), "--vault", str(tmp_path / "v")]) == 0
    merged = json.loads(config.read_text())
    assert merged["mcpServers"]["filesystem"] == OTHER and merged["globalShortcut"] == "Ctrl+Space"
    assert set(merged["mcpServers"]) == {"filesystem", *SERVICES}
    assert json.loads((tmp_path / "claude_desktop_config.json.bak").read_text()) == original
    assert main(["install-desktop", "--config", str(config), "--vault", str(tmp_path / "v")]) == 0
    assert "Already up to date" in capsys.readouterr().out


def test_a_foreign_server_of_the_same_name_is_not_replaced_without_force(tmp_path: Path) -> None:
    config = tmp_path / "claude_desktop_config.json"
    config.write_text(json.dumps({"mcpServers": {"odoo": OTHER}}))
    assert main(["install-desktop", "--config", str(config)]) == 2
    assert json.loads(config.read_text()) == {"mcpServers": {"odoo": OTHER}}
    assert main(["install-desktop", "--config", str(config), "--force"]) == 0
    assert json.loads(config.read_text())["mcpServers"]["odoo"]["command"].startswith(str(ROOT))


def test_a_broken_config_is_left_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "claude_desktop_config.json"
    config.write_text("{ not json")
    assert main(["install-desktop", "--config", str(config)]) == 2
    assert config.read_text() == "{ not json" and "not valid JSON" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("platform", "environ", "expected"),
    [
        ("darwin", {"HOME": "/Users/me"}, "/Users/me/Library/Application Support/Claude/claude_desktop_config.json"),
        (
            "win32",
            {"HOME": "C:/u", "APPDATA": "C:/u/AppData/Roaming"},
            "C:/u/AppData/Roaming/Claude/claude_desktop_config.json",
        ),
        ("linux", {"HOME": "/home/me"}, "/home/me/.config/Claude/claude_desktop_config.json"),
    ],
)
def test_default_config_location(platform: str, environ: dict[str, str], expected: str) -> None:
    assert desktop.default_config_path(platform, environ) == Path(expected)


def test_the_vault_comes_from_the_projects_env_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("VAULT_PATH=./books\n")
    assert desktop.project_vault(tmp_path, {}) == tmp_path / "books"
    assert desktop.project_vault(tmp_path, {"VAULT_PATH": "/srv/vault"}) == Path("/srv/vault")
