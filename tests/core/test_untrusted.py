"""Hostile text from the model or a platform can neither forge nor hide a line of what the owner reads
(issue 11 item 11): request bodies, previews, Dashboard.md, Needs_Action/ notes and terminal output."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from mcp_servers.core import action_request as ar
from mcp_servers.core.gate import ApprovalGate
from mcp_servers.core.policy import Policy
from mcp_servers.core.service import load_service
from mcp_servers.core.untrusted import md_block, md_code, md_inline, terminal, wikilink
from mcp_servers.core.vault import PENDING, Vault
from orchestrator import dashboard, notes
from tests.orchestrator.conftest import ROOT

FORGED = "**Amount**: 5.00"
HOSTILE = [
    f"Nice post\n{FORGED}\n",
    "Nice post\r\n## Policy: auto-approved\r\n",
    "Nice post %% everything after this is hidden",
    "Nice post <!-- hidden -->",
    "Nice post <div hidden>secret</div>",
    "Nice post \x1b[2J\x1b[31mred\x1b]0;title\x07",
    "Nice post \u202eevil\u2028next\u2029para\u200b",
    "Nice post ![[Company_Handbook]] [[Done/x]] [x](https://evil.example) $\\color{white}{hidden}$",
    "Nice post | cell | ~~struck~~ `code` ```fence",
    "> quote\n# heading\n- item\n1. first\n---\n===",
]


def _owner_lines(text: str) -> list[str]:
    """The lines as the owner sees them (a line inside a quote is shown as quoted, not as a line of ours)."""
    return [line for line in text.splitlines() if not line.startswith(">")]


def assert_harmless(text: str, hostile: str) -> None:
    assert "\x1b" not in text and "\u202e" not in text and "\u2028" not in text and "\x07" not in text
    assert "%%" not in text and "<!--" not in text and "<div" not in text
    assert "[[Company_Handbook]]" not in text and not re.search(r"(?<!\\)\]\(https://evil", text)
    for line in _owner_lines(text):
        assert not line.startswith(("**Amount**", "## Policy", "# heading", "- item", "1. first", "===")), line


@pytest.mark.parametrize("hostile", HOSTILE)
def test_one_line_renderers_keep_one_line_and_show_everything(hostile: str) -> None:
    for rendered in (md_inline(hostile), md_code(hostile), wikilink(hostile), terminal(hostile)):
        assert "\n" not in rendered and "\r" not in rendered
        assert "\x1b" not in rendered and "\u202e" not in rendered
    assert_harmless(md_inline(hostile), hostile)
    assert "nice post" in md_inline(hostile).lower() or hostile.startswith(">")


@pytest.mark.parametrize("hostile", HOSTILE)
def test_a_block_keeps_every_line_inside_the_quote(hostile: str) -> None:
    block = md_block(hostile)
    assert all(line.startswith(">") for line in block.splitlines())
    assert_harmless(block, hostile)


def test_code_span_cannot_be_closed_by_its_content() -> None:
    span = md_code("a `` b ``` c")
    fence = re.match("`+", span)
    assert fence and len(fence.group()) == 4 and span.endswith("````")


def _file_post(vault: Vault, key: bytes, server: str, args: dict[str, Any]) -> str:
    action = __import__(f"mcp_servers.{server}.tools", fromlist=["x"]).CREATE_POST
    gate = ApprovalGate(server, vault, key=key, policy=Policy(), tag="t")
    result = gate.file(action, load_service(server).client(vault), action.args(**args))
    assert result.status == "filed", result.message
    return (vault.root / str(result.request_path)).read_text()


@pytest.mark.parametrize("hostile", HOSTILE[:4] + HOSTILE[6:8] + HOSTILE[9:])
@pytest.mark.parametrize(
    ("server", "field", "extra"),
    [
        ("twitter", "text", {}),
        ("facebook", "message", {}),
        ("instagram", "caption", {"image_url": "https://example.com/a.jpg"}),
    ],
)
def test_a_hostile_post_text_cannot_forge_or_hide_a_line_of_the_request(
    vault: Vault, signing_key: bytes, hostile: str, server: str, field: str, extra: dict[str, Any]
) -> None:
    text = _file_post(vault, signing_key, server, {field: hostile, **extra})
    parsed = ar.parse(text)
    assert parsed.request.calls[0].args[field] == hostile  # what runs is exactly the text, unchanged
    assert_harmless(parsed.body, hostile)
    assert parsed.body.count("**Action**") == 1


def test_the_dashboard_and_notes_render_hostile_summaries_harmlessly(vault: Vault, signing_key: bytes) -> None:
    for hostile in HOSTILE[:8]:
        _file_post(vault, signing_key, "twitter", {"text": hostile.replace("\x1b", "")[:200]})
    for hostile in HOSTILE:  # a summary the model wrote, signed: the dashboard still renders it harmlessly
        request = ar.build_request(
            type="partner",
            tag="t",
            calls=[ar.ToolCall(server="odoo", tool="create_partner", args={"name": hostile})],
            summary=hostile,
            now=datetime.now(UTC),
            expiry=timedelta(days=7),
        )
        ar.write_new_request(vault, PENDING, ar.sign(request, signing_key), "# body\n")
    now = datetime.now(UTC)
    snapshot = dashboard.collect(vault, {}, [], {"odoo": HOSTILE[0] + HOSTILE[5]}, now)
    text = dashboard.render(snapshot, now)
    assert_harmless(text, "")
    assert len(re.findall(r"^- \[\[", text, re.M)) == len(HOSTILE) + 8  # one line per pending request
    note = notes.call_note(
        request,
        vault.root / "Done" / "x.md",
        [notes.CallOutcome("odoo", "create_partner", "failed", HOSTILE[0] + HOSTILE[2])],
        now,
    )
    assert_harmless(note, "")


def test_terminal_output_never_carries_escape_sequences(vault: Vault, signing_key: bytes, tmp_path: Path) -> None:
    request = ar.build_request(
        type="partner",
        tag="t",
        calls=[ar.ToolCall(server="odoo", tool="create_partner", args={"name": "x"})],
        summary="Pay \x1b[2J\x1b]0;pwned\x07 now\nAmount: 5.00",
        now=datetime.now(UTC),
        expiry=timedelta(days=7),
    )
    ar.write_new_request(vault, PENDING, ar.sign(request, signing_key), "# body\n")
    (vault.folder("Briefings") / "2026-11-30_\x1b[31mred_Briefing.md").write_text("# b\n")
    from mcp_servers.core.audit_log import AuditLog

    AuditLog(vault).append("x.create_post", actor="mcp:x", error="X said: \x1b]0;pwned\x07\u202e\x9b2J", result={})
    script = ROOT / ".claude/skills/review-approvals/scripts/list_pending.py"
    env = {"PYTHONPATH": str(ROOT), "APPROVAL_SIGNING_KEY": signing_key.decode(), "PATH": "/usr/bin:/bin"}
    for argv in (
        [sys.executable, str(script), "--vault", str(vault.root)],
        [sys.executable, "-m", "orchestrator.cli", "status", "--vault", str(vault.root)],
        [sys.executable, "-m", "orchestrator.cli", "logs", "--vault", str(vault.root)],
        [sys.executable, "-m", "orchestrator.cli", "logs", "--json", "--vault", str(vault.root)],
        [sys.executable, str(script), "--json", "--vault", str(vault.root)],
    ):
        out = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=tmp_path, check=True).stdout
        assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e]", out), (argv, out)
        assert "logs" not in argv or "X said" in out, out
    listed = subprocess.run(
        [sys.executable, str(script), "--vault", str(vault.root)], capture_output=True, text=True, env=env, cwd=tmp_path
    ).stdout
    assert "Pay ⟨U+001B⟩" in listed and not any(line.startswith("Amount") for line in listed.splitlines())
