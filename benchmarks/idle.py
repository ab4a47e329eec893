"""Idle: the orchestrator and its four servers left alone for 60 s (sandbox) — total resident memory
and CPU of the whole process tree, against the floor server idling for the same time.
Target: ≤ 1 % of one core: no polling loop burning."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks._common import ROOT, StdioPeer, base_env, table, write_results

SECONDS = float(os.environ.get("BENCH_IDLE_SECONDS", "60"))
TICKS = os.sysconf("SC_CLK_TCK")


def tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / TICKS


def rss_mib(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def idle_figures(pid: int) -> dict[str, float]:
    pids = tree(pid)
    before, started = cpu_seconds(pids), time.monotonic()
    time.sleep(SECONDS)  # the measurement itself: nothing else should happen meanwhile
    pids = tree(pid)
    used = cpu_seconds(pids) - before
    return {
        "processes": len(pids),
        "rss_mib": round(rss_mib(pids), 1),
        "cpu_percent": round(100 * used / (time.monotonic() - started), 3),
    }


def wait_until_up(vault: Path, timeout: float = 60) -> None:
    status = vault / ".ai_employee" / "status.json"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            servers = json.loads(status.read_text())["servers"]
            if servers and all(s["state"] == "up" for s in servers.values()):
                return
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(0.2)
    raise TimeoutError("the orchestrator's servers did not all come up")


def main() -> dict[str, Any]:
    results: dict[str, dict[str, float]] = {}
    floor = StdioPeer([sys.executable, "-m", "benchmarks.floor_server"], base_env())
    floor.handshake()
    results["floor server"] = idle_figures(floor.proc.pid)
    floor.close()
    with tempfile.TemporaryDirectory() as tmp:
        vault = Path(tmp) / "vault"
        env = base_env(VAULT_PATH=str(vault))
        subprocess.run(
            [
                sys.executable,
                "-m",
                "orchestrator.cli",
                "init",
                "--vault",
                str(vault),
                "--env-file",
                str(Path(tmp) / ".env"),
            ],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        proc = subprocess.Popen(
            [sys.executable, "-m", "orchestrator.cli", "run", "--vault", str(vault)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_up(vault)
            time.sleep(3)  # let start-up work (first rescan, dashboard) settle before measuring idle
            results["orchestrator + 4 servers"] = idle_figures(proc.pid)
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(30)
    print(
        table(
            ["process tree", "processes", "RSS MiB", "CPU % of one core"],
            [[name, f["processes"], f["rss_mib"], f["cpu_percent"]] for name, f in results.items()],
        )
    )
    print(f"(idle for {SECONDS:.0f} s; target: orchestrator + servers <= 1 % CPU)")
    result = {"seconds": SECONDS, "trees": results}
    write_results("idle", result)
    return result


if __name__ == "__main__":
    main()
