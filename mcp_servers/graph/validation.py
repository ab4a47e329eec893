"""Checks every Facebook and Instagram write passes before anything is filed: public https media
URLs (never fetched by us: Meta downloads them), text limits, hashtag/mention counts. The scheduling
window is the one rule of `core/schedule.py`. Each failure is an `InvalidInput` naming the field."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from mcp_servers.core.errors import InvalidInput

HASHTAG = re.compile(r"(?<![\w#])#\w+", re.UNICODE)
MENTION = re.compile(r"(?<![\w@])@[A-Za-z0-9._]+")
_PRIVATE_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa", ".intranet", ".corp")
NOT_JPEG = (".png", ".gif", ".webp", ".heic", ".heif", ".bmp", ".tif", ".tiff", ".svg", ".avif")


def public_url(url: str, field: str, *, https_only: bool = True) -> str:
    """`url` if it is an absolute public http(s) URL; refuses local files, private hosts, credentials."""
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "file" or (not scheme and url.startswith(("/", "~", "."))):
        raise InvalidInput(
            f"{url!r} is a local file. Upload the image somewhere public and give its https:// URL "
            "(Meta downloads it itself).",
            field=field,
        )
    allowed = ("https",) if https_only else ("https", "http")
    if scheme not in allowed:
        need = "https://" if https_only else "http:// or https://"
        raise InvalidInput(f"{url!r} must start with {need} (got {scheme or 'no scheme'}).", field=field)
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        raise InvalidInput(f"{url!r} has no host name.", field=field)
    if parts.username or parts.password:
        raise InvalidInput("the URL must not contain a user name or password.", field=field)
    if _private_host(host):
        raise InvalidInput(
            f"{host!r} is not a public host; Meta cannot download from it. Use a public https URL.", field=field
        )
    return url


def _private_host(host: str) -> bool:
    if host == "localhost" or host.endswith(_PRIVATE_SUFFIXES) or "." not in host.strip("[]"):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return not address.is_global


def jpeg_url(url: str, field: str) -> str | None:
    """Refuse URLs that name another image format; a warning when the format cannot be told."""
    path = urlsplit(url).path.lower()
    if path.endswith(NOT_JPEG):
        raise InvalidInput(
            f"Instagram accepts JPEG images only; {path.rsplit('.', 1)[-1].upper()} was given. Convert it to "
            "JPEG and give that URL.",
            field=field,
        )
    if not path.endswith((".jpg", ".jpeg")):
        return f"{field}: the URL does not end in .jpg; Instagram rejects anything but JPEG when it fetches it."
    return None


def text_limits(
    text: str, field: str, *, max_chars: int, max_hashtags: int | None = None, max_mentions: int | None = None
) -> None:
    if len(text) > max_chars:
        raise InvalidInput(f"{len(text)} characters; the limit is {max_chars}. Shorten it.", field=field)
    tags = HASHTAG.findall(text)
    if max_hashtags is not None and len(tags) > max_hashtags:
        raise InvalidInput(f"{len(tags)} hashtags; the limit is {max_hashtags}.", field=field)
    mentions = MENTION.findall(text)
    if max_mentions is not None and len(mentions) > max_mentions:
        raise InvalidInput(f"{len(mentions)} @-mentions; the limit is {max_mentions}.", field=field)


def object_id(value: str, field: str) -> str:
    """Graph object ids are digits, optionally `<page>_<post>`; anything else is refused."""
    if not re.fullmatch(r"\d{1,30}(_\d{1,30})?", value.strip()):
        raise InvalidInput(f"{value!r} is not a Graph id (digits, or <page id>_<post id>).", field=field)
    return value.strip()


def one_line(text: str, width: int = 60) -> str:
    """`text` on one line, cut to `width` characters with an ellipsis: for request summaries."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def reply(
    comment_id: str, message: str, *, max_chars: int, max_hashtags: int | None = None, max_mentions: int | None = None
) -> tuple[str, str]:
    """A comment id and a non-empty reply text within the platform's limits."""
    checked_id = object_id(comment_id, "comment_id")
    text = message.strip()
    if not text:
        raise InvalidInput("the reply is empty.", field="message")
    text_limits(text, "message", max_chars=max_chars, max_hashtags=max_hashtags, max_mentions=max_mentions)
    return checked_id, text
