"""Issue 16 end to end in the sandbox, with real processes: the inbox job, the weekly audit (files
reminders and replies), the owner's move to Approved/, `ai-employee run` executing them through the MCP
servers, and every write read back where it landed (Odoo's chatter, the Page, Instagram, X)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from mcp_servers.core import action_request as ar
from mcp_servers.core.vault import DONE, PENDING, Vault
from tests.orchestrator import procs
from tests.orchestrator.conftest import ROOT

pytestmark = pytest.mark.slow
SERVERS = "odoo,facebook,instagram,twitter"


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _sandbox(vault: Vault, name: str) -> Any:
    return json.loads((vault.state_dir / "sandbox" / f"{name}.json").read_text())


def _read_back(vault: Vault, call: ar.ToolCall, request_id: str) -> None:
    """The write is where the platform keeps it."""
    if call.tool == "send_payment_reminder":
        messages = _sandbox(vault, "odoo")["models"]["mail.message"].values()
        [msg] = [m for m in messages if request_id in m["body"]]
        assert msg["model"] == "account.move" and msg["res_id"] == call.args["invoice_id"]
        assert msg["message_type"] == "comment" and msg["subtype_id"] == 1 and msg["partner_ids"]
    elif call.server == "twitter":
        posts = _sandbox(vault, "twitter")["posts"]
        assert [p for p in posts if p.get("in_reply_to") == call.args["reply_to_id"] and p["text"] == call.args["text"]]
    else:
        items = _sandbox(vault, call.server)["posts" if call.server == "facebook" else "media"]
        comment = next(c for p in items for c in p["comments"] if c["id"] == call.args["comment_id"])
        assert any(r.get("message", r.get("text")) == call.args["message"] for r in comment["replies"])


def test_audit_files_work_the_owner_approves_and_it_lands(tmp_path: Path) -> None:
    vault = Vault(tmp_path / "vault")
    vault.ensure_layout()
    env = procs.cli_env(tmp_path, vault, SERVERS, AUDIT_MAX_DRAFTS_PER_WEEK="8", TIMEZONE="UTC")
    summary = json.loads(_cli(env, "-m", "skills.inbox", "--vault", str(vault.root), "run"))
    assert not summary["unavailable"] and summary["waiting"] > 0
    _cli(env, "-m", "orchestrator.cli", "audit", "--vault", str(vault.root))
    filed = sorted(p for p in vault.folder(PENDING).glob("*.md") if p.name != "README.md")
    briefing = next(vault.folder("Briefings").glob("*_Monday_Briefing.md")).read_text()
    assert "## Customers waiting" in briefing
    for path in filed:
        assert f"[[{path.stem}]] (approve: move to Approved/)" in briefing
    calls = [ar.read_request_file(vault, p).request.calls[0] for p in filed]
    assert 0 < len(calls) <= 8
    assert "send_payment_reminder" in {c.tool for c in calls}
    assert {c.server for c in calls if c.tool != "send_payment_reminder"}, "no reply drafted"
    print("filed by the audit:", sorted((c.server, c.tool) for c in calls))
    waiting = json.loads(_cli(env, "-m", "skills.inbox", "--vault", str(vault.root), "list", "--json"))
    for platform in ("instagram", "facebook", "twitter"):  # /inbox's own path: one reply per platform
        todo = next(w for w in waiting if w["platform"] == platform and not w["drafted"])
        _cli(
            env, "-m", "skills.inbox", "--vault", str(vault.root), "reply", todo["key"], "--text", f"Thanks {platform}!"
        )
    filed = sorted(p for p in vault.folder(PENDING).glob("*.md") if p.name != "README.md")
    assert len(filed) == len(calls) + 3

    proc = procs.start(vault, env, tmp_path / "run.log")
    try:
        procs.wait_for(lambda: procs.servers_up(vault, proc), timeout=120, what="servers up")
        for path in filed:
            shutil.move(path, vault.folder("Approved") / path.name)  # the owner's move
        names = {p.name for p in filed}
        procs.wait_for(lambda: names <= {p.name for p in vault.folder(DONE).glob("*.md")}, timeout=180, what="Done/")
    finally:
        assert procs.stop(proc) == 0
    for name in names:
        done = (vault.folder(DONE) / name).read_text()
        data = yaml.safe_load(done.split("---\n")[1])
        assert data["status"] == "succeeded", done
        request = ar.read_request_file(vault, vault.folder(DONE) / name).request
        _read_back(vault, request.calls[0], request.id)
    after = json.loads(_cli(env, "-m", "skills.inbox", "--vault", str(vault.root), "run"))
    assert after["waiting"] < summary["waiting"]  # the replies are seen as answers
