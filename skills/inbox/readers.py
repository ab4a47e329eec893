"""What the inbox job reads on each platform, through the services' own clients, since the last run.

Facebook and Instagram: the comments on the recent posts; replies are read for the conversations
that are new, still waiting, or active in the last two days (Graph reads are free but rate-limited).
X: mentions (replies to the account included) after the last seen id, and the account's own posts
after its last seen id (to see which mentions it answered) — pay-per-use, so capped per UTC day."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from skills.inbox.model import Conversation, Message
from skills.inbox.settings import InboxSettings
from skills.inbox.store import InboxState

ACTIVE = timedelta(days=2)


@dataclass
class Batch:
    """What one platform's read found: conversations (new or updated) and what is gone."""

    conversations: list[Conversation] = field(default_factory=list)
    deleted: set[str] = field(default_factory=set)  # keys of conversations whose comment is gone
    reads: int = 0  # billable reads (X)
    note: str = ""


Reader = Callable[[InboxState, datetime, InboxSettings], Batch]


def _when(value: Any) -> datetime:
    text = str(value or "1970-01-01T00:00:00+00:00").replace("Z", "+00:00")
    if text[-5] in "+-" and text[-3] != ":":  # Graph's +0000
        text = f"{text[:-2]}:{text[-2:]}"
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _iso(value: Any) -> str:
    return _when(value).astimezone(UTC).isoformat()


def _needs_replies(known: Conversation | None, now: datetime) -> bool:
    if known is None or not known.answered:
        return True
    return now - _when(known.messages[-1].at) < ACTIVE


def read_facebook(client: Any, state: InboxState, now: datetime, settings: InboxSettings) -> Batch:
    batch, page_id = Batch(), client.page_id
    for post in client.posts(settings.max_posts):
        if now - _when(post.get("created_time")) > timedelta(days=settings.lookback_days):
            continue
        seen = set()
        for c in client.comments(post["id"], 100):
            key = f"facebook:{c['id']}"
            seen.add(key)
            author = (c.get("from") or {}).get("name") or "someone"
            conv = state.conversations.get(key) or Conversation(
                key,
                "facebook",
                author,
                post["id"],
                post.get("message", ""),
                post.get("permalink_url", ""),
                f"https://www.facebook.com/{c['id']}",
            )
            rows = [c, *(client.comments(c["id"], 100) if _needs_replies(state.conversations.get(key), now) else [])]
            conv.merge([_fb_message(r, page_id) for r in rows])
            batch.conversations.append(conv)
        batch.deleted |= {k for k, v in state.conversations.items() if v.post_id == post["id"] and k not in seen}
    return batch


def _fb_message(row: dict[str, Any], page_id: str) -> Message:
    who = row.get("from") or {}
    return Message(
        row["id"],
        who.get("name") or "someone",
        row.get("message", ""),
        _iso(row.get("created_time")),
        who.get("id") == page_id,
    )


def read_instagram(client: Any, state: InboxState, now: datetime, settings: InboxSettings) -> Batch:
    batch = Batch()
    me = client.account().get("username", "")
    for media in client.media(settings.max_posts):
        if now - _when(media.get("timestamp")) > timedelta(days=settings.lookback_days):
            continue
        seen = set()
        for c in client.comments(media["id"]):
            key = f"instagram:{c['id']}"
            seen.add(key)
            conv = state.conversations.get(key) or Conversation(
                key,
                "instagram",
                c.get("username") or "someone",
                media["id"],
                media.get("caption", ""),
                media.get("permalink", ""),
                media.get("permalink", ""),
            )
            replies = client.comments(c["id"], "replies") if _needs_replies(state.conversations.get(key), now) else []
            conv.merge([_ig_message(r, me) for r in [c, *replies]])
            batch.conversations.append(conv)
        batch.deleted |= {k for k, v in state.conversations.items() if v.post_id == media["id"] and k not in seen}
    return batch


def _ig_message(row: dict[str, Any], me: str) -> Message:
    who = row.get("username") or "someone"
    return Message(row["id"], who, row.get("text", ""), _iso(row.get("timestamp")), who == me)


def read_x(api: Any, state: InboxState, now: datetime, settings: InboxSettings) -> Batch:
    """Mentions and own replies since the cursors, within what today's cap leaves."""
    left = settings.x_max_reads_per_day - state.x_reads_today(now)
    if left <= 0:
        return Batch(note=f"X not read: today's cap of {settings.x_max_reads_per_day} reads is used up")
    cursor = state.cursors.setdefault("twitter", {})
    mentions, users = api.mentions_since(cursor.get("mentions_since_id"), min(100, left))
    batch = Batch(reads=len(mentions))
    if mentions:
        cursor["mentions_since_id"] = max((m["id"] for m in mentions), key=int)
    by_thread = {(c.post_id, c.author_id): c for c in state.conversations.values() if c.platform == "twitter"}
    for m in sorted(mentions, key=lambda m: int(m["id"])):
        user = users.get(m.get("author_id", ""), {})
        handle = user.get("username") or m.get("author_id", "someone")
        thread = m.get("conversation_id", m["id"])
        conv = by_thread.get((thread, m.get("author_id", ""))) or Conversation(
            f"twitter:{m['id']}",
            "twitter",
            f"@{handle}",
            thread,
            "",
            f"https://x.com/i/status/{thread}",
            f"https://x.com/{handle}/status/{m['id']}",
            author_id=m.get("author_id", ""),
        )
        by_thread[(thread, conv.author_id)] = conv
        conv.merge([Message(m["id"], f"@{handle}", m.get("text", ""), _iso(m.get("created_at")))])
        batch.conversations.append(conv)
    if left - batch.reads > 0:
        own = api.posts_since(cursor.get("own_since_id"), min(100, left - batch.reads))
        batch.reads += len(own)
        if own:
            cursor["own_since_id"] = max((p["id"] for p in own), key=int)
        batch.conversations += _own_replies(own, [*state.conversations.values(), *batch.conversations])
    return batch


def _own_replies(own: list[dict[str, Any]], conversations: list[Conversation]) -> list[Conversation]:
    by_message = {m.id: c for c in conversations if c.platform == "twitter" for m in c.messages}
    touched = []
    for post in own:
        for ref in post.get("referenced_tweets") or []:
            conv = by_message.get(ref.get("id", "")) if ref.get("type") == "replied_to" else None
            if conv is not None:
                conv.merge([Message(post["id"], "you", post.get("text", ""), _iso(post.get("created_at")), True)])
                touched.append(conv)
    return touched
