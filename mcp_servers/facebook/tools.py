"""The Facebook tools: plain functions over `FacebookClient`; writes are `WriteAction`s for the gate."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from mcp_servers.core.actions import CallContext, Resolution, WriteAction
from mcp_servers.core.errors import InvalidInput, NotFound
from mcp_servers.core.models import Preview
from mcp_servers.core.schedule import check_schedule
from mcp_servers.core.text_match import find_by_text
from mcp_servers.core.untrusted import md_block, md_inline
from mcp_servers.facebook.client import FacebookClient
from mcp_servers.facebook.const import DEFAULT_PAGE_METRICS, MAX_COMMENT, MAX_MESSAGE, REMOVED_PAGE_METRICS
from mcp_servers.facebook.models import (
    Comment,
    CommentList,
    CreatePostArgs,
    DailyValue,
    DeletePostArgs,
    GetPageArgs,
    ListCommentsArgs,
    ListPostsArgs,
    MetricSeries,
    PageInfo,
    PageInsights,
    PageInsightsArgs,
    PostList,
    PostSummary,
    ReplyToCommentArgs,
)
from mcp_servers.graph import validation as check
from mcp_servers.graph.insights import read_each

# --- reads ----------------------------------------------------------------------------------------


def get_page(client: FacebookClient, args: GetPageArgs) -> PageInfo:
    """The Facebook Page this server manages: name, category, link and follower count."""
    page = client.page()
    return PageInfo(
        id=page["id"],
        name=page.get("name", ""),
        category=page.get("category"),
        link=page.get("link"),
        about=page.get("about"),
        website=page.get("website"),
        followers=page.get("followers_count"),
        fans=page.get("fan_count"),
    )


def _summary(post: dict[str, Any]) -> PostSummary:
    return PostSummary(
        id=post["id"],
        message=post.get("message", ""),
        created_time=post["created_time"],
        permalink_url=post.get("permalink_url"),
        reactions=post.get("reactions", {}).get("summary", {}).get("total_count", 0),
        comments=post.get("comments", {}).get("summary", {}).get("total_count", 0),
        shares=post.get("shares", {}).get("count", 0),
        image_url=post.get("full_picture"),
    )


def list_posts(client: FacebookClient, args: ListPostsArgs) -> PostList:
    """The Page's newest posts with their reactions, comments and shares counts."""
    return PostList(page_id=client.page_id, posts=[_summary(p) for p in client.posts(args.limit)])


def list_comments(client: FacebookClient, args: ListCommentsArgs) -> CommentList:
    """Comments on one post (newest first), with the ids reply_to_comment needs."""
    post_id = check.object_id(args.post_id, "post_id")
    comments = [
        Comment(
            id=c["id"],
            message=c.get("message", ""),
            author=(c.get("from") or {}).get("name"),
            created_time=c.get("created_time"),
        )
        for c in client.comments(post_id, args.limit)
    ]
    return CommentList(object_id=post_id, comments=comments)


def page_insights(client: FacebookClient, args: PageInsightsArgs) -> PageInsights:
    """Daily Page metrics that still exist in 2026. A metric Facebook rejects (e.g. the removed
    page_impressions) is dropped and listed in `dropped` with its replacement, not fatal."""
    wanted = list(dict.fromkeys(args.metrics or DEFAULT_PAGE_METRICS))
    until = client.now().date() + timedelta(days=1)
    since = until - timedelta(days=args.days)
    rows, dropped = read_each(lambda metrics: client.insights(metrics, since, until), wanted, REMOVED_PAGE_METRICS)
    return PageInsights(since=since, until=until, metrics=[_series(r) for r in rows], dropped=dropped)


def _data_day(end_time: str) -> date:
    """The day a daily value counts: Graph stamps it with the end of that day, the next day at 08:00 GMT
    (developers.facebook.com/documentation/pages-api/platforminsights/page)."""
    return date.fromisoformat(end_time[:10]) - timedelta(days=1)


def _series(row: dict[str, Any]) -> MetricSeries:
    values = [DailyValue(date=_data_day(v["end_time"]), value=v.get("value") or 0) for v in row.get("values", [])]
    cumulative = row["name"] == "page_follows"
    total = (values[-1].value if values else 0) if cumulative else sum(v.value for v in values)
    return MetricSeries(name=row["name"], total=total, values=values)


# --- create_post ----------------------------------------------------------------------------------


def _checked_post(client: FacebookClient, args: CreatePostArgs) -> tuple[str, dict[str, str], list[str]]:
    """Validation that does not depend on the clock; the Graph path and form to send; warnings."""
    message = args.message.strip()
    if not message and not args.link and not args.image_url:
        raise InvalidInput("the post is empty: give text, a link or an image.", field="message")
    check.text_limits(message, "message", max_chars=MAX_MESSAGE)
    if args.link and args.image_url:
        raise InvalidInput("give a link or an image_url, not both (put the link in the message).", field="link")
    link = check.public_url(args.link, "link", https_only=False) if args.link else None
    image = check.public_url(args.image_url, "image_url") if args.image_url else None
    warnings = []
    if len(check.HASHTAG.findall(message)) > 10:
        warnings.append("More than 10 hashtags: on Facebook that reads as spam and lowers reach.")
    path, data = client.post_request(message, link, image)
    return path, data, warnings


def preview_post(client: FacebookClient, args: CreatePostArgs) -> Preview:
    path, data, warnings = _checked_post(client, args)
    when = check_schedule(args.scheduled_for, client.now())
    quota = client.cap.check()
    lines = [
        f"**Facebook Page** {client.page_id} · `POST /{path}`",
        "",
        md_block(data.get("message") or data.get("caption") or "(no text)"),
    ]
    if args.link:
        lines.append(f"\n**Link**: {md_inline(args.link)}")
    if args.image_url:
        lines.append(f"\n**Image** (Facebook downloads it): {md_inline(args.image_url)}")
    lines.append(
        f"\n**When**: {when:%Y-%m-%d %H:%M %Z} (the orchestrator publishes it then)"
        if when
        else "\n**When**: on approval"
    )
    return Preview(
        summary=f"Post to Facebook: {check.one_line(args.message or args.link or args.image_url or '')}",
        details="\n".join(lines),
        request=client.graph.describe("POST", path, data),
        warnings=warnings,
        rate_limit=quota,
        scheduled_for=when,
        platforms=["facebook"],
    )


def publish_post(client: FacebookClient, args: CreatePostArgs, call: CallContext) -> dict[str, Any]:
    path, data, _ = _checked_post(client, args)
    answer = client.publish(path, data)
    post_id = answer.get("post_id") or answer["id"]  # a photo post answers {"id": photo, "post_id": post}
    return {"post_id": post_id, "url": f"https://www.facebook.com/{post_id}"}


def resolve_post(client: FacebookClient, args: CreatePostArgs, call: CallContext) -> Resolution:
    """After a lost answer: a post with exactly this text in the newest 25 means it went out. Absence is not
    proof (the feed may lag), so it stays for the owner rather than being posted again."""
    post = find_by_text(client.posts(25), args.message, "message")
    if post is not None:
        return Resolution.done({"post_id": post["id"], "url": post.get("permalink_url")}, "found on the Page")
    return Resolution.unknown("no post with this text is on the Page yet; check the Page before posting again")


CREATE_POST: WriteAction[FacebookClient, CreatePostArgs] = WriteAction(
    name="create_post",
    action_type="social_media_post",
    args=CreatePostArgs,
    preview=preview_post,
    execute=publish_post,
    resolve=resolve_post,
    title="Create a Facebook Page post",
    description="Publish a post on the Facebook Page: text, optionally a link or one public https image URL. "
    "Validated first (length, public https image, scheduling window).",
)

# --- reply_to_comment, delete_post ----------------------------------------------------------------


def _checked_reply(args: ReplyToCommentArgs) -> tuple[str, str]:
    return check.reply(args.comment_id, args.message, max_chars=MAX_COMMENT)


def preview_reply(client: FacebookClient, args: ReplyToCommentArgs) -> Preview:
    comment_id, message = _checked_reply(args)
    return Preview(
        summary=f"Reply on Facebook: {check.one_line(message)}",
        details=f"**Reply as the Page** to comment `{comment_id}`:\n\n{md_block(message)}",
        request=client.graph.describe("POST", f"{comment_id}/comments", {"message": message}),
        rate_limit=client.cap.check(),
        platforms=["facebook"],
    )


def reply_to_comment(client: FacebookClient, args: ReplyToCommentArgs, call: CallContext) -> dict[str, Any]:
    comment_id, message = _checked_reply(args)
    return {"reply_id": client.reply(comment_id, message)["id"], "comment_id": comment_id}


def resolve_reply(client: FacebookClient, args: ReplyToCommentArgs, call: CallContext) -> Resolution:
    comment_id, message = _checked_reply(args)
    reply = find_by_text(client.comments(comment_id, 50), message, "message")
    if reply is not None:
        return Resolution.done({"reply_id": reply["id"], "comment_id": comment_id}, "found the reply")
    return Resolution.unknown("the reply is not visible yet; check the comment before replying again")


REPLY_TO_COMMENT: WriteAction[FacebookClient, ReplyToCommentArgs] = WriteAction(
    name="reply_to_comment",
    action_type="social_reply",
    args=ReplyToCommentArgs,
    preview=preview_reply,
    execute=reply_to_comment,
    resolve=resolve_reply,
    title="Reply to a Facebook comment",
    description="Reply as the Page to a comment (ids from list_comments).",
)


def preview_delete(client: FacebookClient, args: DeletePostArgs) -> Preview:
    post_id = check.object_id(args.post_id, "post_id")
    post = client.post(post_id)  # refuses an id that does not exist before anything is filed
    text = post.get("message", "")
    return Preview(
        summary=f"Delete Facebook post: {check.one_line(text or post_id)}",
        details=f"**Delete** post `{post_id}` ({md_inline(post.get('created_time', ''))}) permanently:\n\n"
        + md_block(text),
        request=client.graph.describe("DELETE", post_id),
        warnings=["Deleting cannot be undone; reactions and comments are lost."],
        rate_limit=client.cap.check(),
        platforms=["facebook"],
    )


def delete_post(client: FacebookClient, args: DeletePostArgs, call: CallContext) -> dict[str, Any]:
    post_id = check.object_id(args.post_id, "post_id")
    return {"deleted": bool(client.delete(post_id).get("success")), "post_id": post_id}


def resolve_delete(client: FacebookClient, args: DeletePostArgs, call: CallContext) -> Resolution:
    try:
        client.post(args.post_id)
    except NotFound:
        return Resolution.done({"deleted": True, "post_id": args.post_id}, "the post is gone")
    return Resolution.not_applied("the post is still there")


DELETE_POST: WriteAction[FacebookClient, DeletePostArgs] = WriteAction(
    name="delete_post",
    action_type="social_delete",
    args=DeletePostArgs,
    preview=preview_delete,
    execute=delete_post,
    resolve=resolve_delete,
    title="Delete a Facebook post",
    description="Delete one of the Page's posts permanently.",
    destructive=True,
    idempotent=True,
)
