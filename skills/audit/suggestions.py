"""Proactive suggestions: plain rules over the week's facts, each a task the owner can tick off, ranked:
money at stake first (largest first), then customers waiting (longest first), then the rest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from skills.audit.facts import Goals, LogFacts, OdooFacts, PlatformFacts, Unavailable, VaultFacts
from skills.audit.figures import Figures
from skills.audit.fmt import day, money, percent, plain_link, plural
from skills.audit.period import Week

OVERDUE_REMINDER_DAYS = 30
QUIET_DAYS = 7
TOKEN_WARNING_DAYS = 14
MAX_REMINDERS = 5


@dataclass(frozen=True)
class Suggestion:
    text: str
    money: float = 0.0  # the amount at stake
    waiting_hours: float = 0.0  # how long a customer has waited
    reminder_for: int | None = None  # an invoice id the audit may file a payment reminder for
    reply_to: str | None = None  # an inbox conversation the audit may file a reply for
    link: str | None = None  # the request filed for it

    @property
    def rank(self) -> tuple[int, float]:
        if self.money:
            return (0, -self.money)
        return (1, -self.waiting_hours) if self.waiting_hours else (2, 0.0)


def _books(odoo: OdooFacts, goals: Goals, fig: Figures) -> list[Suggestion]:
    cur, out = goals.currency, []
    as_of = odoo.receivables.as_of
    for inv in odoo.receivables.oldest[:MAX_REMINDERS]:
        late = (as_of - inv.due).days if inv.due else 0
        if late > OVERDUE_REMINDER_DAYS:
            owed = f"{money(inv.residual, cur)}, {late} days overdue"
            text = f"Send a payment reminder to {inv.partner} for {inv.number} ({owed})."
            out.append(Suggestion(text, inv.residual, reminder_for=inv.id))
    if fig.revenue_mtd is not None and fig.month_pace and fig.revenue_mtd < fig.month_pace:
        gap = fig.month_pace - fig.revenue_mtd
        text = (
            f"Revenue is behind the monthly target pace: {money(fig.revenue_mtd, cur)} so far in "
            f"{odoo.month_label} against {money(fig.month_pace, cur)} expected by now ({money(gap, cur)} short)."
        )
        out.append(Suggestion(text, gap))
    limit = goals.max_overdue_receivables
    if limit is not None and odoo.receivables.overdue_amount > limit:
        text = (
            f"Overdue receivables ({money(odoo.receivables.overdue_amount, cur)}) are above the "
            f"{money(limit, cur)} limit in Business_Goals.md: review collections with the top debtors."
        )
        out.append(Suggestion(text, odoo.receivables.overdue_amount - limit))
    for bill in odoo.bills_due:
        when = f"due {day(bill.due)}" if bill.due and bill.due >= as_of else "overdue"
        out.append(
            Suggestion(f"Pay {bill.partner} bill {bill.number} ({money(bill.residual, cur)}, {when}).", bill.residual)
        )
    return out


def _social(social: dict[str, PlatformFacts | Unavailable], goals: Goals, week: Week, now: datetime) -> list[str]:
    out = []
    platforms = [p for p in social.values() if isinstance(p, PlatformFacts)]
    end = min(week.end_utc, now)
    for p in platforms:
        if p.last_post is None or end - p.last_post >= timedelta(days=QUIET_DAYS):
            since = f"since {day(week.local_day(p.last_post))}" if p.last_post else "in the posts we can see"
            out.append(f"Nothing posted on {p.platform} {since}: draft a post for approval.")
        if p.token_expires and p.token_expires - now <= timedelta(days=TOKEN_WARNING_DAYS):
            out.append(
                f"The {p.platform} access token expires on {day(week.local_day(p.token_expires))}: renew it "
                "before then or posting stops."
            )
    total = sum(len(p.posts) for p in platforms)
    if platforms and goals.min_posts_per_week is not None and total < goals.min_posts_per_week:
        out.append(
            f"{plural(total, 'post')} this week against a goal of {goals.min_posts_per_week}: "
            "plan the missing ones as scheduled posts."
        )
    return out


def _operations(vault: VaultFacts, logs: LogFacts, goals: Goals, fig: Figures) -> list[str]:
    out = []
    if fig.pending_late:
        out.append(
            f"Decide on the {plural(fig.pending_late, 'approval')} waiting more than "
            f"{goals.max_approval_wait_hours:g} h (see Bottlenecks)."
        )
    for item in vault.finished:
        if item.status == "ambiguous":
            out.append(f"Check whether {plain_link(item.link, item.summary)} happened, then settle it by hand.")
    if fig.error_rate is not None and goals.max_error_rate is not None and fig.error_rate > goals.max_error_rate:
        out.append(
            f"The error rate ({percent(100 * fig.error_rate)}) is above the "
            f"{percent(100 * goals.max_error_rate)} threshold: look at the failing actions in Logs/."
        )
    return out


def suggest(
    week: Week,
    now: datetime,
    goals: Goals,
    vault: VaultFacts,
    logs: LogFacts,
    odoo: OdooFacts | Unavailable,
    social: dict[str, PlatformFacts | Unavailable],
    fig: Figures,
) -> list[Suggestion]:
    books = _books(odoo, goals, fig) if isinstance(odoo, OdooFacts) else []
    rest = [Suggestion(t) for t in _social(social, goals, week, now) + _operations(vault, logs, goals, fig)]
    return books + rest
