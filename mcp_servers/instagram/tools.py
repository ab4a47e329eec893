"""The Instagram tools: plain functions over `InstagramClient`; writes are `WriteAction`s for the gate.

Publishing is container → bounded status poll → media_publish. The container id is stored under the
call id before publishing, so an interrupted publish is settled by reading that container: PUBLISHED
means it went out; anything else means it did not, and a FINISHED container is reused, never re-created.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from mcp_servers.core.actions import CallContext, Resolution, WriteAction
from mcp_servers.core.errors import (
    Ambiguous,
    InvalidInput,
    NotFound,
    PermissionDenied,
    RateLimited,
    ServiceError,
    Unavailable,
)
from mcp_servers.core.models import Preview
from mcp_servers.core.schedule import check_schedule
from mcp_servers.core.text_match import find_by_text
from mcp_servers.core.untrusted import md_block, md_inline
from mcp_servers.core.vault import Vault, atomic_write, file_lock
from mcp_servers.graph import validation as check
from mcp_servers.graph.insights import read_each
from mcp_servers.instagram.client import InstagramClient
from mcp_servers.instagram.const import (
    DEFAULT_ACCOUNT_METRICS,
    MAX_ALT_TEXT,
    MAX_CAPTION,
    MAX_CAROUSEL,
    MAX_HASHTAGS,
    MAX_MENTIONS,
    REMOVED_METRICS,
)
from mcp_servers.instagram.models import (
    AccountInfo,
    AccountInsights,
    AccountInsightsArgs,
    Comment,
    CommentList,
    CreatePostArgs,
    GetAccountArgs,
    ListCommentsArgs,
    ListMediaArgs,
    MediaList,
    MediaSummary,
    MetricTotal,
    MissingViews,
    PublishingQuota,
    PublishingQuotaArgs,
    ReplyToCommentArgs,
)

UNKNOWN_QUOTA = (
    "the publishing quota is unknown: Instagram reported {used} posts used but no limit (its answer had no "
    "config); posting is not blocked, and Instagram refuses a post over its limit with code 9"
)

# --- reads ----------------------------------------------------------------------------------------


def get_account(client: InstagramClient, args: GetAccountArgs) -> AccountInfo:
    """The Instagram professional account this server manages: username, followers, media count."""
    a = client.account()
    return AccountInfo(
        id=a["id"],
        username=a.get("username", ""),
        name=a.get("name"),
        biography=a.get("biography"),
        website=a.get("website"),
        followers=a.get("followers_count"),
        follows=a.get("follows_count"),
        media_count=a.get("media_count"),
    )


def publishing_quota(client: InstagramClient, args: PublishingQuotaArgs) -> PublishingQuota:
    """How many posts the account may still publish through the API in the current window, read live from
    Instagram (the documented limit contradicts itself: 100, 50 or 25 per 24 h)."""
    used, total, window = client.quota()
    if total is None:
        return PublishingQuota(
            used=used, total=None, remaining=None, window_hours=window / 3600, note=UNKNOWN_QUOTA.format(used=used)
        )
    return PublishingQuota(used=used, total=total, remaining=max(0, total - used), window_hours=window / 3600)


def list_media(client: InstagramClient, args: ListMediaArgs) -> MediaList:
    """The account's newest posts with likes, comments and views. Views are read per post (one Graph call
    each, so `limit` + 1 calls in all); a post Instagram has no insights for (e.g. posted before the switch
    to a professional account) is listed without views and named in `views_missing`."""
    rows = client.media(args.limit)
    missing: list[MissingViews] = []
    items, denied = [], ""
    for m in rows:
        views = None
        try:
            if not denied:
                views = client.media_views(m["id"])
        except PermissionDenied as exc:  # the token cannot read insights at all: don't ask for each item
            denied = exc.message
        except (InvalidInput, NotFound) as exc:
            missing.append(MissingViews(media_id=m["id"], reason=exc.message))
        if denied:
            missing.append(MissingViews(media_id=m["id"], reason=denied))
        items.append(
            MediaSummary(
                id=m["id"],
                caption=m.get("caption", ""),
                media_type=m.get("media_type", ""),
                timestamp=m["timestamp"],
                permalink=m.get("permalink"),
                likes=m.get("like_count", 0),
                comments=m.get("comments_count", 0),
                views=views,
            )
        )
    return MediaList(account_id=client.account_id, media=items, views_missing=missing)


def list_comments(client: InstagramClient, args: ListCommentsArgs) -> CommentList:
    """Comments on one post, with the ids reply_to_comment needs."""
    media_id = check.object_id(args.media_id, "media_id")
    rows = client.comments(media_id)
    comments = [
        Comment(id=c["id"], text=c.get("text", ""), username=c.get("username"), timestamp=c.get("timestamp"))
        for c in rows
    ]
    return CommentList(media_id=media_id, comments=comments)


def account_insights(client: InstagramClient, args: AccountInsightsArgs) -> AccountInsights:
    """Account totals over the last `days` days, current metrics only. A metric Instagram rejects (e.g. the
    removed impressions) is dropped and listed in `dropped` with its replacement, not fatal."""
    wanted = list(dict.fromkeys(args.metrics or DEFAULT_ACCOUNT_METRICS))
    until = client.now().date() + timedelta(days=1)
    since = until - timedelta(days=args.days)
    rows, dropped = read_each(lambda metrics: client.insights(metrics, since, until), wanted, REMOVED_METRICS)
    totals = [MetricTotal(name=r["name"], value=(r.get("total_value") or {}).get("value", 0)) for r in rows]
    return AccountInsights(since=since, until=until, metrics=totals, dropped=dropped)


# --- create_post ----------------------------------------------------------------------------------


def _checked_post(args: CreatePostArgs) -> tuple[list[str], list[str]]:
    """Clock-free validation: the image URLs in order, and warnings."""
    if args.image_url and args.image_urls:
        raise InvalidInput("give image_url (one image) or image_urls (a carousel), not both.", field="image_urls")
    urls = [args.image_url] if args.image_url else list(args.image_urls or [])
    if not urls:
        what = "an empty caption and no image" if not args.caption.strip() else "no image"
        raise InvalidInput(f"Instagram posts need an image; got {what}. Give image_url.", field="image_url")
    if args.image_urls is not None and not 2 <= len(urls) <= MAX_CAROUSEL:
        raise InvalidInput(f"a carousel holds 2 to {MAX_CAROUSEL} images; got {len(urls)}.", field="image_urls")
    check.text_limits(
        args.caption, "caption", max_chars=MAX_CAPTION, max_hashtags=MAX_HASHTAGS, max_mentions=MAX_MENTIONS
    )
    if args.alt_text is not None and len(args.alt_text) > MAX_ALT_TEXT:
        raise InvalidInput(f"at most {MAX_ALT_TEXT} characters.", field="alt_text")
    field = "image_url" if args.image_url else "image_urls"
    warnings = []
    for url in urls:
        check.public_url(url, field)
        note = check.jpeg_url(url, field)
        if note:
            warnings.append(note)
    return urls, warnings


def _container_forms(args: CreatePostArgs, urls: list[str]) -> tuple[list[dict[str, str]], dict[str, str] | None]:
    """The child forms and the parent form (None for a single image, whose one form carries the caption)."""
    alt = {"alt_text": args.alt_text} if args.alt_text else {}
    if len(urls) == 1 and args.image_urls is None:
        return [{"image_url": urls[0], "caption": args.caption, **alt}], None
    children = [{"image_url": url, "is_carousel_item": "true", **alt} for url in urls]
    return children, {"media_type": "CAROUSEL", "children": "<child container ids>", "caption": args.caption}


def _quota_line(client: InstagramClient) -> tuple[str, bool]:
    """'N of M posts left …' read live; raises `RateLimited` when none are left."""
    try:
        used, total, window = client.quota()
    except Unavailable:
        return "the publishing quota could not be read; it is checked again before publishing", True
    if total is None:
        return UNKNOWN_QUOTA.format(used=used), False
    if used >= total:
        raise RateLimited(
            f"Instagram's publishing limit is used up ({used} of {total} in {window // 3600} h).",
            retry_after=float(window) / max(total, 1),
        )
    return f"{total - used} of {total} posts left in {window // 3600} h (read live from Instagram)", False


def preview_post(client: InstagramClient, args: CreatePostArgs) -> Preview:
    urls, warnings = _checked_post(args)
    when = check_schedule(args.scheduled_for, client.now())
    client.cap.check(len(urls) + 3)
    quota, lookup_failed = _quota_line(client)
    children, parent = _container_forms(args, urls)
    steps = [client.graph.describe("POST", f"{client.account_id}/media", form) for form in children]
    if parent:
        steps.append(client.graph.describe("POST", f"{client.account_id}/media", parent))
    steps.append(client.graph.describe("POST", f"{client.account_id}/media_publish", {"creation_id": "<container id>"}))
    kind = f"carousel of {len(urls)} images" if parent else "one image"
    lines = [f"**Instagram** account {client.account_id} · {kind}", "", md_block(args.caption or "(no caption)")]
    lines += [f"\n{i}. {md_inline(url)}" for i, url in enumerate(urls, start=1)]
    if args.alt_text:
        lines.append(f"\n**Alt text**: {md_inline(args.alt_text)}")
    lines.append(f"\n**When**: {when:%Y-%m-%d %H:%M %Z}" if when else "\n**When**: on approval")
    return Preview(
        summary=f"Post to Instagram: {check.one_line(args.caption or kind)}",
        details="\n".join(lines),
        request={"steps": steps, "flow": "create container(s) → wait until FINISHED → media_publish (once)"},
        warnings=warnings,
        rate_limit=quota,
        scheduled_for=when,
        platforms=["instagram"],
        lookup_failed=lookup_failed,
    )


class ContainerStore:
    """call id → container id, in the vault, so a crash between container and publish can be settled."""

    def __init__(self, vault: Vault) -> None:
        self.path = vault.state_path("instagram", "containers.json")

    def _load(self) -> dict[str, str]:
        try:
            data: dict[str, str] = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return {}
        return data

    def get(self, call_id: str) -> str | None:
        return self._load().get(call_id)

    def put(self, call_id: str, container_id: str) -> None:
        with file_lock(self.path.with_suffix(".lock")):
            data = self._load()
            data[call_id] = container_id
            atomic_write(self.path, json.dumps(data))


def _make_container(client: InstagramClient, args: CreatePostArgs, urls: list[str]) -> str:
    children, parent = _container_forms(args, urls)
    try:
        ids = [client.create_container(form) for form in children]
        if parent is None:
            return ids[0]
        return client.create_container({**parent, "children": ",".join(ids)})
    except Ambiguous as exc:  # an unpublished container is not a post: safe to call this a failure
        raise ServiceError(f"{exc.message} Nothing was published (containers are not posts).") from None


def publish_post(client: InstagramClient, args: CreatePostArgs, call: CallContext) -> dict[str, Any]:
    urls, _ = _checked_post(args)
    _quota_line(client)
    store = ContainerStore(call.vault)
    container = store.get(call.call_id)
    if container is None or client.container_status(container) not in ("FINISHED", "IN_PROGRESS"):
        container = _make_container(client, args, urls)
        store.put(call.call_id, container)
    client.wait_until_finished(container)
    media_id = client.publish(container)
    return {"media_id": media_id, "container_id": container}


def resolve_post(client: InstagramClient, args: CreatePostArgs, call: CallContext) -> Resolution:
    container = ContainerStore(call.vault).get(call.call_id)
    if container is None:
        return Resolution.not_applied("no container was recorded, so nothing was published")
    status = client.container_status(container)
    if status == "PUBLISHED":
        found = find_by_text(client.media(10), args.caption, "caption")
        result = {"container_id": container, "media_id": found["id"] if found else None}
        return Resolution.done(result, "the container's status is PUBLISHED")
    return Resolution.not_applied(f"the container's status is {status}: it was not published")


CREATE_POST: WriteAction[InstagramClient, CreatePostArgs] = WriteAction(
    name="create_post",
    action_type="social_media_post",
    args=CreatePostArgs,
    preview=preview_post,
    execute=publish_post,
    resolve=resolve_post,
    title="Create an Instagram post",
    description="Publish a feed post: one public https JPEG (image_url) or a carousel of 2–10 (image_urls), with a "
    "caption and optional alt text. The preview shows the live publishing quota.",
)

# --- reply_to_comment -----------------------------------------------------------------------------


def _checked_reply(args: ReplyToCommentArgs) -> tuple[str, str]:
    return check.reply(
        args.comment_id, args.message, max_chars=MAX_CAPTION, max_hashtags=MAX_HASHTAGS, max_mentions=MAX_MENTIONS
    )


def preview_reply(client: InstagramClient, args: ReplyToCommentArgs) -> Preview:
    comment_id, message = _checked_reply(args)
    return Preview(
        summary=f"Reply on Instagram: {check.one_line(message)}",
        details=f"**Reply** to comment `{comment_id}`:\n\n{md_block(message)}",
        request=client.graph.describe("POST", f"{comment_id}/replies", {"message": message}),
        rate_limit=client.cap.check(),
        platforms=["instagram"],
    )


def reply_to_comment(client: InstagramClient, args: ReplyToCommentArgs, call: CallContext) -> dict[str, Any]:
    comment_id, message = _checked_reply(args)
    return {"reply_id": client.reply(comment_id, message), "comment_id": comment_id}


def resolve_reply(client: InstagramClient, args: ReplyToCommentArgs, call: CallContext) -> Resolution:
    comment_id, message = _checked_reply(args)
    reply = find_by_text(client.comments(comment_id, "replies"), message, "text")
    if reply is not None:
        return Resolution.done({"reply_id": reply["id"], "comment_id": comment_id}, "found the reply")
    return Resolution.unknown("the reply is not visible yet; check the comment before replying again")


REPLY_TO_COMMENT: WriteAction[InstagramClient, ReplyToCommentArgs] = WriteAction(
    name="reply_to_comment",
    action_type="social_reply",
    args=ReplyToCommentArgs,
    preview=preview_reply,
    execute=reply_to_comment,
    resolve=resolve_reply,
    title="Reply to an Instagram comment",
    description="Reply to a comment on one of the account's posts (ids from list_comments).",
)
