"""Issue 4 acceptance for Instagram, through a real MCP client over stdio against `python -m mcp_servers.instagram`."""

from __future__ import annotations

from pathlib import Path

import pytest

from mcp_servers.core.vault import APPROVED, PENDING, Vault
from mcp_servers.graph.sandbox import add_fault
from mcp_servers.instagram.sandbox import state_for
from tests.graph.stdio import approve, call, check_snapshot, leaked_secrets, spawn, tool_snapshot

pytestmark = [pytest.mark.anyio, pytest.mark.slow]
FIXTURES = Path(__file__).parent / "fixtures"
JPEG = "https://cdn.harborandpine.example/photos/roast.jpg"


def md(vault: Vault, folder: str) -> list[Path]:
    return sorted(vault.folder(folder).glob("*.md"))


def sandbox(vault: Vault):  # type: ignore[no-untyped-def]
    return state_for(vault.root, lambda: None)  # type: ignore[arg-type,return-value]


async def test_tools_annotations_and_schemas_match_the_snapshot(vault: Vault) -> None:
    async with spawn("instagram", vault) as s:
        snapshot = tool_snapshot(await s.list_tools())
    check_snapshot(FIXTURES / "tools_snapshot.json", snapshot)
    by_name = {t["name"]: t for t in snapshot}
    assert set(by_name) == {
        "get_account", "publishing_quota", "list_media", "list_comments", "account_insights", "create_post",
        "reply_to_comment",
    }  # fmt: skip
    assert by_name["publishing_quota"]["annotations"]["readOnlyHint"] is True
    assert by_name["create_post"]["annotations"]["readOnlyHint"] is False
    assert by_name["create_post"]["input_schema"]["properties"]["dry_run"]["default"] is True


async def test_reads_carousel_publish_once_replay_and_no_secrets(vault: Vault) -> None:
    async with spawn("instagram", vault) as s:
        assert (await call(s, "get_account"))["username"]
        quota = await call(s, "publishing_quota")
        assert quota["mode"] == "SANDBOX" and quota["total"] == 100 and quota["remaining"] == 100 - quota["used"]
        media = (await call(s, "list_media", limit=5))["media"]
        assert media and all(m["views"] is not None and "likes" in m for m in media)
        insights = await call(s, "account_insights", metrics=["views", "impressions", "reach"], days=7)
        assert [m["name"] for m in insights["metrics"]] == ["views", "reach"]
        assert insights["dropped"][0]["name"] == "impressions" and insights["dropped"][0]["replacement"] == "views"

        args = {"caption": "Three roasts, one box #coffee", "image_urls": [JPEG, JPEG.replace("roast", "box")]}
        preview = await call(s, "create_post", **args)
        assert preview["status"] == "preview" and "100 posts left" in preview["preview"]["rate_limit"]
        filed = await call(s, "create_post", dry_run=False, **args)
        approve(vault, filed["request_path"])
        run = {**args, "dry_run": False, "approval_id": filed["request_id"]}
        done = await call(s, "create_post", **run)
        assert done["status"] == "executed", done
        again = await call(s, "create_post", **run)
        assert again["status"] == "replayed" and again["result"] == done["result"]
        newest = (await call(s, "list_media", limit=3))["media"][0]
        assert newest["id"] == done["result"]["media_id"] and newest["media_type"] == "CAROUSEL_ALBUM"
        assert (await call(s, "publishing_quota"))["used"] == quota["used"] + 1
    assert leaked_secrets(vault) == []


async def test_publish_timeout_is_resolved_by_the_container_status(vault: Vault) -> None:
    async with spawn("instagram", vault) as s:
        args = {"caption": "Lost answer", "image_url": JPEG}
        filed = await call(s, "create_post", dry_run=False, **args)
        approve(vault, filed["request_path"])
        add_fault(sandbox(vault), "timeout_after", path="media_publish$")
        run = {**args, "dry_run": False, "approval_id": filed["request_id"]}
        first = await call(s, "create_post", **run)  # the answer is lost; reading the container settles it
        assert first["status"] == "executed" and "PUBLISHED" in first["message"], first
        again = await call(s, "create_post", **run)
        assert again["status"] == "replayed"
        captions = [m["caption"] for m in (await call(s, "list_media", limit=10))["media"]]
        assert captions.count("Lost answer") == 1


BAD = [
    ({"caption": "hi", "image_url": "file:///etc/passwd"}, "image_url: 'file:///etc/passwd' is a local file"),
    ({"caption": "hi", "image_url": "http://cdn.example.com/a.jpg"}, "must start with https://"),
    ({"caption": ""}, "Instagram posts need an image; got an empty caption and no image"),
    ({"caption": "hi", "image_urls": [JPEG] * 11}, "a carousel holds 2 to 10 images; got 11"),
    ({"caption": "hi", "image_url": JPEG, "scheduled_for": "2020-01-01T09:00:00Z"}, "is in the past"),
    ({"caption": "hi", "image_url": "https://cdn.example.com/a.png"}, "JPEG images only"),
    ({"caption": " ".join(f"#t{i}" for i in range(31)), "image_url": JPEG}, "31 hashtags; the limit is 30"),
    ({"caption": " ".join(f"@u{i}" for i in range(21)), "image_url": JPEG}, "21 @-mentions; the limit is 20"),
    ({"caption": "x" * 2201, "image_url": JPEG}, "the limit is 2200"),
]


async def test_bad_input_is_refused_with_the_reason_and_nothing_filed(vault: Vault) -> None:
    async with spawn("instagram", vault) as s:
        for args, reason in BAD:
            answer = await call(s, "create_post", dry_run=False, **args)
            assert reason in answer.get("error", ""), (args, answer)
    assert md(vault, PENDING) == [] and md(vault, APPROVED) == []


async def test_two_processes_share_one_sandbox(vault: Vault) -> None:
    async with spawn("instagram", vault) as one, spawn("instagram", vault) as two:
        args = {"caption": "From process one", "image_url": JPEG}
        filed = await call(one, "create_post", dry_run=False, **args)
        approve(vault, filed["request_path"])
        run = {**args, "dry_run": False, "approval_id": filed["request_id"]}
        assert (await call(one, "create_post", **run))["status"] == "executed"
        assert (await call(two, "list_media", limit=1))["media"][0]["caption"] == "From process one"
        assert (await call(two, "create_post", **run))["status"] == "replayed"
    assert leaked_secrets(vault) == []
