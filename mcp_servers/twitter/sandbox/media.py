"""The X emulator's media endpoints, as docs.x.com documents them (fixtures: tests/twitter/fixtures/real/):

- `POST /2/media/upload` (one-shot, multipart `media` + `media_category`): the bytes are checked like X
  does (an image type by its magic number, images ≤ 5 MB, GIFs ≤ 15 MB) and answered
  `{"data": {"id", "media_key", "size", "expires_after_secs"}}`;
- `POST /2/media/metadata` (`{"id", "metadata": {"alt_text": {"text"}}}`) answered
  `{"data": {"id", "associated_metadata": {"alt_text": {"text"}}}}`;
- `POST /2/tweets` with `media.media_ids`: every id must be an unexpired upload of this account, else
  the v2 invalid-request problem "Your media IDs are invalid.".
"""

from __future__ import annotations

import json
from datetime import datetime
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

from mcp_servers.twitter.images import sniff
from mcp_servers.twitter.sandbox.seed import snowflake

Reply = tuple[int, dict[str, str], dict[str, Any] | None]
EXPIRES_AFTER_S = 86400
CATEGORIES = {"tweet_image": 5 * 2**20, "tweet_gif": 15 * 2**20, "dm_image": 5 * 2**20}


def invalid_request(message: str, parameters: dict[str, Any] | None = None) -> Reply:
    """X v2's 400 problem for a bad parameter (errors[] + title/detail/type)."""
    error: dict[str, Any] = {"message": message}
    if parameters:
        error["parameters"] = parameters
    body = {
        "errors": [error],
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
        "type": "https://api.twitter.com/2/problems/invalid-request",
    }
    return 400, {}, body


def _form(content_type: str, body: bytes) -> dict[str, tuple[bytes, str | None]]:
    """name → (bytes, content type) of a multipart/form-data body."""
    message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
    fields: dict[str, tuple[bytes, str | None]] = {}
    if not message.is_multipart():
        return fields
    for part in message.iter_parts():  # type: ignore[attr-defined]
        name = part.get_param("name", header="content-disposition")
        if name:
            payload = part.get_payload(decode=True)
            fields[str(name)] = (payload if isinstance(payload, bytes) else b"", part.get_content_type())
    return fields


def upload(state: dict[str, Any], now: datetime, content_type: str, body: bytes) -> Reply:
    fields = _form(content_type, body) if content_type.startswith("multipart/form-data") else {}
    media = fields.get("media")
    category = (fields.get("media_category") or (b"", None))[0].decode() or ""
    if media is None or not media[0]:
        return invalid_request("The `media` field is required.", {"media": []})
    if category not in CATEGORIES:
        return invalid_request(f"Invalid media_category: '{category}'.", {"media_category": [category]})
    data = media[0]
    mime = sniff(data)
    if mime is None:
        return invalid_request("media type unrecognized.", {"media": ["<binary>"]})
    if len(data) > CATEGORIES[category] or (mime == "image/gif") != (category == "tweet_gif"):
        return invalid_request("media file is too large or does not match media_category.", {"media": ["<binary>"]})
    uploads = state.setdefault("media", {})
    media_id = snowflake(now, 0x200000 + len(uploads))
    key = f"{16 if mime == 'image/gif' else 3}_{media_id}"
    uploads[media_id] = {
        "media_key": key,
        "mime": mime,
        "size": len(data),
        "expires": now.timestamp() + EXPIRES_AFTER_S,
    }
    return (
        200,
        {},
        {"data": {"id": media_id, "media_key": key, "size": len(data), "expires_after_secs": EXPIRES_AFTER_S}},
    )


def metadata(state: dict[str, Any], body: bytes) -> Reply:
    try:
        payload = json.loads(body or b"{}")
    except ValueError:
        return invalid_request("The request body is not valid JSON.")
    media_id = str(payload.get("id", ""))
    text = ((payload.get("metadata") or {}).get("alt_text") or {}).get("text")
    entry = state.get("media", {}).get(media_id)
    if entry is None:
        return invalid_request(f"Could not find media with id: [{media_id}].", {"id": [media_id]})
    if not isinstance(text, str) or not text or len(text) > 1000:
        return invalid_request("alt_text.text must be 1 to 1000 characters.", {"metadata.alt_text.text": [text]})
    entry["alt_text"] = text
    return 200, {}, {"data": {"id": media_id, "associated_metadata": {"alt_text": {"text": text}}}}


def check_media_ids(state: dict[str, Any], now: datetime, payload: dict[str, Any]) -> Reply | None:
    """None when the post's media ids (if any) are all usable, else X's 400."""
    ids = [str(i) for i in (payload.get("media") or {}).get("media_ids") or []]
    uploads = state.get("media", {})
    bad = [i for i in ids if i not in uploads or uploads[i]["expires"] <= now.timestamp()]
    if bad or len(ids) > 4:
        return invalid_request("Your media IDs are invalid.", {"media.media_ids": bad or ids})
    return None
