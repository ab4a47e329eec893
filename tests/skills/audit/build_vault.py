"""The fixture vault: request files in every state, tasks, plans and two weeks of log lines.

Everything is written from the tables below, which the tests also use for their own independent
computation of every number the briefing shows."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

from mcp_servers.core import action_request as ar
from mcp_servers.core.vault import Vault

TEMPLATE = Path(__file__).resolve().parents[3] / "vault_template"
KEY = b"fixture-signing-key-" + b"0" * 32

# (folder, created (UTC), type, short id, summary, state fields, scheduled_for)
REQUESTS: list[tuple[str, str, str, str, str, dict[str, Any], str | None]] = [
    (
        "Done",
        "2025-12-20T09:00:00Z",
        "invoice",
        "aaaa0005",
        "Invoice Acme for December",
        {"status": "succeeded", "executed_at": "2025-12-21T10:00:00Z"},
        None,
    ),
    (
        "Done",
        "2025-12-30T09:00:00Z",
        "social_media_post",
        "aaaa0004",
        "Post: New year workshop series",
        {"status": "succeeded", "executed_at": "2026-01-05T13:00:00Z"},
        "2026-01-05T13:00:00Z",
    ),
    (
        "Done",
        "2026-01-06T09:00:00Z",
        "social_media_post",
        "aaaa0001",
        "Post: Q1 workshop dates",
        {"status": "succeeded", "executed_at": "2026-01-06T15:00:00Z"},
        None,
    ),
    (
        "Done",
        "2026-01-05T12:00:00Z",
        "invoice",
        "aaaa0002",
        "Invoice Initech: 2,400 consulting",
        {"status": "failed", "executed_at": "2026-01-07T12:00:00Z"},
        None,
    ),
    (
        "Done",
        "2026-01-07T10:00:00Z",
        "payment",
        "aaaa0003",
        "Pay Office Supplies Co [bill] 320",
        {"status": "ambiguous", "executed_at": "2026-01-08T10:00:00Z"},
        None,
    ),
    (
        "Done",
        "2026-01-09T16:00:00Z",
        "social_media_post",
        "aaaa0009",
        "Post: Initech case study",
        {"status": "partial", "executed_at": "2026-01-09T17:30:00Z"},
        None,
    ),
    (
        "Done",
        "2026-01-27T09:00:00Z",
        "invoice",
        "aaaa0010",
        "Invoice Hooli",
        {"status": "succeeded", "executed_at": "2026-01-27T11:00:00Z"},
        None,
    ),
    (
        "Rejected",
        "2026-01-08T07:00:00Z",
        "payment",
        "aaaa0006",
        "Pay Unknown Vendor 2,000",
        {
            "status": "rejected",
            "rejected_at": "2026-01-09T08:00:00Z",
            "rejected_reason": "moved to Rejected/ by the owner",
        },
        None,
    ),
    (
        "Pending_Approval",
        "2026-01-08T09:00:00Z",
        "social_media_post",
        "aaaa0007",
        "Post: Year in review thread",
        {},
        None,
    ),
    ("Pending_Approval", "2026-01-11T20:00:00Z", "invoice", "aaaa0008", "Invoice Globex: retainer", {}, None),
    ("Approved", "2026-01-11T21:00:00Z", "payment", "aaaa0011", "Pay Cloud Host 99", {}, None),
]

# (folder, file name, text)
NOTES = [
    ("Done", "EMAIL_acme_2026-01-07.md", "---\ntype: email\n---\n# Reply to Acme\nDone.\n"),
    ("Done", "EMAIL_old_2025-11-02.md", "---\ntype: email\n---\n# Old thread\n"),
    ("Done", "FILE_contract_2026-01-10.md", "# Filed the Initech contract\n"),
    ("Needs_Action", "EMAIL_client_2026-01-10.md", "---\ntype: email\n---\n# Client asks for a quote\n"),
    ("Needs_Action", "AMBIGUOUS_payment_aaaa0003.md", "# Did the payment go through?\n"),
    (
        "Plans",
        "PLAN_q1_launch.md",
        "---\nstatus: in_progress\n---\n# Q1 launch\n- [x] Dates\n- [x] Post\n- [ ] Email top 10\n- [ ] Follow up\n",
    ),
    ("Plans", "PLAN_website.md", "# Website refresh\n- [x] Copy\n- [X] Images\n- [x] Publish\n"),
]

# (UTC time, action, result status or None, approval_status, error, server for restarts)
LOG: list[tuple[str, str, str | None, str | None, str | None, str | None]] = [
    ("2026-01-05T03:00:00Z", "facebook.create_post", "filed", "pending", None, None),  # before the week (NY)
    ("2026-01-05T13:00:00Z", "twitter.create_post", "succeeded", "approved", None, None),
    ("2026-01-06T09:00:00Z", "facebook.create_post", "filed", "pending", None, None),
    ("2026-01-06T15:00:00Z", "facebook.create_post", "succeeded", "approved", None, None),
    ("2026-01-06T16:00:00Z", "gmail.send_email", None, None, None, None),
    ("2026-01-07T12:00:00Z", "odoo.create_invoice", "failed", "approved", "Odoo refused: partner has no email", None),
    ("2026-01-07T13:00:00Z", "email.triage", None, None, None, None),
    ("2026-01-08T10:00:00Z", "odoo.register_payment", "ambiguous", "approved", "no answer within 30 s", None),
    ("2026-01-08T11:00:00Z", "supervisor.restart", None, None, None, "odoo"),
    ("2026-01-09T08:00:00Z", "facebook.create_post", "refused", "refused", "the request has expired", None),
    ("2026-01-09T17:30:00Z", "facebook.create_post", "succeeded", "approved", None, None),
    ("2026-01-10T09:00:00Z", "gmail.send_email", None, None, None, None),
    ("2026-01-11T20:00:00Z", "odoo.create_invoice", "filed", "pending", None, None),
    ("2026-01-12T02:00:00Z", "odoo.create_invoice", "filed", "pending", None, None),  # Sunday evening in NY
    ("2026-01-12T04:00:00Z", "twitter.create_post", "filed", "pending", None, None),  # after `now`
    ("2026-01-13T10:00:00Z", "twitter.create_post", "succeeded", "approved", None, None),  # next week
    ("2026-01-27T11:00:00Z", "odoo.create_invoice", "succeeded", "approved", None, None),
    ("2026-01-28T09:00:00Z", "supervisor.restart", None, None, None, "facebook"),
]


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _request(created: str, kind: str, short: str, summary: str, scheduled: str | None) -> ar.ActionRequest:
    moment = _when(created)
    server = {"invoice": "odoo", "payment": "odoo"}.get(kind, "facebook")
    return ar.ActionRequest(
        type=kind,
        id=f"{moment:%Y%m%d-%H%M%S}-fx-{short}",
        platforms=[server],
        summary=summary,
        timestamp=moment,
        expires=_when(scheduled or created).replace(day=1, month=2 if moment.month < 12 else 1, year=2026),
        scheduled_for=_when(scheduled) if scheduled else None,
        requires_approval=scheduled is None,
        auto_approve_reason="scheduled post" if scheduled else None,
        amount=320.0 if kind == "payment" else None,
        calls=[ar.ToolCall(server=server, tool="do", args={"n": short})],
    )


def write_log_line(
    root: Path, when: str, action: str, status: str | None, approval: str | None, error: str | None, server: str | None
) -> None:
    entry = {
        "timestamp": when,
        "action": action,
        "actor": "fixture",
        "parameters": {"server": server} if server else {},
        "result": {"status": status} if status else None,
        "approval_status": approval,
        "duration_ms": 12.5,
        "error": error,
    }
    path = root / "Logs" / f"{when[:10]}.json"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry) + "\n")


def build(root: Path, *, empty: bool = False) -> Vault:
    shutil.copytree(TEMPLATE, root)
    vault = Vault(root)
    vault.ensure_layout()
    if empty:
        return vault
    for folder, created, kind, short, summary, state, scheduled in REQUESTS:
        request = ar.sign(_request(created, kind, short, summary, scheduled), KEY)
        (root / folder / request.file_name).write_text(ar.render(request, "# Request\nBody.", state), "utf-8")
    for folder, name, text in NOTES:
        (root / folder / name).write_text(text, "utf-8")
    for line in LOG:
        write_log_line(root, *line)
    with (root / "Logs" / "2026-01-07.json").open("a", encoding="utf-8") as handle:
        handle.write('{"timestamp": "2026-01-07T14:00:00Z", "action": "broken\n')  # a damaged line is skipped
    write_inbox(vault)
    return vault


def write_inbox(vault: Vault) -> None:
    """The social inbox as its job left it: two customers waiting (one for more than a day), one answered."""
    from skills.inbox.model import Conversation, Message
    from skills.inbox.store import InboxState, updating

    rows = [
        ("facebook:900_801", "facebook", "Grace Holloway", [
            ("900_801", "My order #4417 hasn't arrived | yet %% [[Pending_Approval]]",
             "2026-01-09T10:00:00+00:00", False)]),
        ("twitter:1700", "twitter", "@dmbeki", [
            ("1700", "@harborlane open on Sundays?", "2026-01-11T20:00:00+00:00", False)]),
        ("instagram:1790", "instagram", "maya.c", [
            ("1790", "Love it", "2026-01-08T09:00:00+00:00", False),
            ("1791", "Thank you!", "2026-01-08T11:00:00+00:00", True)]),
    ]  # fmt: skip
    with updating(vault) as state:
        assert isinstance(state, InboxState)
        for key, platform, author, messages in rows:
            conv = Conversation(key, platform, author, "p1", "A post", "https://x.example/p", "https://x.example/c")
            conv.merge([Message(i, author if not mine else "you", t, at, mine) for i, t, at, mine in messages])
            state.conversations[key] = conv
