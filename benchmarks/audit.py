"""Weekly audit cost: a vault with a year of history against one with a week, and Odoo RPCs per audit.

Year: 50,000 Done/ request files, 365 day logs of 2,000 lines, 20,000 invoices in the Odoo emulator.
Week: 7 days of the same activity and the emulator's demo company. The audit runs in a fresh child
process (peak RSS is that process's), against the emulator in another, over XML-RPC."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks._common import ROOT, base_env, free_port, median, table, wait_for_port, write_results

END = date(2026, 1, 11)  # a Sunday; the audited week is 5–11 January
NOW = "2026-01-11T22:00:00+00:00"
DONE_PER_DAY = 137  # ≈ 50,000 a year
LOG_LINES_PER_DAY = 2000
INVOICES_YEAR = 20_000
TARGETS = {"year_s": 3.0, "year_mb": 250.0, "ratio": 1.5}

_REQUEST = """---
type: {kind}
id: {stamp}-bench-{short}
platforms: [odoo]
summary: "Bench request {short}"
timestamp: '{day}T10:00:00Z'
expires: '{expires}T10:00:00Z'
scheduled_for: null
requires_approval: true
auto_approve_reason: null
amount: 120.0
calls:
- server: odoo
  tool: create_invoice
  args: {{n: {n}}}
status: {status}
executed_at: '{day}T12:30:00Z'
signature: hmac-sha256:{short}
---
# Request
Body.
"""

_LINE = (
    '{{"timestamp": "{day}T{h:02d}:{m:02d}:{s:02d}Z", "action": "{action}", "actor": "mcp:odoo", "parameters": {{}}, '
    '"result": {{"status": "{status}"}}, "approval_status": "approved", "duration_ms": 12.5, "error": null}}\n'
)
_ACTIONS = ("odoo.create_invoice", "facebook.create_post", "twitter.create_post", "gmail.send_email")
_STATUSES = ("succeeded", "succeeded", "succeeded", "failed")


def build_vault(root: Path, days: int) -> None:
    shutil.copytree(ROOT / "vault_template", root)
    for folder in ("Done", "Logs", "Briefings", "Pending_Approval", "Rejected", "Approved", "Needs_Action", "Plans"):
        (root / folder).mkdir(exist_ok=True)
    for back in range(days):
        day = END - timedelta(days=back)
        finished = datetime(day.year, day.month, day.day, 12, 30, tzinfo=UTC).timestamp()
        for i in range(DONE_PER_DAY):
            short = f"{back:04x}{i:04x}"
            text = _REQUEST.format(
                kind="invoice",
                stamp=f"{day:%Y%m%d}-100000",
                short=short,
                day=day,
                expires=day + timedelta(days=7),
                n=i,
                status=_STATUSES[i % 4],
            )
            path = root / "Done" / f"{day}_invoice_{short}.md"
            path.write_text(text, "utf-8")
            os.utime(path, (finished, finished))  # as the executor leaves it: rewritten when it finished
        lines = [
            _LINE.format(
                day=day,
                h=(j * 43200 // LOG_LINES_PER_DAY) // 3600 * 2 % 24,
                m=j % 60,
                s=j % 60,
                action=_ACTIONS[j % 4],
                status=_STATUSES[j % 4],
            )
            for j in range(LOG_LINES_PER_DAY)
        ]
        (root / "Logs" / f"{day}.json").write_text("".join(lines), "utf-8")


def build_books(path: Path, invoices: int) -> None:
    from mcp_servers.odoo.sandbox import seed

    data = seed.demo_state(19, END)
    if invoices:
        seed.bulk_invoices(data, 19, invoices, END)
    path.write_text(json.dumps(data), "utf-8")


_CHILD = """
import json, sys, time
from datetime import datetime
from mcp_servers.odoo.client import Connection, OdooClient
from skills.audit import Sources, parse_week, run_weekly_audit, zone
from skills.audit.odoo_rpc import OdooRpcSource
url, vault = sys.argv[1], sys.argv[2]
times, cpu, rpcs = [], [], []
for _ in range(3):
    client = OdooClient(Connection(url, "sandbox", "admin", "admin", protocol="xmlrpc", secret_is_api_key=False))
    client.status()  # the handshake (version, login) is the client's, not the audit's
    source = OdooRpcSource(client)
    started, started_cpu = time.perf_counter(), time.process_time()
    result = run_weekly_audit(datetime.fromisoformat(sys.argv[3]), vault, Sources(odoo=source),
                              week=parse_week("2026-W02", zone("UTC")))
    times.append(time.perf_counter() - started)
    cpu.append(time.process_time() - started_cpu)
    rpcs.append(result.odoo_rpcs)
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over execve from the parent that built the data
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) / 1024
print(json.dumps({"times": times, "cpu": cpu, "rpcs": rpcs, "peak_mb": hwm}))
"""


def measure(work: Path, name: str, days: int, invoices: int) -> dict[str, Any]:
    vault, state = work / f"vault-{name}", work / f"odoo-{name}.json"
    build_vault(vault, days)
    build_books(state, invoices)
    port = free_port()
    env = base_env(TIMEZONE="UTC")
    emulator = subprocess.Popen(
        [sys.executable, "-m", "mcp_servers.odoo.sandbox", "--port", str(port), "--state", str(state)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, timeout=60)
        run = subprocess.run(
            [sys.executable, "-c", _CHILD, f"http://127.0.0.1:{port}", str(vault), NOW],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if run.returncode:
            raise RuntimeError(run.stderr[-2000:])
        figures = json.loads(run.stdout.strip().splitlines()[-1])
    finally:
        emulator.terminate()
        emulator.wait(timeout=10)
    done = len(list((vault / "Done").iterdir()))
    return {
        "done_files": done,
        "log_days": days,
        "invoices": invoices,
        "seconds": median(figures["times"]),
        "audit_cpu_seconds": median(figures["cpu"]),
        "runs": figures["times"],
        "peak_mb": round(figures["peak_mb"], 1),
        "odoo_rpcs": figures["rpcs"][0],
    }


def main() -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="audit-bench-"))
    try:
        week = measure(work, "week", 7, 0)
        year = measure(work, "year", 365, INVOICES_YEAR)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ratio = year["seconds"] / week["seconds"]
    cpu_ratio = year["audit_cpu_seconds"] / week["audit_cpu_seconds"]
    rows = [
        [
            n,
            r["done_files"],
            r["log_days"],
            r["invoices"] or "demo",
            f"{r['seconds']:.3f}",
            f"{r['audit_cpu_seconds']:.3f}",
            r["peak_mb"],
            r["odoo_rpcs"],
        ]
        for n, r in (("week", week), ("year", year))
    ]
    headers = ["history", "Done/ files", "log days", "invoices", "wall s", "audit CPU s", "peak MB", "Odoo RPCs"]
    print(table(headers, rows))
    print(
        f"year/week ratio: wall {ratio:.2f}, audit CPU {cpu_ratio:.2f} (target ≤ {TARGETS['ratio']}); "
        f"year target ≤ {TARGETS['year_s']} s, ≤ {TARGETS['year_mb']:.0f} MB. Wall time includes the emulator "
        "answering the 7 RPCs by scanning all 20,000 invoices in Python; the audit's own CPU does not."
    )
    data = {"week": week, "year": year, "ratio": round(ratio, 2), "cpu_ratio": round(cpu_ratio, 2), "targets": TARGETS}
    write_results("audit", data)
    return data


if __name__ == "__main__":
    main()
