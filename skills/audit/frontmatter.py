"""Reading the YAML front matter of vault notes fast (libyaml when present) and without surprises."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import yaml

_FRONT = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """(front matter, body); an absent or unreadable block gives ({}, text)."""
    match = _FRONT.match(text)
    if not match:
        return {}, text
    try:
        front = yaml.load(match.group(1), Loader=_Loader)
    except yaml.YAMLError:
        return {}, text[match.end() :]
    return (front if isinstance(front, dict) else {}), text[match.end() :]


def as_datetime(value: Any) -> datetime | None:
    """An aware UTC datetime from YAML (a datetime, a date-time string, or a date at midnight UTC)."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    else:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
