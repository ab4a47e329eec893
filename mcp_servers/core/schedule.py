"""The one scheduling rule of every platform (Facebook, Instagram, X, cross-posting).

A post may be scheduled from `EARLIEST` ahead up to the approval period (`APPROVAL_EXPIRY_HOURS`): the
orchestrator publishes it at that time itself, so no platform's own scheduling window applies. Whether a
scheduled post needs the owner is the policy's question (`core/policy.py`: auto-approved only at least
`POLICY_SCHEDULED_POST_MIN_LEAD_MINUTES` ahead), not this module's.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mcp_servers.core.errors import InvalidInput

EARLIEST = timedelta(minutes=1)  # sooner than this, it would already be due by the time it is filed


def approval_period() -> timedelta:
    """How long an action request stays valid (`APPROVAL_EXPIRY_HOURS`)."""
    from mcp_servers.core.settings import CoreSettings

    return timedelta(hours=CoreSettings().approval_expiry_hours)


def describe(span: timedelta) -> str:
    """`span` in the unit a person would use: '7 days', '36 hours', '45 minutes'."""
    minutes = int(span.total_seconds() // 60)
    if minutes % 1440 == 0:
        days = minutes // 1440
        return f"{days} day{'s' * (days != 1)}"
    if minutes % 60 == 0:
        return f"{minutes // 60} hours"
    return f"{minutes} minutes"


def check_schedule(
    when: datetime | None,
    now: datetime,
    *,
    latest: timedelta | None = None,
    field: str = "scheduled_for",
) -> datetime | None:
    """`when` if a post may be scheduled then; otherwise `InvalidInput` naming the field and saying why.
    `latest` defaults to the approval period; naive times are refused, not guessed."""
    if when is None:
        return None
    if when.tzinfo is None:
        raise InvalidInput(
            f"{when.isoformat()} has no time zone; give one, e.g. 2026-12-01T09:00:00+01:00 or …Z for UTC.",
            field=field,
        )
    shown = f"{when.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
    if when < now + EARLIEST:
        raise InvalidInput(
            f"{shown} is in the past or less than a minute away. Give a later time, or omit {field} to post "
            "as soon as the owner approves.",
            field=field,
        )
    limit = approval_period() if latest is None else latest
    if when > now + limit:
        raise InvalidInput(
            f"{shown} is more than {describe(limit)} ahead. A post may be scheduled at most "
            f"{describe(limit)} ahead (the approval period, APPROVAL_EXPIRY_HOURS); file it closer to the date.",
            field=field,
        )
    return when
