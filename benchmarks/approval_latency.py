"""Approval latency: a file landing in Approved/ to its Done/ file, through `ai-employee run` and the X sandbox.

100 requests one at a time (median, p95), then a burst of 500 moved in at once (throughput), then a
check that the sandbox holds exactly one post per request (zero duplicates).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks._common import ROOT, base_env, median, percentile, table, write_results

SEQUENTIAL = int(os.environ.get("BENCH_APPROVALS", "100"))
BURST = int(os.environ.get("BENCH_BURST", "500"))


def _request(vault: Any, key: bytes, text: str, folder: str) -> Path:
    from mcp_servers.core import action_request as ar
    from mcp_servers.twitter.models import CreatePostArgs

    call = ar.ToolCall(server="twitter", tool="create_post", args=CreatePostArgs(text=text).model_dump(mode="json"))
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


def _posts_by_text(vault_root: Path) -> dict[str, int]:
    state = json.loads((vault_root / ".ai_employee" / "sandbox" / "twitter.json").read_text())
    counts: dict[str, int] = {}
    for post in state["posts"]:
        counts[post["text"]] = counts.get(post["text"], 0) + 1
    return counts


def main() -> dict[str, Any]:
    from mcp_servers.core.vault import DONE, PLANS, Vault

    with tempfile.TemporaryDirectory(prefix="ai-employee-bench-") as tmp:
        vault = Vault(Path(tmp) / "vault")
        vault.ensure_layout()
        env = base_env(
            VAULT_PATH=str(vault.root), ORCHESTRATOR_SERVERS="twitter", TWITTER_POST_LIMIT="1000000", LOG_LEVEL="ERROR"
        )
        key = env["APPROVAL_SIGNING_KEY"].encode()
        os.environ.update({"APPROVAL_SIGNING_KEY": env["APPROVAL_SIGNING_KEY"], "AI_EMPLOYEE_ENV_FILE": "/nonexistent"})
        proc = subprocess.Popen(
            [sys.executable, "-m", "orchestrator.cli", "run", "--vault", str(vault.root)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(Path(tmp) / "run.log", "wb"),  # noqa: SIM115
            start_new_session=True,
        )
        try:
            _wait(lambda: _up(vault.root, proc.pid), 60, "the X server")
            latencies, texts = [], []
            for n in range(SEQUENTIAL):
                texts.append(f"Benchmark post {n} {time.time_ns()}")
                path = _request(vault, key, texts[-1], "Approved")
                started = time.perf_counter()
                done = vault.folder(DONE) / path.name
                _wait(done.exists, 60, path.name)
                latencies.append((time.perf_counter() - started) * 1000)
            staged = []
            for n in range(BURST):
                texts.append(f"Burst post {n} {time.time_ns()}")
                staged.append(_request(vault, key, texts[-1], PLANS))
            started = time.perf_counter()
            for path in staged:  # what a multi-select move in Obsidian does
                os.rename(path, vault.folder("Approved") / path.name)
            _wait(lambda: len(list(vault.folder(DONE).glob("*.md"))) >= SEQUENTIAL + BURST, 600, "the burst")
            burst_s = time.perf_counter() - started
        finally:
            os.killpg(proc.pid, signal.SIGINT)
            proc.wait(timeout=60)
        posts = _posts_by_text(vault.root)
        duplicates = sum(1 for t in texts if posts.get(t, 0) > 1)
        missing = sum(1 for t in texts if posts.get(t, 0) == 0)
        failed = sum("status: succeeded" not in p.read_text() for p in vault.folder(DONE).glob("*.md"))
    figures = {
        "requests": SEQUENTIAL,
        "latency_ms_median": round(median(latencies), 1),
        "latency_ms_p95": round(percentile(latencies, 0.95), 1),
        "latency_ms_max": round(max(latencies), 1),
        "burst": BURST,
        "burst_seconds": round(burst_s, 2),
        "burst_per_second": round(BURST / burst_s, 1),
        "duplicates": duplicates,
        "missing": missing,
        "not_succeeded": failed,
    }
    print(
        table(
            ["measure", "value"],
            [
                [f"Approved/ -> Done/ median ({SEQUENTIAL} requests, X sandbox)", f"{figures['latency_ms_median']} ms"],
                ["p95", f"{figures['latency_ms_p95']} ms"],
                [f"burst of {BURST}: time / throughput", f"{burst_s:.1f} s / {figures['burst_per_second']} per s"],
                ["duplicate posts / missing / not succeeded", f"{duplicates} / {missing} / {failed}"],
            ],
        )
    )
    print(f"results: {write_results('approval_latency', figures)}")
    return figures


if __name__ == "__main__":
    main()
