"""Graph API versions and their end dates: the one table (reference/social_apis.md §2,
developers.facebook.com/docs/graph-api/changelog/versions, checked 2026-11-30).

Meta serves a version for about two years; after its end date a call to it fails (or is silently moved
to the oldest live version, which the reference says never to rely on). Settings refuse an expired
version with its date, `doctor` warns `WARN_DAYS` ahead, and the default is a version that lives at
least another year.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

# version → the last day Meta serves it (None: no end date announced yet)
UNTIL: dict[str, date | None] = {
    "v26.0": None,
    "v25.0": date(2028, 7, 29),
    "v24.0": date(2028, 2, 18),
    "v23.0": date(2027, 10, 8),
    "v22.0": date(2027, 5, 20),
    "v21.0": date(2027, 1, 21),
    "v20.0": date(2026, 9, 24),
    "v19.0": date(2026, 5, 21),
}
DEFAULT_VERSION = "v25.0"
WARN_DAYS = 30


def normalise(value: str) -> str:
    """`v25.0` from `25.0` or `v25.0`; ValueError for anything else."""
    found = re.fullmatch(r"v?(\d{1,2})\.(\d)", value.strip())
    if not found:
        raise ValueError(f"{value!r} is not a Graph API version like {DEFAULT_VERSION}")
    return f"v{found.group(1)}.{found.group(2)}"


def end_date(version: str) -> date | None:
    """The last day `version` is served; versions older than the table count as expired long ago."""
    version = normalise(version)
    if version in UNTIL:
        return UNTIL[version]
    oldest = min(UNTIL, key=_number)
    if _number(version) < _number(oldest):
        return UNTIL[oldest]
    return None  # newer than the table knows: no end date announced


def expired(version: str, today: date) -> date | None:
    """The end date when `version` is no longer served on `today`, else None."""
    until = end_date(version)
    return until if until is not None and today > until else None


def check(version: str, today: date) -> str:
    """The normalised version; ValueError naming the end date when Meta no longer serves it."""
    version = normalise(version)
    until = expired(version, today)
    if until is not None:
        raise ValueError(
            f"Graph API {version} expired on {until:%Y-%m-%d}: Meta no longer serves it. "
            f"Set the version to {DEFAULT_VERSION} (served until {UNTIL[DEFAULT_VERSION]:%Y-%m-%d})."
        )
    return version


def api_version(value: str) -> str:
    """The `api_version` settings validator of every Graph service: `v25.0` from `25.0` or `v25.0`; versions
    Meta no longer serves are refused at start-up, with the date they expired."""
    return check(value, datetime.now(UTC).date())


def warning(version: str, today: date, days: int = WARN_DAYS) -> str | None:
    """A line for `doctor` when `version` ends within `days` days, else None."""
    until = end_date(version)
    if until is None or today > until or until - today > timedelta(days=days):
        return None
    left = (until - today).days
    return (
        f"Graph API {normalise(version)} expires on {until:%Y-%m-%d} (in {left} day{'s' if left != 1 else ''}); "
        f"set the version to {DEFAULT_VERSION} (served until {UNTIL[DEFAULT_VERSION]:%Y-%m-%d}) before then"
    )


def _number(version: str) -> tuple[int, int]:
    major, minor = version.lstrip("v").split(".")
    return int(major), int(minor)
