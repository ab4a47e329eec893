"""Token expiry of each service, for `doctor` and the daily token check.

Facebook and Instagram read it live through their client (`debug_token`); X's OAuth 1.0a tokens do not
expire; Odoo does not tell an API key its own expiry. A sandbox service has no token and builds no client.
The daily check writes one Needs_Action/ note per token and threshold (14 days ahead, expired), never
one a day: what was noted is remembered in `vault/.ai_employee/token_notes.json`.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from pathlib import Path

from mcp_servers.core.errors import describe
from mcp_servers.core.settings import SERVICES
from mcp_servers.core.tokens import TokenExpiry
from mcp_servers.core.untrusted import md_inline
from mcp_servers.core.vault import NEEDS_ACTION, Vault, atomic_write, file_lock

log = logging.getLogger("ai_employee.tokens")
WARNING_DAYS = 14
LIVE_INSPECTED = ("facebook", "instagram")
LABELS = {"odoo": "Odoo", "facebook": "Facebook", "instagram": "Instagram", "twitter": "X"}
TWITTER = TokenExpiry(
    "never",
    detail="OAuth 1.0a",
    fix="if X answers 401, regenerate the access token and secret in developer.x.com → Keys and tokens",
)
ODOO = TokenExpiry(
    "unknown",
    detail="Odoo does not expose an API key's expiry over the API (keys are stored hashed and the key "
    "list is a security model this integration does not read)",
    fix="check Odoo → Preferences → Account Security: a key created with a duration stops working then; "
    "create a new one before and set ODOO_API_KEY",
)


def token_expiry(service: str, vault: Vault) -> TokenExpiry:
    """What is known about `service`'s token expiry; never raises."""
    from mcp_servers.core.service import load_service

    try:
        definition = load_service(service)
        settings = definition.settings_cls()
    except Exception as exc:
        return TokenExpiry("unknown", detail=f"settings invalid: {describe(exc)}", fix="run `ai-employee doctor`")
    if settings.mode == "sandbox":
        return TokenExpiry("sandbox", detail="sandbox tokens never expire")
    if service == "twitter":
        return TWITTER
    if service == "odoo":
        return ODOO
    missing = settings.missing_live_variables()
    if missing:
        return TokenExpiry("unknown", detail=f"{', '.join(missing)} missing", fix="set them in .env")
    try:
        client = definition.client(vault, settings)
        result: TokenExpiry = client.token_expiry()
    except Exception as exc:  # a client that fails to build is reported, not raised
        return TokenExpiry("unknown", detail=describe(exc))
    return result


def token_statuses(vault: Vault, services: tuple[str, ...] = SERVICES) -> dict[str, TokenExpiry]:
    return {service: token_expiry(service, vault) for service in services}


def _threshold(expiry: TokenExpiry, now: datetime) -> str | None:
    """ "expired" when the token no longer works, "14d" when it stops within 14 days, else None."""
    if expiry.status == "invalid":
        return "expired"
    deadline = expiry.deadline()
    if expiry.status not in ("expires", "expired") or deadline is None:
        return None
    if deadline <= now:
        return "expired"
    return f"{WARNING_DAYS}d" if deadline - now <= timedelta(days=WARNING_DAYS) else None


def _notes_path(vault: Vault) -> Path:
    return vault.state_path("token_notes.json")


def _key(service: str, expiry: TokenExpiry, threshold: str) -> str:
    deadline = expiry.deadline()
    return f"token_{service}_{deadline:%Y%m%d%H%M}_{threshold}" if deadline else f"token_{service}_{threshold}"


def _note(service: str, expiry: TokenExpiry, threshold: str, now: datetime) -> tuple[str, str, str]:
    """(title, text, kind) of the note for one token."""
    label, state = LABELS.get(service, service), md_inline(expiry.describe(now))  # may quote the platform
    if threshold == "expired":
        title, kind = f"The {label} token no longer works", "alert"
        lead = f"The {label} access token: {state}. {label} reads and posts fail until it is replaced."
    else:
        title, kind = f"The {label} token expires soon", "needs_action"
        lead = f"The {label} access token: {state}."
    text = (
        f"{lead}\n\nTo fix: {md_inline(expiry.fix)}.\n\nThen run `ai-employee doctor` to check, and delete this note."
    )
    return title, text, kind


def notify(vault: Vault, statuses: dict[str, TokenExpiry], now: datetime) -> list[Path]:
    """A Needs_Action/ note for each live token that stops working within 14 days (an alert once it has
    stopped), once per token and threshold: the same token is not reported again the next day, even after
    the owner deleted the note. Touches nothing on disk when no token is near its end."""
    from orchestrator import notes

    due = {s: t for s, e in statuses.items() if (t := _threshold(e, now)) is not None}
    if not due:
        return []
    written: list[Path] = []
    path = _notes_path(vault)
    vault.folder(NEEDS_ACTION).mkdir(parents=True, exist_ok=True)
    with file_lock(path.with_suffix(".lock")):
        try:
            seen: dict[str, str] = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            seen = {}
        for service, threshold in due.items():
            expiry = statuses[service]
            key = _key(service, expiry, threshold)
            if key in seen:
                continue
            title, text, kind = _note(service, expiry, threshold, now)
            note = notes.needs_action(vault, key, title, text, now, kind)
            if note is not None:
                written.append(note)
            seen[key] = now.isoformat()
        atomic_write(path, json.dumps(seen, indent=1, sort_keys=True))
    return written
