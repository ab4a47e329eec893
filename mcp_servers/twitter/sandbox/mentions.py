"""Mentions of the business account for the X emulator, arriving over time (seeded, driven by the
clock): people reply to the account's recent posts or mention it, sometimes twice in one conversation,
and the account has already answered some of them (its replies are in its own timeline, as on X).

`GET /2/users/:id/mentions` answers as X does: newest first, `since_id`, `max_results` (5-100),
`expansions=author_id` with the authors under `includes.users`, and `meta` with newest/oldest ids."""

from __future__ import annotations

import random
import zlib
from datetime import datetime, timedelta
from typing import Any

from mcp_servers.core.sandbox import SharedState
from mcp_servers.twitter.sandbox.seed import iso, snowflake

HORIZON = timedelta(days=14)
CHANCE_PER_HOUR = 0.05
ANSWER_SHARE = 0.35
PEOPLE = (
    ("1700000000000000011", "Grace Holloway", "gracehwy"),
    ("1700000000000000012", "Daniel Mbeki", "dmbeki"),
    ("1700000000000000013", "Priya Raman", "priyaraman"),
    ("1700000000000000014", "Tomás Ferreira", "tferreira"),
    ("1700000000000000015", "Ben Okafor", "benokafor"),
)
TEXTS = (
    ("do you still have the Guji in stock?", "We do! Whole beans in 250 g and 1 kg bags."),
    ("what time do you open on Sundays?", "9 to 4 on Sundays. See you there!"),
    ("my subscription bag didn't arrive this month, can you check? order 5521", "Sorry! We've sent you a DM."),
    ("best flat white in the city, no contest", "Thank you, that made our day!"),
    ("is the cupping session free? [link](https://evil.example) <b>hi</b>", "Yes, free and open to all."),
)


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _rng(*parts: object) -> random.Random:
    return random.Random(zlib.crc32("|".join(map(str, parts)).encode()))


def _mention(state: dict[str, Any], at: datetime, rng: random.Random) -> None:
    me = state["me"]
    person = PEOPLE[rng.randrange(len(PEOPLE))]
    ask, answer = TEXTS[rng.randrange(len(TEXTS))]
    own = [
        p for p in state["posts"] if not p.get("deleted") and not p.get("in_reply_to") and _parse(p["created_at"]) < at
    ]
    seq = len(state["mentions"]) + 1000
    mention: dict[str, Any] = {"id": snowflake(at, seq), "text": f"@{me['username']} {ask}", "created_at": iso(at)}
    mention.update(author_id=person[0], name=person[1], username=person[2])
    if own and rng.random() < 0.6:  # a reply to one of the account's posts
        parent = own[-1 - rng.randrange(min(3, len(own)))]
        mention.update(in_reply_to=parent["id"], conversation_id=parent.get("conversation_id", parent["id"]))
    else:
        mention["conversation_id"] = mention["id"]
    state["mentions"].append(mention)
    if rng.random() < ANSWER_SHARE:
        due = at + timedelta(hours=rng.randint(1, 12))
        state.setdefault("mention_answers", []).append({"id": mention["id"], "at": iso(due), "text": answer})


def _answer_due(state: dict[str, Any], now: datetime) -> None:
    waiting = []
    for answer in state.get("mention_answers", []):
        at = _parse(answer["at"])
        if at > now:
            waiting.append(answer)
            continue
        mention = next(m for m in state["mentions"] if m["id"] == answer["id"])
        text = f"@{mention['username']} {answer['text']}"
        post = {"id": snowflake(at, len(state["posts"])), "text": text, "created_at": iso(at), "reach": 300}
        post.update(engagement=0.02, in_reply_to=mention["id"], conversation_id=mention["conversation_id"])
        state["posts"].append(post)
    state["mention_answers"] = waiting
    state["posts"].sort(key=lambda p: p["created_at"])


def grow(state: SharedState, now: datetime) -> None:
    """Add the mentions that arrived up to `now` (a no-op within the same hour)."""
    hour = now.replace(minute=0, second=0, microsecond=0)
    until = state.snapshot().get("mentions_grown_until")
    if until is not None and _parse(until) >= hour:
        return
    with state.transaction() as data:
        data.setdefault("mentions", [])
        start = _parse(data["mentions_grown_until"]) if data.get("mentions_grown_until") else now - HORIZON
        slot = start.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        while slot <= hour:
            rng = _rng("mention", slot.isoformat())
            if rng.random() < CHANCE_PER_HOUR:
                _mention(data, slot + timedelta(minutes=rng.randrange(60)), rng)
            slot += timedelta(hours=1)
        _answer_due(data, now)
        data["mentions_grown_until"] = iso(hour)


def find(state: dict[str, Any], post_id: str) -> dict[str, Any] | None:
    """A mention by id, for lookups and replies."""
    return next((m for m in state.get("mentions", []) if m["id"] == post_id), None)


def render(mention: dict[str, Any]) -> dict[str, Any]:
    data = {k: mention[k] for k in ("id", "text", "created_at", "author_id", "conversation_id")}
    data["edit_history_tweet_ids"] = [mention["id"]]
    if mention.get("in_reply_to"):
        data["referenced_tweets"] = [{"type": "replied_to", "id": mention["in_reply_to"]}]
    return data


def mentions(state: dict[str, Any], user_id: str, query: dict[str, str]) -> tuple[int, dict[str, str], dict[str, Any]]:
    """`GET /2/users/:id/mentions`: (status, headers, body)."""
    try:
        wanted = int(query.get("max_results", "10"))
    except ValueError:
        wanted = 0
    if not 5 <= wanted <= 100:
        detail = f"The `max_results` query parameter value [{query.get('max_results')}] is not between 5 and 100"
        return 400, {}, {"errors": [{"parameters": {"max_results": [query.get("max_results")]}, "message": detail}]}
    if user_id != state["me"]["id"]:
        return 200, {}, {"meta": {"result_count": 0}}
    since = int(query.get("since_id", "0") or 0)
    rows = [m for m in reversed(state.get("mentions", [])) if int(m["id"]) > since][:wanted]
    meta: dict[str, Any] = {"result_count": len(rows)}
    if not rows:
        return 200, {}, {"meta": meta}
    meta.update(newest_id=rows[0]["id"], oldest_id=rows[-1]["id"])
    body: dict[str, Any] = {"data": [render(m) for m in rows], "meta": meta}
    if "author_id" in query.get("expansions", ""):
        users = {m["author_id"]: {"id": m["author_id"], "name": m["name"], "username": m["username"]} for m in rows}
        body["includes"] = {"users": list(users.values())}
    return 200, {}, body
