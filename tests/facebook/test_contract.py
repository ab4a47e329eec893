"""Facebook against the real Graph answers (tests/facebook/fixtures/real/, tests/graph/fixtures/real/):
(a) each request the client sends, answered by the emulator, has the real answer's shape;
(b) each real answer, read by the client, gives the right tool output."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from mcp_servers.core import errors
from mcp_servers.core.actions import CallContext
from mcp_servers.core.vault import Vault
from mcp_servers.facebook import tools
from mcp_servers.facebook.client import FacebookClient
from mcp_servers.facebook.const import PAGE_FIELDS, POST_FIELDS
from mcp_servers.facebook.models import CreatePostArgs, DeletePostArgs, GetPageArgs, ListPostsArgs
from mcp_servers.graph.client import GraphClient
from mcp_servers.graph.errors import Blocked, map_graph_error
from mcp_servers.graph.sandbox import add_fault
from mcp_servers.graph.tokens import TokenInspector
from mcp_servers.graph.usage import UsageState
from tests.graph import sandboxes
from tests.graph.contract import Recorder, Replay, all_real, error_problems, names, real, shape_problems

Drive = Callable[[FacebookClient, Any], Any]
COMMENT_FIELDS = "id,message,from,created_time"


def _first_post(client: FacebookClient, with_comments: bool = False) -> dict[str, Any]:
    posts = client.graph.get(f"{client.page_id}/posts", {"fields": "id,comments.summary(total_count)", "limit": 50})
    return next(p for p in posts["data"] if not with_comments or p["comments"]["summary"]["total_count"])


def _photo_post(client: FacebookClient) -> str:
    """A post with an image, so `full_picture` has a value (Graph leaves out fields without one)."""
    made = client.publish(*client.post_request("With a photo", None, "https://cdn.example/beans.jpg"))
    return str(made["post_id"])


def _comment_id(client: FacebookClient) -> str:
    post = _first_post(client, with_comments=True)
    return str(client.comments(post["id"], 1)[0]["id"])


# fixture → (how the client sends the request, the fields it names)
SUCCESS: dict[str, tuple[Drive, str]] = {
    "page": (lambda c, s: c.page(), PAGE_FIELDS),
    "posts": (lambda c, s: c.posts(3), POST_FIELDS),
    "post": (lambda c, s: c.post(_photo_post(c)), POST_FIELDS),
    "comments": (lambda c, s: c.comments(_first_post(c, True)["id"], 5), COMMENT_FIELDS),
    "debug_token": (lambda c, s: c.graph.get("debug_token", {"input_token": c.graph._token}), ""),
    "feed_created": (lambda c, s: c.publish(*c.post_request("Contract feed post", None, None)), ""),
    "photo_created": (lambda c, s: c.publish(*c.post_request("Contract photo", None, "https://cdn.example/a.jpg")), ""),
    "comment_created": (lambda c, s: c.reply(_comment_id(c), "Thank you!"), ""),
    "deleted": (lambda c, s: c.delete(_first_post(c)["id"]), ""),
}


def _fault(kind: str, method: str, path: str) -> Drive:
    def drive(client: FacebookClient, state: Any) -> Any:
        add_fault(state, kind, method=method, path=path)
        return client.posts(1) if method == "GET" else client.publish(*client.post_request("x", None, None))

    return drive


def _duplicate(client: FacebookClient, state: Any) -> Any:
    client.publish(*client.post_request("Twice the same", None, None))
    return client.publish(*client.post_request("Twice the same", None, None))


ERRORS: dict[str, Drive] = {
    "expired_token": _fault("expired_token", "GET", "posts$"),
    "page_limit": _fault("rate_limit", "GET", "posts$"),
    "server_error": _fault("server_error", "POST", "feed$"),
    "blocked": _fault("blocked", "POST", "feed$"),
    "duplicate": _duplicate,
    "object_missing": lambda c, s: c.post("102030405060708_1"),
    "invalid_metric": lambda c, s: c.insights(["page_impressions"], date(2026, 11, 1), date(2026, 11, 2)),
}


def _recorded(vault: Vault) -> tuple[FacebookClient, Any, Recorder]:
    client, state = sandboxes.facebook(vault)
    recorder = Recorder(client.graph.session.get_adapter(client.graph.base_url + "/"))
    client.graph.session.mount(client.graph.base_url + "/", recorder)
    client.graph._read = client.graph._send_read  # one answer per request: no retry hides an error
    return client, state, recorder


def test_every_fixture_has_a_source_and_a_driver() -> None:
    covered = {*SUCCESS, *ERRORS}
    assert set(all_real("facebook")) <= covered | {"error_envelope"}
    assert set(all_real("graph")) <= covered | {"error_envelope"}


@pytest.mark.parametrize("name", sorted(SUCCESS))
def test_the_emulator_answers_in_the_real_shape(vault: Vault, name: str) -> None:
    client, state, recorder = _recorded(vault)
    drive, fields = SUCCESS[name]
    drive(client, state)
    status, body = recorder.last()
    fixture = real("facebook", name)
    assert status == fixture["status"]
    assert shape_problems(body, fixture["body"], names(fields) if fields else set()) == []


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_the_emulator_errs_like_graph(vault: Vault, name: str) -> None:
    client, state, recorder = _recorded(vault)
    with pytest.raises(errors.ServiceError):
        ERRORS[name](client, state)
    status, body = recorder.last()
    fixture = real("graph", name)
    assert status == fixture["status"]
    assert error_problems(body, fixture["body"]) == []


def _replayed(*names_: str) -> FacebookClient:
    adapter = Replay(*(real("facebook", n) for n in names_))
    graph = GraphClient(label="Facebook", access_token="t", adapter=adapter, read_attempts=1)
    return FacebookClient(graph, "20531316728", None)  # type: ignore[arg-type]


def _call(vault: Vault) -> CallContext:
    return CallContext("r", "r#0", datetime.now(UTC), None, vault)


def test_the_client_reads_the_real_answers(vault: Vault) -> None:
    page = tools.get_page(_replayed("page"), GetPageArgs())
    assert (page.id, page.name, page.fans, page.followers) == ("20531316728", "Facebook", 214507731, None)
    [first, *_] = tools.list_posts(_replayed("posts"), ListPostsArgs(limit=5)).posts
    assert first.message == "Happy July 4th! 🇺🇸" and first.image_url is None and first.reactions == 0
    client = _replayed("post")
    client.graph._read = lambda path, params, permission: {"data": [real("facebook", "post")["body"]]}
    [post] = tools.list_posts(client, ListPostsArgs(limit=1)).posts
    assert post.image_url and post.image_url.startswith("https://scontent.xx.fbcdn.net/")
    assert (post.reactions, post.comments, post.permalink_url) == (
        8878,
        47,
        real("facebook", "post")["body"]["permalink_url"],
    )
    made = tools.publish_post(_replayed("feed_created"), CreatePostArgs(message="hi"), _call(vault))
    assert made["post_id"] == "102030405060708_987654321098765"
    photo = CreatePostArgs(message="hi", image_url="https://cdn.example/a.jpg")
    assert tools.publish_post(_replayed("photo_created"), photo, _call(vault))["post_id"].startswith("102030405060708_")
    gone = tools.delete_post(_replayed("deleted"), DeletePostArgs(post_id="102030405060708_1"), _call(vault))
    assert gone["deleted"] is True


def test_the_token_inspector_reads_the_real_debug_token_answer() -> None:
    inspector = TokenInspector(label="Facebook", token="t", app_id="appId", app_secret=None, app_var="X", renew="r")
    expiry = inspector._parse(real("facebook", "debug_token")["body"]["data"])
    assert expiry.status == "expired" and expiry.expires_at == datetime(2019, 12, 26, 8, 0, tzinfo=UTC)
    assert expiry.data_access_expires_at == datetime.fromtimestamp(1585040349, UTC)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("error_envelope", errors.AuthError),
        ("expired_token", errors.AuthError),
        ("page_limit", errors.RateLimited),
        ("server_error", errors.Unavailable),
        ("blocked", Blocked),
        ("duplicate", errors.Conflict),
        ("object_missing", errors.NotFound),
        ("invalid_metric", errors.InvalidInput),
    ],
)
def test_each_real_graph_error_maps_to_its_class(name: str, expected: type[errors.ServiceError]) -> None:
    fixture = real("graph", name)
    error = map_graph_error(
        fixture["status"], fixture["body"], UsageState(), label="Facebook", token_var="T", version_var="V"
    )
    assert type(error) is expected, error.message
