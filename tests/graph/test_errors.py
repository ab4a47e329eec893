"""Every Graph error class, from recorded-shape payloads, maps to the owner-facing message it should."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from mcp_servers.core import errors as core
from mcp_servers.graph.errors import Blocked, NotReady
from tests.graph.conftest import TOKEN

CASES = [
    # fixture, error class, words the owner must see, retry_after (s) where rate limited
    ("expired_token", core.AuthError, ["token has expired", "Re-authenticate", "FACEBOOK_PAGE_ACCESS_TOKEN"], None),
    ("password_changed", core.AuthError, ["password was changed", "Re-authenticate"], None),
    ("app_limit", core.RateLimited, ["throttling", "code 4", "Retry after 3600 s"], 3600),
    ("user_limit", core.RateLimited, ["code 17", "Retry after 3600 s"], 3600),
    ("page_limit", core.RateLimited, ["code 32", "Retry after 1140 s"], 1140),
    ("custom_limit", core.RateLimited, ["code 613"], 3600),
    ("buc_throttle", core.RateLimited, ["code 80001", "Retry after 420 s"], 420),
    ("permission_10", core.PermissionDenied, ["'pages_read_engagement' permission", "App Review"], None),
    ("permission_200", core.PermissionDenied, ["'pages_manage_posts' permission"], None),
    ("invalid_metric", core.InvalidInput, ["metric:", "valid insights metric"], None),
    ("not_found", core.NotFound, ["does not exist"], None),
    ("blocked", Blocked, ["blocked this action", "Do not retry", "We limit how often"], None),
    ("duplicate", core.Conflict, ["duplicate", "Change the text"], None),
    ("transient", core.Ambiguous, ["HTTP 500", "may or may not have been applied"], None),  # a post may exist
    ("deprecated_version", core.ConfigError, ["FACEBOOK_API_VERSION", "v25.0"], None),
    ("ig_not_ready", NotReady, ["not ready", "do not create a new container"], None),
    ("html_gateway_error", core.Ambiguous, ["HTTP 502", "may or may not have been applied"], None),
]


@pytest.mark.parametrize(("fixture", "kind", "words", "retry_after"), CASES, ids=[c[0] for c in CASES])
def test_write_error_maps_to_its_message(
    make_client: Callable[..., Any], fixture: str, kind: type, words: list[str], retry_after: float | None
) -> None:
    client, adapter = make_client(fixture)
    with pytest.raises(kind) as caught:
        client.post("102030405060708/feed", {"message": "Hello"}, permission="pages_manage_posts")
    text = str(caught.value)
    for word in words:
        assert word.lower() in text.lower(), text
    assert TOKEN not in text and "Traceback" not in text
    assert len(adapter.requests) == 1, "a write is never retried"
    if retry_after is not None:
        assert caught.value.retry_after == pytest.approx(retry_after)


def test_permission_named_from_the_endpoint_when_meta_does_not(make_client: Callable[..., Any]) -> None:
    client, _ = make_client("blocked")
    client2, _ = make_client("permission_200")
    with pytest.raises(core.PermissionDenied, match="pages_manage_posts"):
        client2.post("1/feed", {"message": "x"}, permission="pages_manage_posts")
    with pytest.raises(Blocked):
        client.get("1/posts", permission="pages_read_engagement")
