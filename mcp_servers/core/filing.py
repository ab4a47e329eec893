"""Filing action requests: the policy's decision, the signed file, and the body written for the owner.
Used by every server's write tools (one call) and by `skills/` for multi-service requests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mcp_servers.core import action_request as ar
from mcp_servers.core.errors import ServiceError
from mcp_servers.core.models import Preview
from mcp_servers.core.policy import PayeeSpend, Policy, PolicyFacts
from mcp_servers.core.vault import APPROVED, PENDING, Vault


def policy_facts(action_type: str, preview: Preview) -> PolicyFacts:
    return PolicyFacts(
        action_type=action_type,
        scheduled=preview.scheduled_for is not None,
        amount=preview.amount,
        partner_known=preview.partner_known,
        recurring=preview.recurring,
        lookup_failed=preview.lookup_failed,
        payee=preview.payee,
        amount_due=preview.amount_due,
    )


ACTION_LINE = ar.ACTION_LINE


def request_body(request: ar.ActionRequest, previews: list[Preview], policy_reason: str) -> str:
    """The human half of a request file: what will happen, per call, and how to approve or cancel."""
    when = f"{request.scheduled_for:%Y-%m-%d %H:%M} UTC" if request.scheduled_for else "as soon as approved"
    lines = [
        f"# {request.type.replace('_', ' ').title()} Approval",
        "",
        f"> [!summary] {request.summary}",
        "",
        f"**Services**: {', '.join(request.platforms)} · **Scheduled for**: {when} · "
        f"**Expires**: {request.expires:%Y-%m-%d %H:%M} UTC",
    ]
    if request.amount is not None:
        lines.append(f"**Amount**: {request.amount:,.2f}")
    lines += [f"**Policy**: {policy_reason}", ""]
    for index, (call, preview) in enumerate(zip(request.calls, previews, strict=True), start=1):
        lines += [f"## {index}. {call.server} · {call.tool}", "", preview.details or preview.summary, ""]
        lines += [f"> [!warning] {warning}" for warning in preview.warnings]
        if preview.cost:
            lines.append(f"**Cost**: {preview.cost}")
        if preview.rate_limit:
            lines.append(f"**Quota**: {preview.rate_limit}")
        lines.append("")
    lines += [
        "---",
        ACTION_LINE,
    ]
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
    facts = [policy_facts(action_type, preview) for _, preview in calls]
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
