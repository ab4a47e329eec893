"""`Business_Goals.md`: the targets and thresholds the briefing compares against."""

from __future__ import annotations

import re
from typing import Any

from mcp_servers.core.settings import CoreSettings
from mcp_servers.core.vault import Vault
from skills.audit.facts import Goals
from skills.audit.frontmatter import split_front_matter

GOALS_FILE = "Business_Goals.md"
DEFAULT_APPROVAL_WAIT_HOURS = 48.0
_PROJECTS = re.compile(r"^##\s+Projects\s*$(.*?)(?=^#{1,2}\s|\Z)", re.M | re.S)


def _number(front: dict[str, Any], key: str) -> float | None:
    value = front.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def read_goals(vault: Vault) -> Goals:
    """The goals, with the company currency from settings when the note does not name one."""
    path = vault.root / GOALS_FILE
    try:
        front, body = split_front_matter(path.read_text("utf-8"))
        source = GOALS_FILE
    except (OSError, UnicodeDecodeError):
        front, body, source = {}, "", f"{GOALS_FILE} not found; no targets to compare against"
    currency = front.get("currency")
    if not isinstance(currency, str) or not re.fullmatch(r"[A-Za-z]{3}", currency):
        currency = CoreSettings().company_currency
    projects = []
    match = _PROJECTS.search(body)
    if match:
        projects = [line[2:].strip() for line in match.group(1).splitlines() if line.startswith(("- ", "* "))]
    posts = _number(front, "min_posts_per_week")
    return Goals(
        currency=currency.upper(),
        weekly_revenue_target=_number(front, "weekly_revenue_target"),
        monthly_revenue_target=_number(front, "monthly_revenue_target"),
        max_overdue_receivables=_number(front, "max_overdue_receivables"),
        min_posts_per_week=int(posts) if posts is not None else None,
        max_approval_wait_hours=_number(front, "max_approval_wait_hours") or DEFAULT_APPROVAL_WAIT_HOURS,
        max_error_rate=_number(front, "max_error_rate"),
        projects=projects,
        source=source,
    )
