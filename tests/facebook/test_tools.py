"""The Facebook tools as plain functions over the in-process emulator (the code a live run uses above the
transport): post validation, the schedule window, reads, insights and settling a lost answer."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from mcp_servers.core.actions import CallContext
from mcp_servers.core.errors import InvalidInput
from mcp_servers.core.vault import Vault
from mcp_servers.facebook import tools
from mcp_servers.facebook.client import FacebookClient
from mcp_servers.facebook.models import CreatePostArgs, ListPostsArgs, PageInsightsArgs
from tests.graph import sandboxes

IMAGE = "https://cdn.harborandpine.example/photos/roast.jpg"


@pytest.fixture
def fb(vault: Vault) -> FacebookClient:
    client, _ = sandboxes.facebook(vault)
    return client


def _call(vault: Vault) -> CallContext:
    return CallContext("20261126-000000-fb-0000abcd", "20261126-000000-fb-0000abcd#0", datetime.now(UTC), None, vault)


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        ({"message": "  "}, "the post is empty"),
        ({"message": "hi", "link": "https://a.example", "image_url": IMAGE}, "not both"),
        ({"message": "hi", "image_url": "file:///etc/passwd"}, "local file"),
        ({"message": "hi", "image_url": "http://cdn.example.com/a.jpg"}, "https://"),
    ],
)
def test_a_post_facebook_would_refuse_is_refused_by_the_preview(
    fb: FacebookClient, args: dict[str, Any], reason: str
) -> None:
    with pytest.raises(InvalidInput, match=reason):
        tools.preview_post(fb, CreatePostArgs(**args))


@pytest.mark.parametrize(
    ("when", "reason"),
    [
        (timedelta(hours=-1), "in the past"),
        (timedelta(seconds=20), "less than a minute away"),
        (timedelta(days=10), "days ahead"),
    ],
)
def test_schedule_window(fb: FacebookClient, when: timedelta, reason: str) -> None:
    with pytest.raises(InvalidInput, match=reason):
        tools.preview_post(fb, CreatePostArgs(message="Later", scheduled_for=datetime.now(UTC) + when))
    later = datetime.now(UTC) + timedelta(days=2)
    assert tools.preview_post(fb, CreatePostArgs(message="Later", scheduled_for=later)).scheduled_for == later


def test_preview_shows_the_exact_request_and_warns_about_many_hashtags(fb: FacebookClient) -> None:
    message = "Roast day " + " ".join(f"#tag{i}" for i in range(11))
    preview = tools.preview_post(fb, CreatePostArgs(message=message))
    assert preview.request["method"] == "POST" and preview.request["body"]["message"] == message
    assert any("More than 10 hashtags" in w for w in preview.warnings)
    assert preview.platforms == ["facebook"]


def test_a_published_post_is_listed_and_found_again_after_a_lost_answer(fb: FacebookClient, vault: Vault) -> None:
    text = unicodedata.normalize("NFC", "Café roast — fresh today")
    posted = tools.publish_post(fb, CreatePostArgs(message=text), _call(vault))
    listed = tools.list_posts(fb, ListPostsArgs(limit=5))
    assert listed.posts[0].id == posted["post_id"] and listed.posts[0].message == text
    # the same text in the other Unicode form, with the whitespace a platform trims, is the same post
    again = CreatePostArgs(message=unicodedata.normalize("NFD", text) + "\n")
    resolution = tools.resolve_post(fb, again, _call(vault))
    assert resolution.result == {"post_id": posted["post_id"], "url": listed.posts[0].permalink_url}


def test_a_post_not_on_the_page_stays_for_the_owner(fb: FacebookClient, vault: Vault) -> None:
    resolution = tools.resolve_post(fb, CreatePostArgs(message="never posted"), _call(vault))
    assert resolution.result is None and "check the Page" in resolution.note


def test_a_removed_metric_is_dropped_with_its_replacement_and_the_rest_kept(fb: FacebookClient) -> None:
    insights = tools.page_insights(fb, PageInsightsArgs(metrics=["page_impressions", "page_follows"], days=7))
    assert [m.name for m in insights.metrics] == ["page_follows"]
    assert [(d.name, d.replacement) for d in insights.dropped] == [("page_impressions", "page_media_view")]
