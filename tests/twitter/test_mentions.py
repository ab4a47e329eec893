"""The X emulator's mentions (issue 16): they arrive with the clock, seeded; `GET /2/users/:id/mentions`
answers as X does (newest first, since_id, authors under includes.users); a reply to a mention lands."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from mcp_servers.twitter.client import TwitterClient
from mcp_servers.twitter.sandbox import XEmulator, open_state
from mcp_servers.twitter.sandbox.transport import make_adapter

START = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def _client(root: Path, now: list[datetime]) -> TwitterClient:
    def clock() -> float:
        return now[0].timestamp()

    emulator = XEmulator(open_state(root, clock), clock)
    return TwitterClient(
        api_key="k", api_secret="s", access_token="t", access_token_secret="ts",
        api_host="https://api.x.com", adapter=make_adapter(emulator),
    )  # fmt: skip


def test_mentions_arrive_over_time_and_since_id_reads_only_new(tmp_path: Path) -> None:
    now = [START]
    client = _client(tmp_path / "a", now)
    first, users = client.mentions_since(None, 100)
    assert first and [int(m["id"]) for m in first] == sorted((int(m["id"]) for m in first), reverse=True)
    assert all(m["author_id"] in users and users[m["author_id"]]["username"] for m in first)
    assert all(m["text"].startswith("@harborlanecoffee ") for m in first)
    again, _ = _client(tmp_path / "b", now).mentions_since(None, 100)
    assert again == first  # seeded: the same clock gives the same mentions
    assert client.mentions_since(first[0]["id"], 100)[0] == []
    now[0] = START + timedelta(days=3)
    newer, _ = client.mentions_since(first[0]["id"], 100)
    assert newer and all(int(m["id"]) > int(first[0]["id"]) for m in newer)
    assert len(client.mentions_since(None, 5)[0]) == 5


def test_the_account_answered_some_and_a_reply_to_a_mention_lands(tmp_path: Path) -> None:
    now = [START]
    client = _client(tmp_path, now)
    mentions, _ = client.mentions_since(None, 100)
    own = client.posts_since(None, 100)
    answered = {r["id"] for p in own for r in p.get("referenced_tweets") or [] if r["type"] == "replied_to"}
    assert answered & {m["id"] for m in mentions}  # the business's own earlier replies
    target = next(m for m in mentions if m["id"] not in answered)
    made = client.create_post("@someone thanks, see you Sunday!", reply_to_id=target["id"])
    mine = client.posts_since(own[0]["id"], 100)
    assert [p["id"] for p in mine] == [made["id"]]
    assert mine[0]["referenced_tweets"] == [{"type": "replied_to", "id": target["id"]}]
    assert client.get_post(target["id"])["id"] == target["id"]
