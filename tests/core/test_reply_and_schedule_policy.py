"""Replies and DMs always need the owner, whatever the tool (issue 11 item 3); scheduled posts are
auto-approved only at least the minimum lead ahead, within one schedule window for every platform (item 6)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from mcp_servers.core import action_request as ar
from mcp_servers.core.errors import InvalidInput
from mcp_servers.core.filing import file_request
from mcp_servers.core.gate import ApprovalGate
from mcp_servers.core.models import Preview
from mcp_servers.core.policy import Policy, policy_from_settings, reply_argument
from mcp_servers.core.schedule import check_schedule
from mcp_servers.core.service import load_service
from mcp_servers.core.vault import APPROVED, PENDING, Vault
from skills import crosspost

SOON = timedelta(days=2)


def _file(vault: Vault, key: bytes, server: str, tool: str, args: dict[str, Any]) -> ar.ActionRequest:
    action = getattr(__import__(f"mcp_servers.{server}.tools", fromlist=["x"]), tool.upper())
    client = load_service(server).client(vault)
    gate = ApprovalGate(server, vault, key=key, policy=Policy(), tag="t")
    result = gate.file(action, client, action.args(**args))
    assert result.status == "filed", result.message
    assert result.request_path is not None
    return ar.read_request_file(vault, vault.root / result.request_path).request


REPLIES = [
    ("twitter", "create_thread", {"texts": ["one", "two"], "reply_to_id": "1900000000000000001"}),
    ("twitter", "create_post", {"text": "Thanks!", "reply_to_id": "1900000000000000001"}),
    ("facebook", "reply_to_comment", {"comment_id": "102030405060708_111", "message": "Thanks!"}),
    ("instagram", "reply_to_comment", {"comment_id": "17890000000000001", "message": "Thanks!"}),
]


@pytest.mark.parametrize(("server", "tool", "args"), REPLIES, ids=[f"{s}.{t}" for s, t, _ in REPLIES])
def test_every_reply_tool_files_for_approval(
    vault: Vault, signing_key: bytes, server: str, tool: str, args: dict[str, Any]
) -> None:
    request = _file(vault, signing_key, server, tool, args)
    assert request.requires_approval and request.auto_approve_reason is None
    assert list(vault.folder(PENDING).glob("*.md")) and not list(vault.folder(APPROVED).glob("*.md"))


def test_a_scheduled_thread_under_a_post_is_a_reply_and_is_not_auto_approved(vault: Vault, signing_key: bytes) -> None:
    """The reproduced bypass: create_thread(reply_to_id=…, scheduled_for=…) was filed into Approved/."""
    when = (datetime.now(UTC) + SOON).isoformat()
    args = {"texts": ["one", "two"], "reply_to_id": "1900000000000000001", "scheduled_for": when}
    request = _file(vault, signing_key, "twitter", "create_thread", args)
    assert request.requires_approval and request.type == "social_reply"  # the owner reads "Social Reply"
    assert not list(vault.folder(APPROVED).glob("*.md"))
    # the same thread without reply_to_id is an ordinary scheduled post, auto-approved
    del args["reply_to_id"]
    assert not _file(vault, signing_key, "twitter", "create_thread", args).requires_approval


@pytest.mark.parametrize(
    "args",
    [
        {"text": "x", "in_reply_to_status_id": "5"},
        {"text": "x", "recipient_id": "42"},
        {"text": "x", "options": {"reply": {"in_reply_to_tweet_id": "7"}}},
        {"text": "x", "parts": [{"text": "a"}, {"comment_id": "9"}]},
    ],
)
def test_a_new_tool_cannot_forget_that_it_replies(vault: Vault, signing_key: bytes, args: dict[str, Any]) -> None:
    """The policy reads the arguments of any call: a tool that only says "social_media_post" still needs approval."""
    assert reply_argument(args)
    now = datetime.now(UTC)
    preview = Preview(summary="post", scheduled_for=now + SOON, platforms=["newsite"])
    call = ar.ToolCall(server="newsite", tool="publish", args=args)
    request, _ = file_request(
        vault,
        key=signing_key,
        policy=Policy(),
        action_type="social_media_post",
        tag="t",
        calls=[(call, preview)],
        now=now,
        expiry=timedelta(days=7),
    )
    assert request.requires_approval


def test_unset_reply_arguments_do_not_count() -> None:
    assert reply_argument({"text": "x", "reply_to_id": None, "comment_id": ""}) is None


# --- item 6: the minimum lead and the one schedule window ----------------------------------------


@pytest.mark.parametrize("server", ["facebook", "instagram", "twitter"])
@pytest.mark.parametrize(("lead", "auto"), [(timedelta(minutes=2), False), (timedelta(minutes=61), True)])
def test_a_post_scheduled_a_few_minutes_ahead_needs_approval_on_every_platform(
    vault: Vault, signing_key: bytes, server: str, lead: timedelta, auto: bool
) -> None:
    draft = crosspost.Draft(
        "Fresh beans on Tuesday", image_url="https://example.com/b.jpg", scheduled_for=datetime.now(UTC) + lead
    )
    [preview] = crosspost.preview_all(draft, [server], vault)
    assert preview.ok, preview.error
    filed = crosspost.file_crosspost(vault, [preview], key=signing_key)
    assert filed.requires_approval is not auto, filed.reason


def test_the_minimum_lead_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICY_SCHEDULED_POST_MIN_LEAD_MINUTES", "240")
    assert policy_from_settings().scheduled_post_min_lead == timedelta(hours=4)


def test_a_crosspost_ten_days_ahead_is_refused_alike_by_all_three_platforms(vault: Vault) -> None:
    """Issue 13 item 7: Facebook/Instagram allowed 30 days, X 7 days (min of its own 30 and the expiry)."""
    draft = crosspost.Draft(
        "Launch day", image_url="https://example.com/b.jpg", scheduled_for=datetime.now(UTC) + timedelta(days=10)
    )
    previews = crosspost.preview_all(draft, ["facebook", "instagram", "twitter"], vault)
    errors = {p.platform: p.error for p in previews}
    assert all(not p.ok for p in previews), errors
    messages = {str(e).split(": ", 1)[-1] for e in errors.values()}
    assert len(messages) == 1, errors
    [message] = messages
    assert "more than 7 days ahead" in message and "APPROVAL_EXPIRY_HOURS" in message
    assert "expires" not in message  # X used to say the approved request expires; it does not


def test_the_window_follows_the_approval_period(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APPROVAL_EXPIRY_HOURS", "24")
    draft = crosspost.Draft("x", image_url="https://example.com/b.jpg", scheduled_for=datetime.now(UTC) + SOON)
    previews = crosspost.preview_all(draft, ["facebook", "instagram", "twitter"], vault)
    assert all(p.error and "more than 1 day ahead" in p.error for p in previews), [p.error for p in previews]


@pytest.mark.parametrize(
    ("offset", "reason"),
    [
        (timedelta(seconds=-5), "in the past"),
        (timedelta(seconds=30), "less than a minute away"),
        (timedelta(days=7, seconds=1), "more than 7 days ahead"),
    ],
)
def test_the_schedule_window_messages(offset: timedelta, reason: str) -> None:
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    with pytest.raises(InvalidInput, match=reason):
        check_schedule(now + offset, now, latest=timedelta(days=7))
    assert check_schedule(now + timedelta(days=7), now, latest=timedelta(days=7)) == now + timedelta(days=7)


def test_a_naive_time_is_refused_not_guessed() -> None:
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    with pytest.raises(InvalidInput, match="no time zone"):
        check_schedule(datetime(2026, 12, 2, 9, 0), now)


def test_a_cross_post_holding_a_reply_call_needs_approval(vault: Vault, signing_key: bytes) -> None:
    """Cross-posting files through the same core: one reply call among posts holds the whole request."""
    when = datetime.now(UTC) + SOON
    draft = crosspost.Draft("Launch day", image_url="https://example.com/b.jpg", scheduled_for=when)
    previews = crosspost.preview_all(draft, ["facebook", "twitter"], vault)
    assert crosspost.file_crosspost(vault, previews, key=signing_key).requires_approval is False
    reply = previews[1].args or {}
    previews[1] = crosspost.PlatformPreview(
        "twitter", "SANDBOX", args={**reply, "reply_to_id": "1900000000000000001"}, preview=previews[1].preview
    )
    filed = crosspost.file_crosspost(vault, previews, key=signing_key)
    assert filed.requires_approval and "reply_to_id" in str(
        ar.read_request_file(vault, vault.root / filed.path).request.calls
    )


def test_an_auto_approved_post_says_when_it_runs_and_how_to_cancel_it(vault: Vault, signing_key: bytes) -> None:
    from mcp_servers.core.filing import ACTION_LINE, AUTO_ACTION_LINE
    from orchestrator.notes import strip_sections

    when = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    request = _file(vault, signing_key, "twitter", "create_post", {"text": "later", "scheduled_for": when})
    [path] = vault.folder(APPROVED).glob("*.md")
    body = ar.read_request_file(vault, path).body
    assert not request.requires_approval and f"**Scheduled for**: {request.scheduled_for:%Y-%m-%d %H:%M} UTC" in body
    assert body.rstrip().endswith(AUTO_ACTION_LINE) and ACTION_LINE not in body
    assert "Rejected/" not in strip_sections(body)  # once run, the file no longer offers a cancel
