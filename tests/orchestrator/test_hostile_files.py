"""Files that are not what they seem in Approved/ and Pending_Approval/ (issue 11 items 7, 8, 13): FIFOs and
hard links are rejected unread and never copied, a half-written file waits to settle, a link to a name that
is not UTF-8 is rejected once, and an expired request says truthfully why it did not run."""

from __future__ import annotations

import os
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import anyio
import pytest

from mcp_servers.core import action_request as ar
from mcp_servers.core.regular_file import IrregularFile, read_regular
from mcp_servers.core.vault import APPROVED, DONE, PENDING, REJECTED, Vault
from orchestrator import dashboard
from orchestrator.executor import Executor
from tests.orchestrator.conftest import SETTLED, make_request, md_files
from tests.orchestrator.test_executor import FakeServers

pytestmark = pytest.mark.anyio
SECRET = "APPROVAL_SIGNING_KEY=sk-live-0123456789abcdef0123456789abcdef"


def _vault_text(vault: Vault) -> str:
    return "".join(p.read_text(errors="replace") for p in vault.root.rglob("*") if p.is_file() and not p.is_symlink())


@pytest.mark.parametrize("folder", [APPROVED, PENDING])
def test_reading_a_fifo_answers_at_once_without_blocking(vault: Vault, folder: str) -> None:
    fifo = vault.folder(folder) / "2026-12-01_payment_aaaa0001.md"
    os.mkfifo(fifo)
    with pytest.raises(IrregularFile, match="named pipe"):
        read_regular(fifo, 1000)  # a blocking open would hang here (no writer ever comes)
    with pytest.raises(ar.RequestFileError, match="named pipe"):
        ar.read_request_file(vault, fifo)


async def test_a_fifo_in_approved_is_rejected_at_once_and_nothing_runs(vault: Vault, key: bytes) -> None:
    fifo = vault.folder(APPROVED) / "2026-12-01_payment_aaaa0002.md"
    os.mkfifo(fifo)
    servers = FakeServers()
    with anyio.fail_after(10):
        assert await Executor(vault, key, servers).process(fifo) == "rejected"
    assert servers.calls == [] and not fifo.exists()
    [note] = md_files(vault, REJECTED)
    assert note.is_file() and "named pipe" in note.read_text()


async def test_a_hard_link_to_a_secret_is_rejected_and_its_content_never_copied(
    vault: Vault, key: bytes, tmp_path: Path
) -> None:
    env = tmp_path / ".env"
    env.write_text(SECRET + "\n")
    link = vault.folder(APPROVED) / "2026-12-01_payment_aaaa0003.md"
    os.link(env, link)
    servers = FakeServers()
    executor = Executor(vault, key, servers)
    assert await executor.process(link) == "settling"  # just linked: may be a writer's link() in progress
    executor.wall = SETTLED
    assert await executor.process(link) == "rejected"
    assert servers.calls == [] and not link.exists()
    assert env.read_text() == SECRET + "\n"  # the original is untouched
    assert "sk-live" not in _vault_text(vault)
    assert "hard link" in md_files(vault, REJECTED)[0].read_text()


async def test_a_file_written_in_two_halves_waits_and_then_runs(vault: Vault, key: bytes) -> None:
    """A sync client copying slowly: the first read sees half a file ("no YAML front matter" or broken YAML)."""
    request, made = make_request(vault, key, "slow copy", folder=PENDING)
    data = made.read_bytes()
    made.unlink()
    path = vault.folder(APPROVED) / made.name
    servers = FakeServers()
    executor = Executor(vault, key, servers)
    for half in (data[:40], data[: len(data) // 2]):
        path.write_bytes(half)
        assert await executor.process(path) == "settling"
        assert path.exists() and not md_files(vault, REJECTED)
    path.write_bytes(data)
    assert await executor.process(path) == "done"
    assert [c[2]["approval_id"] for c in servers.calls] == [request.id]
    assert (vault.folder(DONE) / made.name).exists()


async def test_a_broken_file_that_stopped_changing_is_rejected(vault: Vault, key: bytes) -> None:
    path = vault.folder(APPROVED) / "2026-12-01_payment_aaaa0004.md"
    path.write_text("---\ntype: payment\nid: [unclosed\n")
    executor = Executor(vault, key, FakeServers(), wall=lambda: time.time() + 4)
    assert await executor.process(path) == "settling"
    executor.wall = lambda: time.time() + 6  # past the 5 s settle window
    assert await executor.process(path) == "rejected"


async def test_a_link_to_a_name_that_is_not_utf8_is_rejected_once(vault: Vault, key: bytes) -> None:
    link = vault.folder(APPROVED) / "2026-12-01_payment_aaaa0005.md"
    os.symlink(b"/tmp/\xff\xfe-not-utf8", os.fsencode(link))
    executor = Executor(vault, key, FakeServers())
    with anyio.fail_after(10):
        assert await executor.process(link) == "rejected"
        assert await executor.process(link) == "gone"
    [note] = md_files(vault, REJECTED)
    assert "⟨U+DCFF⟩" in note.read_text()


async def test_expired_requests_say_whether_they_were_approved_late_or_seen_late(vault: Vault, key: bytes) -> None:
    now = datetime.now(UTC)
    in_time, _ = make_request(vault, key, "approved in time", now=now - timedelta(days=1), expiry=timedelta(days=2))
    # the owner approved it while valid; the orchestrator only comes back two days later
    later = Executor(vault, key, FakeServers(), clock=lambda: now + timedelta(days=2), wall=SETTLED)
    for path in md_files(vault, APPROVED):
        assert await later.process(path) == "rejected"
    late, _ = make_request(vault, key, "approved late", now=now - timedelta(days=8), expiry=timedelta(days=7))
    for path in md_files(vault, APPROVED):
        assert await Executor(vault, key, FakeServers(), wall=SETTLED).process(path) == "rejected"
    texts = {p.name: p.read_text() for p in md_files(vault, REJECTED)}
    seen_late = texts[in_time.file_name]
    assert (
        "approved in time" in seen_late and "was not running" in seen_late and "before it was approved" not in seen_late
    )
    assert "before it was approved" in texts[late.file_name]


def test_the_dashboard_is_not_frozen_by_a_fifo_in_pending(vault: Vault, key: bytes) -> None:
    os.mkfifo(vault.folder(PENDING) / "2026-12-01_payment_aaaa0006.md")
    make_request(vault, key, "real one", folder=PENDING)
    result: list[dashboard.Snapshot] = []
    worker = threading.Thread(
        target=lambda: result.append(dashboard.collect(vault, {}, [], {}, datetime.now(UTC))), daemon=True
    )
    worker.start()
    worker.join(10)
    assert result, "collecting the dashboard blocked on the FIFO"
    summaries = sorted(r["summary"] for r in result[0].pending)
    assert summaries[0].startswith("(not a valid request: it is a named pipe") and summaries[1] == "Add note: real one"
    assert dashboard.read_status(vault)["pending"] == 2


async def test_an_auto_approved_scheduled_post_is_listed_with_its_time_and_how_to_cancel(
    vault: Vault, key: bytes
) -> None:
    when = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=2)
    request, path = make_request(vault, key, "launch", scheduled_for=when, auto=True)
    executor = Executor(vault, key, FakeServers())
    assert await executor.process(path) == "scheduled"
    now = datetime.now(UTC)
    text = dashboard.render(dashboard.collect(vault, {}, list(executor.scheduled.values()), {}, now), now)
    line = next(ln for ln in text.splitlines() if request.short_id in ln)
    assert f"{when:%Y-%m-%d %H:%M} UTC" in line and f"[[{path.stem}]]" in line and "auto-approved" in line
    assert "move its file from `Approved/` to `Rejected/`" in text
    path.rename(vault.folder(REJECTED) / path.name)  # the owner's one move
    assert await executor.process(path) == "gone"
    assert executor.scheduled == {}


async def test_a_file_whose_name_is_not_utf8_is_rejected_once(vault: Vault, key: bytes) -> None:
    name = os.fsencode(vault.folder(APPROVED)) + b"/2026-12-01_payment_\xff\xfe.md"
    with open(name, "wb") as out:
        out.write(b"---\nnot: a request\n---\n")
    path = Path(os.fsdecode(name))
    executor = Executor(vault, key, FakeServers(), wall=SETTLED)
    with anyio.fail_after(10):
        assert await executor.process(path) == "rejected"
        assert await executor.process(path) == "gone"
    [note] = md_files(vault, REJECTED)
    assert note.name == "2026-12-01_payment___.md" and "Field required" in note.read_text()


def test_the_weekly_audit_is_not_frozen_by_a_fifo_or_a_hard_link(vault: Vault, key: bytes, tmp_path: Path) -> None:
    from datetime import date
    from zoneinfo import ZoneInfo

    from skills.audit.period import Week
    from skills.audit.vault_facts import gather_vault

    for folder in (DONE, "Needs_Action", PENDING):
        os.mkfifo(vault.folder(folder) / "2026-12-01_payment_fifo9999.md")
    (tmp_path / "secret.md").write_text("---\ntype: payment\nsummary: LEAKED\n---\n")
    os.link(tmp_path / "secret.md", vault.folder(DONE) / "2026-12-01_payment_link9999.md")
    make_request(vault, key, "real one", folder=PENDING)
    result: list[object] = []
    week = Week(date(2026, 11, 23), ZoneInfo("UTC"))
    worker = threading.Thread(
        target=lambda: result.append(gather_vault(vault, week, datetime(2026, 11, 30, tzinfo=UTC))), daemon=True
    )
    worker.start()
    worker.join(10)
    assert result, "the audit blocked on a FIFO"
    assert "LEAKED" not in repr(result[0])


async def test_approved_replaced_by_a_link_to_pending_runs_and_moves_nothing(vault: Vault, key: bytes) -> None:
    """Approved/ swapped for a link to Pending_Approval/ (a model with file access): the waiting requests are
    not the owner's approvals, so none is called, and none is moved out of Pending_Approval/ as failed."""
    _, pending = make_request(vault, key, folder=PENDING)
    approved = vault.folder(APPROVED)
    approved.rmdir()
    approved.symlink_to(vault.folder(PENDING), target_is_directory=True)
    servers = FakeServers()
    executor = Executor(vault, key, servers)
    executor.wall = SETTLED
    assert await executor.process(approved / pending.name) == "ignored"
    assert servers.calls == [] and pending.is_file()
