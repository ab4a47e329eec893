"""The Instagram emulator: the Graph endpoints the server uses over `vault/.ai_employee/sandbox/
instagram.json`, seeded with four weeks of media. Publishing follows the real flow (container →
status → media_publish) and enforces `content_publishing_limit`; removed metrics answer Graph's error."""

from __future__ import annotations

import random
import re
import zlib
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from mcp_servers.core.sandbox import SharedState, sandbox_dir
from mcp_servers.graph import sandbox_inbox
from mcp_servers.graph.fields import top_level
from mcp_servers.graph.sandbox import (
    Clock,
    GraphEmulator,
    GraphFailure,
    GraphRequest,
    add_debug_token,
    iso,
    unsupported,
)
from mcp_servers.instagram.const import CURRENT_ACCOUNT_METRICS, SANDBOX_ACCOUNT_ID

ACCOUNT = SANDBOX_ACCOUNT_ID
CAPTIONS = (
    "Fresh roast Thursday ☕️ Ethiopia Guji is back. #coffee #specialtycoffee",
    "Latte art practice before opening. Which one is your favourite? #latteart",
    "Cupping Saturday at 10:00, free for everyone. #cupping #coffeelovers",
    "Gift boxes are here 🎁 three coffees, one mug, one guide.",
    "Morning light at the roastery. #roastery",
    "Meet Ana, our head roaster 👋",
)
USERS = ("maya.c", "liam_ortiz", "sofia.rossi", "noahkim", "emma.nvk", "lucas_s")
REPLIES = ("Looks amazing!", "What time do you open?", "😍😍", "Need this", "Best beans in town")


def seed(clock: Clock) -> dict[str, Any]:
    rng = random.Random(20261126)
    today = clock().date()
    media: list[dict[str, Any]] = []
    for back in range(27, 0, -1):
        if rng.random() > 0.4:
            continue
        at = datetime.combine(today - timedelta(days=back), time(rng.randint(10, 17), rng.randint(0, 59)), UTC)
        number = len(media) + 1
        item = _media(number, rng.choice(CAPTIONS), at, rng, "IMAGE")
        item["comments"] = [
            {
                "id": f"1780000000{number:04d}{c:03d}",
                "text": rng.choice(REPLIES),
                "username": rng.choice(USERS),
                "timestamp": iso(at + timedelta(minutes=rng.randint(3, 400))),
                "replies": [],
            }
            for c in range(rng.randint(0, 3))
        ]
        media.append(item)
    return {
        "account": {
            "id": ACCOUNT,
            "username": "harborandpine.sandbox",
            "name": "Harbor & Pine Coffee (sandbox)",
            "biography": "Small-batch roaster ☕️ This account lives in the AI Employee sandbox.",
            "website": "https://harborandpine.example",
            "followers_base": 1260,
            "follows_count": 180,
        },
        "media": media,
        "containers": {},
        "published_at": [],  # API publishes, for content_publishing_limit
        "quota_total": 100,
        "processing_polls": 0,  # status reads a new container answers IN_PROGRESS (tests raise it)
        "next_id": len(media) + 1,
        "faults": [],
    }


def _media(number: int, caption: str, at: datetime, rng: random.Random, kind: str) -> dict[str, Any]:
    views = rng.randint(150, 1800)
    return {
        "id": f"1800000000{number:07d}",
        "caption": caption,
        "media_type": kind,
        "media_product_type": "FEED",
        "timestamp": iso(at),
        "permalink": f"https://www.instagram.com/p/SBX{number:05d}/",
        "like_count": rng.randint(8, max(9, views // 12)),
        "views": views,
        "reach": int(views * 0.7),
        "saved": rng.randint(0, 20),
        "shares": rng.randint(0, 10),
        "comments": [],
    }


def _when(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S+0000").replace(tzinfo=UTC)


def _media_view(item: dict[str, Any]) -> dict[str, Any]:
    hidden = {"comments", "views", "reach", "saved", "shares", "insights_refused"}
    view = {k: v for k, v in item.items() if k not in hidden}
    view["comments_count"] = len(item["comments"])
    view["insights"] = {"data": [_views_row(item)]}
    return view


def _views_row(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": "views",
        "period": "lifetime",
        "values": [{"value": item["views"]}],
        "title": "Views",
        "description": "The number of times your post was played or displayed.",
        "id": f"{item['id']}/insights/views/lifetime",
    }


def _insights_refused(item: dict[str, Any]) -> GraphFailure:
    """Graph's answer for media posted before the account became a business account: an IGApiException
    100/2108006 without user title or message (body recorded 2026-08-02; tests/instagram/fixtures/real/)."""
    return GraphFailure(
        100,
        "The media was posted before the most recent time that the user's account was converted to a business "
        "account from a personal account.",
        subcode=2108006,
        kind="IGApiException",
    )


def refuse_insights(state: SharedState, media_id: str) -> None:
    """Make Graph refuse this media item's insights, as for media posted before the business conversion."""
    with state.transaction() as data:
        for item in data["media"]:
            if item["id"] == media_id:
                item["insights_refused"] = True
                return
    raise KeyError(media_id)


def _comment(data: dict[str, Any], comment_id: str) -> dict[str, Any] | None:
    for item in data["media"]:
        for comment in item["comments"]:
            if comment["id"] == comment_id:
                return dict(comment)
    return None


def _missing(object_id: str, method: str = "GET") -> GraphFailure:
    return unsupported(method, object_id, kind="IGApiException")


def _account_value(metric: str, since: date, until: date, data: dict[str, Any]) -> int:
    days = max(1, (until - since).days)
    noise = zlib.crc32(f"{metric}:{since}:{until}".encode()) % 100
    inside = [m for m in data["media"] if since <= _when(m["timestamp"]).date() < until]
    likes = sum(m["like_count"] for m in inside)
    comments = sum(len(m["comments"]) for m in inside)
    views = sum(m["views"] for m in inside) + 90 * days
    values = {
        "views": views,
        "reach": int(views * 0.55),
        "accounts_engaged": 12 * days + likes // 3,
        "total_interactions": likes + comments + sum(m["saved"] + m["shares"] for m in inside),
        "likes": likes,
        "comments": comments,
        "shares": sum(m["shares"] for m in inside),
        "saves": sum(m["saved"] for m in inside),
        "replies": noise % 5,
        "follows_and_unfollows": 3 * days + noise % 7,
        "profile_links_taps": 2 * days + noise % 9,
    }
    return int(values[metric])


def quota_usage(data: dict[str, Any], now: datetime) -> int:
    return sum(1 for t in data["published_at"] if now - _when(t) < timedelta(hours=24))


def build_emulator(state: SharedState, clock: Clock) -> GraphEmulator:
    emulator = GraphEmulator(state, clock, buc_object=ACCOUNT)
    acct = rf"(?P<acct>{ACCOUNT})"

    @emulator.route("GET", acct, defaults=("id",))
    def account(req: GraphRequest, data: dict[str, Any], m: re.Match[str], now: datetime) -> Any:
        info = {k: v for k, v in data["account"].items() if k != "followers_base"}
        followers = data["account"]["followers_base"] + now.date().toordinal() % 300
        return {**info, "followers_count": followers, "media_count": len(data["media"])}

    @emulator.route("GET", acct + "/media", defaults=("id",))
    def media(req: GraphRequest, data: dict[str, Any], m: re.Match[str], now: datetime) -> Any:
        limit = min(int(req.arg("limit") or 25), 100)
        items = sorted(data["media"], key=lambda i: i["timestamp"], reverse=True)[:limit]
        if "insights" in top_level(req.arg("fields") or ""):  # one refused item fails the whole expansion
            refused = next((i for i in items if i.get("insights_refused")), None)
            if refused is not None:
                raise _insights_refused(refused)
        return {"data": [_media_view(i) for i in items], "paging": {}}

    @emulator.route("GET", rf"(?!{ACCOUNT}/)(?P<id>\d+)/insights")
    def media_insights(req: GraphRequest, data: dict[str, Any], m: re.Match[str], now: datetime) -> Any:
        item = next((i for i in data["media"] if i["id"] == m["id"]), None)
        if item is None:
            raise _missing(m["id"])
        metrics = [x.strip() for x in (req.arg("metric") or "").split(",") if x.strip()]
        if metrics != ["views"]:
            raise GraphFailure(100, "(#100) The Media Insights API does not support this metric for this media")
        if item.get("insights_refused"):
            raise _insights_refused(item)
        return {"data": [_views_row(item)]}

    @emulator.route("GET", acct + "/content_publishing_limit", defaults=("quota_usage",))
    def publishing_limit(req: GraphRequest, data: dict[str, Any], m: re.Match[str], now: datetime) -> Any:
        config = {"quota_total": data["quota_total"], "quota_duration": 86400}
        row = {"quota_usage": quota_usage(data, now), "config": config if data["quota_total"] is not None else None}
        return {"data": [row]}

    @emulator.route("GET", acct + "/insights")
    def insights(req: GraphRequest, data: dict[str, Any], m: re.Match[str], now: datetime) -> Any:
        metrics = [x.strip() for x in (req.arg("metric") or "").split(",") if x.strip()]
        for index, metric in enumerate(metrics):
            if metric not in CURRENT_ACCOUNT_METRICS:
                raise GraphFailure(
                    100,
                    f"(#100) metric[{index}] must be one of the following values: {', '.join(CURRENT_ACCOUNT_METRICS)}",
                )
        since = datetime.fromtimestamp(int(req.arg("since") or now.timestamp() - 86400 * 7), UTC).date()
        until = datetime.fromtimestamp(int(req.arg("until") or now.timestamp()), UTC).date()
        return {
            "data": [
                {
                    "name": metric,
                    "period": "day",
                    "total_value": {"value": _account_value(metric, since, until, data)},
                    "id": f"{ACCOUNT}/insights/{metric}/day",
                }
                for metric in metrics
            ]
        }

    @emulator.route("GET", r"(?P<id>\d+)", defaults=("id",))
    def get_object(req: GraphRequest, data: dict[str, Any], m: re.Match[str], now: datetime) -> Any:
        return _read_object(data, m["id"], state)

    @emulator.route("GET", r"(?P<id>\d+)/(?P<edge>comments|replies)", defaults=("id", "text", "timestamp"))
    def comments(req: GraphRequest, data: dict[str, Any], m: re.Match[str], now: datetime) -> Any:
        item = next((i for i in data["media"] if i["id"] == m["id"]), None)
        parent = _comment(data, m["id"])
        if item is None and parent is None:
            raise _missing(m["id"])
        rows = item["comments"] if item is not None else parent["replies"] if parent else []
        return {"data": [{k: v for k, v in c.items() if k != "replies"} for c in rows]}

    add_debug_token(
        emulator,
        subject_id=ACCOUNT,
        token_type="USER",
        scopes=["instagram_basic", "instagram_content_publish", "instagram_manage_insights"],
    )
    _register_writes(emulator, acct)
    emulator.before.append(lambda state, now: sandbox_inbox.grow(state, now, sandbox_inbox.INSTAGRAM))  # issue 16
    return emulator


def _read_object(data: dict[str, Any], object_id: str, state: SharedState) -> Any:
    container = data["containers"].get(object_id)
    if container is not None:
        if container["status_code"] == "IN_PROGRESS":
            with state.transaction() as fresh:  # each status read brings processing one step closer
                live = fresh["containers"][object_id]
                live["polls_left"] -= 1
                if live["polls_left"] <= 0:
                    live["status_code"] = "FINISHED"
                container = dict(live)
        return {"id": object_id, "status_code": container["status_code"], "status": container["status_code"]}
    item = next((i for i in data["media"] if i["id"] == object_id), None)
    if item is None:
        raise _missing(object_id)
    return _media_view(item)


def _register_writes(emulator: GraphEmulator, acct: str) -> None:
    @emulator.route("POST", acct + "/media", write=True)
    def create_container(req: GraphRequest, data: dict[str, Any], m: re.Match[str], now: datetime) -> Any:
        kind = req.arg("media_type") or "IMAGE"
        children = [c for c in (req.arg("children") or "").split(",") if c]
        if kind == "CAROUSEL":
            if not 2 <= len(children) <= 10 or any(c not in data["containers"] for c in children):
                raise GraphFailure(100, "(#100) The carousel needs 2 to 10 valid child containers")
        else:
            url = req.arg("image_url") or ""
            if not url.startswith("https://") or not url.lower().split("?")[0].endswith((".jpg", ".jpeg")):
                raise GraphFailure(
                    9004,
                    "Only photo or video can be accepted as media type.",
                    subcode=2207052,
                    user=(
                        "Media download has failed. The media URI doesn't meet our requirements.",
                        f"The media could not be fetched from this URI: {url}.",
                    ),
                )
        number = data["next_id"]
        data["next_id"] += 1
        container_id = f"1790000000{number:07d}"
        polls = int(data.get("processing_polls", 0))
        data["containers"][container_id] = {
            "status_code": "IN_PROGRESS" if polls else "FINISHED",
            "polls_left": polls,
            "kind": "CAROUSEL_ALBUM" if kind == "CAROUSEL" else "IMAGE",
            "caption": req.arg("caption") or "",
            "children": children,
            "created": iso(now),
        }
        return {"id": container_id}

    @emulator.route("POST", acct + "/media_publish", write=True)
    def publish(req: GraphRequest, data: dict[str, Any], m: re.Match[str], now: datetime) -> Any:
        container = data["containers"].get(req.arg("creation_id") or "")
        if container is None:
            raise _missing(req.arg("creation_id") or "")
        if container["status_code"] != "FINISHED":
            raise GraphFailure(
                9007,
                "Media ID is not available",
                subcode=2207027,
                user=("Cannot publish", "The media is not ready to be published. Please wait a moment."),
            )
        if data["quota_total"] is not None and quota_usage(data, now) >= data["quota_total"]:
            raise GraphFailure(9, "Application request limit reached: content publishing limit", subcode=2207042)
        number = data["next_id"]
        data["next_id"] += 1
        item = _media(number, container["caption"], now, random.Random(number), container["kind"])
        item.update(like_count=0, views=0, reach=0, saved=0, shares=0)
        data["media"].append(item)
        data["published_at"].append(iso(now))
        container.update(status_code="PUBLISHED", media_id=item["id"])
        return {"id": item["id"]}

    @emulator.route("POST", r"(?P<id>\d+)/replies", write=True)
    def reply(req: GraphRequest, data: dict[str, Any], m: re.Match[str], now: datetime) -> Any:
        for item in data["media"]:
            for comment in item["comments"]:
                if comment["id"] == m["id"]:
                    reply_id = f"1781{m['id'][4:]}{len(comment['replies']) + 1:02d}"
                    comment["replies"].append(
                        {"id": reply_id, "text": req.arg("message") or "", "username": data["account"]["username"]}
                        | {"timestamp": iso(now)}
                    )
                    return {"id": reply_id}
        raise _missing(m["id"])


def state_for(vault_root: Path, clock: Clock) -> SharedState:
    return SharedState(sandbox_dir(vault_root) / "instagram.json", lambda: seed(clock))
