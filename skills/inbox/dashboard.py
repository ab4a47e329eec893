"""The inbox's lines on Dashboard.md: how many conversations wait for a reply, when each platform was
last read, and what X's pay-per-use reads cost this month (an estimate from the reads counted)."""

from __future__ import annotations

from datetime import UTC, datetime

from mcp_servers.core.vault import Vault
from skills.inbox import store
from skills.inbox.model import LABELS
from skills.inbox.settings import InboxSettings


def dashboard_lines(vault: Vault, now: datetime) -> list[str]:
    if not vault.state_path(store.STATE_FILE).exists():
        return []
    state = store.load(vault)
    waiting = sorted(s for c in state.conversations.values() if (s := c.waiting_since()) is not None)
    reads, cost = state.x_month(now)
    lines = ["", f"## Social inbox ({len(waiting)} waiting)", ""]
    if waiting:
        days = (now - waiting[0]).days
        lines.append(f"- {len(waiting)} conversations in `Inbox/` wait for a reply (oldest {days} d): run `/inbox`.")
    else:
        lines.append("- Every conversation has an answer.")
    runs = [
        f"{LABELS.get(name, name)} {datetime.fromisoformat(c['last_run']).astimezone(UTC):%Y-%m-%d %H:%M} UTC"
        for name, c in sorted(state.cursors.items())
        if c.get("last_run")
    ]
    lines.append(f"- Last read: {', '.join(runs) or 'never'}.")
    cap = InboxSettings().x_max_reads_per_day
    lines.append(
        f"- X reads this month: {reads} (estimated ${cost:.2f}); today {state.x_reads_today(now)} of {cap} allowed."
    )
    return lines
