"""Reading the audit log for `ai-employee logs`: a day range, filters, one line per entry."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from mcp_servers.core.audit_log import AuditLog
from mcp_servers.core.untrusted import terminal
from mcp_servers.core.vault import Vault

MAX_DAYS = 3660


class DateRangeError(ValueError):
    """A date that is not YYYY-MM-DD, or a range that ends before it starts."""


def _day(text: str | None, default: date) -> date:
    if not text:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DateRangeError(f"{text!r} is not a date; use YYYY-MM-DD.") from None


def day_range(since: str | None, until: str | None, days: int | None, today: date | None = None) -> list[date]:
    today = today or datetime.now(UTC).date()
    last = _day(until, today)
    first = last - timedelta(days=days - 1) if days else _day(since, last)
    if first > last:
        raise DateRangeError(f"--since {first} is after --until {last}.")
    if (last - first).days > MAX_DAYS:
        raise DateRangeError(f"that is more than {MAX_DAYS} days; narrow the range.")
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@dataclass(frozen=True)
class LogFilter:
    action: str | None = None
    status: str | None = None

    def matches(self, entry: dict[str, Any]) -> bool:
        if self.action and self.action.lower() not in str(entry.get("action", "")).lower():
            return False
        if self.status:
            result = entry.get("result")
            statuses = {
                str(entry.get("approval_status")),
                str(result.get("status") if isinstance(result, dict) else ""),
            }
            if self.status.lower() not in {s.lower() for s in statuses}:
                return False
        return True


def entries(vault: Vault, days: list[date], wanted: LogFilter) -> Iterator[tuple[int, date, dict[str, Any] | None]]:
    """(day index, day, entry) for each match; an entry of None marks the start of a day (for progress)."""
    log = AuditLog(vault)
    for index, day in enumerate(days):
        yield index, day, None
        for entry in log.read_day(day):
            if wanted.matches(entry):
                yield index, day, entry


def format_entry(entry: dict[str, Any]) -> str:
    result = entry.get("result")
    status = result.get("status") if isinstance(result, dict) else result
    error = f"  error: {entry['error']}" if entry.get("error") else ""
    request = f"  [{entry['request_id']}]" if entry.get("request_id") else ""
    line = f"{entry.get('timestamp', '?')}  {entry.get('action', '?'):<32} {status or '-'!s:<11}{request}{error}"
    return terminal(line)  # error texts quote remote services: no escape sequence reaches the terminal
