"""The orchestrator in-process with real server children (the fake service): watcher, burst, schedule,
supervision and bad input while running."""

from __future__ import annotations

import json
import os
import shutil
import signal
from datetime import UTC, datetime, timedelta

import pytest
import yaml

from mcp_servers.core.vault import APPROVED, DONE, NEEDS_ACTION, PENDING, REJECTED, Vault
from tests.core.fake_service.client import FakeClient
from tests.orchestrator import badfiles
from tests.orchestrator.conftest import crashing_spec, fake_spec, make_request, md_files, running, until

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


def status_of(path: object) -> str:
    return str(yaml.safe_load(str(path.read_text()).split("---\n")[1])["status"])  # type: ignore[attr-defined]


def notes_by_ref(vault: Vault) -> dict[str, int]:
    counts: dict[str, int] = {}
    for note in FakeClient(vault)._load()["notes"]:
        counts[note["ref"]] = counts.get(note["ref"], 0) + 1
    return counts


async def test_files_arriving_every_way_are_run_once(vault: Vault, key: bytes) -> None:
    async with running(vault, [fake_spec(vault)]) as orchestrator:
        await until(lambda: orchestrator.supervisor.handles["fake"].state == "up", what="fake up")
        ids = []
        # moved in from Pending_Approval/ (what Obsidian does)
        request, path = make_request(vault, key, "moved", folder=PENDING)
        path.rename(vault.folder(APPROVED) / path.name)
        ids.append(request.id)
        # copied in
        request, path = make_request(vault, key, "copied", folder=PENDING)
        shutil.copy(path, vault.folder(APPROVED) / path.name)
        path.unlink()
        ids.append(request.id)
        # an editor writing a temp file, then renaming it over the name
        request, path = make_request(vault, key, "editor", folder=PENDING)
        temp = vault.folder(APPROVED) / f".{path.name}.swp"
        temp.write_bytes(path.read_bytes())
        temp.rename(vault.folder(APPROVED) / path.name)
        path.unlink()
        ids.append(request.id)
        # created right in Approved/ (policy auto-approval)
        request, path = make_request(vault, key, "created")
        ids.append(request.id)
        await until(lambda: len(md_files(vault, DONE)) == 4 and not md_files(vault, APPROVED), what="4 done")
    assert all(status_of(p) == "succeeded" for p in md_files(vault, DONE))
    assert notes_by_ref(vault) == dict.fromkeys(ids, 1)


async def test_a_burst_is_run_exactly_once_and_the_dashboard_follows(vault: Vault, key: bytes) -> None:
    async with running(vault, [fake_spec(vault)]):
        ids = [make_request(vault, key, f"burst {n}")[0].id for n in range(60)]
        await until(lambda: len(md_files(vault, DONE)) == 60 and not md_files(vault, APPROVED), what="burst done")
        await until(lambda: "orchestrator.execute | 60" in (vault.root / "Dashboard.md").read_text(), what="dashboard")
        status = json.loads((vault.state_dir / "status.json").read_text())
    assert notes_by_ref(vault) == dict.fromkeys(ids, 1)
    assert status["servers"]["fake"]["state"] == "up" and status["approved"] == 0


async def test_a_scheduled_request_runs_at_its_time_and_is_listed_until_then(vault: Vault, key: bytes) -> None:
    async with running(vault, [fake_spec(vault)], schedule_early_seconds=0) as orchestrator:
        when = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=4)
        request, path = make_request(vault, key, "later", scheduled_for=when)
        await until(lambda: request.id in orchestrator.executor.scheduled, what="scheduled")
        assert orchestrator.scheduler.get_job(f"request:{request.id}") is not None  # persisted job
        await until(lambda: "## Scheduled (1)" in (vault.root / "Dashboard.md").read_text(), what="listed")
        assert notes_by_ref(vault) == {}
        await until(lambda: (vault.folder(DONE) / path.name).exists(), what="run at its time")
    assert status_of(vault.folder(DONE) / path.name) == "succeeded"
    assert notes_by_ref(vault) == {request.id: 1}


async def test_a_killed_server_is_restarted_and_a_server_that_never_starts_raises_an_alert(
    vault: Vault, key: bytes
) -> None:
    async with running(vault, [fake_spec(vault), crashing_spec()]) as orchestrator:
        fake = orchestrator.supervisor.handles["fake"]
        await until(lambda: fake.state == "up" and fake.pid, what="fake up")
        first = fake.pid
        assert first is not None
        os.kill(first, signal.SIGKILL)
        await until(lambda: fake.state == "up" and fake.pid not in (None, first), what="restarted")
        assert fake.restarts >= 1
        crashy = orchestrator.supervisor.handles["crashy"]
        await until(lambda: crashy.state == "failed", what="failed after 3 restarts")
        assert crashy.restarts >= 3
        alerts = await until(lambda: list(vault.folder(NEEDS_ACTION).glob("*_alert_server_crashy.md")), what="alert")
        assert "failed to start 3 times" in alerts[0].read_text()
        await until(lambda: "🔴 failed" in (vault.root / "Dashboard.md").read_text(), what="dashboard alert")
        # the others are still served
        request, path = make_request(vault, key, "still served")
        await until(lambda: (vault.folder(DONE) / path.name).exists(), what="served")
    assert notes_by_ref(vault) == {request.id: 1}


async def test_bad_files_are_all_rejected_while_the_orchestrator_keeps_serving(vault: Vault, key: bytes) -> None:
    count = 45
    async with running(vault, [fake_spec(vault)]) as orchestrator:
        good = [make_request(vault, key, f"good {n}")[0].id for n in range(5)]
        bad = badfiles.generate(vault, key, count)
        await until(lambda: not md_files(vault, APPROVED), what="Approved/ empty")
        await until(lambda: len(md_files(vault, DONE)) == len(good), what="good ones done")
        assert orchestrator.supervisor.handles["fake"].state == "up"
    assert notes_by_ref(vault) == dict.fromkeys(good, 1)
    rejected = [p for p in md_files(vault, REJECTED) if not p.name.endswith(".why.md")]
    assert len(rejected) == len(bad)
