"""Claude Code's first model request: which of our four servers' tools it carries, over 20 `claude -p`
runs, and how long after launch it is sent. Real Claude Code 2.1.332 (tests/clients/claude_code, installed
by `make test-claude`), offline against the scripted fake Messages API, in a fresh project each run.

Claude Code starts at most `MCP_SERVER_CONNECTION_BATCH_SIZE` (default 3) stdio servers at a time;
`claude -p` does not wait for a server unless it is `alwaysLoad`, and then only `MCP_CONNECT_TIMEOUT_MS`
(default 5000); a slow-starting server also misses its version-negotiation probe and pays a second round
(`MCP_PROTOCOL_NEGOTIATION=legacy` skips the probe). The set-ups compared say which part does the work:
the committed one (`alwaysLoad` in `.mcp.json`, the three variables in `.claude/settings.json` `env`), parts
of it, and neither. Whether Claude Code honours a variable in the settings `env` shows in the figures:
the batch size in when the fourth server is spawned, the connect timeout in a run whose twitter server is
slowed by 6 s (in the first request only if the wait is longer than the 5 s default).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks._common import ROOT, median, percentile, table, write_results
from tests.claude.e2e.fake_api import FakeAnthropic, text
from tests.claude.e2e.harness import CLAUDE, claude_environ, installed, project_setup

SERVERS = ("odoo", "facebook", "instagram", "twitter")
COMMITTED = json.loads((ROOT / ".claude" / "settings.json").read_text())["env"]
BATCH = {"MCP_SERVER_CONNECTION_BATCH_SIZE": "4"}
SETUPS: dict[str, tuple[bool, dict[str, str], int, float]] = {  # alwaysLoad, settings env, runs, twitter delay s
    "committed: alwaysLoad + env": (True, COMMITTED, 20, 0),
    "alwaysLoad + batch 4": (True, BATCH, 10, 0),
    "alwaysLoad only": (True, {}, 10, 0),
    "batch 4 only": (False, BATCH, 5, 0),
    "neither (before)": (False, {}, 5, 0),
    "committed, twitter slowed 6 s": (True, COMMITTED, 3, 6),
    "alwaysLoad + batch 4, twitter slowed 6 s": (True, BATCH, 3, 6),
}
_SERVER = re.compile(rb"-m\x00mcp_servers\.(\w+)")


def _configure(root: Path, always_load: bool, env: dict[str, str], delay: float) -> None:
    mcp = json.loads((root / ".mcp.json").read_text())
    for entry in mcp["mcpServers"].values():
        entry["alwaysLoad"] = always_load
    if delay:
        twitter = mcp["mcpServers"]["twitter"]
        twitter["args"] = ["-c", f"sleep {delay}; exec {twitter['command']} {' '.join(twitter['args'])}"]
        twitter["command"] = "sh"
    (root / ".mcp.json").write_text(json.dumps(mcp))
    settings = json.loads((root / ".claude" / "settings.json").read_text())
    settings["env"] = env
    (root / ".claude" / "settings.json").write_text(json.dumps(settings))


def _watch_spawns(root: Path, stop: threading.Event, seen: dict[str, float]) -> None:
    """When each server process of this project first appears (polls /proc every 5 ms)."""
    while not stop.is_set():
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                match = _SERVER.search(Path(f"/proc/{pid}/cmdline").read_bytes())
                if match and os.readlink(f"/proc/{pid}/cwd") == str(root):
                    seen.setdefault(match.group(1).decode(), time.perf_counter())
            except OSError:
                continue
        stop.wait(0.005)


def _first_request_servers(request: dict[str, Any]) -> set[str]:
    listed = json.dumps(request.get("system", "")) + " ".join(t["name"] for t in request.get("tools", []))
    deferred_or_loaded = re.findall(r"mcp__(odoo|facebook|instagram|twitter)__\w+", listed)
    return set(deferred_or_loaded)


def one_run(always_load: bool, env: dict[str, str], delay: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-claude-") as tmp:
        project = project_setup(Path(tmp))
        _configure(project.root, always_load, env, delay)
        arrivals: list[float] = []

        def script(request: dict[str, Any]) -> list[dict[str, Any]]:
            arrivals.append(time.perf_counter())
            return [text("done")]

        seen: dict[str, float] = {}
        stop = threading.Event()
        watcher = threading.Thread(target=_watch_spawns, args=(project.root, stop, seen), daemon=True)
        with FakeAnthropic(script) as fake:
            watcher.start()
            started = time.perf_counter()
            subprocess.run(
                [str(CLAUDE), "-p", "hello"], cwd=project.root, env=claude_environ(project, fake),
                capture_output=True, timeout=120, check=False,
            )  # fmt: skip
            stop.set()
            watcher.join()
        first = fake.requests[0] if fake.requests else {}
        spawns = sorted(seen.values())
        return {
            "servers": len(_first_request_servers(first)),
            "mcp_tools": len(set(re.findall(r"mcp__\w+", json.dumps(first)))),
            "first_request_s": arrivals[0] - started if arrivals else float("nan"),
            "fourth_spawn_after_first_s": spawns[3] - spawns[0] if len(spawns) == 4 else float("nan"),
        }


def main() -> dict[str, Any]:
    if not installed():
        print("Claude Code is not installed: run `make test-claude` first (it installs tests/clients/claude_code)")
        return {}
    rows, figures = [], {}
    for name, (always_load, env, runs, delay) in SETUPS.items():
        samples = [one_run(always_load, env, delay) for _ in range(runs)]
        times = [s["first_request_s"] for s in samples]
        spawn = [
            s["fourth_spawn_after_first_s"]
            for s in samples
            if s["fourth_spawn_after_first_s"] == s["fourth_spawn_after_first_s"]
        ]
        figures[name] = {
            "runs": runs,
            "all_four_in_first_request": sum(s["servers"] == 4 for s in samples),
            "servers_in_first_request": [s["servers"] for s in samples],
            "first_request_median_ms": round(median(times) * 1000),
            "first_request_max_ms": round(max(times) * 1000),
            "first_request_p95_ms": round(percentile(times, 0.95) * 1000),
            "fourth_server_spawned_after_first_median_ms": round(median(spawn) * 1000) if spawn else None,
        }
        f = figures[name]
        rows.append(
            [name, f"{f['all_four_in_first_request']}/{runs}", f["first_request_median_ms"], f["first_request_max_ms"],
             f["fourth_server_spawned_after_first_median_ms"]]
        )  # fmt: skip
    print(
        table(["set-up", "all 4 in 1st request", "1st request ms (median)", "max ms", "4th spawn after 1st ms"], rows)
    )
    result = {"claude_code": "2.1.332", "committed_env": COMMITTED, "setups": figures}
    write_results("claude_first_request", result)
    return result


if __name__ == "__main__":
    main()
