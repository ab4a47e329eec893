"""Instagram against the real Graph answers (tests/instagram/fixtures/real/):
(a) each request the client sends, answered by the emulator, has the real answer's shape;
(b) each real answer, read by the client, gives the right tool output."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from mcp_servers.core import errors
from mcp_servers.core.vault import Vault
from mcp_servers.graph.client import GraphClient
from mcp_servers.graph.errors import NotReady
from mcp_servers.instagram import tools
from mcp_servers.instagram.client import InstagramClient
from mcp_servers.instagram.const import ACCOUNT_FIELDS, MEDIA_FIELDS
from mcp_servers.instagram.models import AccountInsightsArgs, GetAccountArgs, ListMediaArgs, PublishingQuotaArgs
from mcp_servers.instagram.sandbox import refuse_insights
from tests.graph import sandboxes
from tests.graph.contract import Recorder, Replay, all_real, error_problems, names, real, shape_problems

Drive = Callable[[InstagramClient, Any], Any]
JPEG = "https://cdn.example/cup.jpg"


def _media_id(client: InstagramClient) -> str:
    return str(client.media(1)[0]["id"])


def _comment_with_reply(client: InstagramClient) -> str:
    for item in client.media(25):
        rows = client.comments(item["id"])
        if rows:
            client.reply(rows[0]["id"], "Thank you!")
            return str(rows[0]["id"])
    raise AssertionError("the sandbox seed has comments")


def _container(client: InstagramClient) -> str:
    return client.create_container({"image_url": JPEG, "caption": "Contract"})


def _no_config(client: InstagramClient, state: Any) -> Any:
    with state.transaction() as data:
        data["quota_total"] = None
    return client.quota()


def _not_ready(client: InstagramClient, state: Any) -> Any:
    with state.transaction() as data:
        data["processing_polls"] = 3
    return client.publish(_container(client))


def _refused(client: InstagramClient, state: Any) -> Any:
    media_id = _media_id(client)
    refuse_insights(state, media_id)
    return client.media_views(media_id)


SUCCESS: dict[str, tuple[Drive, str]] = {
    "account": (lambda c, s: c.account(), ACCOUNT_FIELDS),
    "media": (lambda c, s: c.media(3), MEDIA_FIELDS),
    "media_insights": (lambda c, s: c.media_views(_media_id(c)), ""),
    "quota": (lambda c, s: c.quota(), "quota_usage,config"),
    "quota_without_config": (_no_config, "quota_usage,config"),
    "account_insights": (lambda c, s: c.insights(["reach"], date(2026, 11, 1), date(2026, 11, 8)), ""),
    "comments": (
        lambda c, s: c.comments(next(i["id"] for i in c.media(25) if c.comments(i["id"]))),
        "id,text,username,timestamp",
    ),
    "replies": (lambda c, s: c.comments(_comment_with_reply(c), "replies"), "id,text,username,timestamp"),
    "container_status": (lambda c, s: c.container_status(_container(c)), "status_code,status"),
    "container_created": (lambda c, s: _container(c), ""),
    "published": (lambda c, s: c.publish(_container(c)), ""),
}
ERRORS: dict[str, Drive] = {
    "insights_refused": _refused,
    "not_ready": _not_ready,
    "object_missing": lambda c, s: c.container_status("17900000000000999"),
}


def _recorded(vault: Vault) -> tuple[InstagramClient, Any, Recorder]:
    client, state = sandboxes.instagram(vault)
    recorder = Recorder(client.graph.session.get_adapter(client.graph.base_url + "/"))
    client.graph.session.mount(client.graph.base_url + "/", recorder)
    client.graph._read = client.graph._send_read  # one answer per request
    return client, state, recorder


def test_every_fixture_has_a_driver() -> None:
    assert set(all_real("instagram")) == {*SUCCESS, *ERRORS}


@pytest.mark.parametrize("name", sorted(SUCCESS))
def test_the_emulator_answers_in_the_real_shape(vault: Vault, name: str) -> None:
    client, state, recorder = _recorded(vault)
    drive, fields = SUCCESS[name]
    drive(client, state)
    status, body = recorder.last()
    fixture = real("instagram", name)
    assert status == fixture["status"]
    assert shape_problems(body, fixture["body"], names(fields) if fields else set()) == []


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_the_emulator_errs_like_instagram(vault: Vault, name: str) -> None:
    client, state, recorder = _recorded(vault)
    with pytest.raises(errors.ServiceError):
        ERRORS[name](client, state)
    status, body = recorder.last()
    fixture = real("instagram", name)
    assert status == fixture["status"]
    assert error_problems(body, fixture["body"]) == []


def _replayed(*fixtures: str) -> InstagramClient:
    adapter = Replay(*(real("instagram", n) for n in fixtures))
    graph = GraphClient(label="Instagram", access_token="t", adapter=adapter, read_attempts=1)
    return InstagramClient(graph, "17841407673135339", None)  # type: ignore[arg-type]


def test_the_client_reads_the_real_answers() -> None:
    account = tools.get_account(_replayed("account"), GetAccountArgs())
    assert (account.username, account.followers, account.media_count) == ("facebookfordevelopers", 64363, 427)
    quota = tools.publishing_quota(_replayed("quota"), PublishingQuotaArgs())
    assert (quota.used, quota.total, quota.remaining, quota.window_hours) == (0, 25, 25, 24)
    unknown = tools.publishing_quota(_replayed("quota_without_config"), PublishingQuotaArgs())
    assert (unknown.used, unknown.total, unknown.remaining) == (2, None, None) and "unknown" in unknown.note
    [reach] = tools.account_insights(_replayed("account_insights"), AccountInsightsArgs(metrics=["reach"])).metrics
    assert (reach.name, reach.value) == ("reach", 14516883)
    assert [r["text"] for r in _replayed("replies").comments("1", "replies")] == ["@lixiangguodu123 nihao"]
    assert _replayed("container_status").container_status("17966279578433554") == "FINISHED"
    assert _replayed("container_created").create_container({"image_url": JPEG}) == "17889455560051444"
    assert _replayed("published").publish("17889455560051444") == "17920238422030506"


def test_list_media_reads_real_media_and_a_real_refusal() -> None:
    listed = tools.list_media(_replayed("media", "media_insights", "insights_refused"), ListMediaArgs(limit=2))
    assert [m.id for m in listed.media] == ["17895731045244887", "17896622936197745"]
    assert listed.media[1].comments == 6 and listed.media[1].likes == 2
    # the first item's real row is another metric (profile_activity): no views, and not an error either
    assert [m.views for m in listed.media] == [None, None]
    [missing] = listed.views_missing
    assert missing.media_id == "17896622936197745" and "subcode 2108006" in missing.reason


@pytest.mark.parametrize(
    ("name", "expected"),
    [("insights_refused", errors.InvalidInput), ("not_ready", NotReady), ("object_missing", errors.NotFound)],
)
def test_each_real_error_maps_to_its_class(name: str, expected: type[errors.ServiceError]) -> None:
    with pytest.raises(errors.ServiceError) as caught:
        _replayed(name).graph.get("x")
    assert type(caught.value) is expected, caught.value.message
