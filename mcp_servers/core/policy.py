"""The approval policy as data plus one `decide()`; thresholds come from settings.

Defaults from the product brief: a social post scheduled at least an hour ahead is auto-approved (the
dashboard lists it and moving it to Rejected/ cancels it); an immediate or short-lead post, a reply, a
DM or a delete needs approval. Whether a call is a reply or a DM is read from its arguments here
(`reply_argument`), for every tool alike, so a new tool cannot forget to say so. An Odoo money action
below the threshold to a known payee with a matching past transaction is auto-approved, anything else
with money needs approval; whatever the policy cannot decide (a lookup failed) needs approval.

Money, as a bookkeeper expects (amounts in company currency): never auto-approve more than is due; the
precedent is an earlier owner-made or owner-approved transaction at least a day old (the service's preview
decides `recurring` so); and what is auto-approved per payee over a rolling 24 h stays within a cap
(`PayeeSpend`, a vault file under a lock shared by every process, because auto-approved requests that have
not run yet are not in the service).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

SOCIAL_POST = "social_media_post"
SOCIAL_REPLY = "social_reply"
MONEY_ACTIONS = frozenset({"invoice", "vendor_bill", "payment"})
REPLY_TYPES = frozenset({SOCIAL_REPLY, "direct_message"})
# Argument names that make a call a reply or a direct message, in any tool of any service.
REPLY_ARGUMENTS = frozenset({"reply_to_id", "comment_id", "conversation_id", "dm_conversation_id", "thread_id"})
REPLY_PREFIXES = ("in_reply_to", "reply_to", "recipient", "dm_", "message_to")
DEFAULT_MIN_LEAD = timedelta(minutes=60)


def reply_argument(args: Mapping[str, Any]) -> str | None:
    """The first argument (at any depth) that makes a call a reply or a DM, if one is set."""
    for name, value in args.items():
        if value in (None, "", [], {}):
            continue
        lowered = name.lower()
        if lowered in REPLY_ARGUMENTS or lowered.startswith(REPLY_PREFIXES):
            return name
        for nested in value if isinstance(value, list) else [value]:
            found = reply_argument(nested) if isinstance(nested, Mapping) else None
            if found:
                return found
    return None


@dataclass(frozen=True)
class PolicyFacts:
    """What the policy needs to know about one action; filled by the service's preview."""

    action_type: str
    scheduled: bool = False
    lead: timedelta | None = None  # how far ahead of filing a scheduled post runs
    reply: str | None = None  # the argument that makes it a reply or DM (or the action type)
    amount: Decimal | None = None
    partner_known: bool | None = None
    recurring: bool | None = None  # an owner-made or owner-approved precedent at least a day old
    lookup_failed: bool = False
    payee: str | None = None  # who receives or owes the money, e.g. "odoo:res.partner:42"
    amount_due: Decimal | None = None  # payments: what is still due (company currency)


@dataclass(frozen=True)
class Decision:
    requires_approval: bool
    reason: str


@dataclass(frozen=True)
class Policy:
    auto_approve_scheduled_posts: bool = True
    scheduled_post_min_lead: timedelta = DEFAULT_MIN_LEAD
    auto_approve_max_amount: Decimal = Decimal("100")
    require_recurring: bool = True
    money_actions: frozenset[str] = MONEY_ACTIONS
    payee_daily_cap: Decimal = Decimal("100")

    def decide(self, facts: PolicyFacts) -> Decision:
        if facts.lookup_failed:
            return Decision(True, "approval required: the policy could not look up what it needs")
        if facts.reply:
            return Decision(True, f"approval required: a reply or direct message ({facts.reply}) needs the owner")
        if facts.action_type == SOCIAL_POST:
            return self._decide_post(facts)
        if facts.action_type in self.money_actions:
            return self._decide_money(facts)
        return Decision(True, f"approval required: {facts.action_type.replace('_', ' ')}")

    def _decide_post(self, facts: PolicyFacts) -> Decision:
        if not facts.scheduled:
            return Decision(True, "approval required: immediate social media post")
        if not self.auto_approve_scheduled_posts:
            return Decision(True, "approval required: POLICY_AUTO_APPROVE_SCHEDULED_POSTS is off")
        minimum = self.scheduled_post_min_lead
        minimum_min = int(minimum.total_seconds() // 60)
        if facts.lead is None or facts.lead < minimum:
            ahead = "an unknown time" if facts.lead is None else f"{int(facts.lead.total_seconds() // 60)} min"
            return Decision(
                True,
                f"approval required: scheduled only {ahead} ahead; scheduled posts are auto-approved only "
                f"{minimum_min} min or more ahead",
            )
        return Decision(False, f"auto-approved: social media post scheduled at least {minimum_min} min ahead")

    def _decide_money(self, facts: PolicyFacts) -> Decision:
        limit = self.auto_approve_max_amount
        if facts.amount is None:
            return Decision(True, "approval required: the amount is unknown")
        if facts.partner_known is not True:
            return Decision(True, "approval required: new payee")
        if facts.amount >= limit:
            return Decision(True, f"approval required: amount {facts.amount} is not below {limit}")
        if facts.amount_due is not None and facts.amount > facts.amount_due:
            return Decision(True, f"approval required: {facts.amount} is more than the {facts.amount_due} due")
        if self.require_recurring and facts.recurring is not True:
            return Decision(True, "approval required: no matching past transaction with this payee")
        return Decision(False, f"auto-approved: recurring amount {facts.amount} below {limit} to a known payee")

    def decide_all(self, facts: list[PolicyFacts], spend: PayeeSpend | None, now: datetime) -> list[Decision]:
        """Decide every call of one request; when all would be auto-approved, reserve their money against each
        payee's rolling daily cap (atomically, across processes) or require approval for all of them."""
        decisions = [self.decide(f) for f in facts]
        money = [f for f in facts if f.action_type in self.money_actions and f.amount is not None]
        if spend is None or not money or any(d.requires_approval for d in decisions):
            return decisions
        amounts: dict[str, Decimal] = {}
        for f in money:
            key = f.payee or "(unknown payee)"
            amounts[key] = amounts.get(key, Decimal(0)) + (f.amount or Decimal(0))
        refusal = spend.reserve(amounts, self.payee_daily_cap, now)
        return decisions if refusal is None else [Decision(True, refusal) for _ in facts]


class PayeeSpend:
    """Money auto-approved per payee over a rolling 24 h: `<vault>/.ai_employee/policy/payee_spend.json`,
    read and written under one file lock, so two servers filing at once cannot both pass the cap."""

    WINDOW = timedelta(days=1)

    def __init__(self, state_dir: Path) -> None:
        self.path = state_dir / "policy" / "payee_spend.json"

    def _load(self, now: datetime) -> list[dict[str, str]]:
        try:
            entries = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            return []
        cutoff = now - self.WINDOW
        return [e for e in entries if isinstance(e, dict) and datetime.fromisoformat(e["at"]) > cutoff]

    def total(self, payee: str, now: datetime) -> Decimal:
        return sum((Decimal(e["amount"]) for e in self._load(now) if e["payee"] == payee), Decimal(0))

    def reserve(self, amounts: dict[str, Decimal], cap: Decimal, now: datetime) -> str | None:
        """Record the amounts if every payee stays within `cap`; else the reason approval is needed."""
        from mcp_servers.core.vault import atomic_write, file_lock

        with file_lock(self.path.with_suffix(".lock")):
            entries = self._load(now)
            for payee, amount in sorted(amounts.items()):
                spent = sum((Decimal(e["amount"]) for e in entries if e["payee"] == payee), Decimal(0))
                if spent + amount > cap:
                    return (
                        f"approval required: {spent} was already auto-approved for this payee in the last 24 h; "
                        f"with {amount} more it would pass the daily cap of {cap}"
                    )
            entries += [{"payee": p, "amount": str(a), "at": now.isoformat()} for p, a in sorted(amounts.items())]
            atomic_write(self.path, json.dumps(entries))
        return None


def policy_from_settings() -> Policy:
    from mcp_servers.core.settings import CoreSettings

    settings = CoreSettings()
    return Policy(
        auto_approve_scheduled_posts=settings.policy_auto_approve_scheduled_posts,
        scheduled_post_min_lead=timedelta(minutes=settings.policy_scheduled_post_min_lead_minutes),
        auto_approve_max_amount=settings.policy_auto_approve_max_amount,
        require_recurring=settings.policy_require_recurring_for_auto_approve,
        payee_daily_cap=settings.policy_payee_daily_cap,
    )
