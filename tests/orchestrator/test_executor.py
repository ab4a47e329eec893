"""The executor on its own (no processes): what it runs, what it refuses, and what it writes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

from mcp_servers.core import action_request as ar
from mcp_servers.core.vault import APPROVED, DONE, NEEDS_ACTION, REJECTED, Vault
from orchestrator.executor import Executor
from orchestrator.notes import RESULT_HEADING, WHY_HEADING
from orchestrator.supervisor import ServerUnavailable
from tests.orchestrator import badfiles
from tests.orchestrator.conftest import SETTLED, make_request, md_files

pytestmark = pytest.mark.anyio


def answer(status: str = "executed", **extra: Any) -> SimpleNamespace:
    data = {"status": status, "message": extra.pop("message", f"{status}."), "mode": "SANDBOX", **extra}
    return SimpleNamespace(is_error=False, structured_content=data, content=[])


class FakeServers:
    """Stands in for the supervisor: records calls, answers from a list (or raises)."""

    def __init__(self, *answers: Any) -> None:
        self.handles = {"fake": object()}
        self.answers = list(answers)
        self.calls: list[tuple[str, str, dict[str, Any]]] = []

    async def call_tool(self, server: str, tool: str, args: dict[str, Any], *, wait: float = 0) -> Any:
        self.calls.append((server, tool, args))
        reply = self.answers.pop(0) if self.answers else answer(result={"id": len(self.calls)})
        if isinstance(reply, Exception):
            raise reply
        return reply


def front(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text().split("---\n")[1])


async def test_an_approved_request_is_run_once_and_lands_in_done_with_its_result(vault: Vault, key: bytes) -> None:
    request, path = make_request(vault, key, "pay the plumber")
    servers = FakeServers(answer(result={"id": 7}))
    assert await Executor(vault, key, servers).process(path) == "done"
    assert servers.calls == [
        ("fake", "add_note", {**request.calls[0].args, "dry_run": False, "approval_id": request.id})
    ]
    done = vault.folder(DONE) / path.name
    assert not path.exists() and done.exists()
    data = front(done)
    assert data["status"] == "succeeded"
    assert data["result"] == [{"call": "fake.add_note", "status": "succeeded", "result": {"id": 7}}]
    assert ar.parse(done.read_bytes()).request == request  # still the same signed request
    assert done.read_text().count(RESULT_HEADING) == 1


@pytest.mark.parametrize("kind", sorted(badfiles.KINDS))
async def test_bad_files_are_rejected_with_a_reason_and_nothing_runs(vault: Vault, key: bytes, kind: str) -> None:
    path = badfiles.KINDS[kind](vault, key, 1)
    servers = FakeServers()
    assert await Executor(vault, key, servers, wall=SETTLED).process(path) == "rejected"
    assert servers.calls == []
    assert md_files(vault, APPROVED) == []
    rejected = md_files(vault, REJECTED)
    assert rejected, "the file (or a note about it) is in Rejected/"
    assert any(WHY_HEADING in p.read_text(errors="replace") for p in rejected if p.suffix == ".md")
    assert all(not p.is_symlink() for p in rejected)


async def test_a_20_mb_file_is_rejected_without_being_read_into_a_note(vault: Vault, key: bytes) -> None:
    path = badfiles.huge(vault, key, 1)
    assert await Executor(vault, key, FakeServers()).process(path) == "rejected"
    moved = vault.folder(REJECTED) / path.name
    assert moved.stat().st_size > 20_000_000
    assert "at most 1,000,000" in (vault.folder(REJECTED) / (path.name + ".why.md")).read_text()


async def test_reasons_name_the_problem(vault: Vault, key: bytes) -> None:
    cases = {
        badfiles.forged_signature: "signature does not match",
        badfiles.missing_signature: "no signature",
        badfiles.expired: "expired",
        badfiles.unknown_server: "nosuch",
        badfiles.broken_yaml: "not valid YAML",
        badfiles.symlink_out: "link",
        badfiles.dotdot_name: "not a request file name",
    }
    executor = Executor(vault, key, FakeServers(), wall=SETTLED)
    for n, (make, reason) in enumerate(cases.items()):
        path = make(vault, key, n)
        await executor.process(path)
        texts = [p.read_text(errors="replace") for p in md_files(vault, REJECTED)]
        assert any(reason in t for t in texts), (make.__name__, texts)


@pytest.mark.parametrize("name", ["README.md", ".hidden.md", "draft.md~", "note.md.swp", ".note.md.abc.tmp"])
async def test_readme_dotfiles_and_temp_files_are_left_alone(vault: Vault, key: bytes, name: str) -> None:
    path = vault.folder(APPROVED) / name
    path.write_text("whatever")
    assert await Executor(vault, key, FakeServers()).process(path) == "ignored"
    assert path.exists()


async def test_a_future_request_is_scheduled_not_run(vault: Vault, key: bytes) -> None:
    when = datetime.now(UTC) + timedelta(hours=3)
    request, path = make_request(vault, key, scheduled_for=when)
    scheduled: list[ar.ActionRequest] = []
    servers = FakeServers()
    executor = Executor(vault, key, servers, schedule=scheduled.append)
    assert await executor.process(path) == "scheduled"
    assert servers.calls == [] and path.exists()
    assert [r.id for r in scheduled] == [request.id]
    assert executor.scheduled[request.id]["when"] == request.scheduled_for


async def test_a_request_whose_server_is_down_waits_in_approved(vault: Vault, key: bytes) -> None:
    _, path = make_request(vault, key)
    executor = Executor(vault, key, FakeServers(ServerUnavailable("the fake server is starting")))
    assert await executor.process(path) == "retry"
    assert path.exists()
    assert await executor.process(path) == "done"


@pytest.mark.parametrize(
    ("answers", "status", "note"),
    [
        ([answer("failed", error="rejected by the service")], "failed", True),
        ([answer("ambiguous", message="timed out after sending")], "ambiguous", True),
        ([answer(), answer("failed", error="no")], "partial", True),
        ([answer(), answer("replayed")], "succeeded", False),
    ],
)
async def test_status_and_needs_action_note(
    vault: Vault, key: bytes, answers: list[Any], status: str, note: bool
) -> None:
    request, path = make_request(vault, key, extra_calls=len(answers) - 1)
    servers = FakeServers(*answers)
    await Executor(vault, key, servers).process(path)
    assert len(servers.calls) == len(answers), "a failed call does not stop the others"
    assert front(vault.folder(DONE) / path.name)["status"] == status
    notes = md_files(vault, NEEDS_ACTION)
    assert bool(notes) == note
    if note:
        assert request.short_id in notes[0].name and f"[[{path.stem}]]" in notes[0].read_text()


async def test_a_tool_error_is_a_failed_call(vault: Vault, key: bytes) -> None:
    _, path = make_request(vault, key)
    refusal = SimpleNamespace(is_error=True, content=[SimpleNamespace(text="Not run: it was edited")])
    await Executor(vault, key, FakeServers(refusal)).process(path)
    assert front(vault.folder(DONE) / path.name)["result"][0]["error"] == "Not run: it was edited"


async def test_a_crash_between_writing_done_and_removing_the_original_is_finished_cleanly(
    vault: Vault, key: bytes
) -> None:
    """The crash window: Done/ has the result, Approved/ still has the original. The rescan replays."""
    _, path = make_request(vault, key)
    original = path.read_bytes()
    await Executor(vault, key, FakeServers()).process(path)
    path.write_bytes(original)
    servers = FakeServers(answer("replayed", result={"id": 1}))
    assert await Executor(vault, key, servers).process(path) == "done"
    done = vault.folder(DONE) / path.name
    assert done.read_text().count(RESULT_HEADING) == 1 and front(done)["status"] == "succeeded"
    assert md_files(vault, DONE) == [done] and not path.exists()


async def test_a_file_carrying_an_earlier_result_section_gets_exactly_one(vault: Vault, key: bytes) -> None:
    _, path = make_request(vault, key)
    await Executor(vault, key, FakeServers()).process(path)
    done = vault.folder(DONE) / path.name
    done.rename(path)
    assert await Executor(vault, key, FakeServers(answer("replayed"))).process(path) == "done"
    assert done.read_text().count(RESULT_HEADING) == 1


async def test_a_renamed_request_file_gets_its_proper_name_back(vault: Vault, key: bytes) -> None:
    request, path = make_request(vault, key)
    renamed = path.rename(path.with_name("pay the plumber.md"))
    assert await Executor(vault, key, FakeServers()).process(renamed) == "done"
    assert (vault.folder(DONE) / request.file_name).exists()


async def test_an_expired_request_already_started_is_replayed_not_rejected(vault: Vault, key: bytes) -> None:
    from mcp_servers.core.ledger import Ledger

    old = datetime.now(UTC) - timedelta(days=3)
    request, path = make_request(vault, key, now=old, expiry=timedelta(days=1))
    Ledger(vault).start(request.call_id(0), "add_note", old)
    Ledger(vault).succeed(request.call_id(0), {"id": 1})
    assert await Executor(vault, key, FakeServers(answer("replayed"))).process(path) == "done"


def test_the_result_section_links_what_was_made() -> None:
    from datetime import UTC, datetime

    from orchestrator.notes import CallOutcome, result_section

    outcomes = [
        CallOutcome(
            "facebook", "create_post", "succeeded", "Done.", {"post_id": "1_2", "url": "https://fb.example/1_2"}
        ),
        CallOutcome("twitter", "create_post", "failed", "Failed: duplicate content.", None),
    ]
    text = result_section("partial", outcomes, datetime(2026, 11, 25, 22, 10, tzinfo=UTC))
    assert "**Status**: partial" in text
    assert "1. ✅ `facebook.create_post`: Done. ([open](https://fb.example/1_2), post_id `1_2`)" in text
    assert "2. ❌ `twitter.create_post`: Failed: duplicate content." in text


def test_a_run_or_refused_request_no_longer_asks_to_be_approved() -> None:
    from mcp_servers.core.filing import ACTION_LINE
    from orchestrator.notes import RESULT_HEADING, strip_sections

    body = f"# Social Media Post Approval\n\nDetails.\n\n---\n{ACTION_LINE}\n\n{RESULT_HEADING}\n\nold result"
    assert strip_sections(body) == "# Social Media Post Approval\n\nDetails."
