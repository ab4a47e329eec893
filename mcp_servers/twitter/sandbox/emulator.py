"""X API v2 emulator for sandbox mode, served at the requests transport level (and optionally on a port).

The same tweepy code runs against it: `EmulatorAdapter` is mounted on the client's session for
https://api.x.com and https://api.twitter.com. State is a `SharedState` JSON file under
`vault/.ai_employee/sandbox/twitter.json`, so two server processes see each other's posts. Faults for
tests are queued in that file (`inject_fault`) and fire on the matching call.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from mcp_servers.core.sandbox import SharedState, sandbox_dir
from mcp_servers.twitter.sandbox import media as sandbox_media
from mcp_servers.twitter.sandbox import mentions as sandbox_mentions
from mcp_servers.twitter.sandbox.seed import iso, metrics, seed_state, snowflake
from mcp_servers.twitter.text import weighted_length

Reply = tuple[int, dict[str, str], dict[str, Any] | None]
FAULT_KINDS = (
    "expired_token",
    "read_only_app",
    "rate_limit",
    "duplicate",
    "server_error",
    "out_of_credits",
    "timeout_after_post",
    "timeout",
    "reply_refused",
)  # each fires on its `on`: create_post, delete_post, upload_media (POST /2/media/*), read or any
POST_WINDOW = (100, 900)  # X's documented per-user limit for POST /2/tweets: 100 per 15 min


def _problem(status: int, title: str, detail: str, ptype: str = "about:blank", **extra: Any) -> dict[str, Any]:
    return {"title": title, "detail": detail, "type": ptype, "status": status, **extra}


PROBLEMS: dict[str, tuple[int, dict[str, Any]]] = {
    "expired_token": (401, _problem(401, "Unauthorized", "Unauthorized")),
    "read_only_app": (
        403,
        _problem(
            403,
            "Forbidden",
            "Your client app is not configured with the appropriate oauth1 app permissions for this endpoint.",
            "https://api.twitter.com/2/problems/oauth1-permissions",
        ),
    ),
    "duplicate": (403, _problem(403, "Forbidden", "You are not allowed to create a Tweet with duplicate content.")),
    # The 2026-02-23 reply rule (reference §7 "Checked against the 2026 docs"; body as X sends it, logged by
    # open-source clients in 2026; fixture tests/twitter/fixtures/real/reply_refused.json).
    "reply_refused": (
        403,
        _problem(
            403,
            "Forbidden",
            "Reply to this conversation is not allowed because you have not been mentioned or otherwise engaged "
            "by the author of the post you are replying to.",
        ),
    ),
    "rate_limit": (429, _problem(429, "Too Many Requests", "Too Many Requests")),
    "server_error": (500, _problem(500, "Internal Server Error", "Internal Server Error")),
    "out_of_credits": (
        402,
        _problem(
            402,
            "CreditsDepleted",
            "Your enrolled account does not have any credits to fulfill this request.",
            "https://api.twitter.com/2/problems/credits",
        ),
    ),
}


class TimeoutAfterSend(Exception):
    """The emulator applied the call but the answer is 'lost' (fault `timeout_after_post`)."""


def state_path(vault_root: Path) -> Path:
    return sandbox_dir(vault_root) / "twitter.json"


def open_state(vault_root: Path, clock: Callable[[], float] = time.time) -> SharedState:
    return SharedState(state_path(vault_root), lambda: seed_state(datetime.fromtimestamp(clock(), UTC)))


def inject_fault(vault_root: Path, kind: str, on: str = "create_post", skip: int = 0, times: int = 1) -> None:
    """Queue a fault: the (skip+1)-th matching call (`create_post`, `delete_post`, `read`, `any`) fails."""
    if kind not in FAULT_KINDS:
        raise ValueError(f"unknown fault {kind!r}; one of {', '.join(FAULT_KINDS)}")
    with open_state(vault_root).transaction() as state:
        state.setdefault("faults", []).append({"kind": kind, "on": on, "skip": skip, "times": times})


class XEmulator:
    """The slice of X API v2 this product uses, with X's answers and error bodies."""

    def __init__(self, state: SharedState, clock: Callable[[], float] = time.time) -> None:
        self.state = state
        self._clock = clock

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), UTC)

    def handle(self, method: str, url: str, headers: dict[str, str], body: bytes | None) -> Reply:
        parts = urlsplit(url)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        segments = [s for s in parts.path.split("/") if s]
        if not headers.get("Authorization", "").startswith("OAuth "):
            return PROBLEMS["expired_token"][0], {}, PROBLEMS["expired_token"][1]
        op = {"POST": "create_post", "DELETE": "delete_post"}.get(method, "read")
        if segments[:2] == ["2", "media"] and method == "POST":
            op = "upload_media"
        fault = self._take_fault(op)
        if fault in PROBLEMS:
            return self._fault_reply(fault)
        if fault == "timeout":
            raise TimeoutAfterSend("timeout")
        sandbox_mentions.grow(self.state, self._now())  # issue 16: mentions arrive over time
        if op == "upload_media":
            with self.state.transaction() as state:
                if segments == ["2", "media", "upload"]:
                    reply = sandbox_media.upload(state, self._now(), _header(headers, "content-type"), body or b"")
                elif segments == ["2", "media", "metadata"]:
                    reply = sandbox_media.metadata(state, body or b"")
                else:
                    reply = 404, {}, _problem(404, "Not Found", "Sorry, that page does not exist.")
        else:
            reply = self._route(method, segments, query, body)
        if fault == "timeout_after_post":
            raise TimeoutAfterSend("timeout after the call was applied")
        return reply

    def _fault_reply(self, kind: str) -> Reply:
        status, problem = PROBLEMS[kind]
        headers = {}
        if kind == "rate_limit":
            headers = {"x-rate-limit-limit": "100", "x-rate-limit-remaining": "0"}
            headers["x-rate-limit-reset"] = str(int(self._clock()) + 900)
        return status, headers, problem

    def _take_fault(self, op: str) -> str | None:
        if not self.state.snapshot().get("faults"):
            return None
        with self.state.transaction() as state:
            for fault in state["faults"]:
                if fault["on"] not in (op, "any"):
                    continue
                if fault["skip"] > 0:
                    fault["skip"] -= 1
                    return None
                fault["times"] -= 1
                if fault["times"] <= 0:
                    state["faults"].remove(fault)
                return str(fault["kind"])
        return None

    def _route(self, method: str, seg: list[str], query: dict[str, str], body: bytes | None) -> Reply:
        if method == "GET" and seg == ["2", "users", "me"]:
            return 200, {}, {"data": _only(self._me(), query.get("user.fields"), USER_DEFAULTS)}
        if method == "GET" and len(seg) == 4 and seg[:2] == ["2", "users"] and seg[3] == "tweets":
            return self._timeline(seg[2], query)
        if method == "GET" and len(seg) == 4 and seg[:2] == ["2", "users"] and seg[3] == "mentions":
            return sandbox_mentions.mentions(self.state.snapshot(), seg[2], query)
        if method == "GET" and len(seg) == 3 and seg[:2] == ["2", "tweets"]:
            return self._lookup(seg[2], query)
        if method == "POST" and seg == ["2", "tweets"]:
            return self._create(json.loads(body or b"{}"))
        if method == "DELETE" and len(seg) == 3 and seg[:2] == ["2", "tweets"]:
            return self._delete(seg[2])
        return 404, {}, _problem(404, "Not Found", "Sorry, that page does not exist.")

    def _me(self) -> dict[str, Any]:
        snap = self.state.snapshot()
        posts = [p for p in snap["posts"] if not p.get("deleted")]
        counts = {"followers_count": snap["followers"], "following_count": 212, "listed_count": 9}
        return {**snap["me"], "public_metrics": {**counts, "tweet_count": len(posts), "like_count": 530}}

    def _render(self, post: dict[str, Any], spelling: str) -> dict[str, Any]:
        data = {k: post[k] for k in ("id", "text", "created_at")}
        data.update(author_id=self.state.snapshot()["me"]["id"], edit_history_tweet_ids=[post["id"]])
        data["conversation_id"] = post.get("conversation_id", post["id"])
        if post.get("in_reply_to"):
            data["referenced_tweets"] = [{"type": "replied_to", "id": post["in_reply_to"]}]
            data["in_reply_to_user_id"] = data["author_id"]
        data["public_metrics"] = metrics(post, self._now(), spelling)
        return data

    def _timeline(self, user_id: str, query: dict[str, str]) -> Reply:
        snap = self.state.snapshot()
        if user_id != snap["me"]["id"]:
            return 200, {}, {"meta": {"result_count": 0}}
        posts = [p for p in reversed(snap["posts"]) if not p.get("deleted")]
        if "replies" in query.get("exclude", ""):
            posts = [p for p in posts if not p.get("in_reply_to")]
        posts = posts[: int(query.get("max_results", "10"))]
        spelling, fields = snap.get("metric_spelling", "classic"), query.get("tweet.fields")
        data = [_only(self._render(p, spelling), fields, TWEET_DEFAULTS) for p in posts]
        meta: dict[str, Any] = {"result_count": len(data)}
        if data:
            meta.update(newest_id=data[0]["id"], oldest_id=data[-1]["id"])
        return 200, {}, ({"data": data, "meta": meta} if data else {"meta": meta})

    def _lookup(self, post_id: str, query: dict[str, str]) -> Reply:
        snap = self.state.snapshot()
        for post in snap["posts"]:
            if post["id"] == post_id and not post.get("deleted"):
                rendered = self._render(post, snap.get("metric_spelling", "classic"))
                return 200, {}, {"data": _only(rendered, query.get("tweet.fields"), TWEET_DEFAULTS)}
        mention = sandbox_mentions.find(snap, post_id)
        if mention is not None:
            return 200, {}, {"data": sandbox_mentions.render(mention)}
        return 200, {}, {"errors": [_not_found(post_id)]}

    def _create(self, payload: dict[str, Any]) -> Reply:
        text = str(payload.get("text", ""))
        reply_to = (payload.get("reply") or {}).get("in_reply_to_tweet_id")
        if not text.strip() or weighted_length(text) > 280:
            detail = "Your Tweet text is too long." if text.strip() else "Tweet text is empty."
            return 400, {}, _problem(400, "Invalid Request", detail)
        now = self._now()
        with self.state.transaction() as state:
            limited = self._count_window(state, "POST /2/tweets") or sandbox_media.check_media_ids(state, now, payload)
            if limited:
                return limited
            live = [p for p in state["posts"] if not p.get("deleted")]
            if any(p["text"] == text for p in live):
                return PROBLEMS["duplicate"][0], {}, PROBLEMS["duplicate"][1]
            parent = next((p for p in live if p["id"] == reply_to), None) if reply_to else None
            parent = parent or (sandbox_mentions.find(state, reply_to) if reply_to else None)
            if reply_to and parent is None:
                return 400, {}, _problem(400, "Invalid Request", f"Could not find tweet with id: [{reply_to}].")
            post_id = snowflake(now, len(state["posts"]))
            post = {"id": post_id, "text": text, "created_at": iso(now), "reach": 200 + int(post_id) % 1500}
            post.update(
                engagement=0.03, conversation_id=parent.get("conversation_id", parent["id"]) if parent else post_id
            )
            if parent:
                post["in_reply_to"] = parent["id"]
            if (payload.get("media") or {}).get("media_ids"):
                post["media_ids"] = [str(i) for i in payload["media"]["media_ids"]]
            state["posts"].append(post)
        return 201, {}, {"data": {"id": post_id, "text": text}}  # as docs.x.com and tweepy's cassettes show

    def _delete(self, post_id: str) -> Reply:
        with self.state.transaction() as state:
            for post in state["posts"]:
                if post["id"] == post_id and not post.get("deleted"):
                    post["deleted"] = True
                    return 200, {}, {"data": {"deleted": True}}
        return 404, {}, {"errors": [_not_found(post_id)], "title": "Not Found Error", "status": 404}

    def _count_window(self, state: dict[str, Any], key: str) -> Reply | None:
        limit, span = POST_WINDOW
        now = int(self._clock())
        start, used = state.setdefault("windows", {}).get(key, [now, 0])
        if now - start >= span:
            start, used = now, 0
        if used >= limit:
            headers = {"x-rate-limit-limit": str(limit), "x-rate-limit-remaining": "0"}
            headers["x-rate-limit-reset"] = str(start + span)
            return 429, headers, PROBLEMS["rate_limit"][1]
        state["windows"][key] = [start, used + 1]
        return None


TWEET_DEFAULTS = ("id", "text", "edit_history_tweet_ids")  # what X answers for a post when no fields are named
USER_DEFAULTS = ("id", "name", "username")


def _only(obj: dict[str, Any], fields: str | None, defaults: tuple[str, ...]) -> dict[str, Any]:
    """X answers the default fields plus those named in `tweet.fields` / `user.fields` (tweepy's cassettes)."""
    wanted = {*defaults, *(f.strip() for f in (fields or "").split(",") if f.strip())}
    return {k: v for k, v in obj.items() if k in wanted}


def _header(headers: dict[str, str], name: str) -> str:
    return next((v for k, v in headers.items() if k.lower() == name), "")


def _not_found(post_id: str) -> dict[str, Any]:
    return {
        "value": post_id,
        "detail": f"Could not find tweet with id: [{post_id}].",
        "title": "Not Found Error",
        "resource_type": "tweet",
        "parameter": "id",
        "resource_id": post_id,
        "type": "https://api.twitter.com/2/problems/resource-not-found",
    }
