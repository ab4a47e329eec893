"""A conversation in the inbox: one top-level comment and its replies (Facebook, Instagram), or one
person's mentions in one X conversation, with the business's own replies."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

PLATFORMS = ("facebook", "instagram", "twitter")
LABELS = {"facebook": "Facebook", "instagram": "Instagram", "twitter": "X"}


@dataclass
class Message:
    id: str
    author: str
    text: str
    at: str  # ISO 8601, UTC
    by_business: bool = False


@dataclass
class Conversation:
    key: str  # "<platform>:<root id>": stable, so the note is updated in place
    platform: str
    author: str
    post_id: str
    post_text: str
    post_link: str
    link: str
    messages: list[Message] = field(default_factory=list)
    deleted: bool = False  # the comment is gone from the platform
    author_id: str = ""  # X: the person, so their later mentions in the same conversation join it

    @property
    def note_name(self) -> str:
        """A file name only letters, digits, `_` and `-` (ids come from the platform, names never)."""
        return re.sub(r"[^A-Za-z0-9_-]", "_", f"Social_{self.platform}_{self.key.split(':', 1)[1]}")[:120]

    @property
    def answered(self) -> bool:
        """The business has replied after the customer's last message."""
        return bool(self.messages) and self.messages[-1].by_business

    @property
    def replied_before(self) -> bool:
        return any(m.by_business for m in self.messages)

    def waiting_since(self) -> datetime | None:
        """When the oldest customer message after the business's last reply was written."""
        if self.answered or self.deleted:
            return None
        pending = []
        for m in reversed(self.messages):
            if m.by_business:
                break
            pending.append(m)
        return datetime.fromisoformat(pending[-1].at) if pending else None

    def reply_target(self) -> str:
        """The id a reply should answer: the customer's latest message (X), the root comment (Graph)."""
        if self.platform == "twitter":
            return next((m.id for m in reversed(self.messages) if not m.by_business), self.key.split(":", 1)[1])
        return self.key.split(":", 1)[1]

    def merge(self, messages: list[Message]) -> int:
        """Add the messages not seen yet, in time order; how many were new."""
        known = {m.id for m in self.messages}
        new = [m for m in messages if m.id not in known]
        self.messages = sorted([*self.messages, *new], key=lambda m: (m.at, m.id))
        return len(new)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Conversation:
        messages = [Message(**m) for m in raw.get("messages", [])]
        return cls(**{**raw, "messages": messages})
