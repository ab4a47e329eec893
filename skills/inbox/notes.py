"""One note per conversation in `Inbox/`, rewritten in place on every run. Everything that came from a
platform (names, comments, post text) goes through the untrusted-text renderer: a comment cannot
forge a line of the note, hide the rest of it (`%%`, `<!--`), or turn into a link."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import yaml

from mcp_servers.core.untrusted import md_block, md_inline
from mcp_servers.core.vault import Vault
from skills.inbox.model import LABELS, Conversation

_SAFE_URL = re.compile(r"https://[A-Za-z0-9.\-]+/[A-Za-z0-9._~/%?=&\-]*")


def _age(delta_s: float) -> str:
    hours = int(delta_s // 3600)
    return f"{hours // 24} days" if hours >= 48 else f"{hours} hours" if hours >= 2 else "less than 2 hours"


def _stamp(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _link(url: str) -> str:
    return f"<{url}>" if _SAFE_URL.fullmatch(url) else md_inline(url)


def status_line(conv: Conversation, now: datetime) -> str:
    if conv.deleted:
        return f"> [!note] Deleted on {LABELS[conv.platform]}: the comment is gone, there is nothing to answer."
    since = conv.waiting_since()
    if since is None:
        return f"> [!success] Answered on {_stamp(conv.messages[-1].at)}."
    return f"> [!warning] Waiting for a reply for {_age((now - since).total_seconds())}."


def render(conv: Conversation, now: datetime) -> str:
    since = conv.waiting_since()
    front = {
        "type": "social_conversation",
        "platform": conv.platform,
        "conversation": conv.key,
        "reply_to_id": conv.reply_target(),
        "status": "deleted" if conv.deleted else "waiting" if since else "answered",
        "waiting_since": since.isoformat() if since else None,
        "business_replied": conv.replied_before,
    }
    replied = [m for m in conv.messages if m.by_business]
    rows = [
        ("Platform", LABELS[conv.platform]),
        ("From", md_inline(conv.author, 80)),
        ("On the post", md_inline(conv.post_text, 120) if conv.post_text else _link(conv.post_link)),
        ("Link", _link(conv.link)),
        ("Business replied", f"yes, last on {_stamp(replied[-1].at)}" if replied else "no"),
    ]
    lines = [f"---\n{yaml.safe_dump(front, sort_keys=False, allow_unicode=True)}---"]
    lines += [f"# {LABELS[conv.platform]}: {md_inline(conv.author, 80)}", "", status_line(conv, now), ""]
    lines += ["| | |", "|---|---|", *(f"| {k} | {v} |" for k, v in rows), "", "## Conversation", ""]
    for m in conv.messages:
        who = "**You**" if m.by_business else f"**{md_inline(m.author, 80)}**"
        lines += [f"{who} · {_stamp(m.at)}", md_block(m.text), ""]
    lines.append("Reply drafts: run `/inbox` in Claude Code; each reply waits for your approval in Pending_Approval/.")
    return "\n".join(lines) + "\n"


def write_notes(vault: Vault, conversations: list[Conversation], now: datetime) -> list[Path]:
    """Write (or rewrite) each conversation's note; unchanged notes are left alone."""
    written = []
    for conv in conversations:
        path = vault.folder("Inbox") / f"{conv.note_name}.md"
        text = render(conv, now)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            vault.atomic_write(path, text)
            written.append(path)
    return written
