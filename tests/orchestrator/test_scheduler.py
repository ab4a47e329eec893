"""Scheduler and jobs with time as an input: next fire times, persistence, and each job function."""

from __future__ import annotations

import gzip
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import anyio
import pytest

from mcp_servers.core.audit_log import AuditLog
from mcp_servers.core.vault import Vault
from orchestrator import jobs
from orchestrator.scheduler import (
    MISFIRE_GRACE,
    build_scheduler,
    declare_recurring,
    recurring_triggers,
    request_job_id,
    schedule_request,
)
from tests.orchestrator.conftest import make_request

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (datetime(2026, 11, 25, 12, 0, tzinfo=BERLIN), datetime(2026, 11, 29, 22, 0, tzinfo=BERLIN)),  # Wednesday
        (datetime(2026, 11, 29, 21, 59, tzinfo=BERLIN), datetime(2026, 11, 29, 22, 0, tzinfo=BERLIN)),
        (datetime(2026, 11, 29, 22, 0, 1, tzinfo=BERLIN), datetime(2026, 12, 6, 22, 0, tzinfo=BERLIN)),
        (datetime(2026, 3, 27, 9, 0, tzinfo=BERLIN), datetime(2026, 3, 29, 22, 0, tzinfo=BERLIN)),  # DST change day
    ],
)
def test_weekly_audit_fires_sunday_22_00_in_the_configured_zone(start: datetime, expected: datetime) -> None:
    trigger = recurring_triggers(BERLIN)["weekly_audit"]
    fire = trigger.get_next_fire_time(None, start)
    assert fire == expected
    assert fire.weekday() == 6 and (fire.hour, fire.minute) == (22, 0)


def test_daily_jobs_fire_once_a_day() -> None:
    start = datetime(2026, 11, 25, 12, 0, tzinfo=BERLIN)
    for name in ("archive_logs", "check_tokens"):
        trigger = recurring_triggers(BERLIN)[name]
        first = trigger.get_next_fire_time(None, start)
        second = trigger.get_next_fire_time(first, first + timedelta(seconds=1))
        assert second - first == timedelta(days=1)


@pytest.mark.anyio
async def test_jobs_are_persisted_coalesced_and_have_a_misfire_grace(vault: Vault, key: bytes) -> None:
    scheduler = build_scheduler(vault, tz=BERLIN)
    declare_recurring(scheduler, vault, BERLIN)
    request, _ = make_request(vault, key, scheduled_for=datetime.now(UTC) + timedelta(days=1))
    schedule_request(scheduler, request)
    scheduler.start(paused=True)
    scheduler.shutdown(wait=False)
    again = build_scheduler(vault, tz=BERLIN)  # a restart: the store in the vault still has every job
    again.start(paused=True)
    try:
        found = {job.id: job for job in again.get_jobs()}
        assert set(found) == {
            "weekly_audit",
            "archive_logs",
            "check_tokens",
            "social_inbox",
            request_job_id(request.id),
        }
        assert found["weekly_audit"].coalesce is True and found["weekly_audit"].max_instances == 1
        assert found["weekly_audit"].misfire_grace_time == MISFIRE_GRACE
        assert found[request_job_id(request.id)].next_run_time == request.scheduled_for
        assert found[request_job_id(request.id)].misfire_grace_time is None  # a missed post still runs
    finally:
        again.shutdown(wait=False)
        await anyio.sleep(0)
    assert (vault.state_dir / "scheduler.sqlite").exists()


def test_archive_job_compresses_old_day_logs(vault: Vault) -> None:
    log = AuditLog(vault)
    log.append("x.old", actor="test", now=datetime(2026, 1, 1, tzinfo=UTC))
    log.append("x.new", actor="test", now=datetime(2026, 11, 20, tzinfo=UTC))
    written = jobs.archive_logs(str(vault.root), now=datetime(2026, 11, 25, tzinfo=UTC))
    assert [p.name for p in written] == ["2026-01-01.json.gz"]
    assert b"x.old" in gzip.decompress(written[0].read_bytes())
    assert log.day_file(date(2026, 11, 20)).exists()


def test_a_due_request_is_handed_to_the_running_executor() -> None:
    seen: list[str] = []
    assert jobs.run_scheduled_request("20261125-221000-fk-0000abcd") is False  # nobody running: rescan does it
    jobs.bind(seen.append)
    try:
        assert jobs.run_scheduled_request("20261125-221000-fk-0000abcd") is True
    finally:
        jobs.bind(None)
    assert seen == ["20261125-221000-fk-0000abcd"]


def test_token_check_says_sandbox_has_no_token() -> None:
    report = jobs.check_tokens("/nonexistent", now=datetime(2026, 11, 25, tzinfo=UTC))
    assert report and all(text == "sandbox: no token to expire" for text in report.values())


def test_weekly_job_calls_the_audit_with_now_vault_and_sources(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    import skills.audit

    calls = []
    monkeypatch.setattr(skills.audit, "run_weekly_audit", lambda now, v, sources: calls.append((now, v.root)) or "ok")
    monkeypatch.setattr(jobs, "audit_sources", lambda v: "sources")
    now = datetime(2026, 11, 29, 21, 0, tzinfo=UTC)
    assert jobs.weekly_audit(str(vault.root), now=now) == "ok"
    assert calls == [(now, vault.root)]
