"""`create_thread`: several posts, each replying to the one before, posted at most once each.

Each part's id is written to a progress file (`vault/.ai_employee/twitter/threads/<call id>.json`) the
moment X returns it, and the part about to be sent is marked in flight first. So:
- a failure at part k ends the call as failed with a message naming parts 1..k-1 and their ids; the
  gate stores it and every replay returns that same report. Nothing is re-posted, and the rest is not
  posted either: the owner decides, by approving a new `create_thread(texts=<the rest>,
  reply_to_id=<last posted id>)`, which the failure message spells out.
- an interruption (timeout, crash) leaves the call ambiguous; `resolve` looks for the in-flight part on
  the profile, records it if it is there, and only then lets the same approved call continue from the
  first part that is certainly unposted (the approval covered the whole thread; no part is sent twice).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from mcp_servers.core.actions import CallContext, Resolution, WriteAction
from mcp_servers.core.errors import Ambiguous, InvalidInput, RateLimited, ServiceError
from mcp_servers.core.models import Preview
from mcp_servers.core.untrusted import md_block
from mcp_servers.core.vault import atomic_write
from mcp_servers.twitter import attach
from mcp_servers.twitter.apierrors import ReplyRefused
from mcp_servers.twitter.checks import XService, check_schedule, cost_line, find_own_post, post_cost, post_url
from mcp_servers.twitter.const import MAX_THREAD_PARTS, PLATFORM, SERVICE
from mcp_servers.twitter.models import CreateThreadArgs, ThreadImage
from mcp_servers.twitter.text import check_text


class ThreadPartlyPosted(ServiceError):
    """Parts 1..k-1 are on X, part k failed, the rest were not sent."""

    kind = "partial"

    def __init__(self, message: str, posted: list[dict[str, Any]], failed_at: int) -> None:
        super().__init__(message, service=SERVICE)
        self.posted, self.failed_at = posted, failed_at


def _progress_path(x: XService, call_id: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", call_id)
    return x.vault.state_path("twitter", "threads", f"{safe}.json")


def _fingerprint(args: CreateThreadArgs) -> str:
    return hashlib.sha256(json.dumps([args.texts, args.reply_to_id]).encode()).hexdigest()[:16]


def load_progress(x: XService, call_id: str, args: CreateThreadArgs) -> dict[str, Any]:
    path = _progress_path(x, call_id)
    if path.exists():
        progress: dict[str, Any] = json.loads(path.read_text("utf-8"))
        if progress.get("fingerprint") == _fingerprint(args):
            return progress
    return {"fingerprint": _fingerprint(args), "posted": [], "in_flight": None}


def _save(x: XService, call_id: str, progress: dict[str, Any]) -> None:
    atomic_write(_progress_path(x, call_id), json.dumps(progress, indent=1))


def _images(args: CreateThreadArgs) -> dict[int, ThreadImage]:
    """part number → its image; refuses a part that does not exist or two images on one part."""
    found: dict[int, ThreadImage] = {}
    for image in args.images or []:
        if image.part > len(args.texts) or image.part in found:
            why = "there is no such part" if image.part > len(args.texts) else "a part carries at most one image"
            raise InvalidInput(f"images: part {image.part}: {why}.", field="images")
        found[image.part] = image
    return found


def preview_thread(x: XService, args: CreateThreadArgs) -> Preview:
    if len(args.texts) > MAX_THREAD_PARTS:
        raise InvalidInput(f"a thread may have at most {MAX_THREAD_PARTS} parts.", field="texts")
    checks = [check_text(text, f"texts[{i}]") for i, text in enumerate(args.texts)]
    check_schedule(x, args.scheduled_for)
    if len(set(args.texts)) != len(args.texts):
        raise InvalidInput("two parts have the same text; X rejects duplicate content.", field="texts")
    if args.scheduled_for is None:
        x.check_room(len(args.texts))
    images = _images(args)
    costs = [post_cost(x.settings, c, reply=False) for c in checks]
    costs += [x.settings.price_media_metadata for i in images.values() if i.alt_text]
    with_url = sum(1 for c in checks if c.has_url)
    lines = [
        f"**Thread on X, {len(args.texts)} parts**" + (f", under post {args.reply_to_id}" if args.reply_to_id else "")
    ]
    binding: dict[str, str] = {}
    for i, (text, check) in enumerate(zip(args.texts, checks, strict=True), start=1):
        lines += ["", f"**{i}/{len(args.texts)}** ({check.weighted_length}/280)", md_block(text)]
        if i in images:
            image_lines, binding[f"image_sha256_part_{i}"] = attach.preview_lines(
                x, images[i].image_url, images[i].alt_text
            )
            lines += image_lines
    lines += [
        "",
        "Each part replies to the one before. If a part fails, the parts already posted stay up and "
        "are listed with their ids; the rest are not posted unless a new request is approved.",
    ]
    return Preview(
        summary=f"Thread on X ({len(args.texts)} parts): {' '.join(args.texts[0].split())[:60]}",
        details="\n".join(lines),
        request={
            "method": "POST",
            "url": "/2/tweets",
            "json_each": [{"text": t} for t in args.texts],
            "reply_chain": "each part sets reply.in_reply_to_tweet_id to the id of the part before",
        },
        warnings=[w for c in checks for w in c.warnings],
        cost=cost_line(
            sum(costs, start=costs[0] * 0),
            f"{len(args.texts)} posts, {with_url} with a URL, {len(images)} with an image",
        ),
        rate_limit=x.quota_line(len(args.texts)),
        scheduled_for=args.scheduled_for,
        platforms=[PLATFORM],
        binding=binding or None,
    )


def _partial(x: XService, args: CreateThreadArgs, posted: list[dict[str, Any]], part: int, cause: str) -> str:
    total = len(args.texts)
    ids = ", ".join(f"part {p['part']}: {p['id']}" for p in posted)
    return (
        _self_reply_refused(posted, part, total, ids)
        if cause == SELF_REPLY_REFUSED
        else (
            f"Thread stopped at part {part} of {total}. Posted and live on X: {ids}. Part {part} failed: {cause} "
            f"Parts {part}–{total} were not posted and this request will not post them. To finish the thread, "
            f"file create_thread with the remaining {total - part + 1} texts and reply_to_id={posted[-1]['id']}."
        )
    )


SELF_REPLY_REFUSED = "self-reply refused"


def _self_reply_refused(posted: list[dict[str, Any]], part: int, total: int, ids: str) -> str:
    """X's 2026-02-23 rule refused a reply to our own part: whether self-replies are exempt is not documented,
    so continuing as a reply would fail again; X's documented way is a standalone post."""
    return (
        f"Thread stopped at part {part}: X refused self-replies (403, the 2026-02-23 reply rule: a reply needs "
        f"the author to have mentioned or engaged this account, and X does not exempt replies to your own posts). "
        f"Posted and live on X: {ids}. Parts {part}–{total} were not posted and this request will not post them. "
        f"X's documented alternative is a standalone post: file create_post for each remaining part (no "
        f"reply_to_id); a link to part 1 ({posted[0]['url']}) makes it a post with a URL ($0.20 each)."
    )


def post_thread(x: XService, args: CreateThreadArgs, call: CallContext) -> dict[str, Any]:
    for i, text in enumerate(args.texts):
        check_text(text, f"texts[{i}]")
    progress = load_progress(x, call.call_id, args)
    if progress["in_flight"] is not None:
        raise Ambiguous(f"part {progress['in_flight']} of this thread was being sent when the last attempt stopped.")
    username = x.api.get_me().get("username", "")
    posted: list[dict[str, Any]] = progress["posted"]
    for index in range(len(posted), len(args.texts)):
        part = index + 1
        previous = posted[-1]["id"] if posted else args.reply_to_id
        progress["in_flight"] = part
        _save(x, call.call_id, progress)
        try:
            image = _images(args).get(part)
            media = (
                attach.media_ids(x, call.call_id, f"part-{part}", image.image_url, image.alt_text, image.image_sha256)
                if image
                else None
            )
            x.take_post()
            data = x.api.create_post(args.texts[index], previous, media)
        except ServiceError as exc:
            if isinstance(exc, RateLimited):
                x.remember_block(exc)
            if not isinstance(exc, Ambiguous):
                progress["in_flight"] = None
                _save(x, call.call_id, progress)
            if not posted:
                raise
            cause = SELF_REPLY_REFUSED if isinstance(exc, ReplyRefused) else exc.message
            message = _partial(x, args, posted, part, cause)
            if isinstance(exc, Ambiguous):
                raise Ambiguous(message, service=SERVICE) from None
            raise ThreadPartlyPosted(message, list(posted), part) from None
        posted.append({"part": part, "id": data["id"], "url": post_url(username, data["id"])})
        progress["in_flight"] = None
        _save(x, call.call_id, progress)
    return {"posted": posted, "first_url": posted[0]["url"], "parts": len(posted)}


def resolve_thread(x: XService, args: CreateThreadArgs, call: CallContext) -> Resolution:
    """Settle an interrupted thread: record the in-flight part if X has it, then finish or continue."""
    progress = load_progress(x, call.call_id, args)
    part = progress["in_flight"]
    if part is not None:
        posted = progress["posted"]
        parent = posted[-1]["id"] if posted else args.reply_to_id
        found = find_own_post(x, args.texts[part - 1], call.now, parent)
        if found is not None:
            username = x.api.get_me().get("username", "")
            posted.append({"part": part, "id": found["id"], "url": post_url(username, found["id"])})
        progress["in_flight"] = None
        _save(x, call.call_id, progress)
    done = progress["posted"]
    if len(done) == len(args.texts):
        return Resolution.done({"posted": done, "first_url": done[0]["url"], "parts": len(done)}, "all parts on X")
    return Resolution.not_applied(
        f"{len(done)} of {len(args.texts)} parts are on X; continuing from part {len(done) + 1}"
    )


CREATE_THREAD: WriteAction[XService, CreateThreadArgs] = WriteAction(
    name="create_thread",
    action_type="social_media_post",
    args=CreateThreadArgs,
    preview=preview_thread,
    execute=post_thread,
    resolve=resolve_thread,
    title="Create an X thread",
    description="Post a thread on X: 2-25 posts, each replying to the one before. Each part follows "
    "create_post's rules (280 weighted characters, one cashtag). If a part fails, the parts already posted "
    "are reported with their ids and never posted again.",
)
