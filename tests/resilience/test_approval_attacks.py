"""The attacks of issue 11 on the approval promise, at volume (`make test-resilience`): replies and short-lead
scheduled posts filed to skip the owner, hostile text in what the owner reads, FIFOs and hard links dropped
into the request folders, slow copies into Approved/, and scheduled posts cancelled by one move.

Every row: attempts, survived, lost, executed twice (`duplicated`), executed without approval."""

from __future__ import annotations

import os
import random
import re
import signal
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from mcp_servers.core import action_request as ar
from mcp_servers.core.errors import ApprovalRefused, ServiceError
from mcp_servers.core.gate import ApprovalGate
from mcp_servers.core.policy import policy_from_settings
from mcp_servers.core.service import load_service
from mcp_servers.core.vault import APPROVED, DONE, PENDING, REJECTED, Vault
from orchestrator import dashboard
from tests.core.fake_service.client import FakeClient
from tests.core.test_untrusted import HOSTILE, assert_harmless
from tests.orchestrator import procs
from tests.orchestrator.conftest import make_request, md_files
from tests.resilience import harness

pytestmark = pytest.mark.resilience
SOCIAL = ("facebook", "instagram", "twitter")
IMAGE = "https://example.com/beans.jpg"


def _tool(server: str, name: str) -> Any:
    return getattr(__import__(f"mcp_servers.{server}.tools", fromlist=["x"]), name.upper())


def _bypass_attempt(rng: random.Random, n: int, now: datetime) -> tuple[str, str, dict[str, Any]]:
    """One filing meant to skip the owner: a reply (any tool) or a post scheduled under the minimum lead."""
    reply_id, soon = f"19000000000000{n:05d}", now + timedelta(minutes=rng.uniform(1.5, 59))
    later = (now + timedelta(hours=rng.uniform(1.5, 100))).isoformat()
    choices = [
        ("twitter", "create_thread", {"texts": [f"a {n}", f"b {n}"], "reply_to_id": reply_id, "scheduled_for": later}),
        ("twitter", "create_post", {"text": f"thanks {n}", "reply_to_id": reply_id}),
        ("facebook", "reply_to_comment", {"comment_id": f"102030405060708_{n}", "message": f"thanks {n}"}),
        ("instagram", "reply_to_comment", {"comment_id": f"1789000000{n:05d}", "message": f"thanks {n}"}),
        ("twitter", "create_post", {"text": f"soon {n}", "scheduled_for": soon.isoformat()}),
        ("facebook", "create_post", {"message": f"soon {n}", "scheduled_for": soon.isoformat()}),
        ("instagram", "create_post", {"caption": f"soon {n}", "image_url": IMAGE, "scheduled_for": soon.isoformat()}),
    ]
    return choices[n % len(choices)]


def test_replies_and_short_lead_posts_never_skip_the_owner(vault: Vault, signing_key: bytes) -> None:
    rng, now, count = random.Random(1103), datetime.now(UTC), 210
    clients = {s: load_service(s).client(vault) for s in SOCIAL}
    gates = {s: ApprovalGate(s, vault, key=signing_key, policy=policy_from_settings(), tag="rz") for s in SOCIAL}
    outcomes: Counter[str] = Counter()
    for n in range(count):
        server, tool, raw = _bypass_attempt(rng, n, now)
        action = _tool(server, tool)
        args = action.args(**raw)
        filed = gates[server].file(action, clients[server], args)
        outcomes["auto_approved" if not filed.requires_approval else "pending"] += 1
        try:  # a second MCP client calls it with the id right away, as an attacker would
            run = gates[server].execute(action, lambda c=clients[server]: c, args, str(filed.request_id))
            outcomes[f"ran:{run.status}"] += 1
        except ApprovalRefused:
            outcomes["refused"] += 1
    pending = len(md_files(vault, PENDING))
    row = harness.record(
        "Replies (any tool) and posts scheduled < 60 min ahead, filed to skip approval",
        {
            "attempts": count,
            "survived": outcomes["pending"],
            "lost": count - pending,
            "duplicated": 0,
            "executed_without_approval": outcomes["auto_approved"] + sum(v for k, v in outcomes.items() if "ran" in k),
            **outcomes,
        },
    )
    assert row["executed_without_approval"] == 0 and row["lost"] == 0 and outcomes["refused"] == count, row


def _approve_all(vault: Vault) -> list[Path]:
    moved = []
    for path in md_files(vault, PENDING):
        moved.append(path.rename(vault.folder(APPROVED) / path.name))
    return moved


def test_hostile_text_cannot_forge_or_hide_a_line_and_runs_exactly_as_approved(
    vault: Vault, signing_key: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TWITTER_POST_LIMIT", "100000")
    clients = {s: load_service(s).client(vault) for s in SOCIAL}
    gates = {s: ApprovalGate(s, vault, key=signing_key, policy=policy_from_settings(), tag="rz") for s in SOCIAL}
    fields = {"facebook": "message", "instagram": "caption", "twitter": "text"}
    filed: list[tuple[str, Any, str]] = []
    refused = 0
    for n in range(3 * 20):
        server, text = SOCIAL[n % 3], f"{HOSTILE[n % len(HOSTILE)]} #{n}"
        action = _tool(server, "create_post")
        args = action.args(**{fields[server]: text, **({"image_url": IMAGE} if server == "instagram" else {})})
        try:
            result = gates[server].file(action, clients[server], args)
        except ServiceError:  # the platform's own rules refuse it (e.g. X's weighted length): nothing filed
            refused += 1
            continue
        filed.append((server, args, str(result.request_id)))
    forged = 0
    for path in md_files(vault, PENDING):
        try:
            assert_harmless(ar.parse(path.read_bytes()).body, "")
        except AssertionError:
            forged += 1
    now = datetime.now(UTC)
    board = dashboard.render(dashboard.collect(vault, {}, [], {}, now), now)
    forged += board.count("\n- [[") != min(len(filed), 50)  # one line per pending request (50 shown)
    _approve_all(vault)
    statuses: Counter[str] = Counter()
    for server, args, request_id in filed:
        for _ in range(2):  # the orchestrator's call, then a replay (a crash between running and moving the file)
            statuses[
                gates[server]
                .execute(_tool(server, "create_post"), lambda s=server: clients[s], args, request_id)
                .status
            ] += 1
    row = harness.record(
        "Hostile text (newlines, %%, <!--, ANSI, bidi, links) in posts: requests and Dashboard.md",
        {
            "attempts": len(filed),
            "survived": statuses["executed"] - forged,
            "lost": len(filed) - statuses["executed"],
            "duplicated": len(filed) * 2 - statuses["executed"] - statuses["replayed"],
            "executed_without_approval": 0,
            "forged_or_hidden_lines": forged,
            "refused_by_platform_rules": refused,
        },
    )
    assert forged == 0 and row["lost"] == 0 and row["duplicated"] == 0 and statuses["replayed"] == len(filed), row


def _slow_copy(vault: Vault, data: bytes, name: str, pause: float) -> None:
    path = vault.folder(APPROVED) / name
    with open(path, "wb") as out:  # a writer that keeps the file open, like a sync client
        out.write(data[: len(data) // 2])
        out.flush()
        time.sleep(pause)
        out.write(data[len(data) // 2 :])


def _secret_copies(vault: Vault, secret: str) -> int:
    hits = 0
    for path in vault.root.rglob("*"):
        if path.is_file() and not path.is_symlink() and os.lstat(path).st_nlink == 1:
            hits += secret in path.read_text(errors="replace")
    return hits


def test_fifos_hard_links_slow_copies_and_cancelled_schedules_while_serving(tmp_path: Path) -> None:
    vault = Vault(tmp_path / "vault")
    env = harness.orchestrator_env(tmp_path, vault, procs.FAKE, SCHEDULE_EARLY_SECONDS="0")
    key, secret = procs.signing_key(env), "sk-canary-" + os.urandom(8).hex()
    outside = tmp_path / "outside.env"
    outside.write_text(f"APPROVAL_SIGNING_KEY={secret}\n")
    proc = procs.start(vault, env, tmp_path / "run.log")
    try:
        procs.wait_for(lambda: procs.servers_up(vault, proc), what="up")
        for n in range(10):
            os.mkfifo(vault.folder(APPROVED) / f"2026-12-01_payment_f1f0{n:04d}.md")
            os.mkfifo(vault.folder(PENDING) / f"2026-12-01_payment_f2f0{n:04d}.md")
            os.link(outside, vault.folder(APPROVED) / f"2026-12-01_payment_11{n:06d}.md")
        slow = []
        for n in range(20):
            request, path = make_request(vault, key, f"slow {n}", folder=PENDING)
            data = path.read_bytes()
            path.unlink()
            slow.append(request.id)
            threading.Thread(target=_slow_copy, args=(vault, data, path.name, 1.0), daemon=True).start()
        when = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=8)
        cancelled = [make_request(vault, key, f"cancel {n}", scheduled_for=when, auto=True) for n in range(10)]
        board = vault.root / "Dashboard.md"
        procs.wait_for(lambda: all(r.short_id in board.read_text() for r, _ in cancelled), what="listed")
        for _, path in cancelled:
            path.rename(vault.folder(REJECTED) / path.name)
        procs.wait_for(lambda: len(md_files(vault, DONE)) >= len(slow), timeout=120, what="slow copies run")
        procs.wait_for(lambda: not md_files(vault, APPROVED), timeout=120, what="Approved/ empty")
        procs.wait_for(lambda: datetime.now(UTC) > when + timedelta(seconds=3), what="the cancelled posts' time")
        procs.wait_for(lambda: "## Scheduled (0)" in board.read_text(), what="nothing scheduled")
        up = procs.servers_up(vault, proc)
        os.kill(proc.pid, signal.SIGTERM)
        stopped = proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    applied = harness.fake_applied(vault)
    cancelled_ids = [r.id for r, _ in cancelled]
    slow_row = harness.figures_of(vault, slow, applied)
    rows = {
        "FIFOs in Approved/ and Pending_Approval/ (orchestrator kept serving, SIGTERM stopped it)": {
            "attempts": 20,
            "survived": 20 if up and stopped else 0,
            "lost": 0,
            "duplicated": 0,
            "executed_without_approval": 0,
        },
        "Hard links to a file holding the signing key, in Approved/ (rejected unread)": {
            "attempts": 10,
            "survived": 10 - _secret_copies(vault, secret),
            "lost": 0,
            "duplicated": 0,
            "executed_without_approval": 0,
            "secret_copies_in_vault": _secret_copies(vault, secret),
        },
        "Slow copies into Approved/ (two halves 1 s apart)": {
            **{k: slow_row[k] for k in ("attempts", "survived", "lost", "duplicated")},
            "executed_without_approval": 0,
        },
        "Auto-approved scheduled posts moved to Rejected/ before their time": {
            "attempts": len(cancelled_ids),
            "survived": sum(applied.get(i, 0) == 0 for i in cancelled_ids),
            "lost": 0,
            "duplicated": 0,
            "executed_without_approval": sum(applied.get(i, 0) for i in cancelled_ids),
        },
    }
    for name, row in rows.items():
        harness.record(name, row)
    procs.wait_for(lambda: not procs.processes_using(vault), timeout=15, what="children gone")
    assert up and stopped
    assert all(row["survived"] == row["attempts"] and row["lost"] == 0 for row in rows.values()), rows
    assert all(row["duplicated"] == 0 and row["executed_without_approval"] == 0 for row in rows.values()), rows
    assert sum(applied.values()) == len(slow) and FakeClient(vault)._load()["writes"] == len(slow)
    assert len([p for p in md_files(vault, REJECTED) if re.search(r"_f1f0|_11\d{6}", p.name)]) == 20
