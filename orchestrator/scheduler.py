"""The scheduler: APScheduler 3.x with a persistent SQLAlchemy job store (SQLite in the vault by default).

Jobs are coalesced (a backlog of missed runs runs once), never run twice at once, and have a misfire
grace so a Sunday night the laptop slept still runs on wake. Recurring jobs are (re)declared at every
start with `replace_existing`, so changing the time zone or the code takes effect on restart.
"""

from __future__ import annotations

import logging
from datetime import tzinfo
from typing import Any

from mcp_servers.core import action_request as ar
from mcp_servers.core.vault import Vault

log = logging.getLogger("ai_employee.scheduler")
MISFIRE_GRACE = 12 * 3600  # seconds: a run missed while asleep still happens if the machine wakes within this


def zone(name: str) -> tzinfo:
    """The configured IANA zone, else this machine's."""
    if name:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    from tzlocal import get_localzone

    return get_localzone()  # type: ignore[no-any-return]


def jobstore_url(vault: Vault, configured: str) -> str:
    return configured or f"sqlite:///{vault.state_path('scheduler.sqlite')}"


def recurring_triggers(tz: tzinfo) -> dict[str, Any]:
    """The recurring jobs' triggers (tests ask them for next fire times; nothing sleeps)."""
    from apscheduler.triggers.cron import CronTrigger

    return {
        "weekly_audit": CronTrigger(day_of_week="sun", hour=22, minute=0, timezone=tz),
        "archive_logs": CronTrigger(hour=3, minute=30, timezone=tz),
        "check_tokens": CronTrigger(hour=8, minute=0, timezone=tz),
        "social_inbox": _inbox_trigger(tz),
    }


def _inbox_trigger(tz: tzinfo) -> Any:
    from datetime import datetime

    from apscheduler.triggers.interval import IntervalTrigger

    from skills.inbox.settings import InboxSettings

    # anchored on a fixed start, so the runs stay on the same clock times (e.g. every hour at :00) across restarts
    anchor = datetime(2026, 1, 1, tzinfo=tz)
    return IntervalTrigger(minutes=InboxSettings().interval_minutes, start_date=anchor, timezone=tz)


def build_scheduler(vault: Vault, *, url: str = "", tz: tzinfo | None = None) -> Any:
    """An AsyncIOScheduler (not started) with the persistent store and the recurring jobs declared."""
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    tz = tz or zone("")
    scheduler = AsyncIOScheduler(
        jobstores={"default": SQLAlchemyJobStore(url=jobstore_url(vault, url))},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_GRACE},
        timezone=tz,
    )
    return scheduler


def declare_recurring(scheduler: Any, vault: Vault, tz: tzinfo) -> None:
    for job_id, trigger in recurring_triggers(tz).items():
        scheduler.add_job(
            f"orchestrator.jobs:{job_id}",
            trigger=trigger,
            args=[str(vault.root)],
            id=job_id,
            name=job_id.replace("_", " "),
            replace_existing=True,
        )


def request_job_id(request_id: str) -> str:
    return f"request:{request_id}"


def schedule_request(scheduler: Any, request: ar.ActionRequest) -> None:
    """A persisted one-off job at the request's time; a run missed while down runs at start-up."""
    scheduler.add_job(
        "orchestrator.jobs:run_scheduled_request",
        trigger="date",
        run_date=request.scheduled_for,
        args=[request.id],
        id=request_job_id(request.id),
        name=request.summary[:80],
        replace_existing=True,
        misfire_grace_time=None,
    )
