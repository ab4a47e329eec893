"""Issue 4 acceptance for Facebook, through a real MCP client over stdio against `python -m mcp_servers.facebook`."""

from __future__ import annotations

from pathlib import Path

import pytest

from mcp_servers.core.vault import APPROVED, DONE, PENDING, Vault
from mcp_servers.facebook.sandbox import state_for
from mcp_servers.graph.sandbox import add_fault
from tests.graph.stdio import approve, call, check_snapshot, leaked_secrets, spawn, tool_snapshot

pytestmark = [pytest.mark.anyio, pytest.mark.slow]
FIXTURES = Path(__file__).parent / "fixtures"


def md(vault: Vault, folder: str) -> list[Path]:
    return sorted(vault.folder(folder).glob("*.md"))


async def test_tools_annotations_and_schemas_match_the_snapshot(vault: Vault) -> None:
    async with spawn("facebook", vault) as s:
        tools = await s.list_tools()
    snapshot = tool_snapshot(tools)
    check_snapshot(FIXTURES / "tools_snapshot.json", snapshot)
    by_name = {t["name"]: t for t in snapshot}
    assert set(by_name) == {
        "get_page", "list_posts", "list_comments", "page_insights", "create_post", "reply_to_comment", "delete_post"
    }  # fmt: skip
    for name in ("get_page", "list_posts", "list_comments", "page_insights"):
        assert by_name[name]["annotations"]["readOnlyHint"] is True
    assert by_name["delete_post"]["annotations"]["destructiveHint"] is True
    assert by_name["create_post"]["annotations"]["readOnlyHint"] is False
    assert by_name["create_post"]["input_schema"]["properties"]["dry_run"]["default"] is True


async def test_reads_full_write_path_replay_and_no_secrets(vault: Vault) -> None:
    async with spawn("facebook", vault) as s:
        page = await call(s, "get_page")
        assert page["mode"] == "SANDBOX" and page["followers"] > 0
        posts = (await call(s, "list_posts", limit=5))["posts"]
        assert len(posts) == 5 and all("reactions" in p and "shares" in p for p in posts)
        commented = next(p for p in (await call(s, "list_posts", limit=30))["posts"] if p["comments"])
        comments = (await call(s, "list_comments", post_id=commented["id"]))["comments"]
        assert comments and comments[0]["id"]
        insights = await call(s, "page_insights", metrics=["page_media_view", "page_impressions"], days=7)
        assert [m["name"] for m in insights["metrics"]] == ["page_media_view"]
        assert insights["dropped"][0] | {"reason": ""} == {
            "name": "page_impressions", "reason": "", "replacement": "page_media_view"
        }  # fmt: skip

        preview = await call(s, "create_post", message="Grand reopening Saturday!")
        assert preview["status"] == "preview" and preview["preview"]["request"]["body"] == {
            "message": "Grand reopening Saturday!"
        }
        assert md(vault, PENDING) == []

        filed = await call(s, "create_post", message="Grand reopening Saturday!", dry_run=False)
        assert filed["status"] == "filed" and filed["requires_approval"] is True
        assert [p.name for p in md(vault, PENDING)] == [Path(filed["request_path"]).name]
        approve(vault, filed["request_path"])
        args = {"message": "Grand reopening Saturday!", "dry_run": False, "approval_id": filed["request_id"]}
        done = await call(s, "create_post", **args)
        assert done["status"] == "executed", done
        post_id = done["result"]["post_id"]
        again = await call(s, "create_post", **args)
        assert again["status"] == "replayed" and again["result"]["post_id"] == post_id
        newest = (await call(s, "list_posts", limit=30))["posts"]
        assert sum(p["message"] == "Grand reopening Saturday!" for p in newest) == 1
        assert md(vault, APPROVED) or md(vault, DONE)
    assert leaked_secrets(vault) == []


BAD = [
    ({"message": "hi", "image_url": "file:///etc/passwd"}, "image_url: 'file:///etc/passwd' is a local file"),
    ({"message": "hi", "image_url": "http://cdn.example.com/a.jpg"}, "must start with https://"),
    ({"message": "hi", "image_url": "https://localhost/a.jpg"}, "not a public host"),
    ({"message": "hi", "image_url": "https://192.168.1.10/a.jpg"}, "not a public host"),
    ({"message": "   "}, "message: the post is empty"),
    (
        {"message": "hi", "scheduled_for": "2020-01-01T09:00:00Z"},
        "scheduled_for: 2020-01-01 09:00 UTC is in the past",
    ),
    ({"message": "hi", "scheduled_for": "2099-01-01T09:00:00"}, "has no time zone"),
    ({"message": "x" * 63_207}, "the limit is 63206"),
]


async def test_bad_input_is_refused_with_the_reason_and_nothing_filed(vault: Vault) -> None:
    async with spawn("facebook", vault) as s:
        for args, reason in BAD:
            answer = await call(s, "create_post", dry_run=False, **args)
            assert reason in answer.get("error", ""), (args, answer)
        answer = await call(s, "delete_post", post_id="../../etc", dry_run=False)
        assert "not a Graph id" in answer["error"]
    assert md(vault, PENDING) == [] and md(vault, APPROVED) == []


async def test_two_processes_share_one_sandbox_and_duplicate_fault_is_explained(vault: Vault) -> None:
    async with spawn("facebook", vault) as one, spawn("facebook", vault) as two:
        filed = await call(one, "create_post", message="Made through process one", dry_run=False)
        approve(vault, filed["request_path"])
        args = {"message": "Made through process one", "dry_run": False, "approval_id": filed["request_id"]}
        assert (await call(one, "create_post", **args))["status"] == "executed"
        listed = (await call(two, "list_posts", limit=3))["posts"]
        assert listed[0]["message"] == "Made through process one"
        assert (await call(two, "create_post", **args))["status"] == "replayed"

        add_fault(state_for(vault.root, lambda: None), "expired_token", method="GET", path="posts$")  # type: ignore[arg-type,return-value]
        expired = await call(two, "list_posts")
        assert "Re-authenticate" in expired["error"] and "FACEBOOK_PAGE_ACCESS_TOKEN" in expired["error"]
    assert leaked_secrets(vault) == []
