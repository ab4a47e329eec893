"""Issue 4's acceptance for X, through a real MCP client over stdio (`python -m mcp_servers.twitter`)."""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from mcp_servers.core.vault import APPROVED, PENDING, Vault
from mcp_servers.twitter.sandbox import XEmulator, inject_fault, open_state, state_path
from mcp_servers.twitter.sandbox.transport import serve
from tests.twitter.conftest import FIXTURES, SECRETS, spawn

pytestmark = [pytest.mark.anyio, pytest.mark.slow]
SNAPSHOT = FIXTURES / "tools_snapshot.json"


def _data(result: Any) -> dict[str, Any]:
    assert not result.is_error, result.content
    return dict(result.structured_content)


def _error(result: Any) -> str:
    assert result.is_error, result.structured_content
    return str(result.content[0].text)


def _requests(vault: Vault) -> list[Path]:
    return sorted(p for folder in (PENDING, APPROVED) for p in vault.folder(folder).glob("*.md"))


def _posts(vault: Vault) -> list[dict[str, Any]]:
    path = state_path(vault.root)
    if not path.exists():  # nothing has talked to the emulator yet
        return []
    return [p for p in json.loads(path.read_text())["posts"] if not p.get("deleted")]


def _approve(vault: Vault, filed: dict[str, Any]) -> None:
    source = vault.root / filed["request_path"]
    shutil.move(source, vault.folder(APPROVED) / source.name)


def assert_no_secrets(vault: Vault, errlog: Path) -> None:
    """No credential value in any file of the vault (state, ledger, logs, requests) or in the server log."""
    files = [p for p in vault.root.rglob("*") if p.is_file()] + ([errlog] if errlog.exists() else [])
    assert files
    for path in files:
        text = path.read_bytes().decode("utf-8", "replace")
        for name, value in [*SECRETS.items(), ("APPROVAL_SIGNING_KEY", os.environ["APPROVAL_SIGNING_KEY"])]:
            assert value not in text, f"{name} leaked into {path}"


async def test_tool_list_annotations_dry_run_default_and_reads(vault: Vault, errlog: Path) -> None:
    async with spawn(vault.root, errlog) as session:
        tools = {t.name: t for t in (await session.list_tools()).tools}
        snapshot = {
            name: {"annotations": t.annotations.model_dump(exclude_none=True), "input_schema": t.input_schema}
            for name, t in sorted(tools.items())
        }
        if os.environ.get("UPDATE_SNAPSHOTS") or not SNAPSHOT.exists():
            SNAPSHOT.write_text(json.dumps(snapshot, indent=1, ensure_ascii=False) + "\n")
        assert snapshot == json.loads(SNAPSHOT.read_text()), "tool surface changed: review, then UPDATE_SNAPSHOTS=1"
        assert set(tools) == {"get_me", "list_posts", "create_post", "create_thread", "delete_post"}
        for name in ("get_me", "list_posts"):
            assert tools[name].annotations.read_only_hint is True
        for name in ("create_post", "create_thread", "delete_post"):
            ann = tools[name].annotations
            assert ann.read_only_hint is False and ann.open_world_hint is True
            assert tools[name].input_schema["properties"]["dry_run"]["default"] is True
        assert tools["delete_post"].annotations.destructive_hint is True
        assert tools["create_post"].annotations.destructive_hint is False
        assert tools["create_post"].annotations.idempotent_hint is False

        me = _data(await session.call_tool("get_me", {}))
        assert me["mode"] == "SANDBOX" and me["username"] == "harborlanecoffee"
        listed = _data(await session.call_tool("list_posts", {"max_results": 5}))
        assert len(listed["posts"]) == 5 and listed["posts"][0]["metrics"]["impressions"] > 0

        before = len(_posts(vault))
        preview = _data(await session.call_tool("create_post", {"text": "Dry run by default"}))
        assert preview["status"] == "preview" and preview["preview"]["cost"].startswith("$0.015")
        assert _requests(vault) == [] and len(_posts(vault)) == before
    assert_no_secrets(vault, errlog)


async def test_file_approve_execute_once_and_replay(vault: Vault, errlog: Path) -> None:
    text = "Holiday blend is here: cinnamon, orange peel, dark chocolate."
    async with spawn(vault.root, errlog) as session:
        filed = _data(await session.call_tool("create_post", {"text": text, "dry_run": False}))
        assert filed["status"] == "filed" and filed["request_path"].startswith(PENDING)
        assert text not in [p["text"] for p in _posts(vault)]  # filing sends nothing
        _approve(vault, filed)
        call = {"text": text, "dry_run": False, "approval_id": filed["request_id"]}
        first = _data(await session.call_tool("create_post", call))
        again = _data(await session.call_tool("create_post", call))
    assert first["status"] == "executed" and again["status"] == "replayed"
    assert again["result"] == first["result"]
    assert [p["text"] for p in _posts(vault)].count(text) == 1
    assert_no_secrets(vault, errlog)


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        ({"text": "a" * 280 + "b"}, "281 weighted characters; X allows 280"),
        ({"text": "a" * 279 + "日"}, "281 weighted characters"),
        ({"text": "$AAPL $MSFT $GOOG up today"}, "3 cashtags"),
        ({"text": "Later", "scheduled_for": (datetime.now(UTC) - timedelta(hours=1)).isoformat()}, "in the past"),
        ({"text": "   "}, "empty"),
    ],
)
async def test_bad_input_is_refused_with_the_reason_and_nothing_filed(
    vault: Vault, errlog: Path, args: dict[str, Any], reason: str
) -> None:
    async with spawn(vault.root, errlog) as session:
        for dry_run in (True, False):
            message = _error(await session.call_tool("create_post", {**args, "dry_run": dry_run}))
            assert reason in message
            assert "Traceback" not in message
    assert _requests(vault) == []


async def test_thread_failing_at_part_3_reports_parts_1_2_and_never_reposts(vault: Vault, errlog: Path) -> None:
    texts = [f"Thread part {i}: how we roast." for i in range(1, 6)]
    async with spawn(vault.root, errlog) as session:
        filed = _data(await session.call_tool("create_thread", {"texts": texts, "dry_run": False}))
        assert filed["preview"]["cost"].startswith("$0.075")
        _approve(vault, filed)
        inject_fault(vault.root, "out_of_credits", skip=2)
        call = {"texts": texts, "dry_run": False, "approval_id": filed["request_id"]}
        first = _data(await session.call_tool("create_thread", call))
        again = _data(await session.call_tool("create_thread", call))
    posted = {p["text"]: p["id"] for p in _posts(vault)}
    assert first["status"] == "failed" and again["status"] == "failed"
    assert "Thread stopped at part 3 of 5" in first["error"]
    assert f"part 1: {posted[texts[0]]}" in first["error"] and f"part 2: {posted[texts[1]]}" in first["error"]
    assert again["error"] == first["error"]
    assert [t for t in texts if t in posted] == texts[:2]  # parts 1-2 once each, 3-5 never
    assert_no_secrets(vault, errlog)


async def test_two_server_processes_share_one_sandbox(vault: Vault, errlog: Path) -> None:
    text = "Posted through the first server process."
    async with spawn(vault.root, errlog) as one, spawn(vault.root, errlog) as two:
        filed = _data(await one.call_tool("create_post", {"text": text, "dry_run": False}))
        _approve(vault, filed)
        call = {"text": text, "dry_run": False, "approval_id": filed["request_id"]}
        done = _data(await one.call_tool("create_post", call))
        seen = _data(await two.call_tool("list_posts", {"max_results": 5}))
        replay = _data(await two.call_tool("create_post", call))  # the other process knows it ran
    assert seen["posts"][0]["id"] == done["result"]["id"] and seen["posts"][0]["text"] == text
    assert replay["status"] == "replayed"
    assert [p["text"] for p in _posts(vault)].count(text) == 1
    assert_no_secrets(vault, errlog)


async def test_live_mode_signs_with_the_tokens_and_never_writes_them(vault: Vault, errlog: Path) -> None:
    """Live code path (OAuth 1.0a signing, DEBUG logging) against the emulator on a loopback port."""
    emulator = XEmulator(open_state(vault.root))
    seen: list[str] = []
    handle = emulator.handle

    def recording(method: str, url: str, headers: dict[str, str], body: bytes | None) -> Any:
        seen.append(headers.get("Authorization", ""))
        return handle(method, url, headers, body)

    emulator.handle = recording  # type: ignore[method-assign]
    server = serve(emulator)
    try:
        async with spawn(vault.root, errlog, TWITTER_MODE="live", TWITTER_API_HOST=server.url) as session:
            assert _data(await session.call_tool("get_me", {}))["mode"] == "LIVE"
            filed = _data(await session.call_tool("create_post", {"text": "Signed for real", "dry_run": False}))
            _approve(vault, filed)
            call = {"text": "Signed for real", "dry_run": False, "approval_id": filed["request_id"]}
            assert _data(await session.call_tool("create_post", call))["status"] == "executed"
    finally:
        server.stop()
    assert seen and all(f'oauth_consumer_key="{SECRETS["TWITTER_API_KEY"]}"' in h for h in seen)
    assert errlog.read_text()  # DEBUG logging was on
    assert_no_secrets(vault, errlog)
