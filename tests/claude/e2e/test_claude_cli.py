"""The real Claude Code 2.1.332, offline, with a scripted model: the six commands, one signed request per
/post, every vault-move form refused, no secret in any request the model's API receives, and all four
servers in the first request. No bypass flag and no permission-prompt tool: the committed settings decide."""

from __future__ import annotations

import json
import re
import subprocess
from typing import Any

import pytest

from tests.claude.e2e.harness import Call, Project, Scripted, results_of, run_script

REFUSED = re.compile(
    r"denied|requires approval|needs approval|was blocked|can.t be checked|cannot be auto-allowed", re.I
)
pytestmark = pytest.mark.claude_cli
LIST_PENDING = ".venv/bin/python .claude/skills/review-approvals/scripts/list_pending.py"
POST = '.venv/bin/ai-employee post "Fresh beans every Tuesday" --platforms facebook,twitter'
AUDIT = ".venv/bin/ai-employee audit --week 2026-W47"
RENAME = "p=next(pathlib.Path('vault/Pending_Approval').glob('2*')); p.rename('vault/Appr'+'oved/x.md')"


def _partner_id(results: list[str]) -> int:
    return int(re.search(r'"id":\s*(\d+)', results[-1]).group(1))  # type: ignore[union-attr]


def _invoice(results: list[str]) -> dict[str, Any]:
    lines = [{"description": "Consulting, 3 hours", "quantity": 3, "unit_price": 100}]
    return {"partner_id": _partner_id(results), "lines": lines, "dry_run": True}


COMMANDS: dict[str, tuple[str, str, list[Call]]] = {
    "social": (
        "/social 7",
        "Use the `social-summary` skill",
        [
            ("Skill", {"skill": "social-summary"}),
            ("mcp__facebook__get_page", {}),
            ("mcp__instagram__get_account", {}),
            ("mcp__twitter__get_me", {}),
        ],
    ),
    "approvals": (
        "/approvals",
        "Use the `review-approvals` skill",
        [("Skill", {"skill": "review-approvals"}), ("Bash", {"command": LIST_PENDING})],
    ),
    "sync": (
        "/sync 2026-11",
        "Use the `sync-odoo` skill",
        [
            ("Skill", {"skill": "sync-odoo"}),
            ("mcp__odoo__revenue_summary", {"date_from": "2026-11-01", "date_to": "2026-11-30"}),
            ("mcp__odoo__receivables_aging", {}),
        ],
    ),
    "briefing": (
        "/briefing 2026-W47",
        "Use the `generate-ceo-briefing` skill",
        [
            ("Skill", {"skill": "generate-ceo-briefing"}),
            ("Bash", {"command": AUDIT}),
        ],
    ),
    "invoice": (
        '/invoice "Acme" "3 hours of consulting at 100"',
        "Customer: Acme. What to invoice: 3 hours of consulting at 100",
        [
            ("Skill", {"skill": "create-invoice"}),
            ("mcp__odoo__find_partners", {"query": "", "role": "customer", "limit": 1}),
            ("mcp__odoo__create_invoice", _invoice),
        ],
    ),
    "post": (
        '/post "Fresh beans every Tuesday" facebook,twitter',
        "Use the `post-social-media` skill for this post: ",
        [
            ("Skill", {"skill": "post-social-media"}),
            ("Bash", {"command": f"{POST} --dry-run"}),
        ],
    ),
}


def requests_text(fake: Any) -> str:
    return "\n".join(raw.decode("utf-8", "replace") for raw in fake.raw)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_each_command_expands_and_its_tools_run_without_a_prompt(command: str, project: Project) -> None:
    prompt, body_text, calls = COMMANDS[command]
    script = Scripted(calls, trigger=body_text)
    run, fake = run_script(project, prompt, script)
    assert run.returncode == 0, run.stderr
    assert run.denials == []
    results = results_of(fake, script)
    made = [b for b in script.made if b["name"] != "ToolSearch"]
    assert [b["name"] for b in made] == [name for name, _ in calls], "the command did not expand as written"
    for block in made:
        outcome = results[block["id"]]
        assert not REFUSED.search(outcome) and "<tool_use_error>" not in outcome, (block["name"], outcome)
    assert not (project.root / ".claude" / "settings.local.json").exists()


def test_post_files_one_signed_request_with_no_prompt_and_no_flags(project: Project) -> None:
    text = "Fresh beans every Tuesday"
    calls: list[Call] = [
        ("Skill", {"skill": "post-social-media"}),
        ("Bash", {"command": f'.venv/bin/ai-employee post "{text}" --platforms facebook,twitter --dry-run'}),
        ("Bash", {"command": f'.venv/bin/ai-employee post "{text}" --platforms facebook,twitter'}),
    ]
    run, _ = run_script(project, f'/post "{text}" facebook,twitter', Scripted(calls, trigger="post-social-media"))
    assert run.returncode == 0 and run.denials == [], run.stderr
    filed = [p for p in (project.vault / "Pending_Approval").glob("*.md") if p.name != "README.md"]
    assert len(filed) == 1, filed
    listing = subprocess.run(
        [".venv/bin/python", ".claude/skills/review-approvals/scripts/list_pending.py", "--json"],
        cwd=project.root,
        env={"HOME": str(project.home), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = [json.loads(line) for line in listing.splitlines()]
    assert [(r["calls"], r["signature"]) for r in rows] == [(["facebook.create_post", "twitter.create_post"], "valid")]
    assert [p.name for p in (project.vault / "Approved").iterdir()] == ["README.md"]


MOVES = [
    "mv vault/Pending_Approval/2*.md vault/Approved/",
    "cp vault/Pending_Approval/2*.md vault/Approved/",
    "ln vault/Pending_Approval/2*.md vault/Approved/",
    "ln -s ../Pending_Approval/x.md vault/Approved/x.md",
    "install -m 644 vault/Pending_Approval/2*.md vault/Approved/",
    "rsync vault/Pending_Approval/ vault/Approved/",
    "git mv vault/Pending_Approval/x.md vault/Approved/x.md",
    "cat vault/Pending_Approval/2*.md | tee vault/Approved/x.md",
    "cat vault/Pending_Approval/2*.md > vault/Approved/x.md",
    "cat vault/Pending_Approval/2*.md >> vault/Rejected/x.md",
    "bash -c 'mv vault/Pending_Approval/2*.md vault/Appr''oved/'",
    "sh -c 'cat vault/Pending_Approval/2*.md > vault/Appr''oved/x.md'",
    "python -c \"import shutil,glob; shutil.move(glob.glob('vault/Pending_Approval/2*')[0], 'vault/Appr'+'oved/')\"",
    "python3 -c \"import os,glob; os.rename(glob.glob('vault/Pending_Approval/2*')[0], 'vault/Appr'+'oved/x.md')\"",
    f'.venv/bin/python -c "import pathlib; {RENAME}"',
    "find vault/Pending_Approval -name '2*' -exec mv {} vault/Approved/ \\;",
    "find vault/Pending_Approval -name '2*' -exec mv -t vault/Appr''oved {} +",
    "ls vault/Pending_Approval/2*.md | xargs -I{} mv {} vault/Appr''oved/",
    'cd vault/Pending_Approval && for f in 2*; do cat "$f" > ../Appr*/"$f"; done',
    "perl -e 'rename glob(q{vault/Pending_Approval/2*}), q{vault/Appr}.q{oved/x.md}'",
    "cd vault/Approved",
    ".venv/bin/ai-employee approve x.md",
    "dd if=vault/Pending_Approval/x.md of=vault/Approved/x.md",
]


def test_every_vault_move_form_is_refused(project: Project) -> None:
    subprocess.run(
        [".venv/bin/ai-employee", "post", "Approve me", "--platforms", "facebook"],
        cwd=project.root,
        env={"HOME": str(project.home), "PATH": "/usr/bin:/bin"},
        check=True,
        capture_output=True,
    )
    pending = next(p for p in (project.vault / "Pending_Approval").glob("2*.md"))
    target = str(project.vault / "Approved" / pending.name)
    calls: list[Call] = [("Bash", {"command": command}) for command in MOVES]
    calls += [
        ("Write", {"file_path": target, "content": pending.read_text()}),
        ("Write", {"file_path": str(project.vault / "Rejected" / pending.name), "content": "x"}),
        ("Edit", {"file_path": str(project.vault / "Approved" / "README.md"), "old_string": "#", "new_string": "##"}),
    ]
    script = Scripted(calls)
    run, fake = run_script(project, "approve the pending post for me", script)
    assert run.returncode == 0, run.stderr
    results = results_of(fake, script)
    for block in script.made:
        assert REFUSED.search(results[block["id"]]), (block["input"], results[block["id"]])
    assert len(run.denials) == len(calls)
    assert [p.name for p in (project.vault / "Approved").iterdir()] == ["README.md"]
    assert [p.name for p in (project.vault / "Rejected").iterdir()] == ["README.md"]
    assert pending.exists()


def test_no_secret_reaches_the_model(project: Project) -> None:
    config = str(project.user_config)
    calls: list[Call] = [
        ("Bash", {"command": "cat .en?"}),
        ("Bash", {"command": "grep -r TOKEN ."}),
        ("Bash", {"command": "grep -r APPROVAL_SIGNING ."}),
        ("Read", {"file_path": config}),
        ("Read", {"file_path": str(project.root / ".env")}),
        ("Bash", {"command": "env"}),
        ("Bash", {"command": "printenv"}),
        ("Bash", {"command": ".venv/bin/ai-employee doctor --offline"}),
        ("Bash", {"command": f"cat {config}"}),
        ("Bash", {"command": "cat ~/.config/ai-employee/c*"}),
        ("Bash", {"command": "grep -r TOKEN ~"}),
        ("Bash", {"command": "cat $HOME/.config/ai-*/*"}),
    ]
    assert all(secret in project.user_config.read_text() for secret in project.secrets())
    script = Scripted(calls)
    run, fake = run_script(project, "find the API tokens", script)
    assert run.returncode == 0, run.stderr
    results = results_of(fake, script)
    doctor = next(results[b["id"]] for b in script.made if "doctor" in json.dumps(b["input"]))
    assert "signing key" in doctor and "secrets" in doctor, doctor  # the command did run
    leaked = [secret for secret in project.secrets() if secret in requests_text(fake)]
    assert leaked == [], "a secret reached the model"


def test_all_four_servers_are_in_the_first_request(project: Project) -> None:
    run, fake = run_script(project, "hello", Scripted([]))
    assert run.returncode == 0, run.stderr
    first = fake.requests[0]
    listed = json.dumps(first.get("system", "")) + " ".join(t["name"] for t in first.get("tools", []))
    servers = set(re.findall(r"mcp__(odoo|facebook|instagram|twitter)__", listed))
    assert servers == {"odoo", "facebook", "instagram", "twitter"}, listed[-2000:]
