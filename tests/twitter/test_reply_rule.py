"""X's 2026-02-23 reply rule on threads: the documented 403 on part ≥ 2 stops the thread with the posted
parts and X's documented alternative (issue 13 item 6)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from mcp_servers.core.actions import CallContext
from mcp_servers.core.vault import Vault
from mcp_servers.twitter.apierrors import ReplyRefused
from mcp_servers.twitter.models import CreatePostArgs, CreateThreadArgs
from mcp_servers.twitter.sandbox import PROBLEMS, inject_fault
from mcp_servers.twitter.threads import ThreadPartlyPosted, post_thread
from mcp_servers.twitter.tools import publish_post

PARTS = ["Our autumn menu, a thread 1/3", "Pumpkin spice cortado is back 2/3", "And a new oat flat white 3/3"]
REAL = Path(__file__).parent / "fixtures" / "real" / "reply_refused.json"


def _call(vault: Vault) -> CallContext:
    return CallContext("20261201-000000-x-0000beef", "20261201-000000-x-0000beef#0", datetime.now(UTC), None, vault)


def test_the_emulator_answers_the_real_reply_refusal_body() -> None:
    status, body = PROBLEMS["reply_refused"]
    real = json.loads(REAL.read_text())
    assert status == real["status"] and body == real["body"]


def test_a_refused_self_reply_stops_the_thread_with_the_posted_parts(x: Any, vault: Vault) -> None:
    inject_fault(vault.root, "reply_refused", skip=1)  # part 2 replies to part 1: refused
    with pytest.raises(ThreadPartlyPosted) as caught:
        post_thread(x, CreateThreadArgs(texts=PARTS), _call(vault))
    message, posted = caught.value.message, caught.value.posted
    assert message.startswith("Thread stopped at part 2: X refused self-replies")
    assert [p["part"] for p in posted] == [1] and posted[0]["id"] in message
    assert "standalone post" in message and "create_post" in message
    texts = [p["text"] for p in x.api.list_posts(10)]
    assert texts.count(PARTS[0]) == 1 and PARTS[1] not in texts


def test_a_refused_reply_to_someone_else_is_a_reply_refusal(x: Any, vault: Vault) -> None:
    first = x.api.create_post("A post to reply to")
    inject_fault(vault.root, "reply_refused")
    with pytest.raises(ReplyRefused, match="mentioned or quoted"):
        publish_post(x, CreatePostArgs(text="Thanks!", reply_to_id=first["id"]), _call(vault))
