"""The Instagram tools as plain functions over the in-process emulator (the code a live run uses above the
transport): post validation, the schedule window, the publish flow, insights and settling a lost answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from mcp_servers.core.actions import CallContext
from mcp_servers.core.errors import InvalidInput
from mcp_servers.core.vault import Vault
from mcp_servers.instagram import tools
from mcp_servers.instagram.client import InstagramClient
from mcp_servers.instagram.models import AccountInsightsArgs, CreatePostArgs, ListMediaArgs
from tests.graph import sandboxes

JPEG = "https://cdn.harborandpine.example/photos/roast.jpg"


@pytest.fixture
def ig(vault: Vault) -> InstagramClient:
    client, _ = sandboxes.instagram(vault)
    return client


def _call(vault: Vault, n: int = 0) -> CallContext:
    request = f"20261126-000000-ig-0000abc{n}"
    return CallContext(request, f"{request}#0", datetime.now(UTC), None, vault)


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        ({"caption": "no image"}, "image"),
        ({"caption": "hi", "image_url": "file:///etc/passwd"}, "local file"),
        ({"caption": "hi", "image_url": "http://cdn.example.com/a.jpg"}, "https://"),
        ({"caption": "hi", "image_urls": [JPEG]}, "2 to 10 images"),
        ({"caption": " ".join(f"#t{i}" for i in range(31)), "image_url": JPEG}, "hashtags"),
    ],
)
def test_a_post_instagram_would_refuse_is_refused_by_the_preview(
    ig: InstagramClient, args: dict[str, Any], reason: str
) -> None:
    with pytest.raises(InvalidInput, match=reason):
        tools.preview_post(ig, CreatePostArgs(**args))


@pytest.mark.parametrize(
    ("when", "reason"),
    [
        (timedelta(hours=-1), "in the past"),
        (timedelta(seconds=20), "less than a minute away"),
        (timedelta(days=10), "days ahead"),
    ],
)
def test_schedule_window(ig: InstagramClient, when: timedelta, reason: str) -> None:
    with pytest.raises(InvalidInput, match=reason):
        tools.preview_post(ig, CreatePostArgs(caption="Later", image_url=JPEG, scheduled_for=datetime.now(UTC) + when))
    later = datetime.now(UTC) + timedelta(days=2)
    preview = tools.preview_post(ig, CreatePostArgs(caption="Later", image_url=JPEG, scheduled_for=later))
    assert preview.scheduled_for == later


def test_a_carousel_preview_lists_every_container_step_and_the_live_quota(ig: InstagramClient) -> None:
    args = CreatePostArgs(caption="Two roasts", image_urls=[JPEG, JPEG.replace("roast", "box")])
    preview = tools.preview_post(ig, args)
    steps = preview.request["steps"]
    assert len(steps) == 4 and steps[-1]["url"].endswith("/media_publish")
    assert preview.rate_limit and "posts left" in preview.rate_limit


def test_a_published_post_is_listed_and_a_lost_answer_is_settled_by_its_container(
    ig: InstagramClient, vault: Vault
) -> None:
    args = CreatePostArgs(caption="Fresh roast  ", image_url=JPEG)
    posted = tools.publish_post(ig, args, _call(vault))
    listed = tools.list_media(ig, ListMediaArgs(limit=5))
    assert listed.media[0].id == posted["media_id"]
    resolution = tools.resolve_post(ig, args, _call(vault))
    assert resolution.applied and resolution.result == posted


def test_no_recorded_container_means_nothing_was_published(ig: InstagramClient, vault: Vault) -> None:
    resolution = tools.resolve_post(ig, CreatePostArgs(caption="x", image_url=JPEG), _call(vault, 1))
    assert resolution.applied is False and "no container" in resolution.note


def test_a_removed_metric_is_dropped_with_its_replacement_and_the_rest_kept(ig: InstagramClient) -> None:
    insights = tools.account_insights(ig, AccountInsightsArgs(metrics=["impressions", "profile_views", "reach"]))
    assert [m.name for m in insights.metrics] == ["reach"]
    assert [(d.name, d.replacement) for d in insights.dropped] == [
        ("impressions", "views"),
        ("profile_views", "none: Meta removed it without a replacement"),
    ]
