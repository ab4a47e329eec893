"""The X client against canned X answers: success payloads parsed, every error class mapped to a message
the owner can act on, reads retried, writes sent once."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
import requests

from mcp_servers.core import errors
from mcp_servers.twitter.apierrors import OutOfCredits, ReplyRefused
from mcp_servers.twitter.tools import parse_metrics
from tests.twitter.conftest import FIXTURES, load

ERROR_FIXTURES = sorted(p.stem for p in FIXTURES.glob("*.json") if "expect" in json.loads(p.read_text()))
CLASSES = {cls.__name__: cls for cls in (*errors.ServiceError.__subclasses__(), OutOfCredits, ReplyRefused)}


def _answer(name: str) -> dict[str, Any]:
    fixture = load(name)
    headers = {
        k: (str(int(time.time()) + 600) if v == "RESET+600" else v) for k, v in fixture.get("headers", {}).items()
    }
    return {**fixture, "headers": headers}


def test_get_me_and_owned_posts_parse_both_metric_spellings(canned: Any) -> None:
    client, adapter = canned(_answer("get_me_200"), _answer("users_tweets_200"))
    assert client.get_me()["username"] == "harborlanecoffee"
    posts = client.list_posts(2)
    sent = adapter.sent[-1]
    assert sent.url.startswith("https://api.x.com/2/users/1445880548472328192/tweets?")  # api.x.com, not twitter.com
    assert "public_metrics" in sent.url and sent.headers["Authorization"].startswith("OAuth ")
    classic, newer = (parse_metrics(p["public_metrics"]) for p in posts)
    assert (classic.reposts, classic.impressions, classic.likes) == (4, 1200, 31)
    assert (newer.reposts, newer.impressions) == (6, 900)  # `repost_count` is read like `retweet_count`
    assert classic.engagement_rate == round((4 + 2 + 31 + 1 + 3) / 1200, 4)


def test_create_reply_sends_the_v2_reply_body_once(canned: Any) -> None:
    client, adapter = canned(_answer("create_post_201"))
    data = client.create_post("Hello from the shop!", reply_to_id="1")
    assert data["id"] == "1445880548472328192"
    assert len(adapter.sent) == 1 and adapter.sent[0].method == "POST"
    assert json.loads(adapter.sent[0].body) == {"text": "Hello from the shop!", "reply": {"in_reply_to_tweet_id": "1"}}


def test_delete(canned: Any) -> None:
    client, adapter = canned(_answer("delete_post_200"))
    assert client.delete_post("1445880548472328192") is True
    assert adapter.sent[0].method == "DELETE" and adapter.sent[0].url.endswith("/2/tweets/1445880548472328192")


@pytest.mark.parametrize("name", ERROR_FIXTURES)
def test_each_x_error_body_maps_to_its_class_and_message(canned: Any, name: str) -> None:
    fixture = _answer(name)
    client, adapter = canned(fixture)
    call = (lambda: client.create_post("hi")) if fixture["write"] else client.get_me
    with pytest.raises(errors.ServiceError) as caught:
        call()
    expected = CLASSES.get(fixture["expect"]["error"]) or getattr(errors, fixture["expect"]["error"])
    assert type(caught.value) is expected, caught.value.message
    for fragment in fixture["expect"]["contains"]:
        assert fragment in caught.value.message, (fragment, caught.value.message)
    assert "Traceback" not in caught.value.message
    if fixture["write"]:
        assert len(adapter.sent) == 1  # a write is never retried, whatever the error


def test_rate_limit_reports_the_reset_time_as_retry_after(canned: Any) -> None:
    client, _ = canned(_answer("rate_limit_429"))
    with pytest.raises(errors.RateLimited) as caught:
        client.create_post("hi")
    assert caught.value.retry_after is not None and 590 <= caught.value.retry_after <= 600


def test_reads_are_retried_on_5xx_then_succeed(canned: Any) -> None:
    client, adapter = canned(_answer("service_unavailable_503"), _answer("get_me_200"))
    assert client.get_me()["id"] == "1445880548472328192"
    assert len(adapter.sent) == 2


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (requests.exceptions.ReadTimeout("read timed out"), errors.Ambiguous),
        (requests.exceptions.ConnectionError("Connection aborted, RemoteDisconnected"), errors.Ambiguous),
        (requests.exceptions.ConnectTimeout("connect timed out"), errors.Unavailable),
    ],
)
def test_transport_failures_on_a_write(canned: Any, exc: Exception, expected: type) -> None:
    client, adapter = canned(exc)
    with pytest.raises(expected) as caught:
        client.create_post("hi")
    assert len(adapter.sent) == 1
    if expected is errors.Ambiguous:
        assert "may or may not have been published" in caught.value.message
    else:
        assert "Nothing was sent" in caught.value.message


def test_client_repr_hides_credentials(canned: Any) -> None:
    client, _ = canned(_answer("get_me_200"))
    assert "ts" not in repr(client).replace("https", "") and "k'" not in repr(client)
