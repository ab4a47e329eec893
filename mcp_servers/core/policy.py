"""The approval policy (DESIGN §2) as data plus one `decide()`; thresholds come from settings.

Defaults from the product brief: a scheduled social post is auto-approved; an immediate post, reply,
DM or delete needs approval; an Odoo money action below the threshold to a known payee with a
matching past transaction is auto-approved, anything else with money needs approval; whatever the
policy cannot decide (a lookup failed) needs approval.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

SOCIAL_POST = "social_media_post"
MONEY_ACTIONS = frozenset({"invoice", "vendor_bill", "payment"})


@dataclass(frozen=True)
class PolicyFacts:
    """What the policy needs to know about one action; filled by the service's preview."""

    action_type: str
    scheduled: bool = False
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
    auto_approve_max_amount: Decimal = Decimal("100")
    require_recurring: bool = True
    money_actions: frozenset[str] = MONEY_ACTIONS

    def decide(self, facts: PolicyFacts) -> Decision:
        if facts.lookup_failed:
            return Decision(True, "approval required: the policy could not look up what it needs")
        if facts.action_type == SOCIAL_POST:
            if facts.scheduled and self.auto_approve_scheduled_posts:
                return Decision(False, "auto-approved: scheduled social media post")
            return Decision(True, "approval required: immediate social media post")
        if facts.action_type in self.money_actions:
            return self._decide_money(facts)
        return Decision(True, f"approval required: {facts.action_type.replace('_', ' ')}")

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
        auto_approve_max_amount=settings.policy_auto_approve_max_amount,
        require_recurring=settings.policy_require_recurring_for_auto_approve,
    )
