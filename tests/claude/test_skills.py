"""Skills are spec-valid (skills-ref), commands parse and take their arguments the zero-based way, and the
permissions keep approval the owner's act."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from skills_ref import read_properties, validate

from mcp_servers.core.vault import Vault
from tests.claude.conftest import ROOT

SKILLS = ROOT / ".claude" / "skills"
COMMANDS = ROOT / ".claude" / "commands"
REQUIRED = {
    "post-social-media",
    "create-invoice",
    "generate-ceo-briefing",
    "review-approvals",
    "sync-odoo",
    "social-summary",
}
SIDE_EFFECTS = {"post", "invoice", "briefing", "sync"}  # commands that file, run or write something
SETTINGS = json.loads((ROOT / ".claude" / "settings.json").read_text())["permissions"]


def _front_matter(path: Path) -> tuple[dict[str, object], str]:
    text = path.read_text("utf-8")
    match = re.match(r"\A---\n(.*?)\n---\n(.*)\Z", text, re.DOTALL)
    assert match, f"{path.name} must start with YAML front matter"
    data = yaml.safe_load(match.group(1))
    assert isinstance(data, dict)
    return data, match.group(2)


def test_the_required_skills_exist() -> None:
    assert {p.name for p in SKILLS.iterdir() if (p / "SKILL.md").exists()} >= REQUIRED


@pytest.mark.parametrize("skill", sorted(p.name for p in SKILLS.iterdir() if p.is_dir()))
def test_skill_is_valid_under_the_agent_skills_spec(skill: str) -> None:
    folder = SKILLS / skill
    assert validate(folder) == []
    props = read_properties(folder)
    assert props.name == skill
    assert "Use " in props.description, "the description must say when to use the skill"
    cli = subprocess.run(
        [sys.executable, "-m", "skills_ref.cli", "validate", str(folder)], capture_output=True, text=True
    )
    assert cli.returncode == 0 and "Valid skill" in cli.stdout, cli.stderr


@pytest.mark.parametrize("skill", sorted(p.name for p in SKILLS.iterdir() if p.is_dir()))
def test_files_a_skill_links_to_exist(skill: str) -> None:
    body = (SKILLS / skill / "SKILL.md").read_text()
    for target in re.findall(r"\]\(((?:references|scripts|assets)/[^)]+)\)", body):
        assert (SKILLS / skill / target).exists(), target
    for target in re.findall(r"\.claude/skills/[\w-]+/scripts/[\w.]+", body):
        assert (ROOT / target).exists(), target


@pytest.mark.parametrize("command", sorted(p.stem for p in COMMANDS.glob("*.md")))
def test_command_parses_and_takes_arguments_zero_based(command: str) -> None:
    meta, body = _front_matter(COMMANDS / f"{command}.md")
    assert meta.get("description") and meta.get("argument-hint")
    assert "$ARGUMENTS" in body or "$0" in body
    if re.search(r"\$1\b", body):  # $1 is the SECOND argument in Claude Code: only next to $0
        assert "$0" in body, "$1 is the SECOND argument in Claude Code; use $0 or $ARGUMENTS"
    if command in SIDE_EFFECTS:
        assert meta.get("disable-model-invocation") is True
    for skill in re.findall(r"`([a-z0-9-]+)` skill", body):
        assert (SKILLS / skill / "SKILL.md").exists(), skill


def test_invoice_names_the_customer_once() -> None:
    _, body = _front_matter(COMMANDS / "invoice.md")
    assert "Customer: $0" in body and "$ARGUMENTS" not in body


def test_commands_do_not_shadow_skills() -> None:
    assert not {p.stem for p in COMMANDS.glob("*.md")} & {p.name for p in SKILLS.iterdir()}


@pytest.mark.parametrize(
    "rule",
    [
        "Edit(/vault/Approved/**)",
        "Edit(/vault/Rejected/**)",
        "Edit(//**/Approved/**)",
        "Edit(//**/Rejected/**)",
        "Edit(/vault/Done/**)",  # after a lost ledger, Done/ is what says a call already ran
        "Edit(//**/Done/**)",
        "Bash(*Approved*)",
        "Bash(*Rejected*)",
        "Bash(mv:*)",
        "Bash(tee:*)",
        "Bash(bash -c:*)",
        "Bash(xargs:*)",
        "Read(./.env)",
        "Read(~/.config/ai-employee/**)",
        "Bash(ai-employee approve:*)",
        "Bash(.venv/bin/ai-employee approve:*)",
    ],
)
def test_approval_stays_the_owners_act(rule: str) -> None:
    assert rule in SETTINGS["deny"]


def test_no_rule_claude_code_ignores() -> None:
    """2.1.332 ignores Write(...) deny rules ("never matches · use Edit(...)"); Edit rules also block Write."""
    assert not [
        rule for rules in SETTINGS.values() if isinstance(rules, list) for rule in rules if rule.startswith("Write(")
    ]


def test_one_decision_per_action_filing_runs_without_a_prompt() -> None:
    """Nothing the model files asks: an `ask` rule wins over every allow and cannot be answered in `claude -p`.
    The decision is the owner's move into Approved/, which stays denied to the model."""
    assert "Bash(.venv/bin/ai-employee post:*)" in SETTINGS["allow"]
    assert not [rule for rule in SETTINGS["ask"] if rule.startswith("mcp__") or " post" in rule]
    assert {f"Skill({name})" for name in REQUIRED} <= set(SETTINGS["allow"])
    assert not any("approve" in rule or "reject" in rule for rule in SETTINGS["allow"])


def test_review_script_lists_a_pending_request(vault: Vault) -> None:
    from orchestrator.cli import main

    assert main(["post", "Hello from the test", "--platforms", "facebook", "--vault", str(vault.root)]) == 0
    script = SKILLS / "review-approvals" / "scripts" / "list_pending.py"
    out = subprocess.run(
        [sys.executable, str(script), "--vault", str(vault.root)], capture_output=True, text=True, check=True
    ).stdout
    assert "Pending_Approval/" in out and "facebook.create_post" in out and "signature valid" in out


def test_review_script_skips_the_readme_and_notes(vault: Vault) -> None:
    """Pending_Approval/README.md (from the template) and a note without front matter are not requests."""
    (vault.root / "Pending_Approval" / "README.md").write_text("# Pending approval\nMove files from here.\n")
    (vault.root / "Pending_Approval" / "my notes.md").write_text("remember to check prices\n")
    script = SKILLS / "review-approvals" / "scripts" / "list_pending.py"
    out = subprocess.run(
        [sys.executable, str(script), "--vault", str(vault.root)], capture_output=True, text=True, check=True
    ).stdout
    assert "unreadable" not in out and "README" not in out and "Nothing is waiting" in out
