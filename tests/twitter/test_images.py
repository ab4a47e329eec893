"""Images on X: the download is checked (https, public address, ≤ 5 MB, an image by its bytes) and
refused with the reason; sandbox mode may fetch from 127.0.0.1 and stands in other hosts."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from mcp_servers.core.errors import InvalidInput
from mcp_servers.core.sandbox import LoopbackServer
from mcp_servers.twitter import images

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 2000 + b"\xff\xd9"
PAGES: dict[str, tuple[int, str, bytes]] = {
    "/beans.jpg": (200, "image/jpeg", JPEG),
    "/huge.jpg": (200, "image/jpeg", b"\xff\xd8\xff" + b"\x00" * (20 * 2**20)),
    "/page.jpg": (200, "image/jpeg", b"<!DOCTYPE html><html><body>Not an image</body></html>"),
    "/gone.jpg": (404, "text/html", b"<h1>Not Found</h1>"),
    "/moved.jpg": (302, "text/plain", b""),
}


class Files(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status, kind, body = PAGES.get(self.path, (404, "text/plain", b"no"))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        if status == 302:
            self.send_header("Location", "/beans.jpg")
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client stopped reading: the point of the test
            pass

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def files() -> Iterator[str]:
    server = LoopbackServer(Files).start()
    yield server.url
    server.stop()


def test_a_jpeg_on_the_sandbox_host_is_downloaded_and_typed_by_its_bytes(files: str) -> None:
    image = images.fetch(f"{files}/beans.jpg", sandbox=True)
    assert (image.mime, image.category, image.data, image.stand_in) == ("image/jpeg", "tweet_image", JPEG, False)
    assert images.fetch(f"{files}/moved.jpg", sandbox=True).data == JPEG  # a redirect is followed, checked again


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/huge.jpg", "larger than X's limit of 5 MB"),
        ("/page.jpg", r"it is a web page \(HTML\), not an image file"),
        ("/gone.jpg", "the server answered HTTP 404"),
    ],
)
def test_bad_downloads_are_refused_with_the_reason(files: str, path: str, reason: str) -> None:
    with pytest.raises(InvalidInput, match=reason) as caught:
        images.fetch(files + path, sandbox=True)
    assert caught.value.field == "image_url"


@pytest.mark.parametrize("sandbox", [True, False])
def test_a_plain_http_url_is_refused(sandbox: bool) -> None:
    with pytest.raises(InvalidInput, match="plain http:// URL; give the https:// address"):
        images.fetch("http://cdn.example.com/beans.jpg", sandbox=sandbox)


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1:8443/beans.jpg",  # loopback
        "https://localhost/beans.jpg",
        "https://10.0.0.5/beans.jpg",  # private LAN
        "https://169.254.169.254/latest/meta-data",  # cloud metadata
        "https://[::1]/beans.jpg",
        "https://100.64.0.1/beans.jpg",  # shared address space
    ],
)
def test_live_mode_never_fetches_a_local_or_private_address(url: str) -> None:
    with pytest.raises(InvalidInput, match="private or local address"):
        images.fetch(url, sandbox=False)


def test_live_mode_refuses_loopback_even_over_http(files: str) -> None:
    with pytest.raises(InvalidInput, match="plain http"):
        images.fetch(f"{files}/beans.jpg", sandbox=False)


def test_sandbox_stands_in_internet_images_without_any_network() -> None:
    image = images.fetch("https://cdn.example.com/beans.jpg", sandbox=True)
    assert image.stand_in and images.sniff(image.data) == "image/png" and "sandbox stand-in" in image.describe()
    with pytest.raises(InvalidInput, match="private or local"):
        images.fetch("https://10.1.2.3/beans.jpg", sandbox=True)


@pytest.mark.parametrize(
    ("head", "mime"),
    [
        (b"\xff\xd8\xff\xdb", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"GIF89a", "image/gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"<html>", None),
    ],
)
def test_magic_bytes(head: bytes, mime: str | None) -> None:
    assert images.sniff(head + b"\x00" * 16) == mime
