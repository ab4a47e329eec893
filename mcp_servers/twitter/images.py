"""Downloading the image an X post attaches: public https only, at most 5 MB, JPEG/PNG/GIF/WebP by its bytes.

X does not fetch image URLs (unlike Meta): the server downloads the file and uploads it. Downloading a
URL the model or the owner typed is a server-side request forgery risk, so:

- live mode: `https://` only; the host's addresses are resolved once and every one must be public
  (not loopback, private, link-local, shared, reserved or multicast: no cloud metadata endpoint, no
  LAN device); the connection goes to the checked address itself (no second DNS answer can move it),
  with TLS verified for the host name; redirects are followed by hand (at most 3), each checked again.
- sandbox mode: the same rules, except that loopback (127.0.0.0/8, ::1) is allowed, over http too,
  so tests and demos can serve files from 127.0.0.1. Any other host is not contacted at all: the
  sandbox needs no internet, so it stands in a generated 1×1 PNG and says so.

The type is read from the first bytes (magic numbers), never from the URL or the Content-Type: an HTML
page served as `photo.jpg` is refused.
"""

from __future__ import annotations

import ipaddress
import socket
import struct
import zlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from mcp_servers.core.errors import InvalidInput

MAX_IMAGE_BYTES = 5 * 1024 * 1024  # X: images ≤ 5 MB (docs.x.com/x-api/media/upload-media)
MAX_REDIRECTS = 3
TIMEOUT_S = 15.0
FIELD = "image_url"


@dataclass(frozen=True)
class Image:
    url: str
    data: bytes
    mime: str
    stand_in: bool = False  # sandbox: a generated image instead of the URL's (no internet needed)

    @property
    def category(self) -> str:
        """The `media_category` X wants for it."""
        return "tweet_gif" if self.mime == "image/gif" else "tweet_image"

    def describe(self) -> str:
        kind = self.mime.split("/")[1].upper()
        n = len(self.data)
        size = f"{n} bytes" if n < 1024 else f"{n / 1024:.0f} KB" if n < 2**20 else f"{n / 2**20:.1f} MB"
        note = " (sandbox stand-in: live mode downloads the URL)" if self.stand_in else ""
        return f"{kind}, {size}{note}"


def sniff(data: bytes) -> str | None:
    """The image type from its first bytes, or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _refuse(url: str, why: str) -> InvalidInput:
    return InvalidInput(f"the image {url} cannot be attached on X: {why}", field=FIELD)


def _allowed(address: str, *, sandbox: bool) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if sandbox and ip.is_loopback:
        return True
    return ip.is_global and not ip.is_multicast


def resolve_checked(url: str, *, sandbox: bool) -> tuple[str, int, str]:
    """(scheme, port, checked address) for `url`, or InvalidInput saying why it may not be fetched."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http") or not host:
        raise _refuse(url, "give a public https:// URL of the image file")
    if parts.scheme == "http" and not (sandbox and _is_loopback_host(host)):
        raise _refuse(url, "it is a plain http:// URL; give the https:// address of the image")
    try:
        infos = socket.getaddrinfo(
            host, parts.port or (443 if parts.scheme == "https" else 80), type=socket.SOCK_STREAM
        )
    except OSError as exc:
        raise _refuse(url, f"its host {host} does not resolve ({exc.strerror or exc})") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    blocked = [a for a in addresses if not _allowed(a, sandbox=sandbox)]
    if blocked or not addresses:
        raise _refuse(
            url,
            f"{host} resolves to a private or local address ({', '.join(blocked) or 'none'}); only images on "
            "the public internet can be attached",
        )
    return parts.scheme, parts.port or (443 if parts.scheme == "https" else 80), addresses[0]


def fetch(url: str, *, sandbox: bool, max_bytes: int = MAX_IMAGE_BYTES) -> Image:
    """The image at `url`, checked; InvalidInput with the reason when it cannot be attached."""
    host = (urlsplit(url).hostname or "").lower()
    if sandbox and not _is_loopback_host(host):
        resolve_scheme_only(url)
        return Image(url, stand_in_png(), "image/png", stand_in=True)
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        status, headers, body = _get(current, sandbox=sandbox, max_bytes=max_bytes)
        if status in (301, 302, 303, 307, 308) and headers.get("location"):
            current = urljoin(current, headers["location"])
            continue
        return _checked(url, status, headers, body, max_bytes)
    raise _refuse(url, f"more than {MAX_REDIRECTS} redirects")


def resolve_scheme_only(url: str) -> None:
    """The checks that need no network (sandbox stand-ins): https only, no private address literals."""
    parts = urlsplit(url)
    if parts.scheme == "http":
        raise _refuse(url, "it is a plain http:// URL; give the https:// address of the image")
    if parts.scheme != "https" or not parts.hostname:
        raise _refuse(url, "give a public https:// URL of the image file")
    try:
        literal = ipaddress.ip_address(parts.hostname)
    except ValueError:
        return
    if not (literal.is_global and not literal.is_multicast):
        raise _refuse(url, f"{literal} is a private or local address; only public images can be attached")


def _is_loopback_host(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _checked(url: str, status: int, headers: dict[str, str], body: bytes, max_bytes: int) -> Image:
    if status != 200:
        raise _refuse(url, f"the server answered HTTP {status} instead of the image")
    if len(body) > max_bytes or "x-too-large" in headers:
        raise _refuse(url, f"it is larger than X's limit of {max_bytes // 2**20} MB for images")
    mime = sniff(body)
    if mime is None:
        html = body.lstrip()[:15].lower().startswith((b"<!doctype", b"<html"))
        what = "it is a web page (HTML), not an image file" if html else "its bytes are not an image"
        raise _refuse(url, f"{what}; X takes JPEG, PNG, GIF or WebP files")
    return Image(url, body, mime)


def _get(url: str, *, sandbox: bool, max_bytes: int) -> tuple[int, dict[str, str], bytes]:
    """One GET to the checked address (never a fresh DNS lookup), reading at most max_bytes + 1 bytes."""
    import urllib3

    scheme, port, address = resolve_checked(url, sandbox=sandbox)
    parts = urlsplit(url)
    host = parts.hostname or ""
    pool: Any
    if scheme == "https":
        import certifi

        pool = urllib3.HTTPSConnectionPool(
            address, port, server_hostname=host, assert_hostname=host, cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(), timeout=TIMEOUT_S, retries=False,
        )  # fmt: skip
    else:
        pool = urllib3.HTTPConnectionPool(address, port, timeout=TIMEOUT_S, retries=False)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {"Host": parts.netloc, "User-Agent": "ai-employee-x-image/1", "Accept": "image/*"}
    try:
        response = pool.urlopen("GET", path, headers=headers, redirect=False, preload_content=False)
    except urllib3.exceptions.HTTPError as exc:
        raise _refuse(url, f"it could not be downloaded ({type(exc).__name__})") from None
    try:
        found = {k.lower(): v for k, v in response.headers.items()}
        declared = found.get("content-length", "")
        if response.status == 200 and declared.isdigit() and int(declared) > max_bytes:
            found["x-too-large"] = declared  # refused without reading the body
            return 200, found, b""
        body = response.read(max_bytes + 1) if response.status == 200 else b""
        return response.status, found, body
    finally:
        response.release_conn()
        pool.close()


def stand_in_png() -> bytes:
    """A valid 1×1 PNG, what the sandbox attaches instead of an internet image."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xc8\x8c\x50")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
