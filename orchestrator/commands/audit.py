"""`ai-employee audit [--vault V] [--week YYYY-Www | --now]`: write the Monday briefing now."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "audit",
        help="write the weekly audit as Briefings/<Monday>_Monday_Briefing.md (default: the last complete week)",
    )
    p.add_argument("--vault", help="the vault (default: VAULT_PATH, else ./vault)")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--week", metavar="YYYY-Www", help="the ISO week to audit, e.g. 2026-W02")
    which.add_argument("--now", action="store_true", help="the current week so far")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace, now: Any = None) -> int:
    from datetime import UTC, datetime

    from mcp_servers.core.errors import ServiceError
    from mcp_servers.core.settings import CoreSettings, resolve_vault
    from mcp_servers.core.vault import Vault
    from skills.audit import last_complete_week, parse_week, run_weekly_audit, week_containing, zone

    moment = now or datetime.now(UTC)
    try:
        root = resolve_vault(args.vault)
        if not root.is_dir():
            print(f"No vault at {root}. Create it with `ai-employee init`, or pass --vault.", file=sys.stderr)
            return 2
        tz = zone(CoreSettings().timezone)
        if args.week:
            week = parse_week(args.week, tz)
        else:
            week = week_containing(moment, tz) if args.now else last_complete_week(moment, tz)
        if week.start > moment.astimezone(tz).date():
            print(f"{week.label} has not started yet; nothing to audit.", file=sys.stderr)
            return 2
        result = run_weekly_audit(moment, Vault(root), week=week)
    except ServiceError as exc:
        print(f"audit: {exc.message}", file=sys.stderr)
        return 2
    state = "written" if result.written else "unchanged"
    print(f"{result.path} ({state}; week {week.label}, {week.start} to {week.end})")
    down = result.figures.unavailable
    if down:
        print(f"not available this time: {', '.join(down)} (the note says why)")
    return 0
