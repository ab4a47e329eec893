"""What is known about a service's access token expiry (`TokenExpiry`), for `doctor`, the daily token
check and the weekly audit. Services fill it; nothing here speaks to a remote API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

# sandbox: no real token; never: does not expire; expires: a known date ahead; expired / invalid: no longer
# works; unknown: could not be read (the detail says why and the fix what to set or check).
TokenStatus = Literal["sandbox", "never", "expires", "expired", "invalid", "unknown"]


@dataclass(frozen=True)
class TokenExpiry:
    status: TokenStatus
    expires_at: datetime | None = None
    data_access_expires_at: datetime | None = None  # Meta: when the token stops reading data
    detail: str = ""
    fix: str = ""  # how to get a new token, or what to set to check

    def deadline(self) -> datetime | None:
        """The earliest moment the token stops working (expiry or end of data access), if known."""
        found = [d for d in (self.expires_at, self.data_access_expires_at) if d is not None]
        return min(found) if found else None

    def describe(self, now: datetime) -> str:
        """One line for a report, e.g. `expires 2026-12-01 (in 6 days)`."""
        if self.status == "sandbox":
            return "sandbox: no token to expire"
        if self.status == "never":
            return "does not expire" + (f" ({self.detail})" if self.detail else "")
        if self.status == "unknown":
            return f"cannot check: {self.detail}"
        deadline = self.deadline()
        if self.status == "invalid":
            return "token is no longer valid" + (f": {self.detail}" if self.detail else "")
        if deadline is None:  # pragma: no cover - expires/expired always carry a date
            return self.status
        what = "data access" if deadline == self.data_access_expires_at != self.expires_at else "token"
        if self.status == "expired" or deadline <= now:
            return f"{what} EXPIRED on {deadline:%Y-%m-%d %H:%M} UTC"
        days = (deadline - now).total_seconds() / 86400
        return f"{what} expires {deadline:%Y-%m-%d %H:%M} UTC (in {days:.0f} day{'s' if round(days) != 1 else ''})"


def from_unix(value: object) -> datetime | None:
    """Meta's 0 means "never"; anything else is unix seconds."""
    try:
        seconds = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None
    return datetime.fromtimestamp(seconds, UTC) if seconds > 0 else None
