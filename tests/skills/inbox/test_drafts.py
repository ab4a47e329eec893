"""Reply drafts (issue 16 item 3): one request per reply through each platform's own reply tool and the
gate, always waiting for approval; after approval the reply is posted and the next inbox run sees it."""

from __future__ import annotations

import shutil
from datetime import timedelta
from typing import Any

import pytest

from mcp_servers.core import action_request as ar
from mcp_servers.core.errors import InvalidInput, NotFound
from mcp_servers.core.gate import ApprovalGate
from mcp_servers.core.policy import Policy
from mcp_servers.core.service import load_service
from mcp_servers.core.vault import Vault
from skills.inbox import drafts, store
from skills.inbox.collect import run_inbox
from tests.conftest import TEST_KEY
from tests.skills.inbox.conftest import START, Platforms

KEY = TEST_KEY.encode()


def _first_waiting(vault: Vault, platform: str) -> drafts.Waiting:
    return next(w for w in drafts.waiting(vault, START) if w.platform == platform)


def _approve_and_run(vault: Vault, platforms: Platforms, platform: str, request_id: str) -> dict:
    path = ar.find_request(vault, request_id, ("Pending_Approval",))
    assert path is not None
    shutil.move(path, vault.folder("Approved") / path.name)  # the owner's move
    call = ar.read_request_file(vault, vault.folder("Approved") / path.name).request.calls[0]
    service = load_service(platform)
    action = load_service(platform).write_action(drafts.REPLY_TOOLS[platform])
    client = service.make_client(service.settings_cls(), vault)
    if platform == "twitter":  # the X emulator on the test's clock (Graph's follows it through _utcnow)
        client.api = platforms.x
    gate = ApprovalGate(platform, vault, key=KEY, policy=Policy(), tag=service.tag)
    result = gate.execute(action, lambda: client, action.args(**call.args), request_id)
    assert result.status == "executed", result.message
    return result.result or {}


@pytest.mark.parametrize("platform", ["facebook", "instagram", "twitter"])
def test_file_approve_post_and_the_inbox_sees_the_reply(vault: Vault, platforms: Platforms, platform: str) -> None:
    run_inbox(vault, START, platforms.sources())
    target = _first_waiting(vault, platform)
    text = f"Hi there, thanks for writing to us on {platform}!"
    filed = drafts.file_reply(vault, KEY, target.key, text, START)
    assert filed.status == "filed" and filed.requires_approval is True, filed.message
    assert filed.request_path.startswith("Pending_Approval/")
    assert _first_waiting(vault, platform).drafted == filed.request_path  # /inbox will not draft it twice
    _approve_and_run(vault, platforms, platform, filed.request_id)
    platforms.clock.now = START + timedelta(hours=1)
    run_inbox(vault, platforms.clock.now, platforms.sources())
    conv = store.load(vault).conversations[target.key]
    assert conv.answered and conv.messages[-1].text == text
    assert target.key not in {w.key for w in drafts.waiting(vault, platforms.clock.now)}


def test_refusals_file_nothing(vault: Vault, platforms: Platforms) -> None:
    run_inbox(vault, START, platforms.sources())
    x = _first_waiting(vault, "twitter")
    with pytest.raises(InvalidInput, match="280"):
        drafts.file_reply(vault, KEY, x.key, "x" * 281, START)  # over X's limit
    for platform, limit in (("facebook", 8000), ("instagram", 2200)):
        with pytest.raises(InvalidInput, match=f"{limit:,}|{limit}"):
            drafts.file_reply(vault, KEY, _first_waiting(vault, platform).key, "y" * (limit + 1), START)
    with pytest.raises(NotFound, match="no conversation"):
        drafts.file_reply(vault, KEY, "facebook:1_999", "Hi", START)
    with store.updating(vault) as state:
        state.conversations[x.key].deleted = True
    with pytest.raises(InvalidInput, match="deleted on X"):
        drafts.file_reply(vault, KEY, x.key, "Hi", START)
    assert not list(vault.folder("Pending_Approval").glob("*.md"))


def test_default_text_follows_the_handbook() -> None:
    def w(text: str) -> drafts.Waiting:
        return drafts.Waiting("facebook:1_2", "n", "facebook", "Grace Holloway", text, "", START, None)

    assert "private message" in drafts.default_text(w("My order #44 hasn't arrived"), "Harbor")
    assert "thanks for asking" in drafts.default_text(w("Open on Sunday?"), "Harbor")
    assert drafts.default_text(w("Best coffee!"), "Harbor").startswith("Hi Grace, thank you so much")


def test_a_comment_deleted_after_filing_fails_with_the_reason_and_nothing_is_lost(
    vault: Vault, platforms: Platforms
) -> None:
    from mcp_servers.facebook.sandbox import state_for

    run_inbox(vault, START, platforms.sources())
    target = _first_waiting(vault, "facebook")
    filed = drafts.file_reply(vault, KEY, target.key, "Thanks for asking!", START)
    with state_for(vault.root, platforms.clock).transaction() as data:
        for post in data["posts"]:
            post["comments"] = [c for c in post["comments"] if c["id"] != target.key.split(":", 1)[1]]
    path = ar.find_request(vault, str(filed.request_id), ("Pending_Approval",))
    assert path is not None
    shutil.move(path, vault.folder("Approved") / path.name)
    call = ar.read_request_file(vault, vault.folder("Approved") / path.name).request.calls[0]
    service = load_service("facebook")
    client = service.make_client(service.settings_cls(), vault)
    gate = ApprovalGate("facebook", vault, key=KEY, policy=Policy(), tag=service.tag)
    action = drafts_action("facebook")
    result = gate.execute(action, lambda: client, action.args(**call.args), str(filed.request_id))
    assert result.status == "failed" and "does not exist" in (result.error or result.message)
    run_inbox(vault, START + timedelta(hours=1), platforms.sources())
    conv = store.load(vault).conversations[target.key]
    assert conv.deleted and conv.messages  # kept, marked deleted
    assert target.key not in {w.key for w in drafts.waiting(vault, START + timedelta(hours=1))}


def drafts_action(platform: str) -> Any:
    return load_service(platform).write_action(drafts.REPLY_TOOLS[platform])


def test_cli_lists_and_refuses_with_the_reason(
    vault: Vault, platforms: Platforms, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from skills.inbox.__main__ import main

    run_inbox(vault, START, platforms.sources())
    assert main(["--vault", str(vault.root), "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and {"key", "platform", "author", "text", "since", "drafted"} <= set(rows[0])
    x = next(r for r in rows if r["platform"] == "twitter")
    assert main(["--vault", str(vault.root), "reply", x["key"], "--text", "z" * 300]) == 2
    assert "Not done:" in capsys.readouterr().err
    assert not list(vault.folder("Pending_Approval").glob("2*.md"))
