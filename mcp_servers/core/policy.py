"""The approval policy (DESIGN §2) as data plus one `decide()`; thresholds come from settings.

Defaults from the product brief: a social post scheduled at least an hour ahead is auto-approved (the
dashboard lists it and moving it to Rejected/ cancels it); an immediate or short-lead post, a reply, a
DM or a delete needs approval. Whether a call is a reply or a DM is read from its arguments here
(`reply_argument`), for every tool alike, so a new tool cannot forget to say so. An Odoo money action
below the threshold to a known payee with a matching past transaction is auto-approved, anything else
with money needs approval; whatever the policy cannot decide (a lookup failed) needs approval.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
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
    recurring: bool | None = None
    lookup_failed: bool = False


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
        if self.require_recurring and facts.recurring is not True:
            return Decision(True, "approval required: no matching past transaction with this payee")
        return Decision(False, f"auto-approved: recurring amount {facts.amount} below {limit} to a known payee")


def policy_from_settings() -> Policy:
    from mcp_servers.core.settings import CoreSettings

    settings = CoreSettings()
    return Policy(
        auto_approve_scheduled_posts=settings.policy_auto_approve_scheduled_posts,
        scheduled_post_min_lead=timedelta(minutes=settings.policy_scheduled_post_min_lead_minutes),
        auto_approve_max_amount=settings.policy_auto_approve_max_amount,
        require_recurring=settings.policy_require_recurring_for_auto_approve,
    )
