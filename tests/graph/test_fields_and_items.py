"""Defects found against the 2026 docs: Graph answers only the fields a request names, one media item's
refused insights, and a publishing-limit answer without `config` (issue 13 items 1, 2, 4)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mcp_servers.core.errors import InvalidInput
from mcp_servers.core.vault import Vault
from mcp_servers.facebook import tools as fb_tools
from mcp_servers.facebook.models import ListPostsArgs
from mcp_servers.facebook.sandbox import PAGE
from mcp_servers.graph.fields import top_level
from mcp_servers.instagram import tools as ig_tools
from mcp_servers.instagram.models import CreatePostArgs, ListMediaArgs, PublishingQuotaArgs
from mcp_servers.instagram.sandbox import refuse_insights
from tests.graph import sandboxes


def test_top_level_field_names() -> None:
    assert top_level("id,reactions.summary(total_count).limit(0),insights.metric(views){values},x{a,b}") == [
        "id",
        "reactions",
        "insights",
        "x",
    ]


def test_the_emulator_answers_only_the_named_fields_and_graph_defaults(vault: Vault) -> None:
    client, _ = sandboxes.facebook(vault)
    bare = client.graph.get(f"{PAGE}/posts", {"limit": 2})["data"][0]
    assert set(bare) <= {"id", "message", "created_time"}
    named = client.graph.get(f"{PAGE}/posts", {"fields": "permalink_url", "limit": 1})["data"][0]
    assert set(named) == {"id", "permalink_url"}
    assert set(client.graph.get(PAGE)) == {"id", "name"}


def test_list_posts_returns_the_image_of_a_photo_post(vault: Vault) -> None:
    client, _ = sandboxes.facebook(vault)
    path, form = client.post_request("Fresh beans", None, "https://cdn.example/beans.jpg")
    client.publish(path, form)
    newest = fb_tools.list_posts(client, ListPostsArgs(limit=1)).posts[0]
    assert newest.message == "Fresh beans" and newest.image_url == "https://cdn.example/beans.jpg"


def test_one_refused_item_does_not_fail_the_media_list(vault: Vault) -> None:
    client, state = sandboxes.instagram(vault)
    media = client.media(5)
    refuse_insights(state, media[1]["id"])
    listed = ig_tools.list_media(client, ListMediaArgs(limit=5))
    assert len(listed.media) == len(media)
    assert [m.views is None for m in listed.media] == [i == 1 for i in range(len(media))]
    [missing] = listed.views_missing
    assert (
        missing.media_id == media[1]["id"] and "posted before the account became a business account" in missing.reason
    )


def test_the_emulator_fails_an_insights_expansion_like_graph(vault: Vault) -> None:
    client, state = sandboxes.instagram(vault)
    refuse_insights(state, client.media(3)[2]["id"])
    # the whole list fails, which is why the client no longer expands insights
    with pytest.raises(InvalidInput, match="subcode 2108006"):
        client.graph.get(f"{client.account_id}/media", {"fields": "id,insights.metric(views)", "limit": 3})


def test_a_quota_answer_without_config_is_unknown_not_zero(vault: Vault) -> None:
    client, state = sandboxes.instagram(vault)
    with state.transaction() as data:
        data["quota_total"] = None
    quota = ig_tools.publishing_quota(client, PublishingQuotaArgs())
    assert (quota.total, quota.remaining) == (None, None) and "unknown" in quota.note
    args = CreatePostArgs(caption="Quota unknown", image_url="https://cdn.example/cup.jpg")
    preview = ig_tools.preview_post(client, args)
    assert preview.rate_limit is not None and "quota is unknown" in preview.rate_limit


def test_instagram_login_names_its_own_permissions(vault: Vault) -> None:
    client, _ = sandboxes.instagram(vault)
    assert client.perm("instagram_content_publish") == "instagram_content_publish"
    client.graph.base_url = "https://graph.instagram.com"
    assert client.perm("instagram_content_publish") == "instagram_business_content_publish"
    assert client.perm("instagram_manage_insights") == "instagram_business_manage_insights"


def test_page_insights_end_time_is_the_day_after_since_at_8_gmt(vault: Vault) -> None:
    from datetime import date

    client, _ = sandboxes.facebook(vault)
    [row] = client.insights(["page_follows"], date(2026, 11, 1), date(2026, 11, 3))
    assert [v["end_time"] for v in row["values"]] == ["2026-11-02T08:00:00+0000", "2026-11-03T08:00:00+0000"]


def test_page_insights_label_each_value_with_the_day_it_counts(vault: Vault) -> None:
    from mcp_servers.facebook.models import PageInsightsArgs

    client, _ = sandboxes.facebook(vault)
    result = fb_tools.page_insights(client, PageInsightsArgs(metrics=["page_follows"], days=3))
    [series] = result.metrics
    assert [v.date for v in series.values] == [result.since + timedelta(days=i) for i in range(3)]
    assert series.values[-1].date == client.now().date()
