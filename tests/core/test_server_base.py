"""The write path every server shares, proved on the test-only fake service over a real MCP client."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from mcp import Client

from mcp_servers.core import action_request as ar
from mcp_servers.core.gate_rules import RERUN_AFTER
from mcp_servers.core.vault import APPROVED, DONE, PENDING, REJECTED, Vault
from tests.core.fake_service.server import make_app

pytestmark = pytest.mark.anyio


@pytest.fixture(params=["auto", "legacy"])
async def session(request: pytest.FixtureRequest, vault: Vault) -> AsyncIterator[tuple[Client, Any]]:
    app = make_app(vault)
    async with Client(app.mcp, mode=request.param) as client:
        yield client, app


async def call(client: Client, tool: str, **args: Any) -> Any:
    result = await client.call_tool(tool, args)
    return result


def files(vault: Vault, folder: str) -> list[Path]:
    return sorted(vault.folder(folder).glob("*.md"))


def approve(vault: Vault, rel_path: str) -> Path:
    source = vault.root / rel_path
    target = vault.folder(APPROVED) / source.name
    shutil.move(source, target)
    return target


async def file_note(client: Client, vault: Vault, text: str = "hello", **extra: Any) -> tuple[str, Path]:
    r = await call(client, "add_note", text=text, dry_run=False, **extra)
    assert not r.is_error, r.content
    data = r.structured_content
    assert data["status"] == "filed"
    return data["request_id"], vault.root / data["request_path"]


async def test_tools_are_listed_with_truthful_annotations_and_dry_run_default(session: Any) -> None:
    client, _ = session
    tools = {t.name: t for t in (await client.list_tools()).tools}
    assert set(tools) == {"list_notes", "add_note"}
    assert tools["list_notes"].annotations.read_only_hint is True
    write = tools["add_note"]
    assert write.annotations.read_only_hint is False
    assert write.input_schema["properties"]["dry_run"]["default"] is True
    assert "dry_run" not in write.input_schema.get("required", [])
    assert write.input_schema["required"] == ["text"]
    assert write.input_schema["properties"]["tags"]["type"] == "array"


async def test_dry_run_writes_nothing_and_says_sandbox(session: Any, vault: Vault) -> None:
    client, app = session
    r = await call(client, "add_note", text="hello")
    assert r.structured_content["status"] == "preview"
    assert r.structured_content["mode"] == "SANDBOX"
    assert r.structured_content["preview"]["request"] == {"text": "hello"}
    for folder in (PENDING, APPROVED, DONE):
        assert files(vault, folder) == []
    assert app.client().writes() == 0
    assert not list(vault.folder("Logs").glob("*.json"))


async def test_filing_writes_a_signed_pending_request_and_sends_nothing(session: Any, vault: Vault) -> None:
    client, app = session
    request_id, path = await file_note(client, vault)
    assert path.parent.name == PENDING
    parsed = ar.read_request_file(vault, path)
    ar.verify(parsed.request, app.core.signing_key())
    assert parsed.request.id == request_id
    assert parsed.request.calls[0].args["text"] == "hello"
    assert "Move this file" in parsed.body or "move this file" in parsed.body
    assert app.client().writes() == 0


async def test_approved_request_executes_once_and_replays_the_stored_result(session: Any, vault: Vault) -> None:
    client, app = session
    request_id, path = await file_note(client, vault)
    approve(vault, path.relative_to(vault.root).as_posix())
    first = await call(client, "add_note", text="hello", dry_run=False, approval_id=request_id)
    assert first.structured_content["status"] == "executed", first.content
    assert first.structured_content["result"]["ref"] == request_id
    again = await call(client, "add_note", text="hello", dry_run=False, approval_id=request_id)
    assert again.structured_content["status"] == "replayed"
    assert again.structured_content["result"] == first.structured_content["result"]
    assert app.client().writes() == 1


async def test_replay_still_works_after_the_file_moved_to_done(session: Any, vault: Vault) -> None:
    client, app = session
    request_id, path = await file_note(client, vault)
    approved = approve(vault, path.relative_to(vault.root).as_posix())
    await call(client, "add_note", text="hello", dry_run=False, approval_id=request_id)
    shutil.move(approved, vault.folder(DONE) / approved.name)
    again = await call(client, "add_note", text="hello", dry_run=False, approval_id=request_id)
    assert again.structured_content["status"] == "replayed"
    assert app.client().writes() == 1


def _edit_front(path: Path, **changes: Any) -> None:
    text = path.read_text()
    _, front, body = text.split("---\n", 2)
    data = yaml.safe_load(front)
    data.update(changes)
    path.write_text("---\n" + yaml.safe_dump(data, sort_keys=False) + "---\n" + body)


@pytest.mark.parametrize(
    ("how", "reason"),
    [
        ("pending", "still waiting in Pending_Approval"),
        ("edited", "signature does not match"),
        ("forged", "signature does not match"),
        ("unsigned", "no signature"),
        ("rejected", "rejected by the owner"),
        ("deleted", "no request"),
        ("other_args", "does not approve"),
        ("not_an_id", "no request"),
    ],
)
async def test_execution_is_refused_with_the_reason(session: Any, vault: Vault, how: str, reason: str) -> None:
    client, app = session
    request_id, path = await file_note(client, vault)
    text = "hello"
    if how != "pending":
        path = approve(vault, path.relative_to(vault.root).as_posix())
    if how == "edited":
        _edit_front(
            path,
            calls=[
                {
                    "server": "fake",
                    "tool": "add_note",
                    "args": {**ar.read_request_file(vault, path).request.calls[0].args, "text": "pay me"},
                }
            ],
        )
        text = "pay me"
    elif how == "forged":
        _edit_front(path, signature="hmac-sha256:" + "0" * 64)
    elif how == "unsigned":
        _edit_front(path, signature=None)
    elif how == "rejected":
        shutil.move(path, vault.folder(REJECTED) / path.name)
    elif how == "deleted":
        path.unlink()
    elif how == "other_args":
        text = "something else"
    elif how == "not_an_id":
        request_id = "../../etc/passwd"
    r = await call(client, "add_note", text=text, dry_run=False, approval_id=request_id)
    assert r.is_error
    assert reason in r.content[0].text
    assert app.client().writes() == 0


async def test_expired_request_is_refused(vault: Vault) -> None:
    app = make_app(vault)
    async with Client(app.mcp) as client:
        request_id, path = await file_note(client, vault)
        approve(vault, path.relative_to(vault.root).as_posix())
        app.gate.clock = lambda: datetime.now(UTC) + timedelta(days=8)
        r = await call(client, "add_note", text="hello", dry_run=False, approval_id=request_id)
    assert r.is_error and "expired" in r.content[0].text
    assert app.client().writes() == 0


async def test_scheduled_request_is_not_run_early(vault: Vault) -> None:
    app = make_app(vault)
    when = (datetime.now(UTC) + timedelta(hours=3)).replace(microsecond=0)
    async with Client(app.mcp) as client:
        request_id, path = await file_note(client, vault, scheduled_for=when.isoformat(), amount=5, recurring=True)
        assert path.parent.name == APPROVED  # auto-approved: a recurring small amount to a known payee
        r = await call(
            client,
            "add_note",
            text="hello",
            dry_run=False,
            approval_id=request_id,
            scheduled_for=when.isoformat(),
            amount=5,
            recurring=True,
        )
        assert r.is_error and "scheduled for" in r.content[0].text
        app.gate.clock = lambda: when
        r = await call(
            client,
            "add_note",
            text="hello",
            dry_run=False,
            approval_id=request_id,
            scheduled_for=when.isoformat(),
            amount=5,
            recurring=True,
        )
    assert r.structured_content["status"] == "executed"


@pytest.mark.parametrize(
    ("amount", "recurring", "known", "folder"),
    [
        ("99.99", True, True, APPROVED),
        ("100.00", True, True, PENDING),
        ("5", True, False, PENDING),
        ("5", False, True, PENDING),
    ],
)
async def test_policy_decides_the_folder(vault: Vault, amount: str, recurring: bool, known: bool, folder: str) -> None:
    app = make_app(vault)
    async with Client(app.mcp) as client:
        _, path = await file_note(client, vault, amount=amount, recurring=recurring, payee_known=known)
    assert path.parent.name == folder


async def test_a_lost_answer_is_settled_by_a_read_not_by_a_second_write(vault: Vault) -> None:
    app = make_app(vault)
    async with Client(app.mcp) as client:
        request_id, path = await file_note(client, vault)
        approve(vault, path.relative_to(vault.root).as_posix())
        app.client().fail_next = "ambiguous_after_write"
        first = await call(client, "add_note", text="hello", dry_run=False, approval_id=request_id)
        again = await call(client, "add_note", text="hello", dry_run=False, approval_id=request_id)
    assert first.structured_content["status"] == "executed"  # the read right after found the note
    assert "found the note by its reference" in first.structured_content["message"]
    assert first.structured_content["result"]["ref"] == request_id
    assert again.structured_content["status"] == "replayed"
    assert app.client().writes() == 1


async def test_an_ambiguous_write_that_never_happened_runs_once_more(vault: Vault) -> None:
    app = make_app(vault)
    async with Client(app.mcp) as client:
        request_id, path = await file_note(client, vault)
        approve(vault, path.relative_to(vault.root).as_posix())
        app.client().fail_next = "ambiguous"
        first = await call(client, "add_note", text="hello", dry_run=False, approval_id=request_id)
        assert first.structured_content["status"] == "ambiguous"
        app.gate.clock = lambda: datetime.now(UTC) + RERUN_AFTER  # a read right after is no proof (too soon)
        again = await call(client, "add_note", text="hello", dry_run=False, approval_id=request_id)
    assert again.structured_content["status"] == "executed"
    assert app.client().writes() == 1


async def test_breaker_opens_after_five_failures_and_answers_at_once(vault: Vault) -> None:
    app = make_app(vault)
    app.client().fail_next = "unavailable"
    async with Client(app.mcp) as client:
        texts = [(await call(client, "list_notes")).content[0].text for _ in range(6)]
    assert all("fake is down" in t for t in texts[:5])
    assert "calls are paused" in texts[5]


async def test_bad_input_names_the_field(session: Any) -> None:
    client, _ = session
    r = await call(client, "add_note", text="")
    assert r.is_error and "text" in r.content[0].text


async def test_a_failed_call_keeps_its_details_and_is_never_retried(vault: Vault) -> None:
    app = make_app(vault)
    async with Client(app.mcp) as client:
        request_id, path = await file_note(client, vault)
        approve(vault, path.relative_to(vault.root).as_posix())
        app.client().fail_next = "conflict"
        first = await call(client, "add_note", text="hello", dry_run=False, approval_id=request_id)
        again = await call(client, "add_note", text="hello", dry_run=False, approval_id=request_id)
    assert first.structured_content["status"] == "failed"
    assert first.structured_content["error"] == "the service refused the note"
    assert first.structured_content["result"] == {"done_parts": [1, 2]}
    assert again.structured_content["status"] == "failed"  # the stored outcome, not a second attempt
    assert app.client().writes() == 0


async def test_a_late_check_looks_for_the_write_from_when_it_was_sent(vault: Vault) -> None:
    """Hours after a lost answer, resolve() must search from the original send time, or it could miss the
    write, call it 'not applied' and send it a second time."""
    app = make_app(vault)
    sent = datetime.now(UTC).replace(microsecond=0)
    app.gate.clock = lambda: sent
    async with Client(app.mcp) as client:
        request_id, path = await file_note(client, vault)
        approve(vault, path.relative_to(vault.root).as_posix())
        app.client().fail_next = "ambiguous"
        await call(client, "add_note", text="hello", dry_run=False, approval_id=request_id)
        app.gate.clock = lambda: sent + timedelta(hours=3)
        await call(client, "add_note", text="hello", dry_run=False, approval_id=request_id)
    assert app.client().resolved_from == [sent, sent]
