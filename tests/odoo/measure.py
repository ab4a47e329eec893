"""Figures for the notes: RPCs made by revenue_summary and receivables_aging at 100 and 10,000
invoices (they must not grow), their time, and the server's cold start. Run:

    .venv/bin/python -m tests.odoo.measure
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from mcp_servers.core.vault import atomic_write
from mcp_servers.odoo import tools, tools_reports
from mcp_servers.odoo.client import Connection, OdooClient
from mcp_servers.odoo.models import ReceivablesAgingArgs, RevenueSummaryArgs
from mcp_servers.odoo.sandbox import OdooEmulator
from mcp_servers.odoo.sandbox.seed import demo_state


def measure(invoices: int, version: int = 19, protocol: str = "auto") -> dict[str, float]:
    path = Path(tempfile.mkdtemp()) / "odoo.json"
    started = time.perf_counter()
    atomic_write(path, json.dumps(demo_state(version, invoices=invoices, bills=max(1, invoices // 4))))
    seeded = time.perf_counter() - started
    emulator = OdooEmulator(path, version)
    server = emulator.start()
    client = OdooClient(
        Connection(url=server.url, db="sandbox", login="admin", secret=emulator.api_key, protocol=protocol)
    )
    client.status()
    tools.company(client)
    figures: dict[str, float] = {"invoices": invoices, "seed_s": round(seeded, 2)}
    for name, run in (
        (
            "revenue_summary",
            lambda: tools_reports.revenue_summary(
                client, RevenueSummaryArgs(date_from=date.today() - timedelta(days=190), date_to=date.today())
            ),
        ),
        ("receivables_aging", lambda: tools_reports.receivables_aging(client, ReceivablesAgingArgs())),
    ):
        before, t0 = client.rpc_count, time.perf_counter()
        run()
        figures[f"{name}_rpcs"] = client.rpc_count - before
        figures[f"{name}_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    emulator.stop()
    return figures


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:]] or [100, 10_000]
    for version, protocol in ((17, "xmlrpc"), (19, "json2")):
        for n in sizes:
            print(f"odoo{version}/{protocol}", measure(n, version, protocol), flush=True)
