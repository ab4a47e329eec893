"""The Graph client: URL and version, token placement, appsecret_proof, usage headers, read retries,
writes sent once, and lost answers on writes reported as ambiguous."""

from __future__ import annotations

import hashlib
import hmac
import socket
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from mcp_servers.core.errors import Ambiguous, Unavailable
from mcp_servers.graph.client import INSTAGRAM_HOST, GraphClient
from tests.graph.conftest import TOKEN

Make = Callable[..., Any]


def test_post_goes_to_pinned_version_with_token_in_header_only(make_client: Make) -> None:
    client, adapter = make_client("feed_created")
    assert client.post("102030405060708/feed", {"message": "Hi", "published": True}) == {
        "id": "102030405060708_987654321098765"
    }
    sent = adapter.requests[0]
    assert sent.url is not None and sent.url.startswith("https://graph.facebook.com/v25.0/102030405060708/feed")
    assert sent.headers["Authorization"] == f"Bearer {TOKEN}"
    assert TOKEN not in sent.url and TOKEN not in str(sent.body)
    assert parse_qs(str(sent.body)) == {"message": ["Hi"], "published": ["true"]}
    assert "appsecret_proof" not in sent.url


def test_base_url_and_version_are_configurable(make_client: Make) -> None:
    client, adapter = make_client("feed_created", base_url=INSTAGRAM_HOST, api_version="26.0")
    client.get("me")
    assert str(adapter.requests[0].url).startswith("https://graph.instagram.com/v26.0/me")


def test_appsecret_proof_is_hmac_of_token(make_client: Make) -> None:
    client, adapter = make_client("feed_created", app_secret="app-secret-xyz")
    client.get("102030405060708", {"fields": "name"})
    query = parse_qs(urlsplit(str(adapter.requests[0].url)).query)
    expected = hmac.new(b"app-secret-xyz", TOKEN.encode(), hashlib.sha256).hexdigest()
    assert query["appsecret_proof"] == [expected]
    assert query["fields"] == ["name"]
    assert "app-secret-xyz" not in repr(client.describe("POST", "1/feed", {"message": "x"}))


def test_usage_headers_become_rate_limit_state(make_client: Make) -> None:
    client, _ = make_client("feed_created")
    client.get("1")
    assert client.usage.app == {"call_count": 28.0, "total_time": 25.0, "total_cputime": 25.0}
    assert client.usage.summary() == {"peak_usage_percent": 28.0, "api_version_served": "v25.0"}
    assert not client.usage.throttled


def test_business_usage_header_gives_the_wait(make_client: Make) -> None:
    client, _ = make_client("page_limit")
    with pytest.raises(Exception):  # noqa: B017 - the error itself is covered in test_errors
        client.post("1/feed", {"message": "x"})
    assert client.usage.business["102030405060708:pages"]["call_count"] == 100
    assert client.usage.retry_after() == 19 * 60


def test_read_is_retried_on_temporary_error(make_client: Make) -> None:
    client, adapter = make_client("transient", "feed_created")
    assert client.get("1")["id"]
    assert len(adapter.requests) == 2


def test_a_write_answered_500_is_ambiguous_and_never_retried(make_client: Make) -> None:
    """Graph answers 500 after some posts were in fact published: only a read can tell, never a resend."""
    client, adapter = make_client("transient", "feed_created")
    with pytest.raises(Ambiguous, match="may or may not have been applied"):
        client.post("1/feed", {"message": "x"})
    assert len(adapter.requests) == 1


def test_write_timeout_is_ambiguous_and_not_retried(make_client: Make) -> None:
    client, adapter = make_client(requests.ReadTimeout("read timed out"))
    with pytest.raises(Ambiguous, match="may or may not have been applied"):
        client.post("1/feed", {"message": "x"})
    assert len(adapter.requests) == 1


def test_read_timeout_is_unavailable_after_retries(make_client: Make) -> None:
    client, adapter = make_client(requests.ReadTimeout("read timed out"), read_attempts=2)
    with pytest.raises(Unavailable, match="Could not reach Facebook"):
        client.get("1")
    assert len(adapter.requests) == 2


def test_unreachable_host_on_write_is_unavailable_not_ambiguous() -> None:
    with socket.socket() as sock:  # a port nobody listens on: the request never left
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = GraphClient(label="Facebook", access_token=TOKEN, base_url=f"http://127.0.0.1:{port}")
    with pytest.raises(Unavailable):
        client.post("1/feed", {"message": "x"})


def test_repr_and_errors_never_show_the_token(make_client: Make) -> None:
    client, _ = make_client("expired_token")
    assert TOKEN not in repr(client)
    assert TOKEN not in repr(client.describe("POST", "1/feed", {"message": "x"}))


def test_no_appsecret_proof_goes_to_graph_instagram_com(make_client: Make) -> None:
    client, adapter = make_client("feed_created", base_url=INSTAGRAM_HOST, app_secret="app-secret")
    client.get("me", {"fields": "id"})
    assert "appsecret_proof" not in str(adapter.requests[0].url)
    assert "appsecret_proof" not in client.describe("POST", "me/media")
