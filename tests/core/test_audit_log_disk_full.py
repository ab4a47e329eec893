"""A full disk under Logs/: no half line is left, a torn line from a crash does not swallow the next one,
and a write that happened is reported as done (with an alert about the log), never as failed."""

from __future__ import annotations

import errno
import json
import os
import shutil
from datetime import date
from typing import Any

import pytest
from mcp import Client

from mcp_servers.core.audit_log import AuditLog
from mcp_servers.core.vault import APPROVED, NEEDS_ACTION, Vault
from tests.core.fake_service.server import make_app


def _lines(log: AuditLog) -> list[str]:
    return [ln for p in log.folder.glob("*.json") for ln in p.read_text().split("\n") if ln]


def _full_disk(monkeypatch: pytest.MonkeyPatch, half: bool) -> None:
    real = os.write

    def write(fd: int, data: Any) -> int:
        if half:
            return real(fd, bytes(data)[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", write)


@pytest.mark.parametrize("half", [True, False])
def test_a_full_disk_leaves_no_half_line_and_record_alerts_once(
    vault: Vault, monkeypatch: pytest.MonkeyPatch, half: bool
) -> None:
    log = AuditLog(vault)
    log.append("before", actor="test")
    with monkeypatch.context() as patch:
        _full_disk(patch, half)
        with pytest.raises(OSError):
            log.append("lost", actor="test")
        assert log.record("lost too", actor="test") is None
        assert log.record("and this", actor="test") is None
    log.append("after", actor="test")
    assert [json.loads(ln)["action"] for ln in _lines(log)] == ["before", "after"]
    notes = sorted(vault.folder(NEEDS_ACTION).glob("*_alert_audit_log.md"))
    assert len(notes) == 1 and "No space left on device" in notes[0].read_text()


def test_a_torn_line_left_by_a_crash_does_not_swallow_the_next(vault: Vault) -> None:
    log = AuditLog(vault)
    entry = log.append("first", actor="test")
    day = next(log.folder.glob("*.json"))
    with open(day, "a") as handle:
        handle.write('{"action": "torn", "tim')  # a process killed in the middle of a write
    log.append("second", actor="test")
    assert [e["action"] for e in log.read_day(date.fromisoformat(day.stem))] == [entry["action"], "second"]


@pytest.mark.anyio
async def test_a_write_done_while_the_log_disk_is_full_is_reported_done(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(vault)
    async with Client(app.mcp) as client:
        filed = (await client.call_tool("add_note", {"text": "hi", "dry_run": False})).structured_content
        shutil.move(vault.root / filed["request_path"], vault.folder(APPROVED))
        real = os.write

        def write(fd: int, data: Any) -> int:
            target = os.readlink(f"/proc/self/fd/{fd}")
            if "/Logs/" in target and target.endswith(".json"):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real(fd, data)

        monkeypatch.setattr(os, "write", write)
        args = {"text": "hi", "dry_run": False, "approval_id": filed["request_id"]}
        result = await client.call_tool("add_note", args)
        monkeypatch.undo()
    assert not result.is_error and result.structured_content["status"] == "executed", result
    assert app.client().writes() == 1
    assert list(vault.folder(NEEDS_ACTION).glob("*_alert_audit_log.md"))
