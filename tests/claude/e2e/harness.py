"""Runs the real Claude Code CLI (tests/clients/claude_code, pinned) offline in a fresh project folder,
against `FakeAnthropic` driven by a `Scripted` model.

`project_setup()` makes what a new user has after `git clone` + `make run`: the committed `.mcp.json`
and `.claude/`, the shared `.venv`, a vault and `.env` made by `ai-employee init`, the secrets in the
throwaway HOME's `~/.config/ai-employee/config.env`, and `~/.claude.json` trusting the folder (Claude Code
leaves project servers pending in an untrusted folder). No bypass flag and no permission-prompt tool
is ever passed: what runs, runs on the committed settings alone.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.claude.conftest import ROOT
from tests.claude.e2e.fake_api import Block, FakeAnthropic, text, tool_use

CLAUDE_DIR = ROOT / "tests" / "clients" / "claude_code"
CLAUDE = CLAUDE_DIR / "node_modules" / ".bin" / "claude"
TOKEN = "tw-e2e-" + "9f3c1a7b5d2e4f60"  # a token set in the per-user file: must never reach the model
Arguments = dict[str, Any] | Callable[[list[str]], dict[str, Any]]  # or built from the results so far
Call = tuple[str, Arguments]


@dataclass(frozen=True)
class Project:
    root: Path
    home: Path
    key: str

    @property
    def vault(self) -> Path:
        return self.root / "vault"

    @property
    def user_config(self) -> Path:
        return self.home / ".config" / "ai-employee" / "config.env"

    def secrets(self) -> list[str]:
        return [self.key, TOKEN]


def project_setup(tmp: Path) -> Project:
    root, home = tmp / "project", tmp / "home"
    root.mkdir()
    home.mkdir()
    shutil.copy(ROOT / ".mcp.json", root / ".mcp.json")
    shutil.copytree(ROOT / ".claude", root / ".claude", ignore=shutil.ignore_patterns("settings.local.json"))
    (root / ".venv").symlink_to(ROOT / ".venv", target_is_directory=True)
    env = clean_environ(home)
    ai_employee = [str(ROOT / ".venv" / "bin" / "ai-employee")]
    subprocess.run([*ai_employee, "init"], cwd=root, env=env, check=True, capture_output=True)
    config = home / ".config" / "ai-employee" / "config.env"
    with config.open("a") as handle:
        handle.write(f"TWITTER_BEARER_TOKEN={TOKEN}\n")
    key = next(ln.split("=", 1)[1] for ln in config.read_text().splitlines() if ln.startswith("APPROVAL_SIGNING_KEY="))
    trust = {"hasTrustDialogAccepted": True}
    (home / ".claude.json").write_text(json.dumps({"projects": {str(root): trust}}))
    return Project(root=root, home=home, key=key)


def clean_environ(home: Path) -> dict[str, str]:
    """A user's shell: none of our variables, nothing of the developer's HOME."""
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "TZ", "TMPDIR")}
    return {**keep, "HOME": str(home)}


def claude_environ(project: Project, fake: FakeAnthropic) -> dict[str, str]:
    return {
        **clean_environ(project.home),
        "ANTHROPIC_BASE_URL": fake.url,
        "ANTHROPIC_API_KEY": "sk-ant-e2e-dummy-" + secrets.token_hex(4),
        "DISABLE_AUTOUPDATER": "1",
        "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
    }


@dataclass
class Run:
    returncode: int
    result: dict[str, Any]
    stderr: str

    @property
    def denials(self) -> list[dict[str, Any]]:
        return list(self.result.get("permission_denials", []))


def run_claude(project: Project, fake: FakeAnthropic, prompt: str, timeout: float = 240) -> Run:
    """`claude -p PROMPT --output-format json` in the project folder: no flag that loosens permissions."""
    done = subprocess.run(
        [str(CLAUDE), "-p", prompt, "--output-format", "json"],
        cwd=project.root,
        env=claude_environ(project, fake),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    result = json.loads(lines[-1]) if lines else {}
    return Run(done.returncode, result, done.stderr)


def _blocks(message: dict[str, Any]) -> list[dict[str, Any]]:
    content = message.get("content")
    return [c for c in content if isinstance(c, dict)] if isinstance(content, list) else []


def tool_results(request: dict[str, Any]) -> dict[str, str]:
    """tool_use id → the text of its result, for every result in the conversation so far."""
    found = {}
    for message in request.get("messages", []):
        for block in _blocks(message):
            if block.get("type") == "tool_result":
                content = block.get("content")
                parts = content if isinstance(content, list) else [{"text": str(content)}]
                found[block["tool_use_id"]] = "\n".join(str(p.get("text", "")) for p in parts if isinstance(p, dict))
    return found


def first_user_text(request: dict[str, Any]) -> str:
    messages = request.get("messages", [])
    return "\n".join(str(b.get("text", "")) for b in _blocks(messages[0])) if messages else ""


@dataclass
class Scripted:
    """A model that makes `calls` in order, one per turn, then ends with `final`. It acts only when the first
    user message contains `trigger` (text from the command body, so a command that did not expand does
    nothing). An MCP tool that is deferred (not in the request's tools) is first loaded with ToolSearch."""

    calls: list[Call]
    trigger: str = ""
    final: str = "done"
    made: list[dict[str, Any]] = field(default_factory=list)

    def __call__(self, request: dict[str, Any]) -> list[Block]:
        if not request.get("tools") or self.trigger not in first_user_text(request):
            return [text("I have nothing to do.")]
        used = [b for m in request.get("messages", []) if m.get("role") == "assistant" for b in _blocks(m)]
        uses = [b for b in used if b.get("type") == "tool_use"]
        done = [b for b in uses if b["name"] != "ToolSearch"]
        if len(done) >= len(self.calls):
            return [text(self.final)]
        name, arguments = self.calls[len(done)]
        offered = {t["name"] for t in request["tools"]}
        searched = any(b["name"] == "ToolSearch" and name in json.dumps(b["input"]) for b in uses)
        if name.startswith("mcp__") and name not in offered and not searched:
            block = tool_use("ToolSearch", {"query": f"select:{name}"})
        else:
            results = tool_results(request)
            earlier = [results.get(b["id"], "") for b in done]
            block = tool_use(name, arguments(earlier) if callable(arguments) else arguments)
        self.made.append(block)
        return [block]


def results_of(fake: FakeAnthropic, script: Scripted) -> dict[str, str]:
    """The result text of every call the script made (ToolSearch included), by tool_use id."""
    merged: dict[str, str] = {}
    for request in fake.requests:
        merged.update(tool_results(request))
    return {b["id"]: merged.get(b["id"], "<no result>") for b in script.made}


def run_script(project: Project, prompt: str, script: Scripted) -> tuple[Run, FakeAnthropic]:
    with FakeAnthropic(script) as fake:
        run = run_claude(project, fake, prompt)
    return run, fake


def installed() -> bool:
    return CLAUDE.exists()
