"""Approval latency: a file landing in Approved/ to its Done/ file, through a real `ai-employee run`.

100 X sandbox posts approved one at a time (median, p95), then a burst of 500 approvals moved in at once
on the test service (throughput); both check that every request was written exactly once.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks._common import ROOT, base_env, median, percentile, table, write_results

SEQUENTIAL = int(os.environ.get("BENCH_APPROVALS", "100"))
BURST = int(os.environ.get("BENCH_BURST", "500"))


def _request(vault: Any, key: bytes, server: str, text: str, folder: str) -> Path:
    from mcp_servers.core import action_request as ar

    if server == "twitter":
        from mcp_servers.core.service import load_service

        create_post = load_service("twitter").write_action("create_post")
        tool, args = "create_post", create_post.args(text=text).model_dump(mode="json")
    else:  # the fake service's add_note (tests/core/fake_service), every argument as its model dumps it
        note = {"text": text[:200], "amount": None, "payee_known": True, "recurring": False, "scheduled_for": None}
        tool, args = "add_note", {**note, "tags": []}
    call = ar.ToolCall(server=server, tool=tool, args=args)
    request = ar.build_request(
        type="social_media_post", tag="x", calls=[call], summary=text, now=datetime.now(UTC), expiry=timedelta(days=7)
    )
    return ar.write_new_request(vault, folder, ar.sign(request, key), f"# Post\n\n{text}\n")


def _wait(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.002)


def _up(vault_root: Path, pid: int) -> bool:
    try:
        data = json.loads((vault_root / ".ai_employee" / "status.json").read_text())
    except (OSError, ValueError):
        return False
    servers = data.get("servers") or {}
    return data.get("orchestrator_pid") == pid and bool(servers) and all(s["state"] == "up" for s in servers.values())


def _writes_by_text(vault_root: Path, server: str) -> dict[str, int]:
    name = "twitter.json" if server == "twitter" else "fake.json"
    state = json.loads((vault_root / ".ai_employee" / "sandbox" / name).read_text())
    counts: dict[str, int] = {}
    for item in state["posts" if server == "twitter" else "notes"]:
        counts[item["text"]] = counts.get(item["text"], 0) + 1
    return counts


@contextmanager
def _orchestrator(tmp: Path, server: str) -> Iterator[tuple[Any, bytes]]:
    """`ai-employee run` on a fresh vault with one server; stopped with Ctrl-C at the end."""
    from mcp_servers.core.vault import Vault

    vault = Vault(tmp / server / "vault")
    vault.ensure_layout()
    servers = "twitter" if server == "twitter" else "fake=tests.core.fake_service"
    # the client-side X cap defaults to 50 a day; the emulator still enforces X's 100 per 15 min
    env = base_env(
        VAULT_PATH=str(vault.root), ORCHESTRATOR_SERVERS=servers, LOG_LEVEL="ERROR", TWITTER_POST_LIMIT="100"
    )
    os.environ.update({"APPROVAL_SIGNING_KEY": env["APPROVAL_SIGNING_KEY"], "AI_EMPLOYEE_ENV_FILE": "/nonexistent"})
    with open(tmp / f"{server}.log", "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "orchestrator.cli", "run", "--vault", str(vault.root)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait(lambda: _up(vault.root, proc.pid), 60, f"the {server} server")
            yield vault, env["APPROVAL_SIGNING_KEY"].encode()
        finally:
            os.killpg(proc.pid, signal.SIGINT)
            proc.wait(timeout=60)


def _check(vault: Any, server: str, texts: list[str]) -> tuple[int, int, int]:
    from mcp_servers.core.vault import DONE

    writes = _writes_by_text(vault.root, server)
    duplicates = sum(1 for t in texts if writes.get(t[:200], 0) > 1)
    missing = sum(1 for t in texts if writes.get(t[:200], 0) == 0)
    failed = sum("status: succeeded" not in p.read_text() for p in vault.folder(DONE).glob("*.md"))
    return duplicates, missing, failed


def latency(tmp: Path) -> tuple[list[float], tuple[int, int, int]]:
    """One approval at a time, moved from Pending_Approval/ to Approved/ as the owner does (X sandbox)."""
    from mcp_servers.core.vault import DONE, PENDING

    with _orchestrator(tmp, "twitter") as (vault, key):
        latencies, texts = [], []
        for n in range(SEQUENTIAL):
            texts.append(f"Benchmark post {n} {time.time_ns()}")
            path = _request(vault, key, "twitter", texts[-1], PENDING)
            started = time.perf_counter()
            os.rename(path, vault.folder("Approved") / path.name)
            _wait((vault.folder(DONE) / path.name).exists, 60, path.name)
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies, _check(vault, "twitter", texts)


def burst(tmp: Path) -> tuple[float, tuple[int, int, int]]:
    """BURST approvals moved in at once (a multi-select move). On the test service: X's sandbox allows 100
    posts per 15 min like X itself, so this measures the orchestrator, not a platform's quota."""
    from mcp_servers.core.vault import DONE, PENDING

    with _orchestrator(tmp, "fake") as (vault, key):
        texts = [f"Burst note {n} {time.time_ns()}" for n in range(BURST)]
        staged = [_request(vault, key, "fake", text, PENDING) for text in texts]
        started = time.perf_counter()
        for path in staged:
            os.rename(path, vault.folder("Approved") / path.name)
        _wait(lambda: len(list(vault.folder(DONE).glob("*.md"))) >= BURST, 600, "the burst")
        seconds = time.perf_counter() - started
    return seconds, _check(vault, "fake", texts)


def main() -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="ai-employee-bench-") as name:
        latencies, seq_check = latency(Path(name))
        burst_s, burst_check = burst(Path(name))
    figures = {
        "requests": SEQUENTIAL,
        "latency_ms_median": round(median(latencies), 1),
        "latency_ms_p95": round(percentile(latencies, 0.95), 1),
        "latency_ms_max": round(max(latencies), 1),
        "latency_duplicates_missing_failed": seq_check,
        "burst": BURST,
        "burst_seconds": round(burst_s, 2),
        "burst_per_second": round(BURST / burst_s, 1),
        "burst_duplicates_missing_failed": burst_check,
    }
    print(
        table(
            ["measure", "value"],
            [
                [f"Approved/ -> Done/ median ({SEQUENTIAL} X sandbox posts)", f"{figures['latency_ms_median']} ms"],
                ["p95 / max", f"{figures['latency_ms_p95']} ms / {figures['latency_ms_max']} ms"],
                ["duplicates / missing / not succeeded", " / ".join(map(str, seq_check))],
                [f"burst of {BURST} (test service): time", f"{burst_s:.1f} s"],
                ["burst throughput", f"{figures['burst_per_second']} requests/s"],
                ["duplicates / missing / not succeeded", " / ".join(map(str, burst_check))],
            ],
        )
    )
    print(f"results: {write_results('approval_latency', figures)}")
    return figures


if __name__ == "__main__":
    main()
