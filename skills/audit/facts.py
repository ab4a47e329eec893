"""What the audit gathers: plain frozen records, one per fact, shared by the gatherers and the note."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class Unavailable:
    """A source that could not be read; `reason` is shown to the owner as is."""

    reason: str


# --- vault -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestItem:
    """An action request file (Pending_Approval/, Done/ or Rejected/)."""

    link: str  # vault-relative path without .md, for a wikilink
    type: str
    summary: str
    created: datetime | None
    status: str  # pending | succeeded | partial | failed | ambiguous | rejected | approved
    finished: datetime | None = None
    amount: float | None = None
    requires_approval: bool = True
    scheduled: bool = False
    reason: str = ""


@dataclass(frozen=True)
class PlanItem:
    link: str
    title: str
    status: str
    done: int
    total: int


@dataclass(frozen=True)
class VaultFacts:
    finished: list[RequestItem]  # done/failed/ambiguous/rejected during the week
    pending: list[RequestItem]  # waiting in Pending_Approval/ now
    approved_waiting: list[RequestItem]  # approved, not yet run
    needs_action: list[str]  # links
    plans: list[PlanItem]
    done_tasks: list[str]  # links of non-request files finished this week
    turnaround_hours: list[float]  # created → executed, for approved, unscheduled requests this week
    unreadable: list[str] = field(default_factory=list)


# --- logs --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogFacts:
    entries: int
    by_action: dict[str, dict[str, int]]  # action → status → count
    errors: int
    restarts: dict[str, int]  # server → restarts
    emails: int
    days_read: int


# --- Odoo --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayRevenue:
    """Posted customer invoices minus credit notes of one day (untaxed, company currency)."""

    day: date
    invoiced: float = 0.0
    refunded: float = 0.0
    invoices: int = 0
    refunds: int = 0

    @property
    def net(self) -> float:
        return round(self.invoiced - self.refunded, 2)


@dataclass(frozen=True)
class OpenInvoice:
    number: str
    partner: str
    due: date | None
    residual: float
    id: int | None = None  # the record id, for the reminder the audit may file


@dataclass(frozen=True)
class Debtor:
    partner: str
    open_amount: float
    overdue_amount: float
    invoices: int


@dataclass(frozen=True)
class Receivables:
    as_of: date
    open_amount: float
    open_count: int
    overdue_amount: float
    overdue_count: int
    buckets: list[tuple[str, float, int]]  # (label, amount, count) by days overdue
    debtors: list[Debtor]  # largest first
    oldest: list[OpenInvoice]  # overdue, oldest due date first


@dataclass(frozen=True)
class Cash:
    received: float
    payments: int
    invoices_paid: int


@dataclass(frozen=True)
class OdooFacts:
    days: list[DayRevenue]  # each day of the week
    month_to_date: float
    month_label: str  # e.g. "February 2026"
    month_start: date
    receivables: Receivables
    bills_due: list[OpenInvoice]  # vendor bills open and due by the end of the coming week
    cash: Cash
    rpcs: int

    @property
    def revenue_week(self) -> float:
        return round(sum(d.net for d in self.days), 2)

    @property
    def invoices_issued(self) -> int:
        return sum(d.invoices for d in self.days)

    @property
    def refunds_issued(self) -> int:
        return sum(d.refunds for d in self.days)


# --- social ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SocialPost:
    platform: str
    id: str
    created: datetime
    text: str
    url: str
    likes: int = 0
    comments: int = 0
    shares: int = 0
    impressions: int = 0

    @property
    def engagement(self) -> int:
        return self.likes + self.comments + self.shares


@dataclass(frozen=True)
class PlatformFacts:
    platform: str
    posts: list[SocialPost]
    last_post: datetime | None  # newest post seen, even before the week
    token_expires: datetime | None = None

    @property
    def engagement(self) -> int:
        return sum(p.engagement for p in self.posts)


@dataclass(frozen=True)
class Goals:
    currency: str
    weekly_revenue_target: float | None
    monthly_revenue_target: float | None
    max_overdue_receivables: float | None
    min_posts_per_week: int | None
    max_approval_wait_hours: float
    max_error_rate: float | None
    projects: list[str]
    source: str  # "Business_Goals.md" or why the defaults are used
