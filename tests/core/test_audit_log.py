"""The audit log: concurrent appends, redaction, archiving."""

from __future__ import annotations

import gzip
import json
import multiprocessing as mp
from datetime import UTC, date, datetime

from mcp_servers.core.audit_log import AuditLog, content_hash
from mcp_servers.core.vault import Vault

DAY = datetime(2026, 11, 25, 12, tzinfo=UTC)


def _append_many(root: str, worker: int) -> None:
    log = AuditLog(Vault(root))
    for i in range(2000):
        log.append("test.write", actor=f"worker-{worker}", parameters={"i": i, "pad": "x" * (i % 300)}, now=DAY)


def test_five_processes_appending_2000_lines_each_give_10000_valid_lines(vault: Vault) -> None:
    ctx = mp.get_context("fork")
    procs = [ctx.Process(target=_append_many, args=(str(vault.root), w)) for w in range(5)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    lines = (vault.folder("Logs") / "2026-11-25.json").read_text().splitlines()
    entries = [json.loads(line) for line in lines]
    assert len(entries) == 10_000
    for w in range(5):
        assert sorted(e["parameters"]["i"] for e in entries if e["actor"] == f"worker-{w}") == list(range(2000))


def test_secrets_are_redacted_and_content_is_hashed(vault: Vault) -> None:
    log = AuditLog(vault)
    entry = log.append(
        "facebook.create_post",
        actor="mcp:facebook",
        parameters={"message": "Big launch", "access_token": "EAAB-secret", "nested": {"api_key": "k"}},
        now=DAY,
    )
    text = (vault.folder("Logs") / "2026-11-25.json").read_text()
    assert "EAAB-secret" not in text and "Big launch" not in text and '"k"' not in text
    assert entry["parameters"]["message"] == content_hash("Big launch")
    assert set(entry) >= {
        "timestamp",
        "action",
        "actor",
        "parameters",
        "result",
        "approval_status",
        "duration_ms",
        "error",
    }


def test_a_day_file_91_days_old_is_archived_not_deleted(vault: Vault) -> None:
    log = AuditLog(vault)
    old = datetime(2026, 8, 26, 10, tzinfo=UTC)  # 91 days before 2026-11-25
    recent = datetime(2026, 8, 27, 10, tzinfo=UTC)  # 90 days
    log.append("a", actor="t", now=old)
    log.append("b", actor="t", now=recent)
    archived = log.archive_old(date(2026, 11, 25))
    assert [p.name for p in archived] == ["2026-08-26.json.gz"]
    assert not (vault.folder("Logs") / "2026-08-26.json").exists()
    assert (vault.folder("Logs") / "2026-08-27.json").exists()
    with gzip.open(archived[0], "rt") as handle:
        assert json.loads(handle.read())["action"] == "a"
    assert [e["action"] for e in log.read_day(date(2026, 8, 26))] == ["a"]
