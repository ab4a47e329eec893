"""The outside data the audit reads, as small protocols: the books (Odoo) and the social accounts.

The audit depends only on these; `adapters.py` binds them to the real servers' clients, and tests
bind them to fixed data. A source raises any exception to say it is down; the audit reports it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

from skills.audit.facts import Cash, DayRevenue, OpenInvoice, Receivables, SocialPost

if TYPE_CHECKING:
    from skills.audit.drafting import DraftFiler


class OdooSource(Protocol):
    """The accounting reads of one audit, each a constant number of grouped RPCs."""

    @property
    def rpc_count(self) -> int:
        """RPCs made so far (the benchmark checks it does not grow with the data)."""
        ...

    def revenue_by_day(self, start: date, end: date) -> list[DayRevenue]:
        """Days with posted customer invoices or credit notes, invoice_date in [start, end]."""
        ...

    def receivables(self, as_of: date) -> Receivables:
        """Open posted customer invoices, aged by due date against `as_of`."""
        ...

    def vendor_bills_due(self, until: date) -> list[OpenInvoice]:
        """Open posted vendor bills due on or before `until` (overdue ones included)."""
        ...

    def cash_received(self, start: date, end: date) -> Cash:
        """Customer payments dated in [start, end] and the invoices they settled."""
        ...


class SocialSource(Protocol):
    """One social account's own posts with their engagement."""

    platform: str  # display name: Facebook, Instagram, X

    def posts(self, start: datetime, end: datetime) -> list[SocialPost]:
        """The account's posts created in [start, end), plus the newest one before `start` if any
        (so "no post for 7 days" can be told)."""
        ...

    def token_expires_at(self) -> datetime | None:
        """When the access token stops working, if the platform says."""
        ...


@dataclass
class Sources:
    """What one audit reads. A name in `unavailable` is shown as "not available: <reason>"."""

    odoo: OdooSource | None = None
    social: list[SocialSource] = field(default_factory=list)
    unavailable: dict[str, str] = field(default_factory=dict)
    filer: DraftFiler | None = None  # files the reminders and replies the suggestions name (None: nothing filed)
