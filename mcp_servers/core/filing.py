"""Filing action requests: the policy's decision, the signed file, and the body written for the owner.
Used by every server's write tools (one call) and by `skills/` for multi-service requests."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from mcp_servers.core import action_request as ar
from mcp_servers.core.errors import ServiceError
from mcp_servers.core.models import Preview
from mcp_servers.core.policy import (
    REPLY_TYPES,
    SOCIAL_POST,
    SOCIAL_REPLY,
    PayeeSpend,
    Policy,
    PolicyFacts,
    reply_argument,
)
from mcp_servers.core.untrusted import md_inline
from mcp_servers.core.vault import APPROVED, PENDING, Vault


def policy_facts(action_type: str, preview: Preview, args: Mapping[str, Any], now: datetime) -> PolicyFacts:
    """What the policy decides on, for every call alike: whether it is a reply or a DM comes from its
    arguments and type here, never from the tool's own say."""
    reply = reply_argument(args) or (action_type if action_type in REPLY_TYPES else None)
    return PolicyFacts(
        action_type=action_type,
        scheduled=preview.scheduled_for is not None,
        lead=preview.scheduled_for - now if preview.scheduled_for else None,
        reply=reply,
        amount=preview.amount,
        partner_known=preview.partner_known,
        recurring=preview.recurring,
        lookup_failed=preview.lookup_failed,
        payee=preview.payee,
        amount_due=preview.amount_due,
    )


ACTION_LINE = ar.ACTION_LINE
AUTO_ACTION_LINE = ar.AUTO_ACTION_LINE


def request_body(request: ar.ActionRequest, previews: list[Preview], policy_reason: str) -> str:
    """The human half of a request file: what will happen, per call, and how to approve or cancel. Every
    value that came from the model or a platform is rendered by `core/untrusted.py`; `details` is the
    service's own Markdown, which renders its untrusted parts the same way."""
    when = f"{request.scheduled_for:%Y-%m-%d %H:%M} UTC" if request.scheduled_for else "as soon as approved"
    lines = [
        f"# {request.type.replace('_', ' ').title()} Approval",
        "",
        f"> [!summary] {md_inline(request.summary)}",
        "",
        f"**Services**: {', '.join(request.platforms)} · **Scheduled for**: {when} · "
        f"**Expires**: {request.expires:%Y-%m-%d %H:%M} UTC",
    ]
    if request.amount is not None:
        lines.append(f"**Amount**: {request.amount:,.2f}")
    lines += [f"**Policy**: {md_inline(policy_reason)}", ""]
    for index, (call, preview) in enumerate(zip(request.calls, previews, strict=True), start=1):
        details = preview.details or md_inline(preview.summary)
        lines += [f"## {index}. {call.server} · {call.tool}", "", details, ""]
        lines += [f"> [!warning] {md_inline(warning)}" for warning in preview.warnings]
        if preview.cost:
            lines.append(f"**Cost**: {md_inline(preview.cost)}")
        if preview.rate_limit:
            lines.append(f"**Quota**: {md_inline(preview.rate_limit)}")
        lines.append("")
    lines.append(ar.footer(requires_approval=request.requires_approval, scheduled_for=request.scheduled_for))
    return "\n".join(lines)


def file_request(
    vault: Vault,
    *,
    key: bytes,
    policy: Policy,
    action_type: str,
    tag: str,
    calls: list[tuple[ar.ToolCall, Preview]],
    now: datetime,
    expiry: timedelta,
    summary: str | None = None,
) -> tuple[ar.ActionRequest, str]:
    """Sign and file one request for one or more calls; the policy must auto-approve every call for the
    whole request to skip Pending_Approval/. Returns the request and its path relative to the vault."""
    if action_type == SOCIAL_POST and any(reply_argument(call.args) for call, _ in calls):
        action_type = SOCIAL_REPLY  # a post under another post is a reply: the file says so to the owner
    facts = [policy_facts(action_type, preview, call.args, now) for call, preview in calls]
    decisions = policy.decide_all(facts, PayeeSpend(vault.state_dir), now)
    needing = [d for d in decisions if d.requires_approval]
    decision = needing[0] if needing else decisions[0]
    previews = [preview for _, preview in calls]
    bound = [c.model_copy(update={"expect": p.binding}) if p.binding else c for c, p in calls]
    amounts = [p.amount for p in previews if p.amount is not None]
    scheduled = [p.scheduled_for for p in previews if p.scheduled_for]
    platforms = sorted({platform for p in previews for platform in p.platforms} or {c.server for c, _ in calls})
    for _ in range(5):
        request = ar.build_request(
            type=action_type,
            tag=tag,
            calls=bound,
            summary=summary or previews[0].summary,
            now=now,
            expiry=expiry,
            platforms=platforms,
            scheduled_for=max(scheduled).astimezone(UTC) if scheduled else None,
            requires_approval=decision.requires_approval,
            auto_approve_reason=None if decision.requires_approval else decision.reason,
            amount=float(sum(amounts)) if amounts else None,
        )
        body = request_body(request, previews, decision.reason)
        request = ar.sign(request.model_copy(update={"body_digest": ar.body_digest(body)}), key)
        folder = PENDING if decision.requires_approval else APPROVED
        try:
            path = ar.write_new_request(vault, folder, request, body)
        except FileExistsError:
            continue
        return request, vault.relative(path)
    raise ServiceError("could not create a unique request file name; try again")
