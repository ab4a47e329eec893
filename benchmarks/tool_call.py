"""Tool call: median and p95 of one read tool over stdio against the Odoo emulator, 200 calls, ours
(`search_records`) against the peer's `search_records`, the same query for both."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks._common import StdioPeer, base_env, median, percentile, table, write_results
from benchmarks.peer import ensure_peer, odoo_emulator, peer_env

CALLS, WARMUP = 200, 20
QUERY = {"model": "res.partner", "domain": [["customer_rank", ">", 0]], "fields": ["name", "email"], "limit": 20}


def timed_calls(peer: StdioPeer, tool: str, arguments: dict[str, Any]) -> list[float]:
    peer.handshake()
    first = peer.request("tools/call", {"name": tool, "arguments": arguments})
    if first.get("isError"):
        raise RuntimeError(f"{tool} failed: {first['content'][0]['text'][:300]}")
    for _ in range(WARMUP):
        peer.request("tools/call", {"name": tool, "arguments": arguments})
    times = []
    for _ in range(CALLS):
        started = time.perf_counter()
        peer.request("tools/call", {"name": tool, "arguments": arguments})
        times.append(time.perf_counter() - started)
    return times


def main() -> dict[str, Any]:
    peer_python = ensure_peer()
    results: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp, odoo_emulator() as url:
        ours = StdioPeer(
            [sys.executable, "-m", "mcp_servers.odoo"],
            base_env(
                VAULT_PATH=str(Path(tmp) / "vault"),
                ODOO_MODE="live",
                ODOO_URL=url,
                ODOO_DB="sandbox",
                ODOO_USERNAME="admin",
                ODOO_PASSWORD="admin",
                ODOO_PROTOCOL="xmlrpc",
            ),
        )
        try:
            results["ours search_records"] = timed_calls(ours, "search_records", QUERY)
        finally:
            ours.close()
        if peer_python:
            peer = StdioPeer([str(peer_python), "-m", "mcp_server_odoo"], peer_env(url))
            try:
                results["peer search_records"] = timed_calls(peer, "search_records", QUERY)
            finally:
                peer.close()
    figures = {
        name: {"median_ms": round(median(t) * 1000, 2), "p95_ms": round(percentile(t, 0.95) * 1000, 2)}
        for name, t in results.items()
    }
    print(table(["tool", "median ms", "p95 ms"], [[n, f["median_ms"], f["p95_ms"]] for n, f in figures.items()]))
    print(f"({CALLS} calls after {WARMUP} warm-ups; both over XML-RPC to the same emulator, Odoo 17 behaviour)")
    result = {"calls": CALLS, "query": QUERY, "tools": figures}
    write_results("tool_call", result)
    return result


if __name__ == "__main__":
    main()
