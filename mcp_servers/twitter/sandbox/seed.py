"""The sandbox's demo account: three weeks of plausible posts up to today, the same on every machine for a
given day (seeded RNG, times relative to today), and metrics that grow with a post's age."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta
from typing import Any

TWITTER_EPOCH_MS = 1288834974657
ME = {
    "id": "1600000000000000001",
    "name": "Harbor Lane Coffee",
    "username": "harborlanecoffee",
    "description": "Small-batch roastery and café. Fresh beans every Tuesday.",
    "created_at": "2022-03-14T09:00:00.000Z",
    "verified": False,
}
FOLLOWERS = 1840
_TEXTS = (
    "Fresh roast day! This week's single origin: Ethiopia Guji, notes of peach and jasmine.",
    "Our barista Sam pulled 400 shots yesterday. Thank you for a record Saturday!",
    "New pastry partner: croissants from Maison Petit, baked at 5 every morning.",
    "Cold brew is back for the season. Steeped 18 hours, served over big clear ice.",
    "Tuesday tip: store beans in an airtight jar, away from light. Never the fridge.",
    "We're hiring a weekend barista. Experience welcome, attitude essential. DM us.",
    "Latte art throwdown this Friday 7pm. Free entry, prizes for the top three.",
    "Subscriptions now ship nationwide: two bags a month, roasted to order. harborlanecoffee.com/subscribe",
    "Decaf that tastes like coffee: Swiss Water Colombia is in the grinder today.",
    "Thank you to everyone who came to the cupping session. Next one in two weeks!",
    "Rainy morning, warm cup. Doors open at 7 as always.",
    "Meet our new espresso blend 'Harbor Fog': chocolate, hazelnut, a little citrus.",
    "Sneak peek: oat milk cortado with a touch of maple. On the menu next week.",
    "We compost 100% of our grounds. Grab a free bag for your garden at the counter.",
    "Weekend hours: Sat 8–6, Sun 9–4. See you there.",
    "Behind the scenes: roasting 12 kg of Brazil Cerrado this morning.",
    "Customer favourite this month: the honey lavender latte. Have you tried it?",
    "Our beans are now at Lane Market on 5th Street. Look for the blue bags!",
    "Brew guide: 1:16 ratio, 94°C water, 3:30 total for a V60. Tell us your recipe.",
    "Happy Friday! Pastries are half price after 3pm today.",
    "Local art on our walls this month: watercolours by Jo Park. Come say hi.",
)


def snowflake(created: datetime, seq: int = 0) -> str:
    """An X-style id from a time, so ids sort like the posts they name."""
    ms = int(created.timestamp() * 1000) - TWITTER_EPOCH_MS
    return str((ms << 22) | (seq & 0x3FFFFF))


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def seed_state(now: datetime) -> dict[str, Any]:
    """Three weeks of posts ending today, with reach and engagement rates drawn from a fixed seed."""
    rng = random.Random(20261125)
    today = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    posts = []
    for day in range(21, 0, -1):
        if rng.random() < 0.2 and day > 1:
            continue  # a day without a post, as in real life
        created = today - timedelta(days=day) + timedelta(hours=rng.randint(8, 18), minutes=rng.randint(0, 59))
        posts.append(
            {
                "id": snowflake(created, day),
                "text": _TEXTS[day % len(_TEXTS)],
                "created_at": iso(created),
                "reach": rng.randint(300, 4000),
                "engagement": round(rng.uniform(0.01, 0.06), 4),
            }
        )
    return {"version": 1, "me": ME, "followers": FOLLOWERS, "posts": posts, "faults": [], "windows": {}}


def metrics(post: dict[str, Any], now: datetime, spelling: str = "classic") -> dict[str, int]:
    """Public metrics at `now`: impressions approach the post's reach over its first day."""
    created = datetime.fromisoformat(post["created_at"].replace("Z", "+00:00"))
    age_h = max(0.0, (now - created).total_seconds() / 3600)
    impressions = int(post.get("reach", 0) * (1 - math.exp(-age_h / 6)))
    engaged = impressions * float(post.get("engagement", 0.0))
    values = {
        "retweet_count": int(engaged * 0.12),
        "reply_count": int(engaged * 0.08),
        "like_count": int(engaged * 0.7),
        "quote_count": int(engaged * 0.02),
        "bookmark_count": int(engaged * 0.08),
        "impression_count": impressions,
    }
    if spelling == "openapi":  # the names X's OpenAPI uses; real answers still mostly use the classic ones
        values["repost_count"] = values.pop("retweet_count")
    return values
