"""Graph error envelopes turned into the core error tree, classified by `error.code` (never by HTTP
status alone), each with a message that tells the owner what happened and what to do.

    190 (+ subcode)              → AuthError: re-authenticate
    4, 9, 17, 32, 341, 613, 800xx → RateLimited(retry_after from the usage headers)
    10, 200–299                  → PermissionDenied naming the permission
    368                          → Blocked (a PermissionDenied): a person must look, never retried
    506                          → Conflict: duplicate post
    100                          → InvalidInput (subcode 33: NotFound)
    1, 2, is_transient, 5xx      → Unavailable (reads retry)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from mcp_servers.core.errors import (
    AuthError,
    ConfigError,
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    RateLimited,
    ServiceError,
    Unavailable,
)
from mcp_servers.graph.usage import UsageState

# 9 + subcode 2207042: Instagram's content publishing limit reached
RATE_LIMIT_CODES = frozenset({4, 9, 17, 32, 341, 613, *range(80001, 80010)})
AUTH_SUBCODES = {
    458: "the app was removed from the account",
    459: "the account is checkpointed: log in on facebook.com and follow the instructions",
    460: "the password was changed",
    463: "the token has expired",
    464: "the user is not confirmed",
    467: "the token is invalid (logged out or revoked)",
    492: "the session is invalid (the user lost their role on the Page)",
}
_PERMISSION = re.compile(
    r"\b(pages_[a-z_]+|instagram_[a-z_]+|publish_[a-z_]+|read_insights|business_management|ads_[a-z_]+)\b"
)


class Blocked(PermissionDenied):
    """Meta blocked the action for policy reasons (code 368); a person must look, never retried."""

    kind = "blocked"


class NotReady(Conflict):
    """An Instagram container was published before it finished processing (9007 / 2207027)."""

    kind = "not_ready"


def _envelope(body: Any) -> dict[str, Any]:
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        err: dict[str, Any] = body["error"]
        return err
    return {}


def _detail(err: Mapping[str, Any]) -> str:
    """Meta's own words, preferring the text written for users."""
    text = str(err.get("error_user_msg") or err.get("message") or "").strip()
    return text if len(text) <= 300 else text[:297] + "…"


def map_graph_error(
    status: int,
    body: Any,
    usage: UsageState,
    *,
    label: str,
    token_var: str,
    version_var: str,
    permission: str | None = None,
) -> ServiceError:
    """The core error for one failed Graph response. `label` is "Facebook" or "Instagram";
    `permission` names what the endpoint needs, used when Meta's message does not say."""
    err = _envelope(body)
    code = err.get("code")
    sub = err.get("error_subcode")
    detail = _detail(err)
    svc = label.lower()
    if not isinstance(code, int):
        if status >= 500:
            return Unavailable(f"{label} failed on its side (HTTP {status}). Try again later.", service=svc)
        if status == 404:
            return NotFound(f"{label} says the object does not exist (HTTP 404).", service=svc)
        return ServiceError(f"{label} refused the request (HTTP {status}) without an explanation.", service=svc)
    if code in (190, 102):
        why = (
            AUTH_SUBCODES.get(sub, "the token is invalid or expired")
            if isinstance(sub, int)
            else ("the token is invalid or expired")
        )
        return AuthError(
            f"{label} rejected the access token: {why}. Re-authenticate: create a new token and set "
            f"{token_var} (in .env), then restart the server.",
            service=svc,
        )
    if code in RATE_LIMIT_CODES:
        return RateLimited(
            f"{label} is throttling this app (code {code}: {detail or 'request limit reached'}). "
            "Nothing was sent; don't retry before the wait is over.",
            retry_after=usage.retry_after(),
            service=svc,
        )
    if code == 368:
        return Blocked(
            f"{label} temporarily blocked this action for policy reasons ({detail or 'code 368'}). "
            "Do not retry: a person should check the account's Support Inbox / Account Status first.",
            service=svc,
        )
    if code == 506:
        return Conflict(
            f"{label} rejected the post as a duplicate of a recent one. Change the text and file it again.",
            service=svc,
        )
    if code == 10 and "not enough viewers" in detail.lower():
        return InvalidInput(f"{label} has no insights for this yet: not enough viewers.", field="metric")
    if code == 10 or 200 <= code <= 299:
        found = _PERMISSION.search(detail)
        name = found.group(1) if found else permission
        needs = f"the '{name}' permission" if name else "a permission it does not have"
        return PermissionDenied(
            f"{label} refused: the token lacks {needs} ({detail or f'code {code}'}). Grant it to the app "
            f"(App Review / Advanced Access if needed), create a new token and set {token_var}.",
            service=svc,
        )
    if code == 9007:
        return NotReady(
            f"{label} says the media is not ready to publish yet. Check the container status; do not create "
            "a new container.",
            service=svc,
        )
    if code == 2635:
        return ConfigError(
            f"{label} no longer serves the configured API version. Set {version_var} to a live version "
            "(e.g. v25.0) and restart.",
            service=svc,
        )
    if code == 100 and sub == 2108006:
        return InvalidInput(
            f"{label} has no insights for this media: it was posted before the account became a business "
            "account (code 100, subcode 2108006).",
            field="metric",
        )
    if code == 100 and sub == 33:
        return NotFound(f"{label} says the object does not exist or this token cannot see it.", service=svc)
    if code == 100 or code == 1609005:
        field = "link" if code == 1609005 else _param_name(detail)
        return InvalidInput(f"{label} rejected a parameter: {detail or 'invalid parameter'}", field=field)
    if code in (1, 2) or err.get("is_transient") is True or status >= 500:
        return Unavailable(
            f"{label} had a temporary problem (code {code}: {detail}). Try again in a minute.", service=svc
        )
    return ServiceError(f"{label} refused the request (code {code}): {detail}", service=svc)


def _param_name(detail: str) -> str | None:
    found = re.search(r"param(?:eter)? ([a-z_]+)", detail, re.IGNORECASE)
    if found:
        return found.group(1)
    return "metric" if "metric" in detail.lower() else None
