"""The X tools as plain functions: previews (cost, quota, exact request), refusals, caps, threads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from mcp_servers.core.actions import CallContext
from mcp_servers.core.errors import InvalidInput, RateLimited
from mcp_servers.core.vault import Vault
from mcp_servers.twitter import tools
from mcp_servers.twitter.models import CreatePostArgs, CreateThreadArgs, DeletePostArgs, ListPostsArgs
from mcp_servers.twitter.sandbox import inject_fault
from mcp_servers.twitter.server import make_service
from mcp_servers.twitter.settings import TwitterSettings
from mcp_servers.twitter.threads import ThreadPartlyPosted, load_progress, post_thread, resolve_thread


def _call(vault: Vault, call_id: str = "20261126-000000-x-0000abcd#0") -> CallContext:
    return CallContext(call_id.split("#")[0], call_id, datetime.now(UTC), None, vault)


@pytest.mark.parametrize(
    ("args", "cost"),
    [
        ({"text": "Fresh roast today"}, "$0.015"),
        ({"text": "Fresh roast: https://harborlane.example/roast"}, "$0.200"),
        ({"text": "Thanks!", "reply_to_id": "123"}, "$0.010"),
    ],
)
def test_preview_shows_the_exact_request_and_pay_per_use_cost(x: Any, args: dict[str, Any], cost: str) -> None:
    preview = tools.preview_post(x, CreatePostArgs(**args))
    assert preview.cost is not None and preview.cost.startswith(cost)
    assert preview.request["json"]["text"] == args["text"]
    assert ("reply" in preview.request["json"]) == ("reply_to_id" in args)
    assert preview.rate_limit and "50 of 50 posts left" in preview.rate_limit
    assert preview.platforms == ["twitter"]


@pytest.mark.parametrize(
    ("when", "reason"),
    [
        (timedelta(hours=-1), "in the past"),
        (timedelta(seconds=20), "in the past"),
        (timedelta(days=40), "days ahead"),
    ],
)
def test_schedule_window(x: Any, when: timedelta, reason: str) -> None:
    with pytest.raises(InvalidInput, match=reason):
        tools.preview_post(x, CreatePostArgs(text="Later", scheduled_for=datetime.now(UTC) + when))
    assert tools.preview_post(x, CreatePostArgs(text="Later", scheduled_for=datetime.now(UTC) + timedelta(days=2)))


def test_a_scheduled_reply_is_refused_because_replies_always_need_approval(x: Any) -> None:
    with pytest.raises(InvalidInput, match="reply cannot be scheduled"):
        tools.preview_post(
            x, CreatePostArgs(text="hi", reply_to_id="1", scheduled_for=datetime.now(UTC) + timedelta(days=1))
        )


def test_client_side_cap_is_checked_before_filing_and_before_sending(vault: Vault) -> None:
    x = make_service(TwitterSettings(post_limit=2), vault)
    tools.publish_post(x, CreatePostArgs(text="one"), _call(vault))
    other_process = make_service(TwitterSettings(post_limit=2), vault)  # counters are shared via the vault
    tools.publish_post(other_process, CreatePostArgs(text="two"), _call(vault))
    with pytest.raises(RateLimited, match="limit is 2 per 24 h") as caught:
        tools.preview_post(x, CreatePostArgs(text="three"))
    assert caught.value.retry_after and caught.value.retry_after > 0
    with pytest.raises(RateLimited):
        tools.publish_post(x, CreatePostArgs(text="three"), _call(vault))
    assert [p["text"] for p in x.api.list_posts(5)][:2] == ["two", "one"]


def test_x_429_blocks_every_process_until_the_reset(x: Any, vault: Vault) -> None:
    inject_fault(vault.root, "rate_limit")
    with pytest.raises(RateLimited):
        tools.publish_post(x, CreatePostArgs(text="one"), _call(vault))
    with pytest.raises(RateLimited, match="Retry after"):
        tools.preview_post(make_service(TwitterSettings(), vault), CreatePostArgs(text="two"))


def test_list_posts_and_get_me(x: Any) -> None:
    listed = tools.list_posts(x, ListPostsArgs(max_results=5))
    assert len(listed.posts) == 5 and listed.totals.impressions == sum(p.metrics.impressions for p in listed.posts)
    assert listed.posts[0].url.startswith("https://x.com/harborlanecoffee/status/")
    assert tools.get_me(x, tools.GetMeArgs()).username == "harborlanecoffee"


def test_delete_preview_shows_the_post_and_refuses_unknown_ids(x: Any) -> None:
    post = x.api.list_posts(1)[0]
    preview = tools.preview_delete(x, DeletePostArgs(post_id=post["id"]))
    assert post["text"] in preview.details and preview.cost and preview.cost.startswith("$0.010")
    with pytest.raises(Exception, match="no post 42"):
        tools.preview_delete(x, DeletePostArgs(post_id="42"))


FIVE = [f"Part {i} of our roasting story." for i in range(1, 6)]


def test_thread_failing_at_part_3_reports_parts_1_and_2_and_never_reposts(x: Any, vault: Vault) -> None:
    inject_fault(vault.root, "out_of_credits", skip=2)
    call = _call(vault)
    with pytest.raises(ThreadPartlyPosted) as caught:
        post_thread(x, CreateThreadArgs(texts=FIVE), call)
    posted = caught.value.posted
    assert [p["part"] for p in posted] == [1, 2] and caught.value.failed_at == 3
    for p in posted:
        assert p["id"] in caught.value.message
    assert f"reply_to_id={posted[-1]['id']}" in caught.value.message
    texts = [p["text"] for p in x.api.list_posts(10)]
    assert texts.count(FIVE[0]) == 1 and FIVE[2] not in texts


def test_interrupted_thread_resumes_from_the_first_unposted_part(x: Any, vault: Vault) -> None:
    inject_fault(vault.root, "timeout_after_post", skip=1)  # part 2 is posted but the answer is lost
    call, args = _call(vault), CreateThreadArgs(texts=FIVE)
    with pytest.raises(Exception, match="part 2"):
        post_thread(x, args, call)
    assert load_progress(x, call.call_id, args)["in_flight"] == 2
    resolution = resolve_thread(x, args, call)
    assert resolution.applied is False and "continuing from part 3" in resolution.note
    result = post_thread(x, args, call)
    assert [p["part"] for p in result["posted"]] == [1, 2, 3, 4, 5]
    texts = [p["text"] for p in x.api.list_posts(20)]
    assert all(texts.count(t) == 1 for t in FIVE)
    reply_chain = {p["id"]: p for p in x.api.list_posts(20)}
    last = reply_chain[result["posted"][-1]["id"]]
    assert last["referenced_tweets"][0]["id"] == result["posted"][-2]["id"]
