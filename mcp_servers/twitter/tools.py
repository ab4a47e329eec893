"""The X tools as plain typed functions: reads answer directly, writes are `WriteAction`s for the gate."""

from __future__ import annotations

from typing import Any

from mcp_servers.core.actions import CallContext, Resolution, WriteAction
from mcp_servers.core.errors import Conflict, InvalidInput, RateLimited
from mcp_servers.core.models import Preview
from mcp_servers.core.untrusted import md_block, md_inline
from mcp_servers.twitter import attach
from mcp_servers.twitter.checks import XService, check_schedule, cost_line, find_own_post, post_cost, post_url
from mcp_servers.twitter.const import PLATFORM
from mcp_servers.twitter.models import (
    Account,
    CreatePostArgs,
    DeletePostArgs,
    GetMeArgs,
    ListPostsArgs,
    Post,
    PostList,
    PostMetrics,
)
from mcp_servers.twitter.text import check_text
from mcp_servers.twitter.threads import CREATE_THREAD

__all__ = ["CREATE_POST", "CREATE_THREAD", "DELETE_POST", "get_me", "list_posts"]


def get_me(x: XService, args: GetMeArgs) -> Account:
    """The X account these tools act for: id, @username, name, bio, follower and post counts."""
    me = x.api.get_me()
    counts = me.get("public_metrics") or {}
    return Account(
        id=me["id"],
        username=me.get("username", ""),
        name=me.get("name", ""),
        description=me.get("description", ""),
        followers=counts.get("followers_count", 0),
        following=counts.get("following_count", 0),
        post_count=counts.get("tweet_count", counts.get("post_count", 0)),
        created_at=me.get("created_at"),
        profile_url=f"https://x.com/{me.get('username', '')}",
    )


def parse_metrics(raw: dict[str, Any] | None) -> PostMetrics:
    """X's public_metrics in either spelling (retweet_count / repost_count) as one model."""
    raw = raw or {}
    values = {
        "impressions": raw.get("impression_count", raw.get("view_count", 0)),
        "likes": raw.get("like_count", 0),
        "reposts": raw.get("retweet_count", raw.get("repost_count", 0)),
        "replies": raw.get("reply_count", 0),
        "quotes": raw.get("quote_count", 0),
        "bookmarks": raw.get("bookmark_count", 0),
    }
    return _with_rate(PostMetrics(**{k: int(v or 0) for k, v in values.items()}))


def _with_rate(m: PostMetrics) -> PostMetrics:
    engaged = m.likes + m.reposts + m.replies + m.quotes + m.bookmarks
    rate = round(engaged / m.impressions, 4) if m.impressions else 0.0
    return m.model_copy(update={"engagement_rate": rate})


def _post(raw: dict[str, Any], username: str) -> Post:
    replied = [r["id"] for r in raw.get("referenced_tweets") or [] if r.get("type") == "replied_to"]
    return Post(
        id=raw["id"],
        text=raw.get("text", ""),
        created_at=raw.get("created_at"),
        url=post_url(username, raw["id"]),
        in_reply_to_id=replied[0] if replied else None,
        conversation_id=raw.get("conversation_id"),
        metrics=parse_metrics(raw.get("public_metrics")),
    )


def list_posts(x: XService, args: ListPostsArgs) -> PostList:
    """The account's own recent posts, newest first, with impressions, likes, reposts, replies, quotes and
    bookmarks. Owned reads cost $0.001 per post on pay-per-use (deduplicated per UTC day)."""
    username = x.api.get_me().get("username", "")
    posts = [_post(raw, username) for raw in x.api.list_posts(args.max_results, args.exclude_replies)]
    fields = ("impressions", "likes", "reposts", "replies", "quotes", "bookmarks")
    totals = PostMetrics(**{f: sum(getattr(p.metrics, f) for p in posts) for f in fields})
    note = "" if posts else "No posts in the account's recent timeline."
    return PostList(username=username, posts=posts, totals=_with_rate(totals), note=note)


# create_post ----------------------------------------------------------------------------------------


def _request(text: str, reply_to_id: str | None, args: CreatePostArgs | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"text": text}
    if reply_to_id:
        body["reply"] = {"in_reply_to_tweet_id": reply_to_id}
    post = {"method": "POST", "url": "/2/tweets", "json": body}
    if args is None or not args.image_url:
        return post
    body["media"] = {"media_ids": ["<media id from the upload>"]}
    return {"steps": [*attach.request_shape(args.alt_text), post]}


def preview_post(x: XService, args: CreatePostArgs) -> Preview:
    check = check_text(args.text)
    check_schedule(x, args.scheduled_for)
    if args.reply_to_id and args.scheduled_for:
        raise InvalidInput(
            "a reply cannot be scheduled: scheduled posts are auto-approved by the policy, but replies "
            "always need the owner's approval. Omit scheduled_for; it is posted once approved.",
            field="scheduled_for",
        )
    if args.scheduled_for is None:
        x.check_room(1)
    cost = post_cost(x.settings, check, reply=bool(args.reply_to_id))
    kind = "post with a URL" if check.has_url else ("reply" if args.reply_to_id else "post")
    image, sha256 = attach.preview_lines(x, args.image_url, args.alt_text) if args.image_url else ([], None)
    if args.image_url:
        kind += " with an image"
    if args.image_url and args.alt_text:
        cost, kind = cost + x.settings.price_media_metadata, kind + " and alt text"
    warnings = list(check.warnings)
    if args.reply_to_id:
        warnings.append(
            "X allows API replies only where the post's author mentioned or quoted this account; otherwise "
            "X refuses it (403) when it runs."
        )
    head = f"Reply on X to {args.reply_to_id}" if args.reply_to_id else "Post on X"
    details = [
        f"**{head}** ({check.weighted_length}/280 weighted characters)",
        "",
        md_block(args.text),
        "",
        *([f"Links: {md_inline(', '.join(check.urls))} (each counts 23)"] if check.urls else []),
        *image,
        f"Sent as `POST /2/tweets` with OAuth 1.0a user context to {x.settings.api_host}.",
    ]
    return Preview(
        summary=f"{head}: {_excerpt(args.text)}",
        details="\n".join(details),
        request=_request(args.text, args.reply_to_id, args),
        warnings=warnings,
        cost=cost_line(cost, kind),
        rate_limit=x.quota_line(1),
        scheduled_for=args.scheduled_for,
        platforms=[PLATFORM],
        binding={"image_sha256": sha256} if sha256 else None,
    )


def _excerpt(text: str, limit: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def publish_post(x: XService, args: CreatePostArgs, call: CallContext) -> dict[str, Any]:
    check_text(args.text)
    media = (
        attach.media_ids(x, call.call_id, "post", args.image_url, args.alt_text, args.image_sha256)
        if args.image_url
        else None
    )
    x.take_post()
    try:
        data = x.api.create_post(args.text, args.reply_to_id, media)
    except RateLimited as exc:
        x.remember_block(exc)
        raise
    username = x.api.get_me().get("username", "")
    result = {"id": data["id"], "text": data.get("text", args.text), "url": post_url(username, data["id"])}
    return {**result, "media_ids": media} if media else result


def resolve_post(x: XService, args: CreatePostArgs, call: CallContext) -> Resolution:
    found = find_own_post(x, args.text, call.now, args.reply_to_id)
    if found is None:
        return Resolution.not_applied("no post with this text on the profile since the request ran")
    username = x.api.get_me().get("username", "")
    result = {"id": found["id"], "text": found.get("text", ""), "url": post_url(username, found["id"])}
    return Resolution.done(result, "found the post on the profile")


CREATE_POST: WriteAction[XService, CreatePostArgs] = WriteAction(
    name="create_post",
    action_type="social_media_post",
    args=CreatePostArgs,
    preview=preview_post,
    execute=publish_post,
    resolve=resolve_post,
    title="Create an X post",
    description="Post on X (Twitter) as the business account, or reply to a post with reply_to_id; attach one "
    "image with image_url (public https JPEG/PNG/GIF/WebP ≤ 5 MB; alt_text for screen readers). The preview "
    "shows the weighted length (280 max), the image, the pay-per-use cost ($0.015 a post, $0.20 with a URL) "
    "and the post cap left. Use create_thread for several connected posts.",
)


# delete_post ----------------------------------------------------------------------------------------


def preview_delete(x: XService, args: DeletePostArgs) -> Preview:
    post = x.api.get_post(args.post_id)
    if not post:
        raise Conflict(f"post_id: X has no post {args.post_id} on this account (already deleted?). Nothing to do.")
    username = x.api.get_me().get("username", "")
    return Preview(
        summary=f"Delete X post {args.post_id}: {_excerpt(post.get('text', ''))}",
        details=f"**Delete** {md_inline(post_url(username, args.post_id))}\n\n{md_block(post.get('text', ''))}\n\n"
        "This cannot be undone.",
        request={"method": "DELETE", "url": f"/2/tweets/{args.post_id}"},
        warnings=["Deleting cannot be undone; replies and reposts of it disappear too."],
        cost=cost_line(x.settings.price_delete, "delete"),
        platforms=[PLATFORM],
    )


def run_delete(x: XService, args: DeletePostArgs, call: CallContext) -> dict[str, Any]:
    return {"id": args.post_id, "deleted": x.api.delete_post(args.post_id)}


def resolve_delete(x: XService, args: DeletePostArgs, call: CallContext) -> Resolution:
    if not x.api.get_post(args.post_id):
        return Resolution.done({"id": args.post_id, "deleted": True}, "the post is gone from X")
    return Resolution.not_applied("the post is still on X")


DELETE_POST: WriteAction[XService, DeletePostArgs] = WriteAction(
    name="delete_post",
    action_type="social_delete",
    args=DeletePostArgs,
    preview=preview_delete,
    execute=run_delete,
    resolve=resolve_delete,
    title="Delete an X post",
    description="Delete one of the account's own X posts by id (see list_posts). Always needs the owner's "
    "approval; costs $0.010 on pay-per-use.",
    destructive=True,
    idempotent=True,
)
