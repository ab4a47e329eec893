"""`ai-employee logs`: the audit log (Logs/*.json, archived days included), filtered."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("logs", help="show audit log entries (filter by action, status, dates)")
    p.add_argument("--vault", help="the vault (default: VAULT_PATH, else ./vault)")
    p.add_argument("--action", help="only actions containing this text (e.g. facebook.create_post)")
    p.add_argument("--status", help="only entries whose result status or approval status is this (e.g. failed)")
    p.add_argument("--since", help="first day, YYYY-MM-DD (default: today, UTC)")
    p.add_argument("--until", help="last day, YYYY-MM-DD (default: today, UTC)")
    p.add_argument("--days", type=int, help="the last N days instead of --since")
    p.add_argument("--json", action="store_true", help="one JSON object per line, as stored")
    p.add_argument("--limit", type=int, default=0, help="stop after N entries (0 = all)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from mcp_servers.core.settings import resolve_vault
    from mcp_servers.core.vault import Vault
    from orchestrator.logview import DateRangeError, LogFilter, day_range, entries, format_entry

    try:
        days = day_range(args.since, args.until, args.days)
    except DateRangeError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    wanted = LogFilter(action=args.action, status=args.status)
    show_progress = len(days) > 7 and sys.stderr.isatty()
    shown = 0
    for index, day, entry in entries(Vault(resolve_vault(args.vault)), days, wanted):
        if show_progress and entry is None:
            print(f"\rreading {day} ({index + 1}/{len(days)} days)…", end="", file=sys.stderr, flush=True)
            continue
        if entry is None:
            continue
        print(json.dumps(entry) if args.json else format_entry(entry))  # ASCII JSON: no raw control character
        shown += 1
        if args.limit and shown >= args.limit:
            break
    if show_progress:
        print("\r" + " " * 60 + "\r", end="", file=sys.stderr)
    if not shown and not args.json:
        print(f"No entries from {days[0]} to {days[-1]} match.", file=sys.stderr)
    return 0
