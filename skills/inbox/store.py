"""The inbox's memory in `vault/.ai_employee/inbox.json`: a cursor per platform (what was read up to
when), the conversations seen so far, and X's pay-per-use reads (per UTC day, for the cap; per month,
for the estimated cost the dashboard shows)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from mcp_servers.core.vault import Vault, atomic_write, file_lock
from skills.inbox.model import Conversation

STATE_FILE = "inbox.json"


@dataclass
class InboxState:
    cursors: dict[str, dict[str, str]] = field(default_factory=dict)
    conversations: dict[str, Conversation] = field(default_factory=dict)
    x_reads: dict[str, int] = field(default_factory=dict)  # UTC day -> posts read
    x_months: dict[str, dict[str, str]] = field(default_factory=dict)  # "2026-12" -> {reads, cost_usd}
    drafts: dict[str, str] = field(default_factory=dict)  # conversation key -> the reply request filed last

    def x_reads_today(self, now: datetime) -> int:
        return self.x_reads.get(now.date().isoformat(), 0)

    def count_x_reads(self, now: datetime, posts: int, price: Decimal) -> None:
        day, month = now.date().isoformat(), now.strftime("%Y-%m")
        self.x_reads = {day: self.x_reads.get(day, 0) + posts}  # only today's count matters for the cap
        row = self.x_months.setdefault(month, {"reads": "0", "cost_usd": "0"})
        row["reads"] = str(int(row["reads"]) + posts)
        row["cost_usd"] = str(Decimal(row["cost_usd"]) + price * posts)

    def x_month(self, now: datetime) -> tuple[int, Decimal]:
        row = self.x_months.get(now.strftime("%Y-%m"), {"reads": "0", "cost_usd": "0"})
        return int(row["reads"]), Decimal(row["cost_usd"])

    def to_json(self) -> str:
        raw: dict[str, Any] = {
            "version": 1,
            "cursors": self.cursors,
            "conversations": {k: c.to_dict() for k, c in sorted(self.conversations.items())},
            "x_reads": self.x_reads,
            "x_months": self.x_months,
            "drafts": self.drafts,
        }
        return json.dumps(raw, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> InboxState:
        raw = json.loads(text)
        return cls(
            cursors=raw.get("cursors", {}),
            conversations={k: Conversation.from_dict(v) for k, v in raw.get("conversations", {}).items()},
            x_reads=raw.get("x_reads", {}),
            x_months=raw.get("x_months", {}),
            drafts=raw.get("drafts", {}),
        )


def load(vault: Vault) -> InboxState:
    path = vault.state_path(STATE_FILE)
    return InboxState.from_json(path.read_text(encoding="utf-8")) if path.exists() else InboxState()


@contextmanager
def updating(vault: Vault) -> Iterator[InboxState]:
    """The state under an exclusive lock, saved when the block ends without error."""
    path = vault.state_path(STATE_FILE)
    with file_lock(path.with_suffix(".lock")):
        state = load(vault)
        yield state
        atomic_write(path, state.to_json())
