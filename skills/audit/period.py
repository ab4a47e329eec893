"""The audited period: a Monday–Sunday week in the configured time zone, and its UTC bounds."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mcp_servers.core.errors import ConfigError, InvalidInput

_ISO_WEEK = re.compile(r"^(\d{4})-?W(\d{2})$")


def zone(name: str | None = None) -> ZoneInfo:
    """The IANA zone `name` (TIMEZONE), or this machine's zone when it is empty."""
    if not name:
        from tzlocal import get_localzone_name

        name = get_localzone_name() or "UTC"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"TIMEZONE={name!r} is not an IANA time zone (e.g. Europe/Paris, America/New_York)") from None


@dataclass(frozen=True)
class Week:
    """Monday `start` to Sunday `end` (local dates), with the instants it covers in UTC."""

    start: date
    tz: ZoneInfo

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(7)]

    @property
    def start_utc(self) -> datetime:
        return datetime.combine(self.start, time(), self.tz).astimezone(UTC)

    @property
    def end_utc(self) -> datetime:
        """The first instant after the week (next Monday 00:00 local), exclusive."""
        return datetime.combine(self.end + timedelta(days=1), time(), self.tz).astimezone(UTC)

    @property
    def briefing_date(self) -> date:
        """The Monday the briefing is read on: the day after the week ends."""
        return self.end + timedelta(days=1)

    @property
    def label(self) -> str:
        year, week, _ = self.start.isocalendar()
        return f"{year}-W{week:02d}"

    def utc_days(self) -> list[date]:
        """The UTC dates the week's instants fall on (the log day files to read): 7 or 8 of them."""
        first, last = self.start_utc.date(), (self.end_utc - timedelta(microseconds=1)).date()
        return [first + timedelta(days=i) for i in range((last - first).days + 1)]

    def local_day(self, moment: datetime) -> date:
        return moment.astimezone(self.tz).date()

    def contains(self, moment: datetime) -> bool:
        return self.start_utc <= moment < self.end_utc


def week_containing(moment: datetime, tz: ZoneInfo) -> Week:
    local = moment.astimezone(tz).date()
    return Week(local - timedelta(days=local.weekday()), tz)


def last_complete_week(now: datetime, tz: ZoneInfo) -> Week:
    """The newest week that has fully ended at `now` (on Sunday that is the week before)."""
    current = week_containing(now, tz)
    return Week(current.start - timedelta(days=7), tz)


def scheduled_week(now: datetime, tz: ZoneInfo) -> Week:
    """The week ending on the latest Sunday on or before `now`'s local date: the week being closed
    by the Sunday-evening job, or the last one when run any other day."""
    local = now.astimezone(tz).date()
    week = week_containing(now, tz)
    return week if local.weekday() == 6 else Week(week.start - timedelta(days=7), tz)


def parse_week(text: str, tz: ZoneInfo) -> Week:
    """`YYYY-Www` (ISO week) → that week, or InvalidInput naming the expected form."""
    match = _ISO_WEEK.match(text.strip())
    if not match:
        raise InvalidInput(f"{text!r} is not an ISO week; write it like 2026-W02", field="week")
    try:
        monday = date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a week of that year (weeks run 01 to 52 or 53)", field="week") from None
    return Week(monday, tz)
