"""Reply drafts for the conversations that wait, filed as approval requests through each platform's own
reply tool (Facebook/Instagram `reply_to_comment`, X `create_post` with `reply_to_id`) and the one
approval gate: one request per reply, always waiting for the owner (the policy requires approval for
replies). Nothing is sent from here.

`waiting()` is what `/inbox` (Claude, in the business's voice) and the weekly audit start from;
`default_text()` is the audit's deterministic draft when no one wrote one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError

from mcp_servers.core.errors import InvalidInput, NotFound
from mcp_servers.core.vault import APPROVED, PENDING, Vault
from skills.inbox import store
from skills.inbox.model import LABELS, Conversation

REPLY_TOOLS = {"facebook": "reply_to_comment", "instagram": "reply_to_comment", "twitter": "create_post"}
_TROUBLE = re.compile(r"\b(order|arriv|deliver|refund|broken|wrong|late|missing|complain|didn'?t)\w*", re.IGNORECASE)


@dataclass(frozen=True)
class Waiting:
    """One conversation that waits for the business, as /inbox and the audit see it."""

    key: str
    note: str
    platform: str
    author: str
    text: str  # the customer's messages since the business last spoke, oldest first
    post: str
    since: datetime
    drafted: str | None  # the request already filed for it (pending or approved), if any

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "since": self.since.isoformat(), "platform_label": LABELS[self.platform]}


def _open_request(vault: Vault, request_id: str | None) -> str | None:
    from mcp_servers.core import action_request as ar

    path = ar.find_request(vault, request_id, (PENDING, APPROVED)) if request_id else None
    return vault.relative(path) if path else None


def _pending_text(conv: Conversation) -> str:
    since = conv.waiting_since()
    return "\n".join(m.text for m in conv.messages if not m.by_business and since and m.at >= since.isoformat())


def waiting(vault: Vault, now: datetime, older_than: timedelta = timedelta(0)) -> list[Waiting]:
    """Conversations waiting at least `older_than`, oldest first (deleted ones never wait)."""
    state = store.load(vault)
    rows = []
    for conv in state.conversations.values():
        since = conv.waiting_since()
        if since is None or now - since < older_than:
            continue
        drafted = _open_request(vault, state.drafts.get(conv.key))
        rows.append(
            Waiting(
                conv.key,
                conv.note_name,
                conv.platform,
                conv.author,
                _pending_text(conv),
                conv.post_text,
                since,
                drafted,
            )
        )
    return sorted(rows, key=lambda w: w.since)


def default_text(conv: Waiting, signature: str = "The team") -> str:
    """A short, polite reply that promises nothing and discusses no price or complaint in public
    (Company_Handbook.md): trouble goes to a private message, a question gets a thank-you and a pointer."""
    name = conv.author.lstrip("@").split()[0] if conv.platform != "twitter" else conv.author
    if _TROUBLE.search(conv.text):
        body = "sorry for the trouble! We've sent you a private message so we can sort it out."
    elif "?" in conv.text:
        body = "thanks for asking! Send us a message with the details and we'll get back to you today."
    else:
        body = "thank you so much for the kind words, it means a lot to the team!"
    return f"Hi {name}, {body} – {signature}"


def _args(platform: str, target: str, text: str) -> dict[str, str]:
    if platform == "twitter":
        return {"text": text, "reply_to_id": target}
    return {"comment_id": target, "message": text}


def file_reply(
    vault: Vault, key: bytes, conversation: str, text: str, now: datetime, actor: str = "skill:inbox"
) -> Any:
    """File one reply request for `conversation` through the platform's reply tool; the gate's answer."""
    from mcp_servers.core.gate import ApprovalGate
    from mcp_servers.core.policy import policy_from_settings
    from mcp_servers.core.service import load_service

    conv = store.load(vault).conversations.get(conversation)
    if conv is None:
        raise NotFound(f"There is no conversation {conversation!r} in the inbox; run the inbox job first.")
    if conv.deleted:
        raise InvalidInput(f"The comment was deleted on {LABELS[conv.platform]}: there is nothing to reply to.")
    service = load_service(conv.platform)
    settings = service.settings_cls()
    action = service.write_action(REPLY_TOOLS[conv.platform])
    try:
        args = action.args(**_args(conv.platform, conv.reply_target(), text))
    except ValidationError as exc:
        raise InvalidInput("; ".join(str(e["msg"]) for e in exc.errors()[:2]), field="text") from None
    gate = ApprovalGate(
        conv.platform,
        vault,
        key=key,
        policy=policy_from_settings(),
        tag=service.tag,
        mode_label=settings.mode_label,
        clock=lambda: now,
    )
    result = gate.file(action, service.make_client(settings, vault), args)
    with store.updating(vault) as state:
        state.drafts[conversation] = str(result.request_id)
    return result
