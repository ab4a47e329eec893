"""New comments over time for the Facebook and Instagram emulators, so the sandbox inbox fills in.

Driven by the emulator's clock and seeded: for every hour since the state last grew, each post younger
than two weeks may receive a comment (likelier while the post is fresh), sometimes a follow-up in an
earlier thread; the business answers about a third of them some hours later, so the inbox shows both
answered and waiting conversations. The same clock gives the same comments; the comments are written
into the state (once, in a transaction) so a reply to one of them finds it."""

from __future__ import annotations

import math
import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from mcp_servers.core.sandbox import SharedState
from mcp_servers.graph.sandbox import iso

HORIZON = timedelta(days=14)  # posts older than this get no new comments; also the first run's look-back
ANSWER_SHARE = 0.35
AUTHORS = (
    ("Grace Holloway", "grace.holloway"),
    ("Daniel Mbeki", "dmbeki"),
    ("Priya Raman", "priya.r"),
    ("Tomás Ferreira", "tomas_ferreira"),
    ("Hannah Vogel", "hannah.vgl"),
    ("Ben Okafor", "benokafor"),
    ("Chloé Martin", "chloe.mrtn"),
    ("Sam Whitaker", "samw"),
)
CONVERSATIONS = (  # (what a customer writes, what the business answered when it did)
    ("Do you ship to Canada? Asking for a friend who lives in Toronto.",
     "We do! Shipping to Canada takes 5-7 days; the shop on our website has the rates."),
    ("Are you open on Sunday mornings?", "Yes, Sundays from 8:00 to 14:00. See you then!"),
    ("Is the Guji available as whole beans, 1 kg?", "It is, whole beans in 250 g and 1 kg bags."),
    ("Do you have decaf options? My partner can't have caffeine after noon.",
     "We do: a Swiss Water decaf from Colombia, on the menu every day."),
    ("Can I book the back room for a birthday of 12 people?",
     "Happy to host you! Send us a message with the date and we'll check."),
    ("My order #4417 hasn't arrived yet, it's been 9 days. Can someone check?",
     "Sorry about that! We've sent you a private message to sort it out."),
    ("What grinder do you use for espresso?", "A Mythos One on the bar, dialled in every morning."),
    ("Do you sell gift cards online?", "Yes, on our website, from 20 to 100."),
    ("Loved the cortado!! **Best** in town.\nWill you do oat flat whites too?",
     "Thank you! Oat flat whites are on the menu already."),
    ("Price list please %% thanks", "Our full menu with prices is on our website."),
)  # fmt: skip
ANSWERED_FOLLOW_UPS = ("Thanks, that helps!", "Perfect, see you then!")
WAITING_FOLLOW_UPS = ("Any update on this?", "Still waiting to hear back 🙂")


@dataclass(frozen=True)
class Shape:
    """How one platform stores posts and comments in its emulator state."""

    items: str  # "posts" | "media"
    created: str  # the post's time field
    text: str  # the comment's text field
    author: Callable[[tuple[str, str], str], dict[str, Any]]  # (name, handle), id seed -> author fields
    business: Callable[[dict[str, Any]], dict[str, Any]]  # state -> the business's author fields
    replies: str = "replies"


def _parse(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S+0000").replace(tzinfo=UTC)


def _hours(start: datetime, end: datetime) -> list[datetime]:
    first = start.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    count = max(0, int((end - first).total_seconds() // 3600) + 1)
    return [first + timedelta(hours=h) for h in range(count)]


def _rng(*parts: object) -> random.Random:
    return random.Random(zlib.crc32("|".join(map(str, parts)).encode()))


def _new_id(data: dict[str, Any], post: dict[str, Any], shape: Shape) -> str:
    data["inbox_seq"] = int(data.get("inbox_seq", 0)) + 1
    if shape.items == "posts":  # Facebook: <post number>_<comment number>
        return f"{post['id'].split('_')[-1]}_{800000 + data['inbox_seq']}"
    return f"1790{int(post['id']) % 10**8:08d}{data['inbox_seq']:05d}"  # Instagram: digits only


def _comment(shape: Shape, data: dict[str, Any], post: dict[str, Any], at: datetime, rng: random.Random) -> None:
    author = AUTHORS[rng.randrange(len(AUTHORS))]
    business = shape.business(data)
    threads = [c for c in post["comments"] if any(c.get(k) != v for k, v in business.items())]
    if threads and rng.random() < 0.3:  # a follow-up in an earlier thread, by its author
        parent = threads[rng.randrange(len(threads))]
        answered = any(all(r.get(k) == v for k, v in business.items()) for r in parent.get(shape.replies, []))
        texts = ANSWERED_FOLLOW_UPS if answered else WAITING_FOLLOW_UPS
        parent.setdefault(shape.replies, []).append(
            {"id": _new_id(data, post, shape), shape.text: texts[rng.randrange(len(texts))]}
            | {k: v for k, v in parent.items() if k in ("from", "username")}
            | _time(shape, at)
        )
        return
    comment = {
        "id": _new_id(data, post, shape),
        shape.text: CONVERSATIONS[rng.randrange(len(CONVERSATIONS))][0],
        **shape.author(author, str(rng.randrange(10**6))),
        **_time(shape, at),
        shape.replies: [],
    }
    post["comments"].append(comment)
    if rng.random() < ANSWER_SHARE:
        due = at + timedelta(hours=rng.randint(1, 20))
        data.setdefault("inbox_answers", []).append({"comment": comment["id"], "at": iso(due)})


def _time(shape: Shape, at: datetime) -> dict[str, str]:
    return {"created_time" if shape.items == "posts" else "timestamp": iso(at)}


def _answer_due(shape: Shape, data: dict[str, Any], now: datetime) -> None:
    waiting = []
    for answer in data.get("inbox_answers", []):
        if _parse(answer["at"]) > now:
            waiting.append(answer)
            continue
        for post in data[shape.items]:
            for comment in post["comments"]:
                if comment["id"] == answer["comment"]:
                    text = next((a for q, a in CONVERSATIONS if q == comment[shape.text]), "Thank you!")
                    comment.setdefault(shape.replies, []).append(
                        {"id": _new_id(data, post, shape), shape.text: text}
                        | shape.business(data)
                        | _time(shape, _parse(answer["at"]))
                    )
    data["inbox_answers"] = waiting


def grow(state: SharedState, now: datetime, shape: Shape) -> None:
    """Add the comments that arrived up to `now` (a no-op within the same hour)."""
    until = state.snapshot().get("inbox_grown_until")
    if until is not None and _parse(until) >= now.replace(minute=0, second=0, microsecond=0):
        return
    with state.transaction() as data:
        start = _parse(data["inbox_grown_until"]) if data.get("inbox_grown_until") else now - HORIZON
        for hour in _hours(start, now):
            for post in sorted(data[shape.items], key=lambda p: p[shape.created]):
                age = (hour - _parse(post[shape.created])).total_seconds() / 3600
                if not 0 < age < HORIZON.total_seconds() / 3600:
                    continue
                rng = _rng(post["id"], hour.isoformat())
                if rng.random() < 0.004 + 0.08 * math.exp(-age / 24):
                    _comment(shape, data, post, hour + timedelta(minutes=rng.randrange(60)), rng)
        _answer_due(shape, data, now)
        data["inbox_grown_until"] = iso(now.replace(minute=0, second=0, microsecond=0))


FACEBOOK = Shape(
    items="posts",
    created="created_time",
    text="message",
    author=lambda who, uid: {"from": {"name": who[0], "id": f"71{uid:0>6}"}},
    business=lambda data: {"from": {"name": data["page"]["name"], "id": data["page"]["id"]}},
)
INSTAGRAM = Shape(
    items="media",
    created="timestamp",
    text="text",
    author=lambda who, uid: {"username": who[1]},
    business=lambda data: {"username": data["account"]["username"]},
)
