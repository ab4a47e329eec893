"""X against the real API's answers (tests/twitter/fixtures/real/: tweepy's recorded cassettes, docs.x.com):
(a) each request the client sends, answered by the emulator, has the real answer's shape;
(b) each real answer, read by the client, gives the right tool output."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from mcp_servers.core import errors
from mcp_servers.core.vault import Vault
from mcp_servers.twitter import images, tools
from mcp_servers.twitter.apierrors import ReplyRefused
from mcp_servers.twitter.checks import XService
from mcp_servers.twitter.client import TwitterClient
from mcp_servers.twitter.const import TWEET_FIELDS, USER_FIELDS
from mcp_servers.twitter.models import GetMeArgs, ListPostsArgs
from mcp_servers.twitter.sandbox import inject_fault
from tests.graph.contract import Recorder, Replay, all_real, error_problems, real, shape_problems

Drive = Callable[[XService, Vault], Any]
TWEET = {"id", "text", "edit_history_tweet_ids", *TWEET_FIELDS}  # X's defaults plus what the client asks
USER = {"id", "name", "username", *USER_FIELDS}


def _own_post(x: XService) -> str:
    return str(x.api.list_posts(5)[0]["id"])


def _upload(x: XService) -> dict[str, Any]:
    return x.api.upload_image(images.stand_in_png(), "image/png", "tweet_image")


SUCCESS: dict[str, tuple[Drive, set[str]]] = {
    "me": (lambda x, v: x.api.get_me(), USER),
    "users_tweets": (lambda x, v: x.api.list_posts(5), TWEET),
    "tweet": (lambda x, v: x.api.get_post(_own_post(x)), TWEET),
    "created": (lambda x, v: x.api.create_post("Contract post"), set()),
    "deleted": (lambda x, v: x.api.delete_post(_own_post(x)), set()),
    "media_uploaded": (lambda x, v: _upload(x), set()),
    "metadata_created": (lambda x, v: x.api.set_alt_text(str(_upload(x)["id"]), "A bag of beans"), set()),
}


def _fault(kind: str) -> Drive:
    def drive(x: XService, vault: Vault) -> Any:
        inject_fault(vault.root, kind)
        return x.api.create_post(f"Fault {kind}", _own_post(x) if kind == "reply_refused" else None)

    return drive


def _duplicate(x: XService, vault: Vault) -> Any:
    x.api.create_post("Twice the same")
    return x.api.create_post("Twice the same")


ERRORS: dict[str, Drive] = {
    "duplicate": _duplicate,
    "rate_limit": _fault("rate_limit"),
    "oauth1_permissions": _fault("read_only_app"),
    "reply_refused": _fault("reply_refused"),
}


def _recorded(vault: Vault, x: XService) -> Recorder:
    session = x.api._api().session
    recorder = Recorder(session.get_adapter("https://api.x.com/"))
    session.mount("https://api.x.com", recorder)
    return recorder


def test_every_fixture_has_a_driver() -> None:
    assert set(all_real("twitter")) == {*SUCCESS, *ERRORS}


@pytest.mark.parametrize("name", sorted(SUCCESS))
def test_the_emulator_answers_in_the_real_shape(vault: Vault, x: XService, name: str) -> None:
    recorder = _recorded(vault, x)
    drive, requested = SUCCESS[name]
    drive(x, vault)
    status, body = recorder.last()
    fixture = real("twitter", name)
    assert status == fixture["status"]
    assert shape_problems(body, fixture["body"], requested) == []


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_the_emulator_errs_like_x(vault: Vault, x: XService, name: str) -> None:
    recorder = _recorded(vault, x)
    with pytest.raises(errors.ServiceError):
        ERRORS[name](x, vault)
    status, body = recorder.last()
    fixture = real("twitter", name)
    assert status == fixture["status"]
    assert error_problems(body, fixture["body"]) == []


def _replayed(*fixtures: str) -> TwitterClient:
    adapter = Replay(*(real("twitter", n) for n in fixtures))
    return TwitterClient(
        api_key="k",
        api_secret="s",
        access_token="t",
        access_token_secret="ts",
        api_host="https://api.x.com",
        adapter=adapter,
    )


def test_the_client_reads_the_real_answers(x: XService) -> None:
    x.api = _replayed("me", "users_tweets")
    me = tools.get_me(x, GetMeArgs())
    assert (me.id, me.username, me.followers) == ("1072250532645998596", "TweepyDev", 0)
    listed = tools.list_posts(x, ListPostsArgs(max_results=5))
    assert [p.id for p in listed.posts] == ["1577730467436138524", "1565318587736285184"]
    assert listed.posts[0].url == "https://x.com/TweepyDev/status/1577730467436138524"
    assert listed.posts[0].created_at is None and listed.posts[0].metrics.impressions == 0  # not asked in the cassette
    assert _replayed("tweet").get_post("1293593516040269825")["id"] == "1293593516040269825"
    assert _replayed("created").create_post("Test Tweet") == {"id": "1456012973835788293", "text": "Test Tweet"}
    assert _replayed("deleted").delete_post("1456012973835788293") is True
    uploaded = _replayed("media_uploaded").upload_image(images.stand_in_png(), "image/png", "tweet_image")
    assert uploaded["id"] == "1880028106020515840" and uploaded["expires_after_secs"] == 86400
    _replayed("metadata_created").set_alt_text("1880028106020515840", "A bag of beans")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("duplicate", errors.Conflict),
        ("rate_limit", errors.RateLimited),
        ("oauth1_permissions", errors.PermissionDenied),
        ("reply_refused", ReplyRefused),
    ],
)
def test_each_real_error_maps_to_its_class(name: str, expected: type[errors.ServiceError]) -> None:
    with pytest.raises(errors.ServiceError) as caught:
        _replayed(name).create_post("hi", "1" if name == "reply_refused" else None)
    assert type(caught.value) is expected, caught.value.message
