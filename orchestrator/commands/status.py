"""`ai-employee status [--json]`: servers, approvals and schedule, as the running orchestrator published them."""

from __future__ import annotations

import argparse
import json
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("status", help="show servers, pending approvals and scheduled items")
    p.add_argument("--vault", help="the vault (default: VAULT_PATH, else ./vault)")
    p.add_argument("--json", action="store_true", help="machine-readable (a stable shape scripts rely on)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from mcp_servers.core.settings import resolve_vault
    from mcp_servers.core.untrusted import terminal
    from mcp_servers.core.vault import Vault
    from orchestrator.dashboard import read_status

    status = read_status(Vault(resolve_vault(args.vault)))
    if args.json:
        print(json.dumps(status, indent=2))
        return 0
    print(f"{'SERVER':<12}{'STATE':<10}{'MODE':<9}{'PID':<9}RESTARTS")
    for name, s in sorted(status["servers"].items()):
        cells = (terminal(name), terminal(s["state"]), terminal(s["mode"]), terminal(s["pid"] or "-"))
        print(f"{cells[0]:<12}{cells[1]:<10}{cells[2]:<9}{cells[3]:<9}{terminal(s['restarts'])}")
    if not status["servers"]:
        print("(no orchestrator has run on this vault yet: `ai-employee run`)")
    print(
        f"\npending approval: {status['pending']}   approved, waiting to run: {status['approved']}   "
        f"scheduled: {status['scheduled']}"
    )
    print(f"latest briefing: {terminal(status['last_briefing'] or 'none yet')}")
    return 0
