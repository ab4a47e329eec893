"""Images on X posts, exactly once across the two steps (upload, then post).

The uploaded media id is written to a per-call state file (`vault/.ai_employee/twitter/media/<call id>.json`)
the moment X returns it, before the post is sent. A crash between the two steps leaves the id there; the
gate settles the interrupted call by reading the profile (`resolve`), and only when the post is not on X
does it run the call again, which re-uses the recorded id (re-uploading only when X's upload has expired).
The post itself is sent once, so an image is never posted twice.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from mcp_servers.core.errors import Conflict
from mcp_servers.core.untrusted import md_inline
from mcp_servers.core.vault import atomic_write, file_lock
from mcp_servers.twitter import images
from mcp_servers.twitter.checks import XService

REUSE_MARGIN_S = 600  # re-upload when X's upload expires within 10 minutes
DEFAULT_EXPIRY_S = 86400


def fetch(x: XService, url: str) -> images.Image:
    """Download and check the image (sandbox: loopback allowed, other hosts stood in; see `images`)."""
    return images.fetch(url, sandbox=x.settings.mode == "sandbox")


def _path(x: XService, call_id: str) -> Path:
    return x.vault.state_path("twitter", "media", re.sub(r"[^A-Za-z0-9_.-]", "_", call_id) + ".json")


def recorded(x: XService, call_id: str) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(_path(x, call_id).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data


def _record(x: XService, call_id: str, slot: str, entry: dict[str, Any]) -> None:
    path = _path(x, call_id)
    with file_lock(path.with_suffix(".lock")):
        data = recorded(x, call_id)
        data[slot] = entry
        atomic_write(path, json.dumps(data, indent=1))


def media_ids(
    x: XService, call_id: str, slot: str, url: str, alt_text: str | None, sha256: str | None = None
) -> list[str]:
    """The media id to post with for `slot` (e.g. "post", "part-2"): the recorded one while it is valid,
    else a fresh upload, recorded before it is used. With `sha256` (the image as previewed), a file that
    changed since is refused: nothing is uploaded or posted."""
    now = x.clock().timestamp()
    entry = recorded(x, call_id).get(slot)
    if not entry or entry.get("url") != url or float(entry.get("expires_at", 0)) <= now + REUSE_MARGIN_S:
        image = fetch(x, url)
        _same_image(url, hashlib.sha256(image.data).hexdigest(), sha256)
        data = x.api.upload_image(image.data, image.mime, image.category)
        entry = {
            "url": url,
            "media_id": str(data["id"]),
            "media_key": data.get("media_key"),
            "sha256": hashlib.sha256(image.data).hexdigest(),
            "uploaded_at": now,
            "expires_at": now + float(data.get("expires_after_secs") or DEFAULT_EXPIRY_S),
            "alt_text_set": False,
        }
        _record(x, call_id, slot, entry)
    if alt_text and not entry.get("alt_text_set"):
        x.api.set_alt_text(entry["media_id"], alt_text)
        entry = {**entry, "alt_text_set": True}
        _record(x, call_id, slot, entry)
    return [str(entry["media_id"])]


def _same_image(url: str, found: str, approved: str | None) -> None:
    if approved and found != approved:
        raise Conflict(
            f"image_url: the file at {url} changed since the request was filed (approved sha256 {approved[:16]}…, "
            f"now {found[:16]}…). Nothing was posted; file the post again so the owner sees the new image.",
            service="twitter",
        )


def digest(url: str, *, sandbox: bool) -> str:
    """SHA-256 of the image at `url` as it is now (what a preview shows), to bind a filed request to it."""
    return hashlib.sha256(images.fetch(url, sandbox=sandbox).data).hexdigest()


def preview_lines(x: XService, url: str, alt_text: str | None) -> tuple[list[str], str]:
    """What the preview shows of an image (where, what: type and size, checked now, alt text) and its SHA-256,
    which the preview binds the request to: the gate refuses to run it if the file changed since."""
    image = fetch(x, url)
    sha256 = hashlib.sha256(image.data).hexdigest()
    shown = quote(url, safe=":/?&=%#+,;@!$'*~-._")  # no character that could end the Markdown link early
    lines = [f"![the image]({shown})", "", f"Image: {md_inline(url)} ({image.describe()})"]
    lines.append(f"Image sha256: {sha256}")
    lines.append(f"Alt text: {md_inline(alt_text)}" if alt_text else "Alt text: none (add alt_text for screen readers)")
    return lines, sha256


def request_shape(alt_text: str | None) -> list[dict[str, Any]]:
    """The extra requests an image adds, for the preview's `request`."""
    steps: list[dict[str, Any]] = [
        {
            "method": "POST",
            "url": "/2/media/upload",
            "multipart": {"media": "<the image bytes>", "media_category": "tweet_image"},
        }
    ]
    if alt_text:
        steps.append(
            {
                "method": "POST",
                "url": "/2/media/metadata",
                "json": {"id": "<media id>", "metadata": {"alt_text": {"text": alt_text}}},
            }
        )
    return steps
