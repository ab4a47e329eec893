"""The Facebook Page emulator: Graph endpoints the server uses, over `vault/.ai_employee/sandbox/
facebook.json`, seeded with four weeks of a small coffee roaster's posts and engagement up to today.
Removed insights metrics answer with Graph's real error; duplicates within 24 h get code 506."""

from __future__ import annotations

import random
import re
import zlib
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from mcp_servers.core.sandbox import SharedState, sandbox_dir
from mcp_servers.facebook.const import CURRENT_PAGE_METRICS, SANDBOX_PAGE_ID
from mcp_servers.graph import sandbox_inbox
from mcp_servers.graph.sandbox import (
    Clock,
    GraphEmulator,
    GraphFailure,
    GraphRequest,
    add_debug_token,
    iso,
    unsupported,
)

PAGE = SANDBOX_PAGE_ID
POST_DEFAULTS = ("id", "message", "created_time")  # what Graph returns for a post when no fields are named
MESSAGES = (
    "This week's single origin: Ethiopia Guji, notes of peach and jasmine. Fresh roast out Thursday! #coffee",
    "Behind the scenes: our roaster hit 212 °C today. Smells like chocolate in here.",
    "Thank you to everyone who came to the latte art throwdown! Photos coming soon.",
    "New: oat-milk cortado on the menu. Try it this weekend and tell us what you think.",
    "We're hiring a part-time barista. Love coffee and people? Drop us a message.",
    "Saturday cupping at 10:00, free and open to all. Bring a friend! #cupping",
    "Our Colombia Huila is back in stock, 250 g and 1 kg bags.",
    "Holiday gift boxes are ready: three coffees, a mug and a brewing guide.",
    "Rainy morning, warm cup. Open until 18:00 today.",
    "Meet Ana, our head roaster, who has been with us since day one.",
)
NAMES = ("Maya Chen", "Liam Ortiz", "Sofia Rossi", "Noah Kim", "Emma Novak", "Lucas Silva", "Olivia Brandt")
REPLIES = ("Can't wait!", "Is the shop open on Sunday?", "Best coffee in town.", "Do you ship?", "Love this ❤️")


def seed(clock: Clock) -> dict[str, Any]:
    """Deterministic for a given day: the same four weeks every time the state is created."""
    rng = random.Random(20261125)
    today = clock().date()
    posts: list[dict[str, Any]] = []
    for back in range(27, -1, -1):
        day = today - timedelta(days=back)
        if rng.random() > 0.55 or (back == 0 and clock().hour < 10):
            continue
        at = datetime.combine(day, time(rng.randint(8, 9), rng.randint(0, 59)), UTC)
        number = len(posts) + 1
        post_id = f"{PAGE}_{900000000000000 + number}"
        comments = [
            {
                "id": f"{900000000000000 + number}_{500000 + c}",
                "message": rng.choice(REPLIES),
                "from": {"name": rng.choice(NAMES), "id": str(7000000 + rng.randint(1, 999))},
                "created_time": iso(at + timedelta(minutes=rng.randint(5, 300))),
                "replies": [],
            }
            for c in range(rng.randint(0, 4))
        ]
        posts.append(_post(post_id, rng.choice(MESSAGES), at, rng, comments))
    return {
        "page": {
            "id": PAGE,
            "name": "Harbor & Pine Coffee (sandbox)",
            "category": "Coffee Shop",
            "link": f"https://www.facebook.com/{PAGE}",
            "about": "Small-batch roaster and café. This Page lives in the AI Employee sandbox.",
            "website": "https://harborandpine.example",
            "followers_base": 1840,
        },
        "posts": posts,
        "next_id": len(posts) + 1,
        "faults": [],
    }


def _post(post_id: str, message: str, at: datetime, rng: random.Random, comments: list[Any]) -> dict[str, Any]:
    views = rng.randint(180, 2400)
    return {
        "id": post_id,
        "message": message,
        "created_time": iso(at),
        "permalink_url": f"https://www.facebook.com/{post_id.replace('_', '/posts/')}",
        "reactions": rng.randint(4, max(5, views // 15)),
        "shares": rng.randint(0, 12),
        "views": views,
        "reach": int(views * rng.uniform(0.55, 0.8)),
        "comments": comments,
    }


def _when(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S+0000").replace(tzinfo=UTC)


def _post_view(post: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": post["id"],
        "message": post.get("message", ""),
        "created_time": post["created_time"],
        "permalink_url": post["permalink_url"],
        "shares": {"count": post["shares"]},
        "reactions": {"data": [], "summary": {"total_count": post["reactions"]}},
        "comments": {"data": [], "summary": {"total_count": len(post["comments"]), "can_comment": True}},
        **({"full_picture": post["image_url"]} if post.get("image_url") else {}),
    }


def _find(data: dict[str, Any], object_id: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(post, comment) for an id that names a post or a comment."""
    for post in data["posts"]:
        if post["id"] == object_id:
            return post, None
        for comment in post["comments"]:
            if comment["id"] == object_id:
                return post, comment
    return None, None


def _missing(object_id: str, method: str = "GET") -> GraphFailure:
    return unsupported(method, object_id)


def _day_value(metric: str, day: date, data: dict[str, Any]) -> int:
    noise = zlib.crc32(f"{metric}:{day.isoformat()}".encode()) % 1000
    posts = [p for p in data["posts"] if _when(p["created_time"]).date() == day]
    views = int(sum(p["views"] for p in posts))
    engagement = int(sum(p["reactions"] + p["shares"] + len(p["comments"]) for p in posts))
    base = int(data["page"]["followers_base"]) + (day.toordinal() % 400) * 2
    return {
        "page_media_view": 300 + noise % 400 + views,
        "page_total_media_view_unique": int((300 + noise % 400 + views) * 0.62),
        "page_post_engagements": 10 + noise % 30 + engagement,
        "page_follows": base,
        "page_daily_follows_unique": 1 + noise % 6,
        "page_daily_unfollows_unique": noise % 2,
        "page_video_views": noise % 50,
    }[metric]


def _end_time(day: date) -> str:
    """A daily value's end_time: the next day at 08:00 GMT ("if you set since to January 1, the end_time
    will be January 2 at 8:00 GMT", developers.facebook.com/documentation/pages-api/platforminsights/page)."""
    return iso(datetime.combine(day + timedelta(days=1), time(8), UTC))


def _day_arg(value: str | None, default: date) -> date:
    if not value:
        return default
    if value.isdigit():
        return datetime.fromtimestamp(int(value), UTC).date()
    return date.fromisoformat(value[:10])


def build_emulator(state: SharedState, clock: Clock) -> GraphEmulator:
    emulator = GraphEmulator(state, clock, buc_object=PAGE)
    page_route = rf"(?P<page>{PAGE})"

    @emulator.route("GET", page_route, defaults=("id", "name"))
    def get_page(req: GraphRequest, data: dict[str, Any], m: re.Match[str], now: datetime) -> Any:
        page = {k: v for k, v in data["page"].items() if k != "followers_base"}
        followers = _day_value("page_follows", now.date(), data)
        return {**page, "fan_count": followers - 37, "followers_count": followers}

    @emulator.route("GET", page_route + r"/(posts|published_posts|feed)", defaults=POST_DEFAULTS)
    def list_posts(req: GraphRequest, data: dict[str, Any], m: re.Match[str], now: datetime) -> Any:
        limit = min(int(req.arg("limit") or 25), 100)
        posts = sorted(data["posts"], key=lambda p: p["created_time"], reverse=True)[:limit]
        return {"data": [_post_view(p) for p in posts], "paging": {}}

    @emulator.route("GET", page_route + "/insights")
    def insights(req: GraphRequest, data: dict[str, Any], m: re.Match[str], now: datetime) -> Any:
        metrics = [x.strip() for x in (req.arg("metric") or "").split(",") if x.strip()]
        if not metrics or any(x not in CURRENT_PAGE_METRICS for x in metrics):
            raise GraphFailure(100, "(#100) The value must be a valid insights metric")
        until = _day_arg(req.arg("until"), now.date())
        since = _day_arg(req.arg("since"), until - timedelta(days=2))
        if (until - since).days > 93:
            raise GraphFailure(100, "(#100) The since and until parameters must be no more than 93 days apart")
        days = [since + timedelta(days=i) for i in range((until - since).days)]
        return {
            "data": [
                {
                    "name": metric,
                    "period": "day",
                    "values": [{"value": _day_value(metric, d, data), "end_time": _end_time(d)} for d in days],
                    "id": f"{PAGE}/insights/{metric}/day",
                }
                for metric in metrics
            ]
        }

    @emulator.route("GET", r"(?P<id>\d+_\d+)", defaults=POST_DEFAULTS)
    def get_object(req: GraphRequest, data: dict[str, Any], m: re.Match[str], now: datetime) -> Any:
        post, comment = _find(data, m["id"])
        if post is None:
            raise _missing(m["id"])
        return comment if comment is not None else _post_view(post)

    @emulator.route("GET", r"(?P<id>\d+_\d+)/comments", defaults=("id", "message", "created_time", "from"))
    def comments(req: GraphRequest, data: dict[str, Any], m: re.Match[str], now: datetime) -> Any:
        post, comment = _find(data, m["id"])
        if post is None:
            raise _missing(m["id"])
        items = comment["replies"] if comment is not None else post["comments"]
        return {"data": [{k: v for k, v in c.items() if k != "replies"} for c in items], "paging": {}}

    add_debug_token(
        emulator,
        subject_id=PAGE,
        token_type="PAGE",
        scopes=["pages_manage_posts", "pages_read_engagement", "pages_manage_engagement", "read_insights"],
    )
    _register_writes(emulator, page_route)
    emulator.before.append(lambda state, now: sandbox_inbox.grow(state, now, sandbox_inbox.FACEBOOK))  # issue 16
    return emulator


def _register_writes(emulator: GraphEmulator, page_route: str) -> None:
    @emulator.route("POST", page_route + r"/(?P<edge>feed|photos)", write=True)
    def publish(req: GraphRequest, data: dict[str, Any], m: re.Match[str], now: datetime) -> Any:
        message = req.arg("message") or req.arg("caption") or ""
        image = req.arg("url") if m["edge"] == "photos" else None
        if m["edge"] == "photos" and not (image or "").startswith("https://"):
            raise GraphFailure(324, "(#324) Missing or invalid image file")
        if not message and not req.arg("link") and not image:
            raise GraphFailure(100, "(#100) Missing message or attachment")
        recent = [p for p in data["posts"] if now - _when(p["created_time"]) < timedelta(hours=24)]
        if message and any(p.get("message") == message for p in recent):
            raise GraphFailure(506, "(#506) Duplicate status message")
        number = data["next_id"]
        data["next_id"] += 1
        post_id = f"{PAGE}_{900000000000000 + number}"
        post = _post(post_id, message, now, random.Random(number), [])
        post.update(reactions=0, shares=0, views=0, reach=0, link=req.arg("link"), image_url=image)
        data["posts"].append(post)
        return {"id": f"{800000000000000 + number}", "post_id": post_id} if image else {"id": post_id}

    @emulator.route("POST", r"(?P<id>\d+_\d+)/comments", write=True)
    def reply(req: GraphRequest, data: dict[str, Any], m: re.Match[str], now: datetime) -> Any:
        post, comment = _find(data, m["id"])
        if post is None:
            raise _missing(m["id"])
        if not (req.arg("message") or "").strip():
            raise GraphFailure(100, "(#100) Missing message")
        target = comment["replies"] if comment is not None else post["comments"]
        new_id = f"{m['id'].split('_')[-1]}_{600000 + len(target) + 1}"
        target.append(
            {"id": new_id, "message": req.arg("message"), "from": {"name": data["page"]["name"], "id": PAGE}}
            | {"created_time": iso(now), "replies": []}
        )
        return {"id": new_id}

    @emulator.route("DELETE", r"(?P<id>\d+_\d+)", write=True)
    def delete(req: GraphRequest, data: dict[str, Any], m: re.Match[str], now: datetime) -> Any:
        post, comment = _find(data, m["id"])
        if post is None or comment is not None:
            raise _missing(m["id"])
        data["posts"].remove(post)
        return {"success": True}


def state_for(vault_root: Path, clock: Clock) -> SharedState:
    return SharedState(sandbox_dir(vault_root) / "facebook.json", lambda: seed(clock))
