"""X API failures (tweepy exceptions, requests transport errors) as core errors with owner-facing messages.

X v2 answers with RFC 7807 problem bodies (`title`, `detail`, `type`, `status`) and mostly no numeric
code, so the classification is by HTTP status plus `type`/`detail` (reference §7).
"""

from __future__ import annotations

import time
from typing import Any

from mcp_servers.core.errors import (
    Ambiguous,
    AuthError,
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    RateLimited,
    ServiceError,
    Unavailable,
)
from mcp_servers.twitter.const import REGENERATE_ADVICE, SERVICE


class ReplyRefused(PermissionDenied):
    """X's 2026-02-23 reply rule: the author of the post replied to has not mentioned or engaged this account."""

    kind = "reply_refused"


class OutOfCredits(PermissionDenied):
    """The pay-per-use account has no credits left (or hit its spending limit)."""

    kind = "out_of_credits"


def problem_of(response: Any) -> dict[str, Any]:
    """The problem body of an error response, or {} when it is not JSON."""
    try:
        body = response.json()
    except Exception:
        return {}
    if not isinstance(body, dict):
        return {}
    errors = body.get("errors")
    if not body.get("detail") and isinstance(errors, list) and errors and isinstance(errors[0], dict):
        first = errors[0]
        body = {**body, "detail": first.get("message") or first.get("detail"), "code": first.get("code")}
    return body


def _detail(problem: dict[str, Any], status: int) -> str:
    text = str(problem.get("detail") or problem.get("title") or f"HTTP {status}")
    return text if text.endswith((".", "!", "?")) else text + "."


def _is_credits(problem: dict[str, Any], status: int) -> bool:
    blob = " ".join(str(problem.get(k, "")) for k in ("title", "detail", "type", "reason")).lower()
    return status == 402 or "credit" in blob or "spend" in blob or "payment" in blob


def translate_http(status: int, response: Any, *, write: bool, now: float | None = None) -> ServiceError:
    """The core error for an X error response (status + problem body + rate-limit headers)."""
    problem = problem_of(response)
    detail = _detail(problem, status)
    ptype = str(problem.get("type", ""))
    if _is_credits(problem, status):
        return OutOfCredits(
            f"X refused the call because the account is out of pay-per-use credits or at its spending "
            f"limit (X said: {detail}) Add credits or raise the limit at console.x.com, then approve the "
            "request again.",
            service=SERVICE,
        )
    if status == 401:
        return AuthError(
            f"X rejected the credentials (401: {detail}) Check TWITTER_API_KEY, TWITTER_API_SECRET, "
            f"TWITTER_ACCESS_TOKEN and TWITTER_ACCESS_TOKEN_SECRET. {REGENERATE_ADVICE}",
            service=SERVICE,
        )
    if status == 403:
        return _forbidden(detail, ptype)
    if status == 429:
        return rate_limited(response, now=now)
    if status == 404:
        return NotFound(f"X has no such post or user, or it is not visible to this account ({detail})", service=SERVICE)
    if status == 400:
        return InvalidInput(f"X refused the request as invalid: {detail}", service=SERVICE)
    if status >= 500:
        return _server_error(status, detail, write=write)
    return ServiceError(f"X answered {status}: {detail}", service=SERVICE)


def _forbidden(detail: str, ptype: str) -> ServiceError:
    lowered = detail.lower()
    if "duplicate" in lowered:
        return Conflict(
            "X rejected the post as duplicate content: this account already posted the same text. "
            "Change the wording and file a new request.",
            service=SERVICE,
        )
    if "oauth1-permissions" in ptype or "oauth1 app permissions" in lowered:
        return PermissionDenied(f"X says the app may not post (403: {detail}) {REGENERATE_ADVICE}", service=SERVICE)
    if "client-forbidden" in ptype or "attached to a project" in lowered:
        return PermissionDenied(
            f"X refused the app (403: {detail}) In the X developer console attach the app to a Project "
            "with pay-per-use access, then regenerate the keys and tokens.",
            service=SERVICE,
        )
    if "reply" in lowered and ("mentioned" in lowered or "engaged" in lowered or "not allowed" in lowered):
        return ReplyRefused(
            f"X does not allow this reply (403: {detail}) Since 2026-02-23 the API may reply only where the "
            "original author mentioned or quoted this account. Post it as a standalone post instead.",
            service=SERVICE,
        )
    return PermissionDenied(f"X refused the call (403: {detail}) {REGENERATE_ADVICE}", service=SERVICE)


def _server_error(status: int, detail: str, *, write: bool) -> ServiceError:
    # A 5xx on a write (but 503, which X sends before doing any work) means the request reached X and
    # nobody knows if it was applied: only a read of the profile can tell.
    if write and status != 503:
        return Ambiguous(
            f"X answered {status} ({detail}) after the post was sent, so it may or may not have been "
            "published. Check the profile before trying again; it will not be retried automatically.",
            service=SERVICE,
        )
    what = "Nothing was posted; file the request again later." if write else "Try again in a few minutes."
    return Unavailable(f"X is having trouble ({status}: {detail}) {what}", service=SERVICE)


def reset_in(response: Any, now: float | None = None) -> float | None:
    """Seconds until `x-rate-limit-reset` (unix seconds), or None when the header is absent."""
    headers = getattr(response, "headers", None) or {}
    raw = headers.get("x-rate-limit-reset")
    if raw is None:
        return None
    try:
        return max(1.0, float(raw) - (time.time() if now is None else now))
    except ValueError:
        return None


def rate_limited(response: Any, now: float | None = None) -> RateLimited:
    wait = reset_in(response, now)
    when = "" if wait is None else f" The limit resets at {_clock(time.time() + wait)} UTC."
    return RateLimited(
        f"X's rate limit for this endpoint is used up.{when}", retry_after=wait or 900.0, service=SERVICE
    )


def _clock(epoch: float) -> str:
    return time.strftime("%H:%M:%S", time.gmtime(epoch))


def translate_transport(exc: Exception, *, write: bool) -> ServiceError:
    """A requests failure before or while waiting for X's answer."""
    import requests

    name = type(exc).__name__
    never_sent = isinstance(exc, requests.exceptions.ConnectTimeout) or (
        isinstance(exc, requests.exceptions.ConnectionError)
        and any(s in repr(exc) for s in ("NewConnectionError", "NameResolutionError", "Failed to resolve"))
    )
    if write and not never_sent:
        return Ambiguous(
            f"The post was sent to X but no answer came back ({name}), so it may or may not have been "
            "published. It will not be retried automatically; the server checks the profile to settle it.",
            service=SERVICE,
        )
    what = "Nothing was sent. " if write else ""
    return Unavailable(f"Could not reach X ({name}). {what}Check the network and try again.", service=SERVICE)
